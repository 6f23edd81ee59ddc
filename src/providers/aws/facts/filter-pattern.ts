import { RE2JS } from 're2js';
import { allOf, anyOf, not, type Tri, UNKNOWN_VALUE } from '../../../core/tri';

/**
 * CloudWatch Logs filter patterns for JSON log events (`{ ($.eventName = "StopLogging") || … }`):
 * a parser and a three-valued evaluator against one event. What a pattern catches is decided by
 * running it, not by comparing its text: `{$.eventSource = kms* && $.eventName = %^(Disable|Schedule)%}`
 * catches what CIS's own pattern does, and `{$.eventName = DeleteTrail}` alone misses StopLogging.
 *
 * Where CloudWatch's behaviour is not certain, the answer is UNKNOWN rather than a guess: a `!=`
 * on a field the event lacks, a regular expression whose verdict depends on whether CloudWatch
 * anchors it. Term patterns (`ERROR`, `?a ?b`) and space-delimited patterns (`[ip, user, …]`) are
 * not evaluated (UNKNOWN); the empty pattern matches every event, as CloudWatch documents.
 */

type Op = '=' | '!=' | '<' | '>' | '<=' | '>=';
type Value = { kind: 'string'; text: string } | { kind: 'number'; n: number } | { kind: 'regex'; source: string };

export type Node =
  | { kind: 'and' | 'or'; parts: Node[] }
  | { kind: 'compare'; path: (string | number)[]; op: Op; value: Value }
  | { kind: 'is'; path: (string | number)[]; what: 'TRUE' | 'FALSE' | 'NULL' }
  | { kind: 'exists'; path: (string | number)[]; negated: boolean };

export type Parsed = { kind: 'all' } | { kind: 'json'; root: Node } | { kind: 'unsupported'; why: string };

class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  peek(n = 1): string {
    this.ws();
    return this.s.slice(this.i, this.i + n);
  }
  eat(tok: string): boolean {
    if (this.peek(tok.length) === tok) {
      this.i += tok.length;
      return true;
    }
    return false;
  }
  /** A keyword, case-insensitive, followed by a non-word character. */
  keyword(word: string): boolean {
    this.ws();
    const next = this.s.slice(this.i, this.i + word.length);
    if (next.toUpperCase() !== word || /\w/.test(this.s[this.i + word.length] ?? '')) return false;
    this.i += word.length;
    return true;
  }
  fail(what: string): never {
    throw new Error(`${what} at character ${this.i + 1}`);
  }
}

function parsePath(sc: Scanner): (string | number)[] {
  if (!sc.eat('$')) sc.fail('expected a selector starting with $');
  const out: (string | number)[] = [];
  for (;;) {
    if (sc.s[sc.i] === '.') {
      sc.i++;
      const m = /^[A-Za-z0-9_@:-]+/.exec(sc.s.slice(sc.i));
      if (!m) sc.fail('expected a field name');
      out.push(m[0]);
      sc.i += m[0].length;
    } else if (sc.s[sc.i] === '[') {
      const m = /^\[(\d+)\]/.exec(sc.s.slice(sc.i));
      if (!m) sc.fail('expected an array index');
      out.push(Number(m[1]));
      sc.i += m[0].length;
    } else break;
  }
  if (out.length === 0) sc.fail('expected a field after $');
  return out;
}

function parseValue(sc: Scanner): Value {
  sc.ws();
  const c = sc.s[sc.i];
  if (c === '"') {
    let j = sc.i + 1;
    let text = '';
    while (j < sc.s.length && sc.s[j] !== '"') {
      if (sc.s[j] === '\\' && j + 1 < sc.s.length) j++;
      text += sc.s[j++];
    }
    if (j >= sc.s.length) sc.fail('unterminated string');
    sc.i = j + 1;
    return { kind: 'string', text };
  }
  if (c === '%') {
    const end = sc.s.indexOf('%', sc.i + 1);
    if (end < 0) sc.fail('unterminated regular expression');
    const source = sc.s.slice(sc.i + 1, end);
    sc.i = end + 1;
    return { kind: 'regex', source };
  }
  const m = /^[^\s()&|}]+/.exec(sc.s.slice(sc.i));
  if (!m) sc.fail('expected a value');
  sc.i += m[0].length;
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(m[0]) ? { kind: 'number', n: Number(m[0]) } : { kind: 'string', text: m[0] };
}

function parseUnary(sc: Scanner): Node {
  if (sc.eat('(')) {
    const n = parseOr(sc);
    if (!sc.eat(')')) sc.fail('expected )');
    return n;
  }
  sc.ws();
  const path = parsePath(sc);
  if (sc.keyword('IS')) {
    for (const what of ['TRUE', 'FALSE', 'NULL'] as const) if (sc.keyword(what)) return { kind: 'is', path, what };
    sc.fail('expected TRUE, FALSE or NULL after IS');
  }
  if (sc.keyword('NOT')) {
    if (sc.keyword('EXISTS')) return { kind: 'exists', path, negated: true };
    sc.fail('expected EXISTS after NOT');
  }
  if (sc.keyword('EXISTS')) return { kind: 'exists', path, negated: false };
  for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
    if (sc.eat(op)) return { kind: 'compare', path, op, value: parseValue(sc) };
  }
  return sc.fail('expected a comparison operator');
}

function parseAnd(sc: Scanner): Node {
  const parts = [parseUnary(sc)];
  while (sc.eat('&&')) parts.push(parseUnary(sc));
  return parts.length === 1 ? parts[0] : { kind: 'and', parts };
}

function parseOr(sc: Scanner): Node {
  const parts = [parseAnd(sc)];
  while (sc.eat('||')) parts.push(parseAnd(sc));
  return parts.length === 1 ? parts[0] : { kind: 'or', parts };
}

/** Parses a filter pattern; a pattern that is not JSON-selector syntax is `unsupported` with the reason. */
export function parseFilterPattern(pattern: string): Parsed {
  const text = pattern.trim();
  if (text === '' || text === '""') return { kind: 'all' };
  if (!text.startsWith('{')) {
    return { kind: 'unsupported', why: text.startsWith('[') ? 'a space-delimited pattern' : 'a term pattern (not a JSON selector pattern)' };
  }
  const sc = new Scanner(text);
  try {
    sc.eat('{');
    const root = parseOr(sc);
    if (!sc.eat('}')) sc.fail('expected }');
    sc.ws();
    if (sc.i !== text.length) sc.fail('unexpected text after }');
    return { kind: 'json', root };
  } catch (err) {
    return { kind: 'unsupported', why: `not a valid JSON filter pattern (${(err as Error).message})` };
  }
}

const MISSING = Symbol('missing');

function at(event: unknown, path: (string | number)[]): unknown {
  let v = event;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return MISSING;
    if (!(seg in (v as Record<string, unknown>))) return MISSING;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** `*` matches any run of characters; everything else literally. */
function wildcard(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(text);
}

function regex(source: string, text: string): Tri {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch {
    return UNKNOWN_VALUE;
  }
  const partial = re.matcher(text).find();
  const whole = re.matches(text);
  return partial === whole ? whole : UNKNOWN_VALUE;
}

function compare(node: Extract<Node, { kind: 'compare' }>, event: unknown): Tri {
  const v = at(event, node.path);
  // A comparison on a field the event lacks: "=" cannot hold; whether CloudWatch counts "!=" as
  // matching there is not documented, so it is not guessed.
  if (v === MISSING || v === null || typeof v === 'object') return node.op === '!=' ? UNKNOWN_VALUE : false;
  const { value, op } = node;
  if (value.kind === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    if (Number.isNaN(n)) return op === '!=' ? UNKNOWN_VALUE : false;
    return op === '=' ? n === value.n : op === '!=' ? n !== value.n : op === '<' ? n < value.n : op === '>' ? n > value.n : op === '<=' ? n <= value.n : n >= value.n;
  }
  if (op !== '=' && op !== '!=') return UNKNOWN_VALUE;
  const text = String(v);
  const hit = value.kind === 'regex' ? regex(value.source, text) : wildcard(value.text, text);
  return op === '=' ? hit : not(hit);
}

function evalNode(node: Node, event: unknown): Tri {
  switch (node.kind) {
    case 'and':
      return allOf(node.parts.map((p) => evalNode(p, event)));
    case 'or':
      return anyOf(node.parts.map((p) => evalNode(p, event)));
    case 'compare':
      return compare(node, event);
    case 'is': {
      const v = at(event, node.path);
      return node.what === 'NULL' ? v === null : v === (node.what === 'TRUE');
    }
    case 'exists': {
      const present = at(event, node.path) !== MISSING;
      return node.negated ? !present : present;
    }
  }
}

/** Whether the pattern matches the event: true, false, or unknown (unsupported syntax, undocumented behaviour). */
export function patternMatches(parsed: Parsed, event: unknown): Tri {
  if (parsed.kind === 'all') return true;
  if (parsed.kind === 'unsupported') return UNKNOWN_VALUE;
  return evalNode(parsed.root, event);
}

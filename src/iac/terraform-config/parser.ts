import { readFileSync } from 'node:fs';
import { Language, Parser } from 'web-tree-sitter';
import { type Attribute, type Block, type Body, emptyBody, type Expr, type ParsedFile, type Pos, type SyntaxProblem, type TemplatePart } from './ast';

/**
 * The native syntax (.tf, .tfvars) parsed with tree-sitter's HCL grammar, in its Terraform
 * dialect, run as WebAssembly (no native build, the same on every platform). The concrete tree is
 * copied once into plain objects and turned into the shared syntax tree of ast.ts; its error
 * recovery gives the line and column of the first syntax error.
 */

let parser: Parser | undefined;
/** Node type names and named-ness by type id: one call into WebAssembly per node instead of three. */
const typeNames: string[] = [];
const typeNamed: boolean[] = [];
let loading: Promise<void> | undefined;

/** Loads the grammar once; every other function of this file needs it loaded. */
export function initHclParser(): Promise<void> {
  loading ??= (async () => {
    await Parser.init();
    // Bytes, not a path: loading by path makes web-tree-sitter import node:fs dynamically.
    const language = await Language.load(readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')));
    const p = new Parser();
    p.setLanguage(language);
    for (let id = 0; id < language.nodeTypeCount; id++) {
      typeNames[id] = language.nodeTypeForId(id) ?? '';
      typeNamed[id] = language.nodeTypeIsNamed(id);
    }
    parser = p;
  })();
  return loading;
}

export function hclParserReady(): boolean {
  return parser !== undefined;
}

/** A file longer than this many seconds to parse is reported, not waited for. */
const PARSE_TIMEOUT_MS = 10_000;

/** A node of the concrete tree, copied out of WebAssembly memory. */
interface CNode {
  type: string;
  named: boolean;
  missing: boolean;
  start: number;
  end: number;
  children: CNode[];
}

class ParseFailure extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Copies the tree into plain objects, depth-first with the cursor (one pass, no per-node
 * wrappers). Missing nodes are marked only when the tree has errors, by a second, slower pass.
 */
function copyTree(tree: NonNullable<ReturnType<Parser['parse']>>): CNode {
  const c = tree.walk();
  const make = (): CNode => {
    const id = c.nodeTypeId;
    return { type: typeNames[id] ?? c.nodeType, named: typeNamed[id] ?? c.nodeIsNamed, missing: false, start: c.startIndex, end: c.endIndex, children: [] };
  };
  const root = make();
  const hasError = tree.rootNode.hasError;
  const stack: CNode[] = [root];
  for (;;) {
    if (c.gotoFirstChild()) {
      const n = make();
      if (hasError) n.missing = c.nodeIsMissing;
      stack[stack.length - 1].children.push(n);
      stack.push(n);
      continue;
    }
    for (;;) {
      if (c.gotoNextSibling()) {
        stack.pop();
        const n = make();
        if (hasError) n.missing = c.nodeIsMissing;
        stack[stack.length - 1].children.push(n);
        stack.push(n);
        break;
      }
      if (!c.gotoParent()) {
        c.delete();
        return root;
      }
      stack.pop();
    }
  }
}

/** Converts one file's text; never throws on bad input (problems are returned). */
export class HclReader {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  pos(index: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: index - this.lineStarts[lo] + 1 };
  }

  private src(n: CNode): string {
    return this.text.slice(n.start, n.end);
  }

  /** The whole file: a body of attributes and blocks, or (for tfvars) an object. */
  parse(mode: 'config' | 'tfvars'): ParsedFile {
    if (!parser) throw new Error('HCL parser used before initHclParser()');
    const started = Date.now();
    const tree = parser.parse(this.text, null, { progressCallback: () => Date.now() - started > PARSE_TIMEOUT_MS });
    if (!tree) return { file: this.file, body: emptyBody(), problems: [{ pos: this.pos(0), message: `parsing took longer than ${PARSE_TIMEOUT_MS / 1000} s; the file is not read` }] };
    let root: CNode;
    try {
      root = copyTree(tree);
    } finally {
      tree.delete();
    }
    const problems: SyntaxProblem[] = [];
    const bad = this.firstError(root);
    if (bad) {
      problems.push(bad);
      return { file: this.file, body: emptyBody(), problems };
    }
    try {
      const content = root.children.find((c) => c.named && c.type !== 'comment');
      if (!content) return { file: this.file, body: emptyBody(), problems };
      if (content.type === 'object') {
        if (mode === 'config') throw new ParseFailure(content.start, 'expected attributes and blocks, found an object');
        const obj = this.term(content) as Extract<Expr, { k: 'object' }>;
        const body = emptyBody();
        for (const it of obj.items) {
          const key = it.key.k === 'lit' ? String(it.key.value) : it.key.k === 'template' && it.key.parts.every((p) => p.k === 'text') ? it.key.parts.map((p) => (p as { text: string }).text).join('') : undefined;
          if (key === undefined) throw new ParseFailure(content.start, 'object keys of a variables file must be names');
          body.attrs.set(key, { name: key, expr: it.value, pos: it.value.pos });
        }
        return { file: this.file, body, problems };
      }
      return { file: this.file, body: this.body(content), problems };
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      return { file: this.file, body: emptyBody(), problems: [{ pos: this.pos(e.at), message: e.message }] };
    }
  }

  /** Parses a string as a template (the JSON syntax's strings), positions relative to `at`. */
  static templateText(text: string, at: Pos): Expr {
    if (!parser) throw new Error('HCL parser used before initHclParser()');
    // A heredoc takes its content literally (no backslash escapes), as JSON strings are already decoded.
    const marker = `EOT${Math.random().toString(36).slice(2)}`;
    const wrapped = `x = <<${marker}\n${text}\n${marker}\n`;
    const r = new HclReader(at.file, wrapped);
    const parsed = r.parse('config');
    if (parsed.problems.length > 0) throw new SyntaxError(parsed.problems[0].message);
    const attr = parsed.body.attrs.get('x');
    if (!attr) throw new SyntaxError('not a template');
    const e = attr.expr;
    // Drop the newline the heredoc adds, and move positions to the JSON string.
    relocate(e, at);
    if (e.k === 'template') {
      const last = e.parts[e.parts.length - 1];
      if (last?.k === 'text') {
        last.text = last.text.replace(/\n$/, '');
        if (last.text === '') e.parts.pop();
      }
    }
    return e;
  }

  private firstError(root: CNode): SyntaxProblem | undefined {
    // Tokens in document order, to say what came before a problem.
    const leaves: CNode[] = [];
    const collect = (n: CNode): void => {
      if (n.children.length === 0) leaves.push(n);
      for (const c of n.children) collect(c);
    };
    collect(root);
    const stack: CNode[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.missing) {
        if (OPENERS.has(n.type)) {
          // Tree-sitter guesses an object where a value is missing (`x = ` then a newline).
          const prev = [...leaves].reverse().find((l) => l.end <= n.start && !l.missing && l.type !== 'comment');
          return { pos: this.pos(prev ? prev.end : n.start), message: `syntax error: expected a value${prev ? ` after '${this.src(prev).slice(0, 20)}'` : ''}` };
        }
        return { pos: this.pos(n.start), message: `syntax error: missing ${describe(n.type)}` };
      }
      if (n.type === 'ERROR') {
        const unclosed = this.unclosed(leaves.filter((l) => l.start >= n.start && l.end <= n.end));
        if (unclosed && n.end >= this.text.trimEnd().length) return { pos: this.pos(unclosed.start), message: `syntax error: '${this.src(unclosed)}' is never closed` };
        // An attribute or operator with nothing after it: `x = ` then a newline or `}`.
        const inside = leaves.filter((l) => l.start >= n.start && l.end <= n.end && l.type !== 'comment');
        const last = inside[inside.length - 1];
        if (last && !last.named && ['=', ':', ',', '?', '+', '-', '*', '/', '%', '&&', '||', '==', '!=', '<', '>', '<=', '>=', '!', '=>'].includes(last.type)) {
          return { pos: this.pos(last.end), message: `syntax error: expected a value after '${last.type}'` };
        }
        const first = leaf(n);
        const snippet = this.text.slice(first.start, Math.min(first.end, first.start + 30)).split('\n')[0];
        return { pos: this.pos(first.start), message: `syntax error: unexpected ${snippet ? `'${snippet}'` : 'end of input'}` };
      }
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return undefined;
  }

  /** The innermost bracket or quote among `tokens` that is opened and not closed. */
  private unclosed(tokens: CNode[]): CNode | undefined {
    const open: CNode[] = [];
    for (const t of tokens) {
      const s = this.src(t);
      if (s === '{' || s === '[' || s === '(' || s === '${' || s === '%{') open.push(t);
      else if ((s === '}' || s === ']' || s === ')') && open.length) open.pop();
    }
    return open[open.length - 1];
  }

  private body(n: CNode): Body {
    const body = emptyBody();
    for (const c of n.children) {
      if (c.type === 'attribute') {
        const a = this.attribute(c);
        if (body.attrs.has(a.name)) throw new ParseFailure(c.start, `attribute '${a.name}' is set twice in this block`);
        body.attrs.set(a.name, a);
      } else if (c.type === 'block') body.blocks.push(this.block(c));
    }
    return body;
  }

  private attribute(n: CNode): Attribute {
    const kids = n.children.filter((c) => c.type !== 'comment');
    const id = kids.find((c) => c.type === 'identifier')!;
    const e = kids.find((c) => c.type === 'expression')!;
    return { name: this.src(id), expr: this.expression(e), pos: this.pos(n.start) };
  }

  private block(n: CNode): Block {
    const kids = n.children.filter((c) => c.type !== 'comment');
    const type = this.src(kids[0]);
    const labels: string[] = [];
    let body = emptyBody();
    for (const c of kids.slice(1)) {
      if (c.type === 'string_lit') labels.push(this.stringLit(c));
      else if (c.type === 'identifier') labels.push(this.src(c));
      else if (c.type === 'body') body = this.body(c);
    }
    return { type, labels, body, pos: this.pos(n.start) };
  }

  private stringLit(n: CNode): string {
    const open = n.children[0];
    const close = n.children[n.children.length - 1];
    return unescapeQuoted(this.text.slice(open.end, close.start));
  }

  private expression(n: CNode): Expr {
    const kids = n.children.filter((c) => c.type !== 'comment');
    if (kids.length === 1 && kids[0].type === 'conditional') {
      const parts = kids[0].children.filter((c) => c.type === 'expression');
      if (parts.length !== 3) throw new ParseFailure(kids[0].start, 'incomplete conditional expression');
      return { k: 'cond', cond: this.expression(parts[0]), then: this.expression(parts[1]), else: this.expression(parts[2]), pos: this.pos(kids[0].start) };
    }
    return this.termSeq(kids);
  }

  /** A flattened expression term: a head, then index, attribute and splat steps. */
  private termSeq(kids: CNode[]): Expr {
    if (kids.length === 0) throw new ParseFailure(0, 'empty expression');
    let head: Expr;
    let i: number;
    if (kids[0].type === '(') {
      const inner = kids[1];
      if (!inner || inner.type !== 'expression') throw new ParseFailure(kids[0].start, 'expected an expression after (');
      head = { k: 'paren', expr: this.expression(inner), pos: this.pos(kids[0].start) };
      i = 3;
    } else {
      head = this.term(kids[0]);
      i = 1;
    }
    for (; i < kids.length; i++) head = this.postfix(head, kids[i]);
    return head;
  }

  private postfix(head: Expr, n: CNode): Expr {
    const pos = this.pos(n.start);
    switch (n.type) {
      case 'index': {
        const x = n.children[0];
        if (x.type === 'new_index') {
          const e = x.children.find((c) => c.type === 'expression');
          if (!e) throw new ParseFailure(x.start, 'expected an index expression');
          return { k: 'index', obj: head, key: this.expression(e), pos };
        }
        return { k: 'index', obj: head, key: { k: 'lit', value: Number(this.src(x).replace(/^\./, '')), pos }, pos };
      }
      case 'get_attr':
        return { k: 'attr', obj: head, name: this.src(n.children.find((c) => c.type === 'identifier')!), pos };
      case 'splat': {
        const s = n.children[0];
        let each: Expr = { k: 'anon', pos };
        for (const c of s.children) if (c.type === 'get_attr' || c.type === 'index') each = this.postfix(each, c);
        return { k: 'splat', obj: head, each, pos };
      }
      default:
        throw new ParseFailure(n.start, `unexpected '${this.src(n).slice(0, 20)}'`);
    }
  }

  private term(n: CNode): Expr {
    const pos = this.pos(n.start);
    switch (n.type) {
      case 'literal_value':
        return this.term(n.children[0]);
      case 'numeric_lit': {
        const v = Number(this.src(n));
        if (!Number.isFinite(v)) throw new ParseFailure(n.start, `invalid number '${this.src(n)}'`);
        return { k: 'lit', value: v, pos };
      }
      case 'bool_lit':
        return { k: 'lit', value: this.src(n) === 'true', pos };
      case 'null_lit':
        return { k: 'lit', value: null, pos };
      case 'string_lit':
        return { k: 'lit', value: this.stringLit(n), pos };
      case 'template_expr':
        return this.term(n.children[0]);
      case 'quoted_template': {
        const open = n.children[0];
        const close = n.children[n.children.length - 1];
        return { k: 'template', parts: this.templateParts(n.children.slice(1, -1), open.end, close.start, 'quoted'), pos };
      }
      case 'heredoc_template':
        return this.heredoc(n);
      case 'collection_value':
        return this.term(n.children[0]);
      case 'tuple':
        return { k: 'tuple', items: n.children.filter((c) => c.type === 'expression').map((c) => this.expression(c)), pos };
      case 'object':
        return {
          k: 'object',
          items: n.children
            .filter((c) => c.type === 'object_elem')
            .map((c) => {
              const [k, v] = c.children.filter((x) => x.type === 'expression');
              if (!k || !v) throw new ParseFailure(c.start, 'incomplete object element');
              const keyKids = k.children.filter((x) => x.type !== 'comment');
              // A bare name as a key is the name itself, not a variable (`{ Name = "x" }`).
              const key: Expr = keyKids.length === 1 && keyKids[0].type === 'variable_expr' ? { k: 'lit', value: this.src(keyKids[0]), pos: this.pos(k.start) } : this.expression(k);
              return { key, value: this.expression(v) };
            }),
          pos,
        };
      case 'variable_expr':
        return { k: 'var', name: this.src(n), pos };
      case 'function_call': {
        const name = this.src(n.children[0]);
        const args = n.children.find((c) => c.type === 'function_arguments');
        const exprs = args ? args.children.filter((c) => c.type === 'expression').map((c) => this.expression(c)) : [];
        const expand = args ? args.children.some((c) => c.type === 'ellipsis') : false;
        return { k: 'call', name, args: exprs, expand, pos };
      }
      case 'for_expr':
        return this.forExpr(n.children[0]);
      case 'operation':
        return this.operation(n.children[0]);
      case 'expression':
        return this.expression(n);
      default:
        throw new ParseFailure(n.start, `unexpected '${this.src(n).slice(0, 20)}'`);
    }
  }

  private operation(n: CNode): Expr {
    const pos = this.pos(n.start);
    const kids = n.children.filter((c) => c.type !== 'comment');
    if (n.type === 'unary_operation') return { k: 'unary', op: kids[0].type as '-' | '!', expr: this.termSeq(kids.slice(1)), pos };
    let depth = 0;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c.named) continue;
      if (c.type === '(') depth++;
      else if (c.type === ')') depth--;
      else if (depth === 0 && i > 0) return { k: 'binary', op: c.type, left: this.termSeq(kids.slice(0, i)), right: this.termSeq(kids.slice(i + 1)), pos };
    }
    throw new ParseFailure(n.start, 'incomplete operation');
  }

  private forExpr(n: CNode): Expr {
    const pos = this.pos(n.start);
    const intro = n.children.find((c) => c.type === 'for_intro')!;
    const ids = intro.children.filter((c) => c.type === 'identifier').map((c) => this.src(c));
    const coll = intro.children.find((c) => c.type === 'expression');
    if (!coll) throw new ParseFailure(intro.start, 'for expression without a collection');
    const exprs = n.children.filter((c) => c.type === 'expression');
    const cond = n.children.find((c) => c.type === 'for_cond');
    const condExpr = cond ? cond.children.find((c) => c.type === 'expression') : undefined;
    const [keyVar, valVar] = ids.length === 2 ? [ids[0], ids[1]] : [undefined, ids[0]];
    const base = { keyVar, valVar, coll: this.expression(coll), cond: condExpr ? this.expression(condExpr) : undefined, pos };
    if (n.type === 'for_object_expr') {
      if (exprs.length < 2) throw new ParseFailure(n.start, 'for expression needs key => value');
      return { k: 'for', ...base, key: this.expression(exprs[0]), value: this.expression(exprs[1]), group: n.children.some((c) => c.type === 'ellipsis') };
    }
    if (exprs.length < 1) throw new ParseFailure(n.start, 'for expression without a value');
    return { k: 'for', ...base, value: this.expression(exprs[0]), group: false };
  }

  private heredoc(n: CNode): Expr {
    const pos = this.pos(n.start);
    const flush = this.src(n.children[0]) === '<<-';
    const ids = n.children.filter((c) => c.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids[ids.length - 1];
    // Content: from the line after the opening marker to the start of the closing marker's line.
    let from = this.text.indexOf('\n', open.end);
    from = from < 0 ? open.end : from + 1;
    let to = close.start;
    while (to > from && this.text[to - 1] !== '\n') to--;
    if (ids.length < 2 || close === open) to = from;
    const inner = n.children.filter((c) => c.start >= from && c.end <= to && c.type !== 'template_literal' && c.type !== 'heredoc_identifier');
    const parts = this.templateParts(inner, from, to, 'heredoc');
    if (flush) stripIndent(parts);
    return { k: 'template', parts, pos };
  }

  /** Template parts from the nodes between `from` and `to`: literal text is what lies between interpolations and directives. */
  private templateParts(nodes: CNode[], from: number, to: number, kind: 'quoted' | 'heredoc'): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let cursor = from;
    const text = (a: number, b: number): void => {
      if (b <= a) return;
      const raw = this.text.slice(a, b);
      parts.push({ k: 'text', text: kind === 'quoted' ? unescapeQuoted(raw) : raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') });
    };
    const items = nodes.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      text(cursor, c.start);
      if (c.type === 'template_interpolation') {
        const e = c.children.find((x) => x.type === 'expression');
        const strips = c.children.filter((x) => x.type === 'strip_marker');
        const stripLeft = strips.some((s) => e === undefined || s.start < e.start);
        const stripRight = strips.some((s) => e !== undefined && s.start > e.start);
        parts.push({ k: 'interp', expr: e ? this.expression(e) : { k: 'lit', value: '', pos: this.pos(c.start) }, stripLeft, stripRight });
        cursor = c.end;
      } else {
        const d = c.children[0];
        if (d.type === 'template_if') parts.push(this.templateIf(d, kind));
        else parts.push(this.templateFor(d, kind));
        cursor = c.end;
      }
    }
    text(cursor, to);
    applyStrips(parts);
    return parts;
  }

  private strips(intro: CNode): { left: boolean; right: boolean } {
    const kids = intro.children;
    const s = kids.filter((x) => x.type === 'strip_marker');
    return { left: s.some((x) => x.start === kids[1]?.start), right: s.some((x) => x.end === kids[kids.length - 2]?.end && x.start !== kids[1]?.start) };
  }

  private templateIf(n: CNode, kind: 'quoted' | 'heredoc'): TemplatePart {
    const intro = n.children.find((c) => c.type === 'template_if_intro')!;
    const elseIntro = n.children.find((c) => c.type === 'template_else_intro');
    const end = n.children.find((c) => c.type === 'template_if_end')!;
    const condNode = intro.children.find((c) => c.type === 'expression');
    if (!condNode || !end) throw new ParseFailure(n.start, 'incomplete %{if} directive');
    const between = (a: number, b: number): CNode[] => n.children.filter((c) => c.start >= a && c.end <= b);
    const thenTo = elseIntro ? elseIntro.start : end.start;
    const s = this.strips(intro);
    return {
      k: 'if',
      cond: this.expression(condNode),
      then: this.templateParts(between(intro.end, thenTo), intro.end, thenTo, kind),
      else: elseIntro ? this.templateParts(between(elseIntro.end, end.start), elseIntro.end, end.start, kind) : [],
      stripLeft: s.left,
      stripRight: this.strips(end).right,
    };
  }

  private templateFor(n: CNode, kind: 'quoted' | 'heredoc'): TemplatePart {
    const start = n.children.find((c) => c.type === 'template_for_start')!;
    const end = n.children.find((c) => c.type === 'template_for_end');
    if (!end) throw new ParseFailure(n.start, 'incomplete %{for} directive');
    const ids = start.children.filter((c) => c.type === 'identifier').map((c) => this.src(c));
    const coll = start.children.find((c) => c.type === 'expression');
    if (!coll || ids.length === 0) throw new ParseFailure(n.start, 'incomplete %{for} directive');
    const [keyVar, valVar] = ids.length === 2 ? [ids[0], ids[1]] : [undefined, ids[0]];
    const inner = n.children.filter((c) => c.start >= start.end && c.end <= end.start);
    return { k: 'for', keyVar, valVar, coll: this.expression(coll), body: this.templateParts(inner, start.end, end.start, kind), stripLeft: this.strips(start).left, stripRight: this.strips(end).right };
  }
}

const OPENERS = new Set(['{', '[', '(', 'object_start', 'tuple_start', 'block_start']);

function leaf(n: CNode): CNode {
  let cur = n;
  while (cur.children.length > 0) cur = cur.children[0];
  return cur;
}

function describe(type: string): string {
  const names: Record<string, string> = { block_end: "'}'", object_end: "'}'", tuple_end: "']'", quoted_template_end: 'closing quote', template_interpolation_end: "'}'", identifier: 'a name', expression: 'an expression' };
  return names[type] ?? (/^[a-z_]+$/.test(type) ? type.replace(/_/g, ' ') : `'${type}'`);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A quoted string's escapes: \n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ / %%{ for literal ${ / %{. */
export function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < raw.length) {
      const nx = raw[i + 1];
      if (nx in ESCAPES) {
        out += ESCAPES[nx];
        i++;
        continue;
      }
      const m = nx === 'u' ? /^[0-9a-fA-F]{4}/.exec(raw.slice(i + 2)) : nx === 'U' ? /^[0-9a-fA-F]{8}/.exec(raw.slice(i + 2)) : null;
      if (m) {
        const cp = parseInt(m[0], 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
        i += 1 + m[0].length;
        continue;
      }
      out += ch;
    } else if ((ch === '$' || ch === '%') && raw[i + 1] === ch && raw[i + 2] === '{') {
      out += `${ch}{`;
      i += 2;
    } else out += ch;
  }
  return out;
}

/** `~` strip markers remove the whitespace next to them in the neighbouring literal text. */
function applyStrips(parts: TemplatePart[]): void {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.k === 'text') continue;
    const prev = parts[i - 1];
    const next = parts[i + 1];
    if (p.stripLeft && prev?.k === 'text') prev.text = prev.text.replace(/\s+$/, '');
    if (p.stripRight && next?.k === 'text') next.text = next.text.replace(/^\s+/, '');
  }
}

/** `<<-` heredocs: the smallest indentation of the non-blank lines is removed from every line. */
function stripIndent(parts: TemplatePart[]): void {
  let min = Infinity;
  let atLineStart = true;
  parts.forEach((p, pi) => {
    if (p.k !== 'text') {
      atLineStart = false;
      return;
    }
    const lines = p.text.split('\n');
    const beforeInterp = pi < parts.length - 1;
    lines.forEach((l, i) => {
      if (i === 0 && !atLineStart) return;
      // Blank lines do not count, unless an interpolation follows on the same line.
      if (l.trim() === '' && !(beforeInterp && i === lines.length - 1)) return;
      const ws = /^[ \t]*/.exec(l)![0].length;
      if (ws < min) min = ws;
    });
    atLineStart = p.text.endsWith('\n');
  });
  if (!Number.isFinite(min) || min === 0) return;
  atLineStart = true;
  for (const p of parts) {
    if (p.k !== 'text') {
      atLineStart = false;
      continue;
    }
    p.text = p.text
      .split('\n')
      .map((l, i) => (i === 0 && !atLineStart ? l : l.replace(new RegExp(`^[ \\t]{0,${min}}`), '')))
      .join('\n');
    atLineStart = p.text.endsWith('\n');
  }
}

/** Moves the positions of an expression parsed out of a JSON string to that string's place. */
function relocate(e: unknown, at: Pos): void {
  if (e === null || typeof e !== 'object') return;
  if (Array.isArray(e)) {
    for (const x of e) relocate(x, at);
    return;
  }
  for (const [k, v] of Object.entries(e)) {
    if (k === 'pos') (e as { pos: Pos }).pos = at;
    else relocate(v, at);
  }
}

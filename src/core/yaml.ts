import { type CST, Document, isAlias, LineCounter, parseAllDocuments, Parser, type Tags, visit, type YAMLError } from 'yaml';
import { InputError, type Problem } from './errors';

/**
 * The one way trustscan reads YAML (trustscan.yaml, rules, suppressions, templates): one
 * document per file, aliases expanded within a budget (an alias bomb — a few lines that expand
 * to billions of nodes — is refused), nesting bounded so that no reader recurses past the
 * stack, and every problem located and worded for a person who is not a YAML expert.
 */

/** Alias expansions allowed per document (the yaml library's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 1000;
/** Deepest nesting of mappings and lists accepted. */
export const MAX_YAML_DEPTH = 200;

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  /** The document as plain data (null for an empty file). */
  value: unknown;
}

export interface YamlOptions {
  /** Extra tags (CloudFormation's `!Ref` …). */
  customTags?: Tags;
}

/** Library error codes in our words; the library's own message is kept for the rest. */
const MESSAGES: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'a tab is used for indentation: YAML indents with spaces',
  BAD_INDENT: 'wrong indentation: this line does not line up with the block it belongs to',
  MULTILINE_IMPLICIT_KEY: 'a key cannot span lines: is a colon or a quote missing on the line before?',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block cannot be a key: is the indentation of this line right?',
  MISSING_CHAR: 'a closing character is missing (a quote, a bracket or a brace)',
  BAD_DQ_ESCAPE: 'bad escape sequence in a double-quoted string (write \\\\ for a backslash)',
  BAD_ALIAS: 'an alias (*name) must refer to an anchor (&name) defined before it',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MULTIPLE_ANCHORS: 'a node can have only one anchor (&name)',
  MULTIPLE_TAGS: 'a node can have only one tag (!tag)',
};

function wordOf(e: YAMLError, text: string): string {
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]{1,80}/.exec(text.slice(e.pos[0]))?.[0].trim();
    return key ? `key ${JSON.stringify(key).replace(/^"|"$/g, "'")} appears twice in the same mapping` : 'a key appears twice in the same mapping';
  }
  const ours = MESSAGES[e.code];
  if (ours) return ours;
  // The library's first line, without its own position (we give file:line:column).
  return e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function depthProblem(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= MAX_YAML_DEPTH) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * Offset of the first collection nested deeper than MAX_YAML_DEPTH, from the library's syntax
 * tree (built without recursion), or -1. The library composes documents recursively: past a
 * few hundred levels it runs out of stack, and V8 may then abort the whole process (a stack
 * overflow inside a regular expression compilation is fatal), so depth is checked first.
 */
function tooDeepAt(text: string): number {
  const stack: [CST.Token, number][] = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  while (stack.length) {
    const [t, d] = stack.pop()!;
    const depth = COLLECTIONS.has(t.type) ? d + 1 : d;
    if (depth > MAX_YAML_DEPTH) return (t as { offset: number }).offset;
    const node = t as { value?: CST.Token; items?: { key?: CST.Token | null; value?: CST.Token }[] };
    if (node.value && typeof node.value === 'object') stack.push([node.value, depth]);
    for (const item of node.items ?? []) {
      if (item.key && typeof item.key === 'object') stack.push([item.key, depth]);
      if (item.value && typeof item.value === 'object') stack.push([item.value, depth]);
    }
  }
  return -1;
}

/** Position of the first alias in a document, to point at when aliases expand too far. */
function firstAlias(doc: Document, lines: LineCounter): { line: number; column: number } {
  let at = 0;
  visit(doc, {
    Alias: (_k, node) => {
      if (isAlias(node) && node.range) at = node.range[0];
      return visit.BREAK;
    },
  });
  const p = lines.linePos(at);
  return { line: p.line, column: p.col };
}

/**
 * Parses YAML text that must hold one document. Throws an InputError listing every syntax
 * problem (file:line:column), or naming the structural one (several documents, an alias bomb,
 * nesting too deep).
 */
export function parseYaml(text: string, file: string, options: YamlOptions = {}): ParsedYaml {
  const lines = new LineCounter();
  const deep = tooDeepAt(text);
  if (deep !== -1) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < deep; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const p = lines.linePos(deep);
    throw InputError.at({ file, line: p.line, column: p.col }, `YAML nested more than ${MAX_YAML_DEPTH} levels deep: refused (no trustscan file needs that many)`);
  }
  let docs: Document[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, customTags: options.customTags }) as unknown as Document[];
  } catch (e) {
    if (e instanceof RangeError) throw InputError.at({ file }, `nested too deeply to read (more than ${MAX_YAML_DEPTH} levels of mappings and lists are refused)`);
    throw e;
  }
  // parseAllDocuments returns an empty list-like stream for an empty file.
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1) {
    const second = lines.linePos(list[1].range?.[0] ?? 0);
    throw InputError.at(
      { file, line: second.line, column: second.col },
      `a second YAML document starts here (after '---'): trustscan reads one document per file; remove the '---' or split the file`,
    );
  }
  if (list.length === 0) return { doc: new Document(null), lines, value: null };
  const doc = list[0];
  if (doc.errors.length) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
      if (e.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(e.message)) return { file, line: pos.line, column: pos.col, message: `YAML nested too deeply to read (more than ${MAX_YAML_DEPTH} levels are refused)` };
      return { file, line: pos.line, column: pos.col, message: `YAML: ${wordOf(e, text)}` };
    });
    throw new InputError(problems);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/Excessive alias count/.test(msg)) {
      throw InputError.at(
        { file, ...firstAlias(doc, lines) },
        `aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies of their anchors: refused as a possible alias bomb ("billion laughs"); write the values out instead`,
      );
    }
    if (e instanceof RangeError) throw InputError.at({ file }, `YAML nested too deeply to read (more than ${MAX_YAML_DEPTH} levels are refused)`);
    if (e instanceof ReferenceError) throw InputError.at({ file }, `YAML: ${msg}`);
    throw e;
  }
  if (depthProblem(value)) throw InputError.at({ file }, `YAML nested more than ${MAX_YAML_DEPTH} levels deep: refused (no trustscan file needs that many)`);
  return { doc, lines, value };
}

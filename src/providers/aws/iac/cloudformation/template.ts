import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Tags, type YAMLError } from 'yaml';
import type { Problem } from '../../../../core/errors';
import { childLines } from '../../../../iac/json-lines';

/** The short-form intrinsic tags of CloudFormation YAML, turned into their long (JSON) form. */
const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'If', 'Equals', 'And', 'Or', 'Not', 'ToJsonString', 'Length'];

function shortFormTags(): Tags {
  const tags: Tags = [];
  const add = (tag: string, wrap: (v: unknown) => unknown): void => {
    tags.push({ tag, resolve: (v: string) => wrap(v) });
    tags.push({ tag, collection: 'seq', resolve: (v) => wrap(v.toJSON()) });
    tags.push({ tag, collection: 'map', resolve: (v) => wrap(v.toJSON()) });
  };
  add('!Ref', (v) => ({ Ref: v }));
  add('!Condition', (v) => ({ Condition: v }));
  // !GetAtt Resource.Attribute (scalar) or [Resource, Attribute]
  add('!GetAtt', (v) => {
    if (typeof v !== 'string') return { 'Fn::GetAtt': v };
    const dot = v.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [v] : [v.slice(0, dot), v.slice(dot + 1)] };
  });
  for (const f of FUNCTIONS) add(`!${f}`, (v) => ({ [`Fn::${f}`]: v }));
  return tags;
}

const TAGS = shortFormTags();

/**
 * How far aliases (`*name`) may expand. A template that uses anchors (for `aws cloudformation
 * package` or the SAM CLI, which expand them) stays far below it; an alias bomb does not.
 */
const MAX_ALIAS_COUNT = 1000;

export interface CfnTemplate {
  file: string;
  doc: Record<string, unknown>;
  /** Line of each resource's logical id. */
  lines: Map<string, number>;
}

/**
 * True when a parsed document is meant as a CloudFormation template: it says so
 * (AWSTemplateFormatVersion, Transform), or has a Resources mapping with a typed resource. What
 * is wrong inside it is then reported by the template checks, not as "not a template".
 */
export function isTemplate(doc: unknown): doc is Record<string, unknown> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  if (typeof d.AWSTemplateFormatVersion === 'string' || (d.Transform !== undefined && 'Resources' in d)) return true;
  const res = d.Resources;
  if (res === null || typeof res !== 'object' || Array.isArray(res)) return false;
  return Object.values(res as Record<string, unknown>).some((r) => r !== null && typeof r === 'object' && 'Type' in (r as object));
}

/** The first line of a library message, without its position and without advice to call library functions. */
function plain(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?\s*$/, '')
    .replace(/;?\s*please use [^.;]*\.?/i, '')
    .trim();
}

/** A YAML parser error in our words. */
function ourWords(e: YAMLError, text: string): string {
  switch (e.code) {
    case 'MULTIPLE_DOCS':
      return "holds more than one YAML document ('---' starts another): a CloudFormation template is one document";
    case 'DUPLICATE_KEY':
      return `key ${JSON.stringify(keyAt(text, e.pos[0]))} appears more than once in the same mapping`;
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation: YAML indents with spaces only';
    case 'BAD_INDENT':
      return `indentation does not match the lines around it (${plain(e.message)})`;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a mapping key runs over more than one line (a missing ":" or a wrong indentation?)';
    case 'BAD_ALIAS':
      return `an alias (*name) is not valid here (${plain(e.message)})`;
    case 'RESOURCE_EXHAUSTION':
      return /call stack/i.test(e.message)
        ? 'the document nests deeper than any real template (refused)'
        : 'aliases (*name) expand the document beyond any real template (a YAML alias bomb?)';
    case 'TAG_RESOLVE_FAILED': {
      const tag = /tag:? (!\S+)/.exec(e.message)?.[1];
      return tag ? `unknown tag ${tag}: not a CloudFormation intrinsic function` : plain(e.message);
    }
    default: {
      const msg = plain(e.message);
      if (/call stack/i.test(msg)) return 'the document nests deeper than any real template (refused)';
      return msg;
    }
  }
}

function keyAt(text: string, pos: number): string {
  const end = text.slice(pos, pos + 200).search(/[:\n]/);
  return (end < 0 ? text.slice(pos, pos + 200) : text.slice(pos, pos + end)).trim().replace(/^["']|["']$/g, '');
}

/**
 * Parses YAML (with short-form tags); returns the document or the problems, each with its line.
 * Merge keys (`<<`) are expanded, as `aws cloudformation package` and the SAM CLI do before
 * deploying; aliases may expand only so far. Duplicate keys are found here, with one set per
 * mapping, rather than by the library (whose check is quadratic in a mapping's size).
 */
export function parseYamlTemplate(file: string, text: string, opts: { chunked?: boolean } = {}): YamlTemplate {
  if (opts.chunked ?? text.length >= CHUNKED_FROM) {
    const chunked = parseInChunks(file, text);
    if (chunked) return chunked;
  }
  return parseOne(file, text, 0, false);
}

/** Templates from this size on are parsed a slice of resources at a time (see parseInChunks). */
const CHUNKED_FROM = 1 << 20;
const RESOURCES_PER_CHUNK = 2000;

/**
 * A large template's Resources parsed a slice at a time, and the rest on its own: the same values
 * and lines as one parse, with a fraction of the memory (the library's document model takes about
 * fifty times the text). Only for block-style templates without anchors, aliases, directives or
 * several documents, where slicing cannot change the meaning; anything else, or any problem, falls
 * back to the one parse (which reports it).
 */
function parseInChunks(file: string, text: string): YamlTemplate | undefined {
  if (/(^|[\s,[{])[&*][^\s,\]}'"]/.test(text) || /^(---|\.\.\.|%)/m.test(text)) return undefined;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^Resources:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^[^\s#]/.test(lines[end])) end++;
  const first = lines.slice(start + 1, end).find((l) => /^\s+[^\s#]/.test(l));
  if (!first) return undefined;
  const indent = first.length - first.trimStart().length;
  const entry = new RegExp(`^ {${indent}}[^\\s#]`);
  const doc: Record<string, unknown> = {};
  const resources: Record<string, unknown> = {};
  const resourceLines = new Map<string, number>();
  // Everything but the Resources body, with line numbers kept by blank lines in its place.
  const rest = parseOne(file, [...lines.slice(0, start + 1), ...lines.slice(start + 1, end).map(() => ''), ...lines.slice(end)].join('\n'), 0, false);
  if (rest.problems.length > 0 || rest.doc === null || typeof rest.doc !== 'object') return undefined;
  Object.assign(doc, rest.doc);
  let from = start + 1;
  while (from < end) {
    let to = from;
    let count = 0;
    while (to < end && !(entry.test(lines[to]) && count++ === RESOURCES_PER_CHUNK)) to++;
    const part = parseOne(file, lines.slice(from, to).join('\n'), from, true);
    if (part.problems.length > 0 || part.doc === null || typeof part.doc !== 'object' || Array.isArray(part.doc)) return undefined;
    for (const [k, v] of Object.entries(part.doc)) {
      // A key repeated across slices: the one parse reports it.
      if (k in resources) return undefined;
      resources[k] = v;
    }
    for (const [k, l] of part.lines) resourceLines.set(k, l);
    from = to;
  }
  doc.Resources = resources;
  return { doc, lines: resourceLines, problems: [] };
}

/** One YAML document; `lineBase` lines precede the text; `resourcesAtRoot` when the text is a slice of Resources. */
function parseOne(file: string, text: string, lineBase: number, resourcesAtRoot: boolean): YamlTemplate {
  const lineCounter = new LineCounter();
  const deep: YamlTemplate = { lines: new Map(), problems: [{ file, message: 'it nests deeper than any real template (refused)' }] };
  try {
    const yamlDoc = parseDocument(text, { customTags: TAGS, lineCounter, uniqueKeys: false, merge: true, prettyErrors: false });
    const at = (pos: number): { line: number; column: number } => {
      const p = lineCounter.linePos(pos);
      return { line: p.line + lineBase, column: p.col };
    };
    const problems: Problem[] = [...yamlDoc.errors, ...yamlDoc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')].map((e) => ({ file, ...at(e.pos[0]), message: ourWords(e, text) }));
    if (problems.length > 0) return { lines: new Map(), problems };
    duplicateKeys(yamlDoc.contents, (key, pos) => problems.push({ file, ...at(pos), message: `key ${JSON.stringify(key)} appears more than once in the same mapping` }));
    if (problems.length > 0) return { lines: new Map(), problems };
    const root = yamlDoc.contents;
    const resources = resourcesAtRoot ? root : isMap(root) ? root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'Resources')?.value : undefined;
    return { doc: toJS(yamlDoc), lines: keyLines(resources, (pos) => at(pos).line), problems };
  } catch (e) {
    if (e instanceof RangeError) return deep;
    if (e instanceof AliasProblem) return { lines: new Map(), problems: [{ file, message: e.message }] };
    throw e;
  }
}

interface YamlTemplate {
  doc?: unknown;
  lines: Map<string, number>;
  problems: Problem[];
}

class AliasProblem extends Error {}

function toJS(yamlDoc: ReturnType<typeof parseDocument>): unknown {
  try {
    return yamlDoc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    throw new AliasProblem(
      /excessive/i.test(e.message)
        ? `aliases (*name) expand the document beyond ${MAX_ALIAS_COUNT} nodes, more than any real template (a YAML alias bomb?): refused`
        : `an alias (*name) refers to an anchor (&name) that is not defined before it: ${e.message.replace(/^.*: /, '')}`,
    );
  }
}

/** Reports keys repeated within one mapping, anywhere in the document (merge keys aside). */
function duplicateKeys(node: unknown, report: (key: string, pos: number) => void): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const p of node.items) {
      if (isScalar(p.key) && p.key.value !== '<<') {
        const k = String(p.key.value);
        if (seen.has(k)) report(k, p.key.range?.[0] ?? 0);
        seen.add(k);
      }
      duplicateKeys(p.value, report);
    }
  } else if (isSeq(node)) for (const x of node.items) duplicateKeys(x, report);
}

/** Line of each key of a mapping node (the Resources). */
function keyLines(node: unknown, lineOf: (pos: number) => number): Map<string, number> {
  const lines = new Map<string, number>();
  if (!isMap(node)) return lines;
  for (const p of node.items) if (isPair(p) && isScalar(p.key) && p.key.range) lines.set(String(p.key.value), lineOf(p.key.range[0]));
  return lines;
}

/** Lines of each resource of a JSON template. */
export function jsonTemplateLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, line] of childLines(text, ['Resources'])) out.set(String(k), line);
  return out;
}

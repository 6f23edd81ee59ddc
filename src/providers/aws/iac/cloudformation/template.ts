import { isMap, isPair, isScalar, LineCounter, parseDocument, type Tags } from 'yaml';
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

export interface CfnTemplate {
  file: string;
  doc: Record<string, unknown>;
  /** Line of each resource's logical id. */
  lines: Map<string, number>;
}

/** True when a parsed document looks like a CloudFormation template. */
export function isTemplate(doc: unknown): doc is Record<string, unknown> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  if (typeof d.AWSTemplateFormatVersion === 'string') return true;
  const res = d.Resources;
  if (res === null || typeof res !== 'object' || Array.isArray(res)) return false;
  const values = Object.values(res as Record<string, unknown>);
  return values.length > 0 && values.every((r) => r !== null && typeof r === 'object' && typeof (r as { Type?: unknown }).Type === 'string');
}

/** Parses YAML (with short-form tags); returns the document or the problems, each with its line. */
export function parseYamlTemplate(file: string, text: string): { doc?: unknown; lines: Map<string, number>; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const yamlDoc = parseDocument(text, { customTags: TAGS, lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems: Problem[] = yamlDoc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, column: pos.col, message: e.message.split('\n')[0] };
  });
  const lines = new Map<string, number>();
  if (problems.length > 0) return { lines, problems };
  const root = yamlDoc.contents;
  if (isMap(root)) {
    const res = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'Resources');
    if (res && isMap(res.value)) {
      for (const p of res.value.items) {
        if (isPair(p) && isScalar(p.key) && p.key.range) lines.set(String(p.key.value), lineCounter.linePos(p.key.range[0]).line);
      }
    }
  }
  return { doc: yamlDoc.toJS({ maxAliasCount: 1000 }), lines, problems };
}

/** Lines of each resource of a JSON template. */
export function jsonTemplateLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, line] of childLines(text, ['Resources'])) out.set(String(k), line);
  return out;
}

import type { Problem } from '../../../../core/errors';
import { isUnresolved, Unresolved } from '../../../../iac/values';
import type { Resolver } from './intrinsics';

/** More entries than any deployable template holds (CloudFormation allows 500 resources). */
const MAX_ENTRIES = 200_000;

const PREFIX = 'Fn::ForEach::';

export interface ForEachGap {
  /** The loop's key (`Fn::ForEach::Buckets`), where it is declared. */
  loop: string;
  /** Resource types its fragment declares (when it is in Resources). */
  types: string[];
  reason: string;
}

/**
 * Expands `Fn::ForEach` (the AWS::LanguageExtensions transform) in Resources, Conditions and
 * Outputs, and inside resource properties: each value of the collection is put in place of
 * `${Identifier}`, `&{Identifier}` (the value without its non-alphanumeric characters) and
 * `{"Ref": "Identifier"}` in a copy of the fragment, keys included; loops nest. A collection
 * known only at deploy cannot be expanded: the loop is reported as a gap and left out. Resources
 * made by a top-level loop get the line of its key.
 */
export function expandForEach(
  doc: Record<string, unknown>,
  lines: Map<string, number>,
  resolver: Resolver,
  file: string,
): { doc: Record<string, unknown>; lines: Map<string, number>; gaps: ForEachGap[]; problems: Problem[] } {
  const gaps: ForEachGap[] = [];
  const problems: Problem[] = [];
  let made = 0;
  const outLines = new Map(lines);

  const expandObject = (obj: Record<string, unknown>, top: string | null, line: number | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (!k.startsWith(PREFIX)) {
        out[k] = expandValue(v, line);
        continue;
      }
      const here = top === 'Resources' ? (lines.get(k) ?? line) : line;
      const loop = parseLoop(k, v);
      if (typeof loop === 'string') {
        problems.push({ file, line: here, message: `${k}: ${loop}` });
        continue;
      }
      const values = collection(loop.collection, resolver);
      if (isUnresolved(values)) {
        gaps.push({ loop: k, types: typesIn(loop.fragment), reason: values.reason });
        continue;
      }
      for (const value of values) {
        const copy = substitute(loop.fragment, loop.id, value) as Record<string, unknown>;
        // Loops inside the fragment are expanded with the outer value already in place.
        const expanded = expandObject(copy, top, here);
        for (const [ek, ev] of Object.entries(expanded)) {
          if (++made > MAX_ENTRIES) throw new LoopTooBig(k);
          if (ek in out || ek in obj) problems.push({ file, line: here, message: `${k}: makes the key ${JSON.stringify(ek)}, which already exists` });
          out[ek] = ev;
          if (top === 'Resources' && here !== undefined) outLines.set(ek, here);
        }
      }
    }
    return out;
  };
  const expandValue = (v: unknown, line: number | undefined): unknown => {
    if (Array.isArray(v)) return v.map((x) => expandValue(x, line));
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return v;
    return expandObject(v as Record<string, unknown>, null, line);
  };

  const out: Record<string, unknown> = { ...doc };
  try {
    for (const section of ['Resources', 'Conditions', 'Outputs']) {
      const s = doc[section];
      if (s !== null && typeof s === 'object' && !Array.isArray(s)) out[section] = expandObject(s as Record<string, unknown>, section, undefined);
    }
  } catch (e) {
    if (!(e instanceof LoopTooBig)) throw e;
    problems.push({ file, line: lines.get(e.message), message: `${e.message} expands to more than ${MAX_ENTRIES} entries, more than any template CloudFormation deploys` });
  }
  return { doc: out, lines: outLines, gaps, problems };
}

class LoopTooBig extends Error {}

function parseLoop(key: string, v: unknown): { id: string; collection: unknown; fragment: Record<string, unknown> } | string {
  if (key.length === PREFIX.length) return 'a loop needs a name (Fn::ForEach::Name)';
  if (!Array.isArray(v) || v.length !== 3) return 'Fn::ForEach takes [identifier, collection, {output key: fragment}]';
  const [id, collection, fragment] = v as unknown[];
  if (typeof id !== 'string' || !/^[A-Za-z0-9]+$/.test(id)) return 'the loop identifier must be an alphanumeric name';
  if (fragment === null || typeof fragment !== 'object' || Array.isArray(fragment)) return 'the fragment must be a mapping of output keys';
  for (const k of Object.keys(fragment)) {
    if (!k.startsWith(PREFIX) && !k.includes(`\${${id}}`) && !k.includes(`&{${id}}`)) return `the output key ${JSON.stringify(k)} must contain \${${id}} or &{${id}}`;
  }
  return { id, collection, fragment: fragment as Record<string, unknown> };
}

/** The collection as strings, or why it is not known before deploy. */
function collection(v: unknown, resolver: Resolver): string[] | Unresolved {
  const r = resolver.resolve(v);
  if (isUnresolved(r)) return new Unresolved(`its collection is known only at deploy: ${r.reason}`);
  if (!Array.isArray(r)) return new Unresolved('its collection is not a list');
  if (r.some((x) => isUnresolved(x))) return new Unresolved('some values of its collection are known only at deploy');
  if (!r.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) return new Unresolved('its collection holds values that are not strings');
  return r.map(String);
}

/** A copy of `v` with the loop value put in place of the identifier. */
function substitute(v: unknown, id: string, value: string): unknown {
  const text = (s: string): string => s.split(`\${${id}}`).join(value).split(`&{${id}}`).join(value.replace(/[^A-Za-z0-9]/g, ''));
  if (typeof v === 'string') return text(v);
  if (Array.isArray(v)) return v.map((x) => substitute(x, id, value));
  if (v === null || typeof v !== 'object' || isUnresolved(v)) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'Ref' && o.Ref === id) return value;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[text(k)] = substitute(x, id, value);
  return out;
}

/** Resource types a Resources fragment declares (loops inside it included). */
function typesIn(fragment: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [k, r] of Object.entries(fragment)) {
    if (k.startsWith(PREFIX) && Array.isArray(r) && r[2] && typeof r[2] === 'object') for (const t of typesIn(r[2] as Record<string, unknown>)) out.add(t);
    else if (r && typeof r === 'object' && typeof (r as { Type?: unknown }).Type === 'string') out.add((r as { Type: string }).Type);
  }
  return [...out];
}

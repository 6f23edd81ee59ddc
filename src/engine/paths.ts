import { formatPath, isPathPrefix, ownValue, parsePath, pathsOverlap, PathSyntaxError } from '../core/property-path';
import type { ResourceTypeDef } from '../core/resource-types/registry';
import type { JsonSchema } from '../core/resource-types/schema-helpers';
import { UNKNOWN } from '../core/tri';
import type { FactDef } from '../facts/fact-types';
import type { FactRegistry } from '../facts/index';
import { schemaAt, type SchemaAt } from './schema-walk';
import type { EvalContext } from './eval-context';
import type { Entry, Target } from './snapshot-index';

/**
 * Returned by a presence getter when the value could not be read but is certainly set (listed
 * in the resource's `present`). It is not null, so `exists` can decide on it; no other operator
 * ever sees it.
 */
export const SET: unique symbol = Symbol('set, value unknown');
/**
 * Reads a value from a target; UNKNOWN (the marker facts also use for parts they cannot decide)
 * when it could not be read.
 */
export type Getter = (t: Target, ctx: EvalContext) => unknown;

/** Where a condition is being compiled: on a resource, or on an element of one of its arrays. */
export interface Scope {
  typeDef: ResourceTypeDef;
  /** Schema of the target value (the properties object, or an array element). */
  schema: JsonSchema;
  /** Absolute path of the target value from the resource's properties (`accessKeys.*` inside a quantifier). */
  prefix: string[];
}

/** A compiled path: how to read it, what schema it has, and what it reads (for dependencies and reasons). */
export interface CompiledPath {
  text: string;
  get: Getter;
  at: SchemaAt;
  /** Absolute property path on the resource, or null for `$` fields. */
  absolute: string[] | null;
  fact: FactDef | null;
  /** Path relative to the target (what the getter reads). */
  segs: string[];
  /**
   * Reads the value as a container (an array a quantifier iterates): UNKNOWN only when the container
   * itself is unknown, not when some of its elements' fields are (those are judged per element).
   */
  getContainer: Getter;
  /**
   * Reads the value for a presence test (`exists`): like getContainer, but SET instead of UNKNOWN
   * when the value is unknown and listed as certainly set.
   */
  getPresence: Getter;
}

const META: Record<string, (e: Entry) => unknown> = {
  $id: (e) => e.r.id,
  $name: (e) => e.r.name,
  $type: (e) => e.r.type,
  $provider: (e) => e.r.provider,
  $account: (e) => e.r.account,
  $region: (e) => e.r.region,
};
const STRING_AT: SchemaAt = { schema: { type: 'string' }, types: new Set(['string']) };
const TAGS_AT: SchemaAt = { schema: { type: 'object', additionalProperties: { type: 'string' } }, types: new Set(['object']) };

function overlapsAny(unknown: string[][], segs: readonly string[]): boolean {
  for (const u of unknown) if (pathsOverlap(u, segs)) return true;
  return false;
}

function coversAny(unknown: string[][], segs: readonly string[]): boolean {
  for (const u of unknown) if (isPathPrefix(u, segs)) return true;
  return false;
}

/** Walks `segs` from `v`, stopping at UNKNOWN (facts may hold unknown parts). */
function walk(v: unknown, segs: readonly string[], from: number): unknown {
  for (let i = from; i < segs.length; i++) {
    if (v === UNKNOWN) return UNKNOWN;
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = ownValue(v, segs[i]);
  }
  return v;
}

/** Computes (once per resource) and returns a fact's value. */
export function factValue(entry: Entry, def: FactDef, ctx: EvalContext): unknown {
  let cache = entry.facts;
  if (cache === null) cache = entry.facts = new Map();
  let v = cache.get(def.name);
  if (v !== undefined) return v;
  v = def.compute(entry.r, ctx.index);
  cache.set(def.name, v);
  return v;
}

/** Compiles a path as written in a rule, checking it against the scope's schema. */
export function compilePath(text: string, scope: Scope, facts: FactRegistry): CompiledPath | string {
  let segs: string[];
  try {
    segs = parsePath(text);
  } catch (e) {
    if (e instanceof PathSyntaxError) return e.message;
    throw e;
  }
  if (segs.includes('__proto__')) return `'__proto__' cannot be read in rule paths`;
  if (segs.includes('*')) return `'*' is not allowed in rule paths: use anyMatch/allMatch/noneMatch to look inside arrays`;
  const head = segs[0];
  if (head.startsWith('$')) {
    if (head === '$tags') {
      if (segs.length > 2) return `'$tags' takes one key: $tags.KEY or $tags["key with spaces"]`;
      const key = segs[1];
      // Tags can be unknown too (infrastructure code): `$tags` (all), `$tags.KEY`, or `$tags.*` (keys not known to be there).
      const get: Getter =
        key === undefined
          ? (t) => (t.entry.unknown !== null && t.entry.unknown.some((u) => u[0] === '$tags') ? UNKNOWN : (t.entry.r.tags ?? {}))
          : (t) => {
              const v = ownValue(t.entry.r.tags, key);
              const unknown = t.entry.unknown;
              if (unknown !== null) {
                for (const u of unknown) {
                  if (u[0] !== '$tags') continue;
                  if (u.length === 1 || u[1] === key || (u[1] === '*' && v === undefined)) return UNKNOWN;
                }
              }
              return v;
            };
      return { text, get, getContainer: get, getPresence: get, at: key === undefined ? TAGS_AT : STRING_AT, absolute: segs, fact: null, segs };
    }
    const meta = Object.prototype.hasOwnProperty.call(META, head) ? META[head] : undefined;
    if (!meta) return `unknown resource field '${head}' (use $id, $name, $type, $provider, $account, $region or $tags)`;
    if (segs.length > 1) return `'${head}' has no fields below it`;
    const get: Getter = (t) => meta(t.entry);
    return { text, get, getContainer: get, getPresence: get, at: STRING_AT, absolute: null, fact: null, segs };
  }
  if (head === 'facts') {
    if (scope.prefix.length > 0) return `facts are read on the resource, not inside anyMatch/allMatch/noneMatch/count`;
    const name = segs[1];
    if (name === undefined) return `'facts' needs a fact name: facts.NAME`;
    const def = facts.get(scope.typeDef.type, name);
    if (!def) {
      const known = facts.forType(scope.typeDef.type).map((f) => f.name);
      return `no fact '${name}' for ${scope.typeDef.type}${known.length ? ` (has: ${known.join(', ')})` : ' (this type has no facts)'}`;
    }
    const at = schemaAt(def.schema, segs.slice(2));
    if ('error' in at) return `${at.error} in facts.${name}${at.hint}`;
    const get: Getter = (t, ctx) => walk(factValue(t.entry, def, ctx), segs, 2);
    return { text, get, getContainer: get, getPresence: get, at, absolute: ['facts', ...segs.slice(1)], fact: def, segs };
  }
  const at = schemaAt(scope.schema, segs);
  if ('error' in at) {
    const where = scope.prefix.length ? ` in ${formatPath(scope.prefix.filter((s) => s !== '*'))} elements` : ` in ${scope.typeDef.type}`;
    return `${at.error}${where}${at.hint}`;
  }
  const n = segs.length;
  const s0 = segs[0];
  const get: Getter =
    n === 1
      ? (t) => {
          if (t.unknown !== null && overlapsAny(t.unknown, segs)) return UNKNOWN;
          // An array element a fact left UNKNOWN (a policy level it could not read): every field of it is unknown.
          if (t.value === UNKNOWN) return UNKNOWN;
          return ownValue(t.value, s0);
        }
      : (t) => {
          if (t.unknown !== null && overlapsAny(t.unknown, segs)) return UNKNOWN;
          return walk(t.value, segs, 0);
        };
  const getContainer: Getter = (t) => {
    if (t.unknown !== null && coversAny(t.unknown, segs)) return UNKNOWN;
    return walk(t.value, segs, 0);
  };
  const getPresence: Getter = (t, c) => {
    const v = getContainer(t, c);
    return v === UNKNOWN && t.present !== null && listsExactly(t.present, segs) ? SET : v;
  };
  return { text, get, getContainer, getPresence, at, absolute: [...scope.prefix, ...segs], fact: null, segs };
}

/** True when `paths` holds `segs` itself (`*` in a listed path matches any index), not a path above or below it. */
function listsExactly(paths: string[][], segs: readonly string[]): boolean {
  for (const p of paths) if (p.length === segs.length && isPathPrefix(p, segs)) return true;
  return false;
}

/** Paths of an array element (unknown or present ones), from its parent's paths of the same kind. */
export function elementPaths(parent: string[][] | null, arraySegs: readonly string[], index: number): string[][] | null {
  if (parent === null) return null;
  let out: string[][] | null = null;
  const n = arraySegs.length;
  const idx = String(index);
  for (const u of parent) {
    if (u.length <= n) continue;
    let match = true;
    for (let i = 0; i < n; i++) {
      if (u[i] !== arraySegs[i] && u[i] !== '*') {
        match = false;
        break;
      }
    }
    if (!match || (u[n] !== '*' && u[n] !== idx)) continue;
    (out ??= []).push(u.slice(n + 1));
  }
  return out;
}

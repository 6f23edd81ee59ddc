import { PartialJson, Unresolved } from '../values';

/**
 * Values of the Terraform language as the evaluator holds them: JSON-like data (null, booleans,
 * numbers, strings, arrays, null-prototype objects) whose unknown parts are `TfUnknown` leaves.
 * Sets are arrays remembered in `SETS`; an object carrying `OPEN` is a resource instance whose
 * attributes beyond those listed are computed by the provider (unknown until apply).
 */

/** Why a value is not known from the code; the coverage groups unknowns by it. */
export type UnknownKind =
  /** Computed by the provider when the resource is created. */
  | 'after-apply'
  /** A data source that reads the cloud. */
  | 'data-source'
  /** A module whose source (registry, git, …) is not on disk. */
  | 'module-not-on-disk'
  /** An input variable with no default and no value given. */
  | 'unset-variable'
  /** A sensitive variable: its value is never read. */
  | 'sensitive'
  /** A function or construct the evaluator does not support. */
  | 'unsupported'
  /** An expression Terraform itself would reject (a type error, a missing key). */
  | 'error'
  /** A value that changes on every run (timestamp(), uuid()). */
  | 'impure'
  /** A file outside the configuration's folder, or too large. */
  | 'file';

export class TfUnknown extends Unresolved {
  constructor(
    reason: string,
    readonly kind: UnknownKind,
    refs: readonly string[] = [],
  ) {
    super(reason, refs);
  }
}

export const OPEN = Symbol('open');

export type TfObject = { [k: string]: Value } & { [OPEN]?: (attr: string) => TfUnknown };
export type Value = null | boolean | number | string | Value[] | TfObject | Unresolved;

export const SETS = new WeakSet<Value[]>();

export function obj(): TfObject {
  return Object.create(null) as TfObject;
}

export function asSet(items: Value[]): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  for (const x of items) {
    const k = typeof x === 'string' ? `s${x}` : JSON.stringify(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  SETS.add(out);
  return out;
}

export function isObject(v: unknown): v is TfObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unresolved);
}

export function isUnknown(v: unknown): v is Unresolved {
  return v instanceof Unresolved;
}

/** The first unknown leaf (or open object, as an unknown) inside `v`. */
export function deepUnknown(v: Value): Unresolved | undefined {
  if (v instanceof Unresolved) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = deepUnknown(x);
      if (u) return u;
    }
  } else if (v !== null && typeof v === 'object') {
    const open = v[OPEN];
    if (open) return open('*');
    for (const k in v) {
      const u = deepUnknown(v[k]);
      if (u) return u;
    }
  }
  return undefined;
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Unresolved) return 'unknown';
  if (Array.isArray(v)) return SETS.has(v) ? 'set' : 'list';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/**
 * The value as resource data for the plan readers: open objects become unknown (which of their
 * attributes exist is not known), and unknown leaves carry `refs` — the references of the
 * expression they come from, as a plan's `configuration` lists them.
 */
export function toPlanValue(v: Value, refs: readonly string[]): unknown {
  if (v instanceof PartialJson) return new PartialJson(v.reason, refs, toPlanValue(v.value as Value, refs));
  if (v instanceof TfUnknown) return new TfUnknown(v.reason, v.kind, refs);
  if (v instanceof Unresolved) return new Unresolved(v.reason, refs, v.present);
  if (Array.isArray(v)) return v.map((x) => toPlanValue(x, refs));
  if (v !== null && typeof v === 'object') {
    const open = v[OPEN];
    if (open) return new TfUnknown(open('*').reason, 'after-apply', refs);
    const out: Record<string, unknown> = {};
    for (const k in v) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: toPlanValue(v[k], refs), enumerable: true, writable: true, configurable: true });
      else out[k] = toPlanValue(v[k], refs);
    }
    return out;
  }
  return v;
}

/** Every unknown leaf of a value (into partially known JSON too). */
export function unknownLeaves(v: unknown, out: Unresolved[] = []): Unresolved[] {
  if (v instanceof PartialJson) {
    unknownLeaves(v.value, out);
    return out;
  }
  if (v instanceof Unresolved) {
    out.push(v);
    return out;
  }
  if (Array.isArray(v)) for (const x of v) unknownLeaves(x, out);
  else if (v !== null && typeof v === 'object') for (const k in v) unknownLeaves((v as Record<string, unknown>)[k], out);
  return out;
}

/** Terraform's string form of a primitive (numbers without a trailing .0). */
export function primitiveString(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

export function numberString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Equality as Terraform's `==`: same type and value, deeply. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as Value[];
    return a.length === bb.length && a.every((x, i) => equal(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as TfObject);
  return ka.length === kb.length && ka.every((k) => k in (b as TfObject) && equal((a as TfObject)[k], (b as TfObject)[k]));
}

/**
 * Values read from infrastructure code. A value the code does not fix before deploy (a Terraform
 * `after_unknown` leaf, an intrinsic function that needs a deployed resource) is an `Unresolved`
 * leaf: it carries why, and which resources it refers to, so a mapping can still link a
 * `aws_s3_bucket_versioning` to its bucket while the bucket's id is unknown.
 */
export class Unresolved {
  constructor(
    readonly reason: string,
    /** Resources the value refers to: Terraform reference strings or CloudFormation logical ids. */
    readonly refs: readonly string[] = [],
    /**
     * The value is certainly set after deploy (not null, not absent): it is a reference to an
     * attribute every such resource has, such as a key's ARN. Only `Draft.setCopied` honours it.
     */
    readonly present: boolean = false,
  ) {}
}

export function isUnresolved(v: unknown): v is Unresolved {
  return v instanceof Unresolved;
}

/** The first Unresolved leaf inside `v`, or undefined when `v` is fully known. */
export function findUnresolved(v: unknown): Unresolved | undefined {
  if (v instanceof Unresolved) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUnresolved(x);
      if (u) return u;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) {
      const u = findUnresolved(x);
      if (u) return u;
    }
  }
  return undefined;
}

/**
 * Reads a nested value; stops at (and returns) an Unresolved on the way. Arrays are indexed by
 * number. An Unresolved above the value stands for it, but says nothing about whether it is set.
 */
export function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (cur instanceof Unresolved) return cur.present ? new Unresolved(cur.reason, cur.refs) : cur;
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Terraform nested blocks are lists of objects (usually of one): the first element, or undefined. */
export function block(v: unknown, ...path: (string | number)[]): unknown {
  const b = at(v, ...path);
  if (b instanceof Unresolved) return b;
  if (Array.isArray(b)) return b.length > 0 ? b[0] : undefined;
  return b === null ? undefined : b;
}

/**
 * A list value: Unresolved, or the array (an absent or null list is empty). Anything else where a
 * list belongs (a string, an object: a template the deploy would reject or read differently) is
 * Unresolved, never an empty list: "no ingress rules" from an unreadable list would pass.
 */
export function list(v: unknown, ...path: (string | number)[]): unknown[] | Unresolved {
  const b = at(v, ...path);
  if (b instanceof Unresolved) return b;
  if (b === undefined || b === null) return [];
  if (Array.isArray(b)) return b;
  const where = path.length > 0 ? path.join('.') : 'the value';
  return new Unresolved(`${where} is ${typeof b === 'object' ? 'an object' : `a ${typeof b}`} where a list belongs: not read`);
}

/** Applies `fn` to a known value; passes an Unresolved through. */
export function mapKnown<T, R>(v: T | Unresolved, fn: (x: T) => R): R | Unresolved {
  return v instanceof Unresolved ? v : fn(v);
}

/** `v` when it is a string; `fallback` when absent; Unresolved passes through. */
export function str(v: unknown, fallback: string | null = null): string | null | Unresolved {
  if (v instanceof Unresolved) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fallback;
}

/** An optional string setting: like `str`, but an empty string is no value (`KMSKeyId: ""` is no key). */
export function optStr(v: unknown): string | null | Unresolved {
  const s = str(v);
  return s === '' ? null : s;
}

/** A boolean, accepting CloudFormation's "true"/"false" strings; `fallback` when absent. */
export function bool(v: unknown, fallback: boolean | null = null): boolean | null | Unresolved {
  if (v instanceof Unresolved) return v;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  return fallback;
}

/** An integer, accepting numeric strings; `fallback` when absent. */
export function int(v: unknown, fallback: number | null = null): number | null | Unresolved {
  if (v instanceof Unresolved) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return fallback;
}

/** A string list (a single string becomes a list of one). */
export function strList(v: unknown): string[] | Unresolved {
  if (v instanceof Unresolved) return v;
  const arr = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const u = findUnresolved(arr);
  if (u) return u;
  return arr.map((x) => String(x));
}

/**
 * A JSON text whose structure is known but some of whose leaves are not (Terraform
 * `jsonencode({...})` or a policy document data source with an ARN created by the same code).
 * It is an Unresolved, so every reader that wants the text treats it as unknown; a reader that
 * decodes JSON (a policy document) may use `value`, whose unknown leaves are Unresolved.
 */
export class PartialJson extends Unresolved {
  constructor(
    reason: string,
    refs: readonly string[],
    readonly value: unknown,
  ) {
    super(reason, refs);
  }
}

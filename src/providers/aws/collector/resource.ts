import type { Resource } from '../../../core/types';
import type { CallResult } from './calls';

/** ISO 8601 without milliseconds when they are zero (the form AWS documents show). */
export function iso(d: Date | string | number | undefined | null): string | null {
  if (d === undefined || d === null) return null;
  const t = d instanceof Date ? d : new Date(typeof d === 'number' ? d * 1000 : d);
  if (Number.isNaN(t.getTime())) return null;
  return t.toISOString().replace('.000Z', 'Z');
}

/** A policy document as AWS sends it: URL-encoded JSON (IAM), or plain JSON (S3, KMS). Undefined when unreadable. */
export function decodePolicy(doc: string | undefined | null): Record<string, unknown> | null | undefined {
  if (doc === undefined || doc === null || doc === '') return null;
  for (const text of [doc, safeDecode(doc)]) {
    if (text === undefined) continue;
    try {
      const v = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // try the other form
    }
  }
  return undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export function tagsOf(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const t of list) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/**
 * Builds one resource's properties while tracking what could not be read: `take` stores a value
 * when its call succeeded, and otherwise nulls the paths and lists them in `unknown`.
 */
export class ResourceDraft {
  readonly properties: Record<string, unknown>;
  readonly unknown = new Set<string>();

  constructor(properties: Record<string, unknown>) {
    this.properties = properties;
  }

  /** Why some unknown paths are unknown, where no coverage entry of the resource says it. */
  readonly reasons = new Map<string, string>();

  /** Marks `paths` unknown (value null). */
  lose(...paths: string[]): void {
    for (const p of paths) {
      this.unknown.add(p);
      setPath(this.properties, p, null);
    }
  }

  /**
   * Marks `paths` unknown with the reason a finding should show: for what a call about another
   * resource (a shared parameter group) left unread, or what an answer says is not in force yet.
   */
  loseBecause(reason: string, ...paths: string[]): void {
    this.lose(...paths);
    for (const p of paths) this.reasons.set(p, reason);
  }

  /** When the call failed, marks `paths` unknown and returns false; else true. */
  from<T>(result: CallResult<T>, ...paths: string[]): result is { ok: true; value: T } {
    if (result.ok) return true;
    this.lose(...paths);
    return false;
  }

  finish(base: Omit<Resource, 'properties' | 'unknown' | 'provider' | 'source'>): Resource {
    const r: Resource = { ...base, provider: 'aws', source: { kind: 'runtime' }, properties: this.properties };
    if (this.unknown.size > 0) r.unknown = [...this.unknown].sort();
    if (this.reasons.size > 0) r.unknownReasons = Object.fromEntries([...this.reasons].sort(([a], [b]) => (a < b ? -1 : 1)));
    return r;
  }
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split('.');
  let o = obj;
  for (const s of segs.slice(0, -1)) {
    if (o[s] === null || typeof o[s] !== 'object') o[s] = {};
    o = o[s] as Record<string, unknown>;
  }
  o[segs[segs.length - 1]] = value;
}

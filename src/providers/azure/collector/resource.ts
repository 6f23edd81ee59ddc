import type { Resource } from '../../../core/types';
import type { CallResult } from './calls';

/** ISO 8601 without milliseconds when they are zero. Numbers are epoch seconds (Key Vault attributes). */
export function iso(d: Date | string | number | undefined | null): string | null {
  if (d === undefined || d === null) return null;
  const t = d instanceof Date ? d : new Date(typeof d === 'number' ? d * 1000 : d);
  if (Number.isNaN(t.getTime())) return null;
  return t.toISOString().replace('.000Z', 'Z');
}

/** An ARM id as the snapshot holds it: lower case (ARM compares ids case-insensitively and answers in mixed case). */
export function armId(id: string | undefined | null): string {
  return (id ?? '').toLowerCase();
}

export function armIdOrNull(id: string | undefined | null): string | null {
  return id ? id.toLowerCase() : null;
}

/** Resource group name from an ARM id (as written in the id). */
export function resourceGroupOf(id: string | undefined): string {
  const m = /\/resourcegroups\/([^/]+)/i.exec(id ?? '');
  return m ? m[1] : '';
}

/** A region as ARM names it in `location`, normalised (`West Europe` → `westeurope`). */
export function region(location: string | undefined | null): string {
  const l = (location ?? '').toLowerCase().replace(/\s+/g, '');
  return l === '' ? 'global' : l;
}

export function tagsOf(tags: Record<string, string> | undefined | null): Record<string, string> | undefined {
  return tags && Object.keys(tags).length > 0 ? { ...tags } : undefined;
}

/**
 * Builds one resource's properties while tracking what could not be read: `from` stores nothing
 * when its call failed, and nulls the paths and lists them in `unknown`.
 */
export class ResourceDraft {
  readonly properties: Record<string, unknown>;
  readonly unknown = new Set<string>();

  constructor(properties: Record<string, unknown>) {
    this.properties = properties;
  }

  lose(...paths: string[]): void {
    for (const p of paths) {
      this.unknown.add(p);
      setPath(this.properties, p, null);
    }
  }

  /** Stores `value` at `path`, or marks the path unknown when the answer left it out (undefined). */
  need(path: string, value: unknown): void {
    if (value === undefined) this.lose(path);
    else setPath(this.properties, path, value);
  }

  from<T>(result: CallResult<T>, ...paths: string[]): result is { ok: true; value: T } {
    if (result.ok) return true;
    this.lose(...paths);
    return false;
  }

  finish(base: Omit<Resource, 'properties' | 'unknown' | 'provider' | 'source'>): Resource {
    const r: Resource = { ...base, provider: 'azure', source: { kind: 'runtime' }, properties: this.properties };
    if (this.unknown.size > 0) r.unknown = [...this.unknown].sort();
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

import type { ResourceTypeDef } from '../core/resource-types/registry';
import type { Resource } from '../core/types';
import type { CallFailure } from './calls';

/** A call's result as a draft reads it: the value, or the failure naming its operation. */
export type CallOutcome<T> = { ok: true; value: T } | Pick<CallFailure, 'ok' | 'op'>;

/**
 * Builds one resource's properties while tracking what could not be read. The resource's type
 * definition says which paths each API operation fills (`operations` in the type registry): a
 * failed call marks exactly those unknown, so the list is written once, where the engine reads it
 * too. Other paths are marked by hand where an answer left a value out.
 */
export class ResourceDraft {
  readonly unknown = new Set<string>();
  /** Why some unknown paths are unknown, where no coverage entry of the resource says it. */
  readonly reasons = new Map<string, string>();

  constructor(
    readonly def: ResourceTypeDef,
    readonly properties: Record<string, unknown>,
  ) {}

  /** Marks `paths` unknown (value null). `$tags` is no property: it is only listed. */
  lose(...paths: string[]): void {
    for (const p of paths) {
      this.unknown.add(p);
      if (!p.startsWith('$')) setPath(this.properties, p, null);
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

  /** Stores `value` at `path`, or marks the path unknown when the answer left it out (undefined). */
  need(path: string, value: unknown): void {
    if (value === undefined) this.lose(path);
    else setPath(this.properties, path, value);
  }

  /**
   * Marks unknown the paths the type registry says `op` (`service:Operation`) fills: its answer
   * did not reach this resource. An operation the type does not declare with paths is a
   * programming error (the engine would not know the gap either): it throws.
   */
  loseOperation(op: string): void {
    const paths = this.def.operations.filter((o) => o.op === op).flatMap((o) => o.paths ?? []);
    if (paths.length === 0) throw new Error(`resource type ${this.def.type} declares no paths for ${op}: add them to its operations in the type registry`);
    this.lose(...paths);
  }

  /**
   * Lists unknown every path an operation of the type fills, for a resource many calls fill in
   * (an account, a subscription): each path is known only once its call has succeeded and set it.
   */
  unknownUntilRead(): void {
    for (const o of this.def.operations) for (const p of o.paths ?? []) this.unknown.add(p);
  }

  /** When the call failed, marks the paths its operation fills unknown and returns false; else true. */
  from<T>(result: CallOutcome<T>): result is { ok: true; value: T } {
    if (result.ok) return true;
    this.loseOperation(result.op);
    return false;
  }

  finish(base: Omit<Resource, 'properties' | 'unknown' | 'provider' | 'source' | 'type'>): Resource {
    // The id and type first, as resources have always been written.
    const { id, ...rest } = base;
    const r: Resource = { id, type: this.def.type, ...rest, provider: this.def.provider, source: { kind: 'runtime' }, properties: this.properties };
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

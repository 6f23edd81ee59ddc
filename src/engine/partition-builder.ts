import { ResourceSpool, spoolSnapshot } from '../core/snapshot-spool';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import type { CoverageEntry, Resource, Snapshot, SnapshotMetadata } from '../core/types';
import { snapshotSha256 } from '../core/snapshot-hash';
import { type ContextPlan, lookupValue, type PartitionedSnapshot, unitKey } from './partitioned';

/**
 * Who owns a resource read by a part of a sharded scan. `here`: its unit is one of the part's
 * units (the part is authoritative). `elsewhere`: its unit belongs to another part that is present
 * (that part's copy wins). `nowhere`: no present part owns it (an organization trail of an
 * unscanned management account, a folder above projects): every part that read it has a copy.
 * `missing`: its unit belongs to a part that is missing; what other parts saw of it is left out, so
 * that a missing unit contributes only UNKNOWN findings, never some verdicts from a partial view.
 */
export type Ownership = 'here' | 'elsewhere' | 'nowhere' | 'missing';

const identity = (r: Resource): string => `${r.provider}\u0000${r.account}\u0000${r.region}\u0000${r.type}\u0000${r.id}`;

/**
 * Builds a PartitionedSnapshot from resources handed over one by one (the first pass). Copies of
 * one resource read by several parts become one: the owner's copy, else the first; for resources
 * that serve other units (`memberAccountsPath`), the members every copy saw are united, as one
 * unsharded collection would have listed them.
 */
export class PartitionBuilder {
  private readonly units = new Map<string, number[]>();
  private readonly kept = new Map<number, Resource>();
  private readonly lookups = new Map<string, Map<string, number[]>>();
  private readonly unitNames: string[] = [];
  private readonly unitIds = new Map<string, number>();
  private readonly unitOfRef: number[] = [];
  /** Kept resources by identity, and whether the copy is the owner's. */
  private readonly keptByIdentity = new Map<string, { ref: number; owned: boolean }>();
  /** Resources taken from a part that does not own them: identity → reference. */
  private readonly outsideSeen = new Map<string, number>();
  /** ContextPlan.reach: references of the reach types, and who reaches whose unit (by the resource that says so). */
  private reachRefs: number[] = [];
  private reachEdges: { ref: number; to: string; type: string; from: readonly string[] | '*' }[] = [];
  /** ContextPlan.reach.names: every identifier a relation of the organization names. */
  private readonly reachNamed = new Set<string>();

  constructor(
    readonly spool: ResourceSpool,
    private readonly plan: ContextPlan,
    private readonly registry: ResourceTypeRegistry,
  ) {}

  add(r: Resource, ref: number, owner: Ownership = 'here'): void {
    if (owner === 'missing') return;
    const keep = this.plan.keep.has(r.type);
    if (keep) {
      const id = identity(r);
      const seen = this.keptByIdentity.get(id);
      if (seen) {
        const first = this.kept.get(seen.ref)!;
        if (owner === 'here' && !seen.owned) {
          // The owner's copy replaces an outsider's, keeping the members the outsider saw.
          this.kept.set(seen.ref, this.uniteMembers(r, first));
          seen.owned = true;
        } else this.kept.set(seen.ref, this.uniteMembers(first, r));
        return;
      }
      this.keptByIdentity.set(id, { ref, owned: owner === 'here' });
    } else if (owner === 'elsewhere') return;
    else if (owner === 'nowhere') {
      const id = identity(r);
      if (this.outsideSeen.has(id)) return;
      this.outsideSeen.set(id, ref);
    }
    const u = unitKey(r.provider, r.account);
    let unit = this.unitIds.get(u);
    if (unit === undefined) {
      unit = this.unitNames.push(u) - 1;
      this.unitIds.set(u, unit);
      this.units.set(u, []);
    }
    this.unitOfRef[ref] = unit;
    this.units.get(u)!.push(ref);
    if (keep) {
      this.kept.set(ref, r);
      return;
    }
    const reach = this.plan.reach;
    if (reach?.types.has(r.type)) this.reachRefs.push(ref);
    const from = reach?.from.get(r.type)?.(r);
    if (from !== undefined) this.reachEdges.push({ ref, to: u, type: r.type, from: from === '*' ? '*' : from.map((a) => unitKey(r.provider, a)) });
    for (const id of reach?.names.get(r.type)?.(r) ?? []) this.reachNamed.add(id);
    for (const by of this.plan.lookups.get(r.type) ?? []) {
      const v = lookupValue(r, by);
      if (v === undefined) continue;
      const key = `${r.type}\u0000${by}`;
      let map = this.lookups.get(key);
      if (!map) this.lookups.set(key, (map = new Map()));
      const refs = map.get(v);
      if (refs) refs.push(ref);
      else map.set(v, [ref]);
    }
  }

  /** Who reaches whom, and each unit's references of the reach types (PartitionedSnapshot.reach). */
  private reachIndex(): NonNullable<PartitionedSnapshot['reach']> {
    const from = new Map<string, Set<string>>();
    const all = new Set<string>();
    const terminalFrom = new Map<string, number[]>();
    const terminalAll: number[] = [];
    // Read once the first pass is over: a terminal check may look up resources that came later.
    const find = (type: string, by: string, value: string): Resource[] => (this.lookups.get(`${type}\u0000${by}`)?.get(value) ?? []).map((ref) => this.kept.get(ref) ?? this.spool.load(ref));
    for (const e of this.reachEdges) {
      const terminal = this.plan.reach?.terminal.get(e.type);
      if (terminal?.(this.kept.get(e.ref) ?? this.spool.load(e.ref), find, (id) => this.reachNamed.has(id))) {
        if (e.from === '*') terminalAll.push(e.ref);
        else for (const u of e.from) if (u !== e.to) (terminalFrom.get(u) ?? terminalFrom.set(u, []).get(u)!).push(e.ref);
        continue;
      }
      if (e.from === '*') all.add(e.to);
      else for (const u of e.from) if (u !== e.to) (from.get(u) ?? from.set(u, new Set()).get(u)!).add(e.to);
    }
    const refs = new Map<string, number[]>();
    for (const ref of this.reachRefs) {
      const u = this.unitNames[this.unitOfRef[ref]];
      (refs.get(u) ?? refs.set(u, []).get(u)!).push(ref);
    }
    return { from, all, refs, terminalFrom, terminalAll };
  }

  /** `base` with the member list of `other` added to its own. */
  private uniteMembers(base: Resource, other: Resource): Resource {
    const path = this.registry.get(base.type)?.memberAccountsPath;
    if (path === undefined) return base;
    const a = base.properties[path];
    const b = other.properties[path];
    if (!Array.isArray(a) || !Array.isArray(b)) return base;
    const united = [...new Set([...a, ...b].filter((m): m is string => typeof m === 'string'))].sort();
    return { ...base, properties: { ...base.properties, [path]: united } };
  }

  /**
   * Forgets the resources of references from `first` on (a part that turned out unreadable half-way)
   * and every resource of `units` (its units, as other parts saw them): they are then evaluated as
   * missing, never with part of their resources.
   */
  dropFrom(first: number, units: ReadonlySet<string> = new Set()): void {
    const gone = (ref: number): boolean => ref >= first || units.has(this.unitNames[this.unitOfRef[ref]]);
    for (const [u, refs] of this.units) {
      const kept = refs.filter((r) => !gone(r));
      if (kept.length) this.units.set(u, kept);
      else this.units.delete(u);
    }
    for (const ref of [...this.kept.keys()]) if (gone(ref)) this.kept.delete(ref);
    for (const [id, k] of [...this.keptByIdentity]) if (gone(k.ref)) this.keptByIdentity.delete(id);
    for (const [id, ref] of [...this.outsideSeen]) if (ref >= first) this.outsideSeen.delete(id);
    this.reachRefs = this.reachRefs.filter((ref) => !gone(ref));
    this.reachEdges = this.reachEdges.filter((e) => !gone(e.ref));
    for (const map of this.lookups.values()) {
      for (const [v, refs] of [...map]) {
        const kept = refs.filter((r) => !gone(r));
        if (kept.length) map.set(v, kept);
        else map.delete(v);
      }
    }
  }

  build(metadata: SnapshotMetadata, coverage: CoverageEntry[], sha256: string): PartitionedSnapshot {
    const { spool, unitNames, unitOfRef } = this;
    return {
      metadata,
      coverage,
      sha256,
      units: this.units,
      kept: this.kept,
      lookups: this.lookups,
      ...(this.plan.reach ? { reach: this.reachIndex() } : {}),
      unitOf: (ref) => unitNames[unitOfRef[ref]],
      load: (ref) => spool.load(ref),
    };
  }
}

/** A snapshot already in memory, partitioned (for tests, and to compare with a whole evaluation). */
export function partitionSnapshot(snapshot: Snapshot, plan: ContextPlan, registry: ResourceTypeRegistry): PartitionedSnapshot {
  const spool = new ResourceSpool();
  const b = new PartitionBuilder(spool, plan, registry);
  for (const r of snapshot.resources) b.add(r, spool.addInline(r));
  return b.build(snapshot.metadata, snapshot.coverage, snapshotSha256(snapshot));
}

/**
 * One snapshot file (NDJSON, as `collect` writes it) partitioned in a first pass without holding
 * its resources: what `PartitionedEvaluation` then evaluates unit batch by unit batch.
 */
export async function spoolOrganization(file: string, plan: ContextPlan, registry: ResourceTypeRegistry): Promise<{ org: PartitionedSnapshot; spool: ResourceSpool }> {
  const spool = new ResourceSpool();
  const b = new PartitionBuilder(spool, plan, registry);
  const read = await spoolSnapshot(file, spool, registry, (r, ref) => b.add(r, ref));
  return { org: b.build(read.metadata, read.coverage, read.sha256), spool };
}

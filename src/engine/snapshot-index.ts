import { formatPath, ownValue, parsePath, pathsOverlap } from '../core/property-path';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { RUNTIME_ONLY_REASON, type CoverageEntry, isCoverageGap, type Resource, type Snapshot } from '../core/types';
import type { FactContext, FactSettings } from '../facts/fact-types';

/** Evaluation state of one resource, built once per snapshot. */
export interface Entry {
  r: Resource;
  /** Effective unknown paths: the resource's own list plus paths whose API operation failed. Null when none. */
  unknown: string[][] | null;
  /** Why each unknown path is unknown (formatted path → reason). */
  reasons: Map<string, string> | null;
  /** The resource as a condition target. */
  root: Target;
  /** Computed facts, filled on first use. */
  facts: Map<string, unknown> | null;
}

/** What a condition is evaluated on: a resource, an array element, or a related resource. */
export interface Target {
  value: unknown;
  unknown: string[][] | null;
  /** Unknown paths whose value is certainly set (the resource's `present`), relative to `value`. Null when none. */
  present: string[][] | null;
  entry: Entry;
}

/** A listing that failed: resources of the type may be missing in that account and region. */
export interface ListingGap {
  account: string;
  region: string;
  reason: string;
  coverage: CoverageEntry;
}

/** Why a property the type gained later is unknown in a snapshot written before it. */
export const NOT_IN_SNAPSHOT_REASON = 'not in this snapshot: the trustscan that wrote it did not read this yet (collect again to evaluate it)';

export function coverageReason(c: CoverageEntry): string {
  return `${c.service}:${c.operation} ${c.outcome}${c.message ? ` (${c.message})` : ''}`;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Account, then region, then id: the order findings come out in. */
export function byPlace(a: Entry, b: Entry): number {
  return cmp(a.r.account, b.r.account) || cmp(a.r.region, b.r.region) || cmp(a.r.id, b.r.id);
}

/**
 * The snapshot arranged for evaluation: entries per type in a fixed order (so findings are
 * deterministic), look-ups for related resources and account-level queries, and the coverage gaps
 * turned into unknown paths and incomplete listings.
 */
export class SnapshotIndex implements FactContext {
  private readonly byType = new Map<string, Entry[]>();
  private readonly byResource = new Map<Resource, Entry>();
  private readonly byAccount = new Map<string, Map<string, Entry[]>>();
  private readonly lookups = new Map<string, Map<string, Entry[]>>();
  private readonly gaps = new Map<string, ListingGap[]>();
  private readonly accountFields = new Map<string, string | null | undefined>();
  private readonly accountLists = new Map<string, readonly string[] | undefined>();
  /** Non-ok coverage entries, in snapshot order. */
  readonly failures: CoverageEntry[];

  private readonly resourceLookups = new Map<string, Map<string, Resource[]>>();
  /** Per type and account, the failures that blank out paths (kept for `adopt`). */
  private readonly pathFailures: Map<string, { c: CoverageEntry; paths: string[] }[]>;

  constructor(
    readonly snapshot: Snapshot,
    protected readonly registry: ResourceTypeRegistry,
    readonly settings: FactSettings = {},
  ) {
    this.failures = snapshot.coverage.filter(isCoverageGap);
    const pathFailures = (this.pathFailures = this.indexFailures());
    for (const r of snapshot.resources) {
      const entry = this.makeEntry(r, pathFailures.get(`${r.type}\u0000${r.account}`));
      this.byResource.set(r, entry);
      let list = this.byType.get(r.type);
      if (!list) this.byType.set(r.type, (list = []));
      list.push(entry);
    }
    for (const list of this.byType.values()) list.sort(byPlace);
  }

  /** Records listing gaps; returns, per type and account, the failures that blank out paths. */
  private indexFailures(): Map<string, { c: CoverageEntry; paths: string[] }[]> {
    const pathFailures = new Map<string, { c: CoverageEntry; paths: string[] }[]>();
    const types = this.registry.list();
    for (const c of this.failures) {
      const op = `${c.service}:${c.operation}`;
      for (const def of types) {
        if (def.provider !== c.provider) continue;
        const affected = c.affects?.includes('*') || c.affects?.includes(def.type);
        for (const source of def.operations) {
          if (source.op !== op) continue;
          if (source.lists && !c.resourceId) this.addGap(def.type, c);
          if (source.paths) {
            const key = `${def.type}\u0000${c.account}`;
            let list = pathFailures.get(key);
            if (!list) pathFailures.set(key, (list = []));
            list.push({ c, paths: source.paths });
          }
        }
        if (affected) this.addGap(def.type, c);
      }
    }
    return pathFailures;
  }

  private addGap(type: string, c: CoverageEntry): void {
    let list = this.gaps.get(type);
    if (!list) this.gaps.set(type, (list = []));
    if (!list.some((g) => g.coverage === c)) list.push({ account: c.account, region: c.region, reason: coverageReason(c), coverage: c });
  }

  private makeEntry(r: Resource, failures: { c: CoverageEntry; paths: string[] }[] | undefined): Entry {
    let unknown: string[][] | null = null;
    let reasons: Map<string, string> | null = null;
    const add = (segs: string[], reason: string): void => {
      unknown ??= [];
      reasons ??= new Map();
      unknown.push(segs);
      const key = formatPath(segs);
      if (!reasons.has(key)) reasons.set(key, reason);
    };
    // Coverage first: "GetBucketAcl denied (AccessDenied)" says more than "listed unknown".
    const failed: string[][] = [];
    if (failures) {
      for (const { c, paths } of failures) {
        if (c.resourceId !== undefined && c.resourceId !== r.id) continue;
        if (c.region !== r.region && c.region !== 'global' && r.region !== 'global') continue;
        for (const p of paths) {
          const segs = parsePath(p);
          failed.push(segs);
          add(segs, coverageReason(c));
        }
      }
    }
    if (r.unknown && r.unknown.length > 0) {
      const why = r.source.kind === 'runtime' ? 'not readable (listed unknown by the collector)' : 'known only after apply';
      for (const p of r.unknown) add(parsePath(p), r.unknownReasons?.[p] ?? why);
    }
    // A property the type gained after this snapshot was written was never read: unknown, not absent.
    for (const p of this.registry.get(r.type)?.addedLater ?? []) {
      if (r.properties[p] === undefined && !(reasons as Map<string, string> | null)?.has(p)) add([p], NOT_IN_SNAPSHOT_REASON);
    }
    // Infrastructure code has no value for what exists only in a live account.
    if (r.source.kind !== 'runtime') {
      for (const p of this.registry.get(r.type)?.runtimeOnly ?? []) if (!(reasons as Map<string, string> | null)?.has(p)) add(parsePath(p), RUNTIME_ONLY_REASON);
    }
    // A value the resource says is set stays set, unless a failed operation blanks it out: then
    // nothing about it was read.
    let present: string[][] | null = null;
    for (const p of r.present ?? []) {
      const segs = parsePath(p);
      if (!failed.some((f) => pathsOverlap(f, segs))) (present ??= []).push(segs);
    }
    const entry: Entry = { r, unknown, reasons, root: undefined as unknown as Target, facts: null };
    entry.root = { value: r.properties, unknown, present, entry };
    return entry;
  }

  /**
   * An entry for a resource outside the snapshot's resources (read on demand from another unit by
   * a bounded-memory evaluation, see partitioned.ts), built exactly as the constructor builds
   * them: its unknown paths come from the same coverage. It is not a subject of any rule.
   */
  adopt(r: Resource): Entry {
    let entry = this.byResource.get(r);
    if (!entry) {
      entry = this.makeEntry(r, this.pathFailures.get(`${r.type}\u0000${r.account}`));
      this.byResource.set(r, entry);
    }
    return entry;
  }

  entriesOfType(type: string): readonly Entry[] {
    return this.byType.get(type) ?? [];
  }

  entryOf(r: Resource): Entry | undefined {
    return this.byResource.get(r);
  }

  /** Entries of `type` that belong to, or serve, `account` (organization trails serve member accounts). */
  entriesInAccount(type: string, account: string): readonly Entry[] {
    let perAccount = this.byAccount.get(type);
    if (!perAccount) {
      perAccount = new Map();
      const memberPath = this.registry.get(type)?.memberAccountsPath;
      const push = (acct: string, e: Entry): void => {
        let list = perAccount!.get(acct);
        if (!list) perAccount!.set(acct, (list = []));
        if (!list.includes(e)) list.push(e);
      };
      for (const e of this.entriesOfType(type)) {
        push(e.r.account, e);
        const members = memberPath ? ownValue(e.r.properties, memberPath) : undefined;
        if (Array.isArray(members)) for (const m of members) if (typeof m === 'string') push(m, e);
      }
      this.byAccount.set(type, perAccount);
    }
    return perAccount.get(account) ?? [];
  }

  /** Entries of `type` whose field `by` ($id, $name or a top-level property path) equals `value`. */
  lookup(type: string, by: string, value: string): readonly Entry[] {
    return this.lookupMap(type, by).get(value) ?? [];
  }

  private lookupMap(type: string, by: string): Map<string, Entry[]> {
    const key = `${type}\u0000${by}`;
    let map = this.lookups.get(key);
    if (!map) {
      map = new Map();
      const segs = by.startsWith('$') ? null : parsePath(by);
      for (const e of this.entriesOfType(type)) {
        let v: unknown;
        if (by === '$id') v = e.r.id;
        else if (by === '$name') v = e.r.name;
        else {
          v = e.r.properties;
          for (const s of segs!) v = ownValue(v, s);
        }
        if (typeof v !== 'string') continue;
        let list = map.get(v);
        if (!list) map.set(v, (list = []));
        list.push(e);
      }
      this.lookups.set(key, map);
    }
    return map;
  }

  /**
   * Listing failures for `type` in `account` (any region), or in `account`+`region` when given.
   * For types that serve other accounts (organization trails and analyzers: `memberAccountsPath`),
   * a failed listing in an account that could own such a resource for this account — its
   * organization's management account, any account of the organization, or an account whose
   * organization could not be read, per the type's `servedFrom` — leaves this account's view
   * incomplete too: the resource that would have served it may be the one that was not listed.
   */
  listingGaps(type: string, account?: string, region?: string): ListingGap[] {
    const list = this.gaps.get(type);
    if (!list) return [];
    const def = this.registry.get(type);
    const servedFrom = def?.memberAccountsPath !== undefined ? (def.servedFrom ?? 'organization') : undefined;
    return list.filter(
      (g) =>
        (account === undefined || g.account === account || (servedFrom !== undefined && this.couldServe(def!.provider, g.account, account, servedFrom))) &&
        (region === undefined || g.region === region || g.region === 'global' || region === 'global'),
    );
  }

  /** Could an organization-wide resource owned by `owner` serve `member`? Unknown facts count as yes. */
  private couldServe(provider: string, owner: string, member: string, servedFrom: 'management' | 'organization' | 'member'): boolean {
    if (servedFrom === 'member') return false; // the member listed what serves it itself
    const topology = this.registry.topology(provider);
    if (!topology) return true; // no notion of organizations: any gap may hide a resource that serves
    if (topology.ancestorsPath) {
      // Containers own what serves units: only an ancestor of the member can serve it.
      const ancestors = this.accountList(topology.unitType, member, topology.ancestorsPath);
      if (ancestors !== undefined) return ancestors.includes(owner);
    }
    const memberOrg = this.accountField(topology.unitType, member, topology.organizationIdPath);
    const ownerOrg = this.accountField(topology.unitType, owner, topology.organizationIdPath);
    if (memberOrg === null || ownerOrg === null) return false; // a standalone account serves and is served by none
    if (memberOrg !== undefined && ownerOrg !== undefined && memberOrg !== ownerOrg) return false;
    if (servedFrom === 'organization' || !topology.managementUnitPath) return true;
    const management = this.accountField(topology.unitType, owner, topology.managementUnitPath) ?? this.accountField(topology.unitType, member, topology.managementUnitPath);
    return management === undefined || management === null || management === owner;
  }

  /** A string field of an account's own resource (the provider topology's unit type): null when empty, undefined when not known. */
  private accountField(unitType: string, account: string, field: string): string | null | undefined {
    const key = `${unitType}\u0000${account}\u0000${field}`;
    if (this.accountFields.has(key)) return this.accountFields.get(key);
    const a = this.entriesOfType(unitType).find((e) => e.r.account === account);
    let v: string | null | undefined;
    if (!a || (a.unknown !== null && a.unknown.some((u) => u[0] === field))) v = undefined;
    else v = typeof ownValue(a.r.properties, field) === 'string' ? (a.r.properties[field] as string) : null;
    this.accountFields.set(key, v);
    return v;
  }

  /** A string-list field of an account's own resource; undefined when the resource or the field is not known. */
  private accountList(unitType: string, account: string, field: string): readonly string[] | undefined {
    const key = `${unitType}\u0000${account}\u0000${field}`;
    if (this.accountLists.has(key)) return this.accountLists.get(key);
    const a = this.entriesOfType(unitType).find((e) => e.r.account === account);
    let out: string[] | undefined;
    if (a && !(a.unknown !== null && a.unknown.some((u) => u[0] === field))) {
      const v = a.r.properties[field];
      out = Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
    }
    this.accountLists.set(key, out);
    return out;
  }

  /** Every listing gap of `type` (for placeholder UNKNOWN findings). */
  allListingGaps(type: string): readonly ListingGap[] {
    return this.gaps.get(type) ?? [];
  }

  /** Why `segs` of `entry` is unknown, or undefined when it is known. */
  unknownReason(entry: Entry, segs: readonly string[]): string | undefined {
    if (entry.unknown === null) return undefined;
    for (const u of entry.unknown) {
      if (pathsOverlap(u, segs)) return `${formatPath(u)}: ${entry.reasons!.get(formatPath(u))}`;
    }
    return undefined;
  }

  // FactContext
  resourcesInAccount(type: string, account: string): readonly Resource[] {
    return this.entriesInAccount(type, account).map((e) => e.r);
  }

  listingIncomplete(type: string, account: string): boolean {
    return this.listingGaps(type, account).length > 0;
  }

  resourcesWhere(type: string, by: string, value: string): readonly Resource[] {
    return this.resourcesWhereHeld(type, by, value);
  }

  resourcesWhereInAccount(type: string, by: string, value: string, account: string): readonly Resource[] {
    return this.resourcesWhereHeld(type, by, value).filter((r) => r.account === account);
  }

  /** `resourcesWhere` over the resources this index holds. */
  protected resourcesWhereHeld(type: string, by: string, value: string): readonly Resource[] {
    const key = `${type}\u0000${by}`;
    let map = this.resourceLookups.get(key);
    if (!map) {
      map = new Map();
      for (const [v, entries] of this.lookupMap(type, by)) map.set(v, entries.map((e) => e.r));
      this.resourceLookups.set(key, map);
    }
    return map.get(value) ?? [];
  }

  whyUnknown(resource: Resource, path: string): string | undefined {
    const entry = this.byResource.get(resource);
    return entry ? this.unknownReason(entry, parsePath(path)) : undefined;
  }

  isUnknown(resource: Resource, path: string): boolean {
    const entry = this.byResource.get(resource);
    if (!entry || entry.unknown === null) return false;
    const segs = parsePath(path);
    return entry.unknown.some((u) => pathsOverlap(u, segs));
  }
}

import { randomUUID } from 'node:crypto';
import { ownValue, parsePath } from '../core/property-path';
import type { EvaluationContextDeclaration } from '../core/provider-plugin';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import {
  type AccountCompleteness,
  type CoverageEntry,
  type CoverageGap,
  type Finding,
  isCoverageGap,
  type Resource,
  type RunStamp,
  RESULTS_SCHEMA_VERSION,
  type Results,
  SEVERITIES,
  type SnapshotMetadata,
  SNAPSHOT_SCHEMA_VERSION,
  STATUSES,
} from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { builtinFrameworks } from '../compliance/framework-loader';
import { Rollups } from '../compliance/rollup';
import type { EvalContext } from './eval-context';
import { DEFAULT_STEP, type EvaluateOptions, rulePackVersion, ruleRecord, rulesAffectedBy } from './evaluate';
import { type EvaluationStats, type Outcome, runRulesInSteps } from './evaluator';
import { buildFinding } from './finding-builder';
import type { CompiledRule } from './rule-types';
import { byPlace, type Entry, SnapshotIndex } from './snapshot-index';

/**
 * Evaluation in bounded memory: an organization evaluated a few units (accounts, projects,
 * subscriptions) at a time, with the same verdicts as evaluating the whole snapshot at once.
 *
 * What one unit's verdicts may read from other units is known in advance:
 * - resources kept whole for every unit (`ContextPlan.keep`): the units' own resources (the
 *   organization's membership and management unit), resources that serve other units
 *   (organization trails and analyzers: `memberAccountsPath`), types queried across the whole
 *   snapshot, and what providers declare (`evaluationContext.types`);
 * - look-ups by value (`ContextPlan.lookups`): a rule's `related` resource (a trail's bucket in a
 *   log-archive account) and the look-ups providers declare for their facts (a key by ARN). They
 *   are indexed by value in the first pass and read from disk when asked for;
 * - coverage gaps: those of other units that can change a verdict here (a listing of a kept or
 *   looked-up type, or a whole unit unread) are in every batch.
 * A batch holds its units' resources, the kept context and what its look-ups read; findings come
 * out for its units only, and it is released before the next.
 */

/** What every unit's evaluation may read from the others. */
export interface ContextPlan {
  /** Types kept in memory whole. */
  keep: Set<string>;
  /** Types looked up across units by value: type → fields (`$id`, `$name` or a top-level property). */
  lookups: Map<string, string[]>;
  /** Types read from the units a batch reaches, and per type which units reach a resource's unit (EvaluationContextDeclaration.reach). */
  reach?: {
    types: Set<string>;
    from: Map<string, (r: Resource) => readonly string[] | '*' | undefined>;
    terminal: Map<string, (r: Resource, find: (type: string, by: string, value: string) => readonly Resource[], named: (id: string) => boolean) => boolean>;
    names: Map<string, (r: Resource) => readonly string[]>;
  };
}

/** Walks a rule's conditions for `related` look-ups and snapshot-wide queries. */
function walkConditions(node: unknown, visit: (key: string, arg: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walkConditions(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) visit(k, v as Record<string, unknown>);
    walkConditions(v, visit);
  }
}

/** The context plan for these rules over these types, with what the providers declare. */
export function contextPlan(rules: readonly CompiledRule[], registry: ResourceTypeRegistry, declared: readonly EvaluationContextDeclaration[]): ContextPlan {
  const keep = new Set<string>();
  const lookups = new Map<string, string[]>();
  const lookup = (type: string, by: string): void => {
    const list = lookups.get(type) ?? [];
    if (!list.includes(by)) list.push(by);
    lookups.set(type, list);
  };
  const defs = registry.list();
  for (const provider of new Set(defs.map((d) => d.provider))) {
    const unit = registry.topology(provider)?.unitType;
    if (unit) keep.add(unit);
  }
  for (const d of defs) if (d.memberAccountsPath !== undefined) keep.add(d.type);
  for (const rule of rules) {
    for (const cond of [rule.def.when, rule.def.check]) {
      walkConditions(cond, (key, arg) => {
        if (typeof arg.type !== 'string') return;
        if (key === 'related') lookup(arg.type, typeof arg.by === 'string' ? arg.by : '$id');
        if (['anyResource', 'noResource', 'countResources'].includes(key) && arg.scope === 'snapshot') keep.add(arg.type);
      });
    }
  }
  let reach: ContextPlan['reach'];
  for (const d of declared) {
    for (const t of d.types ?? []) keep.add(t);
    for (const l of d.lookups ?? []) lookup(l.type, l.by);
    if (d.reach) {
      reach ??= { types: new Set(), from: new Map(), terminal: new Map(), names: new Map() };
      for (const t of d.reach.types) reach.types.add(t);
      for (const [t, f] of Object.entries(d.reach.from)) reach.from.set(t, f);
      for (const [t, f] of Object.entries(d.reach.terminal ?? {})) reach.terminal.set(t, f);
      for (const [t, f] of Object.entries(d.reach.names ?? {})) reach.names.set(t, f);
    }
  }
  for (const t of keep) {
    lookups.delete(t);
    reach?.types.delete(t);
  }
  return { keep, lookups, ...(reach ? { reach } : {}) };
}

/** The value of a look-up field of a resource, when it is a string. */
export function lookupValue(r: Resource, by: string): string | undefined {
  let v: unknown;
  if (by === '$id') v = r.id;
  else if (by === '$name') v = r.name;
  else {
    v = r.properties;
    for (const s of parsePath(by)) v = ownValue(v, s);
  }
  return typeof v === 'string' ? v : undefined;
}

/** A unit: provider and id (the `account` of its resources). */
export const unitKey = (provider: string, account: string): string => `${provider}\u0000${account}`;

/** An organization prepared by a first pass (see snapshot-spool.ts and pipeline/merge.ts). */
export interface PartitionedSnapshot {
  metadata: SnapshotMetadata;
  /** Every coverage entry. */
  coverage: CoverageEntry[];
  /** Hash naming the evidence (of the parts, for a merge). */
  sha256: string;
  /** Resources of each unit (including its kept ones), as references. */
  units: Map<string, number[]>;
  /** Kept resources (ContextPlan.keep), by reference. */
  kept: Map<number, Resource>;
  /** `type\0by` → value → references, for ContextPlan.lookups. */
  lookups: Map<string, Map<string, number[]>>;
  /**
   * For ContextPlan.reach: unit → units its evaluation reaches, units every unit reaches, each
   * unit's references of the reach types; and the resources reached alone (terminal): unit →
   * references its evaluation reaches, and those every unit reaches.
   */
  reach?: { from: Map<string, Set<string>>; all: Set<string>; refs: Map<string, number[]>; terminalFrom: Map<string, number[]>; terminalAll: number[] };
  /** The unit of a reference. */
  unitOf(ref: number): string;
  /** Reads a resource back. */
  load(ref: number): Resource;
}

export interface PartitionedOptions extends EvaluateOptions {
  /** Resources per batch of units (default 20,000, about 200 MB of evaluation state): a unit larger than this is a batch of its own. */
  batchResources?: number;
}

/** The index of one batch: its units and the kept context, plus what look-ups read from other units. */
class BatchIndex extends SnapshotIndex {
  private readonly remoteLookups = new Map<string, readonly Entry[]>();
  private readonly remoteResources = new Map<string, readonly Resource[]>();
  private readonly loaded = new Map<number, Resource>();

  constructor(
    snapshot: { schemaVersion: string; metadata: SnapshotMetadata; resources: Resource[]; coverage: CoverageEntry[] },
    registry: ResourceTypeRegistry,
    settings: EvaluateOptions['settings'],
    private readonly org: PartitionedSnapshot,
    private readonly inBatch: Set<string>,
    private readonly kept: ReadonlySet<string>,
    /** Reach types (ContextPlan.reach) and the references of them loaded from reached units. */
    private readonly reach: { types: ReadonlySet<string>; loaded: ReadonlySet<number> },
  ) {
    super(snapshot, registry, settings);
  }

  /**
   * Stops a fact that reads another unit's resources by a path the context plan does not know:
   * this batch does not hold them, so it would find nothing where a whole-snapshot evaluation
   * finds them, and a verdict would silently differ. A programming error in the fact or in its
   * provider's `evaluationContext`, never a data problem.
   */
  private undeclared(what: string): never {
    throw new Error(`${what}: a bounded-memory evaluation holds only the units of the batch and what the context plan keeps; declare the look-up in the provider's evaluationContext (lookups or types) or look up within the resource's own account`);
  }

  private holdsAccount(type: string, account: string): boolean {
    // A reach type is held for every unit the batch reaches; the others have none to offer.
    if (this.kept.has(type) || this.reach.types.has(type)) return true;
    const provider = this.registry.get(type)?.provider;
    return provider !== undefined && this.inBatch.has(unitKey(provider, account));
  }

  override resourcesInAccount(type: string, account: string): readonly Resource[] {
    if (!this.holdsAccount(type, account)) this.undeclared(`a fact read ${type} of account ${account}, outside its batch`);
    return super.resourcesInAccount(type, account);
  }

  override resourcesWhereInAccount(type: string, by: string, value: string, account: string): readonly Resource[] {
    if (this.org.lookups.has(`${type}\u0000${by}`)) return this.resourcesWhere(type, by, value).filter((r) => r.account === account);
    if (!this.holdsAccount(type, account)) this.undeclared(`a fact looked up ${type} by ${by} in account ${account}, outside its batch`);
    return super.resourcesWhereInAccount(type, by, value, account);
  }

  /** Entries of other units that `type`.`by` = `value` finds (read once per batch), or null when none. */
  private remote(type: string, by: string, value: string): Entry[] | null {
    const refs = this.org.lookups.get(`${type}\u0000${by}`)?.get(value);
    if (!refs) return null;
    const out: Entry[] = [];
    for (const ref of refs) {
      if (this.inBatch.has(this.org.unitOf(ref)) || this.reach.loaded.has(ref)) continue;
      let r = this.loaded.get(ref);
      if (!r) {
        const read = this.org.load(ref);
        r = { ...read, source: { ...read.source, context: true } };
        this.loaded.set(ref, r);
      }
      out.push(this.adopt(r));
    }
    return out.length ? out : null;
  }

  override lookup(type: string, by: string, value: string): readonly Entry[] {
    const local = super.lookup(type, by, value);
    if (!this.org.lookups.has(`${type}\u0000${by}`)) return local;
    const key = `${type}\u0000${by}\u0000${value}`;
    let all = this.remoteLookups.get(key);
    if (!all) {
      const remote = this.remote(type, by, value);
      all = remote ? [...local, ...remote].sort(byPlace) : local;
      this.remoteLookups.set(key, all);
    }
    return all;
  }

  override resourcesWhere(type: string, by: string, value: string): readonly Resource[] {
    if (!this.org.lookups.has(`${type}\u0000${by}`)) {
      if (!this.kept.has(type) && !this.reach.types.has(type)) this.undeclared(`a fact looked up ${type} by ${by} across accounts without declaring it`);
      return this.resourcesWhereHeld(type, by, value);
    }
    const key = `${type}\u0000${by}\u0000${value}`;
    let all = this.remoteResources.get(key);
    if (!all) this.remoteResources.set(key, (all = this.lookup(type, by, value).map((e) => e.r)));
    return all;
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Batches of units, in unit order, of about `budget` resources each. */
function batchesOf(units: Map<string, number[]>, budget: number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const u of [...units.keys()].sort(cmp)) {
    const n = units.get(u)!.length;
    if (current.length && size + n > budget) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(u);
    size += n;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * A bounded-memory evaluation of a partitioned snapshot, used like `Evaluation`: iterate
 * `batches()`, then `finish()`. Findings come out unit batch by unit batch (rule by rule inside a
 * batch): the same findings as a whole-snapshot evaluation, in another order.
 */
export class PartitionedEvaluation {
  private readonly now: Date;
  /** Fixed before the first finding, so streamed events carry it. */
  readonly run: RunStamp;
  private readonly rollups: Rollups;
  private readonly perAccount = new Map<string, AccountCompleteness>();
  private readonly byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Results['summary']['byStatus'];
  private readonly failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Results['summary']['failBySeverity'];
  private readonly stats: EvaluationStats = { evaluations: 0, skippedRuntimeOnly: 0, notApplicable: 0 };
  private readonly collected: Finding[] = [];
  private readonly gaps: CoverageEntry[];
  /** Gaps of any unit that can change a verdict in another (see the module comment). */
  private readonly sharedGaps: CoverageEntry[];
  private readonly gapsByUnit = new Map<string, CoverageEntry[]>();
  private resources = 0;
  private unevaluated = 0;
  private done = false;

  constructor(
    private readonly org: PartitionedSnapshot,
    private readonly rules: readonly CompiledRule[],
    private readonly registry: ResourceTypeRegistry,
    private readonly plan: ContextPlan,
    private readonly options: PartitionedOptions = {},
  ) {
    const meta = org.metadata;
    this.now = options.now ?? new Date(meta.startedAt);
    this.run = { runId: options.runId ?? randomUUID(), scanTime: this.now.toISOString() };
    const catalog = options.frameworks ?? builtinFrameworks();
    const providers = new Set([...meta.providers, ...meta.accounts.map((a) => a.provider)]);
    this.rollups = new Rollups(catalog.applicableTo([...providers]), rules.map((r) => ({ id: r.def.id, mapping: r.mapping })));
    for (const a of meta.accounts) this.account(a.provider, a.id);
    for (const [u, refs] of org.units) {
      const [provider, account] = u.split('\u0000');
      this.account(provider, account).resources += refs.length;
      this.resources += refs.length;
    }
    this.gaps = org.coverage.filter(isCoverageGap);
    const shared = this.sharedTypes();
    this.sharedGaps = [];
    for (const c of this.gaps) {
      this.account(c.provider, c.account).gaps++;
      const u = unitKey(c.provider, c.account);
      let list = this.gapsByUnit.get(u);
      if (!list) this.gapsByUnit.set(u, (list = []));
      list.push(c);
      if (this.touches(c, shared)) this.sharedGaps.push(c);
      // A unit with gaps and no resource is still evaluated (its placeholders come from its batch).
      if (!org.units.has(u)) org.units.set(u, []);
    }
  }

  /** Types a gap elsewhere can matter for: kept, looked-up and reached ones. */
  private sharedTypes(): Set<string> {
    return new Set([...this.plan.keep, ...this.plan.lookups.keys(), ...(this.plan.reach?.types ?? [])]);
  }

  /** The units a batch reaches (ContextPlan.reach), transitively, besides its own. */
  private reachedFrom(units: readonly string[]): string[] {
    const reach = this.org.reach;
    if (!reach) return [];
    const seen = new Set(units);
    const queue = [...units, ...reach.all];
    for (const u of reach.all) seen.add(u);
    while (queue.length > 0) {
      for (const v of reach.from.get(queue.pop()!) ?? []) {
        if (seen.has(v)) continue;
        seen.add(v);
        queue.push(v);
      }
    }
    for (const u of units) seen.delete(u);
    return [...seen];
  }

  /** Whether a coverage failure touches one of `types` (as SnapshotIndex reads failures). */
  private touches(c: CoverageEntry, types: Set<string>): boolean {
    if (c.affects?.includes('*')) return true;
    const op = `${c.service}:${c.operation}`;
    for (const t of types) {
      if (c.affects?.includes(t)) return true;
      const def = this.registry.get(t);
      if (def && def.provider === c.provider && def.operations.some((s) => s.op === op)) return true;
    }
    return false;
  }

  private account(provider: string, account: string): AccountCompleteness {
    const key = unitKey(provider, account);
    let a = this.perAccount.get(key);
    if (!a) this.perAccount.set(key, (a = { provider, account, resources: 0, findings: Object.fromEntries(STATUSES.map((s) => [s, 0])) as AccountCompleteness['findings'], gaps: 0, complete: true }));
    return a;
  }

  private count(f: Finding, resource: Resource | null): void {
    this.options.decorate?.(f, resource);
    this.byStatus[f.status]++;
    if (f.status === 'FAIL') this.failBySeverity[f.severity]++;
    const acct = this.account(f.resource.provider, f.resource.account);
    acct.findings[f.status]++;
    if (f.status === 'UNKNOWN' || f.suppression?.originalStatus === 'UNKNOWN') {
      this.unevaluated++;
      acct.complete = false;
    }
    this.rollups.add(f);
    this.options.onFinding?.(f);
  }

  /** The index of one batch of units. */
  private indexOf(units: string[]): BatchIndex {
    const inBatch = new Set(units);
    const resources: Resource[] = [];
    for (const u of units) for (const ref of this.org.units.get(u)!) resources.push(this.org.kept.get(ref) ?? this.org.load(ref));
    for (const [ref, r] of this.org.kept) if (!inBatch.has(this.org.unitOf(ref))) resources.push({ ...r, source: { ...r.source, context: true } });
    const loaded = new Set<number>();
    const reached = this.reachedFrom(units);
    const load = (ref: number): void => {
      if (loaded.has(ref)) return;
      const r = this.org.load(ref);
      resources.push({ ...r, source: { ...r.source, context: true } });
      loaded.add(ref);
    };
    for (const u of reached) for (const ref of this.org.reach?.refs.get(u) ?? []) load(ref);
    // Resources reached alone, from the batch or a unit it reaches, where their unit is not held whole.
    const whole = new Set([...units, ...reached]);
    const alone = [...(this.org.reach?.terminalAll ?? []), ...[...whole].flatMap((u) => this.org.reach?.terminalFrom.get(u) ?? [])];
    for (const ref of alone.sort((a, b) => a - b)) if (!whole.has(this.org.unitOf(ref))) load(ref);
    const coverage = [...this.sharedGaps];
    const shared = new Set(this.sharedGaps);
    for (const u of units) for (const c of this.gapsByUnit.get(u) ?? []) if (!shared.has(c)) coverage.push(c);
    const snapshot = { schemaVersion: SNAPSHOT_SCHEMA_VERSION, metadata: this.org.metadata, resources, coverage };
    return new BatchIndex(snapshot, this.registry, this.options.settings, this.org, inBatch, this.plan.keep, { types: this.plan.reach?.types ?? new Set(), loaded });
  }

  /** Findings, batch of units by batch, in pieces of about `step` evaluations. */
  *batches(step = DEFAULT_STEP): Generator<Finding[], void, void> {
    if (this.done) throw new Error('an evaluation can be iterated once');
    const collect = this.options.collect !== false;
    const out: Finding[] = [];
    for (const units of batchesOf(this.org.units, this.options.batchResources ?? 20_000)) {
      const inBatch = new Set(units);
      const index = this.indexOf(units);
      const ctx: EvalContext = { now: this.now.getTime(), index };
      const sink = (o: Outcome): void => {
        // Placeholders of other units' gaps belong to their own batch.
        if (o.entry === null && !inBatch.has(unitKey(o.gaps![0].coverage.provider, o.gaps![0].account))) return;
        const f = buildFinding(o, ctx);
        this.count(f, o.entry ? o.entry.r : null);
        out.push(f);
        if (collect) this.collected.push(f);
      };
      const steps = runRulesInSteps(this.rules, ctx, sink, this.stats, step);
      while (!steps.next().done) if (out.length) yield out.splice(0);
      if (out.length) yield out.splice(0);
    }
    this.done = true;
  }

  /** Results once every batch was pulled (findings only when `collect` is not false). */
  finish(): { results: Results; stats: EvaluationStats } {
    if (!this.done) throw new Error('finish() called before every finding was produced');
    const { rules, registry, options } = this;
    const gaps: CoverageGap[] = this.gaps.map((c) => ({ ...c, rules: rulesAffectedBy({ ...c, rules: [] }, rules, registry) }));
    const results: Results = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      scan: {
        runId: this.run.runId,
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        snapshot: { ...this.org.metadata, ...(options.file ? { file: options.file } : {}), sha256: this.org.sha256 },
        scanTime: this.run.scanTime,
        evaluatedAt: new Date().toISOString(),
        rules: { count: rules.length, packVersion: rulePackVersion(rules), catalog: rules.map(ruleRecord) },
        resources: this.resources,
        complete: this.unevaluated === 0,
        accounts: [...this.perAccount.values()].sort((a, b) => cmp(a.provider, b.provider) || cmp(a.account, b.account)),
        gaps,
        ...(options.suppressionReport ? { suppressions: options.suppressionReport() } : {}),
      },
      summary: { findings: STATUSES.reduce((n, s) => n + this.byStatus[s], 0), byStatus: this.byStatus, failBySeverity: this.failBySeverity },
      findings: this.collected,
      frameworks: this.rollups.finish(),
    };
    return { results, stats: this.stats };
  }
}

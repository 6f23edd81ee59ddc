import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { canonicalJson, sha256 } from '../core/hash';
import {
  type AccountCompleteness,
  type CoverageGap,
  type Finding,
  isCoverageGap,
  type Resource,
  type RunStamp,
  RESULTS_SCHEMA_VERSION,
  type Results,
  type RuleRecord,
  type Snapshot,
  SEVERITIES,
  STATUSES,
  type SuppressionReport,
} from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import type { FrameworkCatalog } from '../compliance/framework';
import { builtinFrameworks } from '../compliance/framework-loader';
import { Rollups } from '../compliance/rollup';
import { randomUUID } from 'node:crypto';
import { snapshotSha256 } from '../core/snapshot-hash';
import { isPathPrefix, parsePath, pathsOverlap } from '../core/property-path';
import type { EvalContext } from './eval-context';
import { type EvaluationStats, type Outcome, runRules, runRulesInSteps } from './evaluator';
import { buildFinding } from './finding-builder';
import type { CompiledRule } from './rule-types';
import { SnapshotIndex } from './snapshot-index';
import type { FactSettings } from '../facts/fact-types';

export interface EvaluateOptions {
  /** Scan time for date comparisons; defaults to the snapshot's startedAt. */
  now?: Date;
  /** The snapshot's file name, recorded in the results. */
  file?: string;
  /** Called with each finding as it is produced (findings are still collected unless `collect` is false). */
  onFinding?: (f: Finding) => void;
  /** Keep findings in the results (default true). False keeps memory flat for streamed output. */
  collect?: boolean;
  /**
   * Called on each finding before it is counted, with the resource it is about (null for the
   * placeholder of a failed listing); may change it, e.g. mute it (suppressions).
   */
  decorate?: (f: Finding, resource: Resource | null) => void;
  /** Added to the results' scan section when given (e.g. what the suppressions did). */
  suppressionReport?: () => SuppressionReport;
  /** Settings the facts read (the privileged-principal allow-list). */
  settings?: FactSettings;
  /** Frameworks to roll up (the catalogue the rules were compiled with); default: the built-in ones. */
  frameworks?: FrameworkCatalog;
  /** Run id to record (default: a new UUID). */
  runId?: string;
}

/** Evaluations between two pauses of a streamed evaluation: bounds the findings held at once. */
export const DEFAULT_STEP = 1024;

/** A version for the whole rule set: changes when any rule changes. */
export function rulePackVersion(rules: readonly CompiledRule[]): string {
  return sha256(rules.map((r) => `${r.def.id}@${r.version}`).join('\n')).slice(0, 12);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A rule as the results record it. */
export function ruleRecord(r: CompiledRule): RuleRecord {
  return { id: r.def.id, version: r.version, title: r.def.title, severity: r.def.severity, resourceType: r.def.resourceType, frameworks: r.mapping };
}

/** The rules a coverage failure could have made UNKNOWN. */
export function rulesAffectedBy(gap: CoverageGap, rules: readonly CompiledRule[], registry: ResourceTypeRegistry): string[] {
  const op = `${gap.service}:${gap.operation}`;
  const out: string[] = [];
  for (const rule of rules) {
    const hit = rule.types.some((type) => {
      if (gap.affects?.includes('*') || gap.affects?.includes(type)) return true;
      const def = registry.get(type);
      return (def?.operations ?? []).some(
        (s) =>
          s.op === op &&
          (s.lists ||
            (s.paths ?? []).some((p) => rule.reads.some((r) => r.type === type && (pathsOverlap(parsePath(r.path), parsePath(p)) || isPathPrefix(parsePath(p), parsePath(r.path)))))),
      );
    });
    if (hit) out.push(rule.def.id);
  }
  return out;
}

/**
 * An evaluation that hands out its findings as they are produced. Iterate `batches()` and write
 * each batch out (awaiting the writes) before pulling the next: the engine only runs ahead by
 * one batch, so memory stays flat however slow the consumer. Then `finish()` completes the
 * summary, the SOC 2 roll-up and the scan metadata.
 */
export class Evaluation {
  private readonly now: Date;
  /** Fixed before the first finding, so streamed events carry it. */
  readonly run: RunStamp;
  private readonly index: SnapshotIndex;
  private readonly ctx: EvalContext;
  private readonly rollups: Rollups;
  private readonly perAccount = new Map<string, AccountCompleteness>();
  private readonly byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Results['summary']['byStatus'];
  private readonly failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Results['summary']['failBySeverity'];
  private readonly stats: EvaluationStats = { evaluations: 0, skippedRuntimeOnly: 0, notApplicable: 0 };
  private readonly collected: Finding[] = [];
  /** Findings that were UNKNOWN before any suppression: completeness is about evidence, not waivers. */
  private unevaluated = 0;
  private started = false;
  private done = false;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly rules: readonly CompiledRule[],
    private readonly registry: ResourceTypeRegistry,
    private readonly options: EvaluateOptions = {},
  ) {
    this.now = options.now ?? new Date(snapshot.metadata.startedAt);
    this.run = { runId: options.runId ?? randomUUID(), scanTime: this.now.toISOString() };
    this.index = new SnapshotIndex(snapshot, registry, options.settings);
    this.ctx = { now: this.now.getTime(), index: this.index };
    const catalog = options.frameworks ?? builtinFrameworks();
    const providers = new Set([...snapshot.metadata.providers, ...snapshot.metadata.accounts.map((a) => a.provider)]);
    this.rollups = new Rollups(catalog.applicableTo([...providers]), rules.map((r) => ({ id: r.def.id, mapping: r.mapping })));
    for (const a of snapshot.metadata.accounts) this.account(a.provider, a.id);
    for (const r of snapshot.resources) this.account(r.provider, r.account).resources++;
    for (const c of snapshot.coverage) if (isCoverageGap(c)) this.account(c.provider, c.account).gaps++;
  }

  private account(provider: string, account: string): AccountCompleteness {
    const key = `${provider}\u0000${account}`;
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

  private sinkInto(batch: Finding[] | null): (o: Outcome) => void {
    const collect = this.options.collect !== false;
    return (o) => {
      const f = buildFinding(o, this.ctx);
      this.count(f, o.entry ? o.entry.r : null);
      if (batch) batch.push(f);
      if (collect) this.collected.push(f);
    };
  }

  private start(): void {
    if (this.started) throw new Error('an evaluation can be iterated once');
    this.started = true;
  }

  /** Findings in deterministic order, in batches of the verdicts of about `step` evaluations. */
  *batches(step = DEFAULT_STEP): Generator<Finding[], void, void> {
    this.start();
    const batch: Finding[] = [];
    const steps = runRulesInSteps(this.rules, this.ctx, this.sinkInto(batch), this.stats, step);
    while (!steps.next().done) {
      if (batch.length) {
        yield batch.splice(0);
      }
    }
    if (batch.length) yield batch.splice(0);
    this.done = true;
  }

  /** Runs the whole evaluation at once, without batching (for `evaluate()`). */
  runToEnd(): void {
    this.start();
    runRules(this.rules, this.ctx, this.sinkInto(null), this.stats);
    this.done = true;
  }

  /** The results once every batch has been pulled; `findings` is empty when `collect` is false. */
  finish(): { results: Results; stats: EvaluationStats } {
    if (!this.done) throw new Error('finish() called before every finding was produced');
    const { snapshot, rules, registry, options, byStatus, failBySeverity } = this;
    const frameworks = this.rollups.finish();
    const gaps: CoverageGap[] = this.index.failures.map((c) => {
      const g: CoverageGap = { ...c, rules: [] };
      g.rules = rulesAffectedBy(g, rules, registry);
      return g;
    });
    const results: Results = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      scan: {
        runId: this.run.runId,
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        snapshot: { ...snapshot.metadata, ...(options.file ? { file: options.file } : {}), sha256: snapshotSha256(snapshot) },
        scanTime: this.run.scanTime,
        evaluatedAt: new Date().toISOString(),
        rules: { count: rules.length, packVersion: rulePackVersion(rules), catalog: rules.map(ruleRecord) },
        resources: snapshot.resources.length,
        complete: this.unevaluated === 0,
        accounts: [...this.perAccount.values()].sort((a, b) => cmp(a.provider, b.provider) || cmp(a.account, b.account)),
        gaps,
        ...(options.suppressionReport ? { suppressions: options.suppressionReport() } : {}),
      },
      summary: {
        findings: STATUSES.reduce((n, s) => n + byStatus[s], 0),
        byStatus,
        failBySeverity,
      },
      findings: this.collected,
      frameworks,
    };
    return { results, stats: this.stats };
  }
}

/**
 * Evaluates compiled rules against a validated snapshot and assembles the results contract:
 * findings in a deterministic order, the summary, the SOC 2 roll-up and the scan metadata.
 */
export function evaluate(
  snapshot: Snapshot,
  rules: readonly CompiledRule[],
  registry: ResourceTypeRegistry,
  options: EvaluateOptions = {},
): { results: Results; stats: EvaluationStats } {
  const evaluation = new Evaluation(snapshot, rules, registry, options);
  evaluation.runToEnd();
  return evaluation.finish();
}

/** Canonical text of results without the run-specific timestamp, for determinism checks. */
export function resultsFingerprint(results: Results): string {
  return sha256(canonicalJson({ ...results, scan: { ...results.scan, evaluatedAt: '', runId: '' } }));
}

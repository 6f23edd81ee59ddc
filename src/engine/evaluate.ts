import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { canonicalJson, sha256 } from '../core/hash';
import { CONTROL_STATUSES, type CoverageGap, type Finding, RESULTS_SCHEMA_VERSION, type Results, type Snapshot, SEVERITIES, STATUSES } from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { Soc2Rollup } from '../compliance/rollup';
import { isPathPrefix, parsePath, pathsOverlap } from '../core/property-path';
import type { EvalContext } from './eval-context';
import { type EvaluationStats, runRules } from './evaluator';
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
  /** Settings the facts read (the privileged-principal allow-list). */
  settings?: FactSettings;
}

/** A version for the whole rule set: changes when any rule changes. */
export function rulePackVersion(rules: readonly CompiledRule[]): string {
  return sha256(rules.map((r) => `${r.def.id}@${r.version}`).join('\n')).slice(0, 12);
}

/** The rules a coverage failure could have made UNKNOWN. */
function rulesAffectedBy(gap: CoverageGap, rules: readonly CompiledRule[], registry: ResourceTypeRegistry): string[] {
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
 * Evaluates compiled rules against a validated snapshot and assembles the results contract:
 * findings in a deterministic order, the summary, the SOC 2 roll-up and the scan metadata.
 */
export function evaluate(
  snapshot: Snapshot,
  rules: readonly CompiledRule[],
  registry: ResourceTypeRegistry,
  options: EvaluateOptions = {},
): { results: Results; stats: EvaluationStats } {
  const now = options.now ?? new Date(snapshot.metadata.startedAt);
  const index = new SnapshotIndex(snapshot, registry, options.settings);
  const ctx: EvalContext = { now: now.getTime(), index };
  const rollup = new Soc2Rollup(rules.map((r) => ({ id: r.def.id, soc2: r.def.soc2.map((c) => c.id) })));
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Results['summary']['byStatus'];
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Results['summary']['failBySeverity'];
  const findings: Finding[] = [];
  const collect = options.collect !== false;
  const stats = runRules(rules, ctx, (o) => {
    const f = buildFinding(o, ctx);
    byStatus[f.status]++;
    if (f.status === 'FAIL') failBySeverity[f.severity]++;
    rollup.add(f);
    options.onFinding?.(f);
    if (collect) findings.push(f);
  });
  const controls = rollup.finish();
  const gaps: CoverageGap[] = index.failures.map((c) => {
    const g: CoverageGap = { ...c, rules: [] };
    g.rules = rulesAffectedBy(g, rules, registry);
    return g;
  });
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    scan: {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      snapshot: { ...snapshot.metadata, ...(options.file ? { file: options.file } : {}) },
      scanTime: now.toISOString(),
      evaluatedAt: new Date().toISOString(),
      rules: { count: rules.length, packVersion: rulePackVersion(rules) },
      resources: snapshot.resources.length,
      complete: byStatus.UNKNOWN === 0,
      gaps,
    },
    summary: {
      findings: STATUSES.reduce((n, s) => n + byStatus[s], 0),
      byStatus,
      failBySeverity,
      controls: Object.fromEntries(CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length])) as Results['summary']['controls'],
    },
    findings,
    controls,
  };
  return { results, stats };
}

/** Canonical text of results without the run-specific timestamp, for determinism checks. */
export function resultsFingerprint(results: Results): string {
  return sha256(canonicalJson({ ...results, scan: { ...results.scan, evaluatedAt: '' } }));
}

import type { CompiledRule } from './rule-types';
import type { EvalContext } from './eval-context';
import type { Entry, ListingGap } from './snapshot-index';
import { FALSE, TRUE, UNKNOWN } from '../core/tri';
import type { Node } from './node';
import { RUNTIME_ONLY_REASON } from '../core/types';

export type Verdict = 'PASS' | 'FAIL' | 'UNKNOWN';

/**
 * One verdict before it becomes a Finding: cheap to produce, so the hot loop allocates almost
 * nothing. `entry` is null for a placeholder verdict on resources that could not be listed.
 */
export interface Outcome {
  rule: CompiledRule;
  entry: Entry | null;
  /** For placeholders: the listing failures in one account and region. */
  gaps: ListingGap[] | null;
  status: Verdict;
}

export interface EvaluationStats {
  /** Rule × resource evaluations performed. */
  evaluations: number;
  /** Infrastructure-code resources whose verdict waited only on data that exists in a live account (not reported). */
  skippedRuntimeOnly: number;
  /** Resources a rule's `when` excluded. */
  notApplicable: number;
}

/** True when every reason a condition is UNKNOWN on a resource is data that exists only in a live account. */
function waitsOnRuntime(node: Node, e: Entry, ctx: EvalContext): boolean {
  const reasons: string[] = [];
  node.why(e.root, ctx, reasons);
  return reasons.length > 0 && reasons.every((r) => r.endsWith(RUNTIME_ONLY_REASON));
}

/**
 * Runs every rule over every resource of its type, in rule-id then resource order (so two runs
 * over one snapshot give identical output), then emits one UNKNOWN placeholder per account and
 * region whose listing of the rule's type failed.
 */
export function runRules(
  rules: readonly CompiledRule[],
  ctx: EvalContext,
  sink: (o: Outcome) => void,
  stats: EvaluationStats = { evaluations: 0, skippedRuntimeOnly: 0, notApplicable: 0 },
): EvaluationStats {
  const steps = runRulesInSteps(rules, ctx, sink, stats, Infinity);
  while (!steps.next().done);
  return stats;
}

/**
 * `runRules`, pausing (yielding) after about every `step` evaluations so that a consumer can
 * drain what the sink collected before more is produced: this is how findings stream out with
 * backpressure. The hot loop is the same; a pause costs one comparison per resource.
 */
export function* runRulesInSteps(
  rules: readonly CompiledRule[],
  ctx: EvalContext,
  sink: (o: Outcome) => void,
  stats: EvaluationStats,
  step: number,
): Generator<void, void, void> {
  let pauseAt = stats.evaluations + step;
  for (const rule of rules) {
    const entries = ctx.index.entriesOfType(rule.def.resourceType);
    const { when, check, runtimeOnly } = rule;
    for (let i = 0; i < entries.length; i++) {
      if (stats.evaluations >= pauseAt) {
        yield;
        pauseAt = stats.evaluations + step;
      }
      const e = entries[i];
      // Context for other resources (see ResourceSource.context), not a subject of its own.
      if (e.r.source.context === true) continue;
      stats.evaluations++;
      if (when !== null) {
        const w = when.fn(e.root, ctx);
        if (w === FALSE) {
          stats.notApplicable++;
          continue;
        }
        if (w === UNKNOWN) {
          if (runtimeOnly && e.r.source.kind !== 'runtime' && waitsOnRuntime(when, e, ctx)) stats.skippedRuntimeOnly++;
          else sink({ rule, entry: e, gaps: null, status: 'UNKNOWN' });
          continue;
        }
      }
      const v = check.fn(e.root, ctx);
      // Infrastructure code: what the code decides is reported; what waits on live data is not.
      if (v === UNKNOWN && runtimeOnly && e.r.source.kind !== 'runtime' && waitsOnRuntime(check, e, ctx)) {
        stats.skippedRuntimeOnly++;
        continue;
      }
      sink({ rule, entry: e, gaps: null, status: v === TRUE ? 'PASS' : v === FALSE ? 'FAIL' : 'UNKNOWN' });
    }
    const byPlace = new Map<string, ListingGap[]>();
    for (const g of ctx.index.allListingGaps(rule.def.resourceType)) {
      const key = `${g.account}\u0000${g.region}`;
      const list = byPlace.get(key);
      if (list) list.push(g);
      else byPlace.set(key, [g]);
    }
    let placeholders = 0;
    for (const key of [...byPlace.keys()].sort()) {
      sink({ rule, entry: null, gaps: byPlace.get(key)!, status: 'UNKNOWN' });
      if (++placeholders % step === 0) yield;
    }
  }
}

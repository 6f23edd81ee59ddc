import type { CompiledRule } from './rule-types';
import type { EvalContext } from './eval-context';
import type { Entry, ListingGap } from './snapshot-index';
import { FALSE, TRUE, UNKNOWN } from './tri';

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
  /** Resources a rule skipped because its data exists only at runtime and the resource is infrastructure code. */
  skippedRuntimeOnly: number;
  /** Resources a rule's `when` excluded. */
  notApplicable: number;
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
      if (runtimeOnly && e.r.source.kind !== 'runtime') {
        stats.skippedRuntimeOnly++;
        continue;
      }
      stats.evaluations++;
      if (when !== null) {
        const w = when.fn(e.root, ctx);
        if (w === FALSE) {
          stats.notApplicable++;
          continue;
        }
        if (w === UNKNOWN) {
          sink({ rule, entry: e, gaps: null, status: 'UNKNOWN' });
          continue;
        }
      }
      const v = check.fn(e.root, ctx);
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

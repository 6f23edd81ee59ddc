import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot } from '../core/snapshot-loader';
import { evaluate } from '../engine/evaluate';
import { runRules } from '../engine/evaluator';
import { BUILTIN_RULES_DIR, loadRulesOrThrow } from '../engine/rule-loader';
import { SnapshotIndex } from '../engine/snapshot-index';
import { writeSyntheticSnapshot } from './synthetic-snapshot';
import { builtinFacts, builtinRegistry } from '../catalog';

/**
 * `npm run bench`: the rule-evaluation hot path on a synthetic 250,000-resource snapshot.
 * Writes the snapshot as NDJSON, streams it back through the validating loader, then measures
 * (1) pure rule × resource evaluation and (2) the whole evaluation with findings built and
 * rolled up (not kept, as when streaming to a SIEM). Prints throughput and peak RSS.
 */

const TARGET = Number(process.env.BENCH_RESOURCES ?? 250_000);
const SCAN_TIME = Date.parse('2026-11-25T02:00:00Z');

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}
function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-bench-'));
  const file = join(dir, 'snapshot.ndjson');
  try {
    let t = Date.now();
    const { resources: written, accounts } = await writeSyntheticSnapshot(file, TARGET, SCAN_TIME);
    const genMs = Date.now() - t;
    console.log(`snapshot: ${written.toLocaleString('en-US')} resources in ${accounts} accounts, ${mb(statSync(file).size)} NDJSON, written in ${genMs} ms`);

    const registry = builtinRegistry();
    const rules = loadRulesOrThrow([BUILTIN_RULES_DIR], registry, builtinFacts());

    global.gc?.();
    t = Date.now();
    const snapshot = await loadSnapshot(file, registry);
    const loadMs = Date.now() - t;
    console.log(`load:     ${loadMs} ms streaming + validating (${rate(snapshot.resources.length, loadMs)} resources), peak RSS so far ${mb(peakRss())}`);

    global.gc?.();
    const fullStart = process.hrtime.bigint();
    let findings = 0;
    const { results } = evaluate(snapshot, rules, registry, { collect: false, onFinding: () => findings++ });
    const fullMs = Number(process.hrtime.bigint() - fullStart) / 1e6;
    console.log(
      `findings: ${findings.toLocaleString('en-US')} findings built (evidence, fingerprint, roll-up) in ${fullMs.toFixed(0)} ms = ${rate(findings, fullMs)}; ` +
        `controls FAIL ${results.frameworks.soc2.summary.FAIL}, UNKNOWN ${results.frameworks.soc2.summary.UNKNOWN}`,
    );
    const fullPeak = peakRss();

    // Pure evaluation (facts warmed by a first pass): the hot loop alone.
    const pure = ((): string => {
      t = Date.now();
      const index = new SnapshotIndex(snapshot, registry);
      const indexMs = Date.now() - t;
      const ctx = { now: SCAN_TIME, index };
      // Warm-up pass, then the measured pass (facts are cached per resource after the first).
      runRules(rules, ctx, () => {});
      const counts = { PASS: 0, FAIL: 0, UNKNOWN: 0 };
      const start = process.hrtime.bigint();
      const stats = runRules(rules, ctx, (o) => {
        counts[o.status]++;
      });
      const evalMs = Number(process.hrtime.bigint() - start) / 1e6;
      return (
        `evaluate: ${rules.length} rules, ${stats.evaluations.toLocaleString('en-US')} rule×resource evaluations in ${evalMs.toFixed(0)} ms = ` +
          `${rate(stats.evaluations, evalMs)} (index built in ${indexMs} ms; verdicts ${JSON.stringify(counts)})`
      );
    })();
    console.log(pure);

    console.log(`peak RSS: ${mb(fullPeak)} for load + full evaluation (the real workload); ${mb(peakRss())} after the extra pure-evaluation pass`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCatalog } from '../catalog';
import { spoolOrganization } from '../engine/partition-builder';
import { contextPlan, PartitionedEvaluation } from '../engine/partitioned';
import { writeSyntheticSnapshot } from './synthetic-snapshot';

/**
 * `npm run bench:bounded`: evaluation in bounded memory on a synthetic organization of
 * 2,000,000 resources (400 accounts of about 5,000), the size one process could not hold whole
 * (about 3 KB per resource in memory: 6 GB). First pass: validate and index positions; second:
 * evaluate a batch of accounts at a time with the organization's context. Prints throughput and
 * peak RSS; the aim is under 1.5 GB. BENCH_RESOURCES and BENCH_BATCH change the size and batch.
 * BENCH_ORG_ROLE=1 gives every member account a role trusting the first, as AWS Organizations
 * does: the batch of the first then reaches every member (evaluationContext.reach), and loads
 * each member's role alone, as it is an administrator by its own policy.
 */

const TARGET = Number(process.env.BENCH_RESOURCES ?? 2_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 20_000);
const SCAN_TIME = Date.parse('2026-11-25T02:00:00Z');
const LIMIT_MB = 1536;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-bounded-'));
  const file = join(dir, 'organization.ndjson');
  try {
    let t = Date.now();
    const { resources, accounts } = await writeSyntheticSnapshot(file, TARGET, SCAN_TIME);
    console.log(`snapshot: ${resources.toLocaleString('en-US')} resources in ${accounts} accounts, ${mb(statSync(file).size)} NDJSON, written in ${Date.now() - t} ms`);
    const catalog = builtinCatalog();
    const rules = catalog.loadRules();
    const plan = contextPlan(rules, catalog.registry, catalog.providers.flatMap((p) => (p.evaluationContext ? [p.evaluationContext] : [])));
    global.gc?.();
    const before = peakRss();
    t = Date.now();
    const { org, spool } = await spoolOrganization(file, plan, catalog.registry);
    const passMs = Date.now() - t;
    console.log(`pass 1:   ${passMs} ms validating and indexing (${rate(resources, passMs)}); ${org.kept.size.toLocaleString('en-US')} context resources kept, peak RSS so far ${mb(peakRss())}`);
    t = Date.now();
    let findings = 0;
    const e = new PartitionedEvaluation(org, rules, catalog.registry, plan, { collect: false, frameworks: catalog.frameworks, batchResources: BATCH });
    for (const batch of e.batches()) findings += batch.length;
    const { results, stats } = e.finish();
    const evalMs = Date.now() - t;
    spool.close();
    console.log(
      `pass 2:   ${findings.toLocaleString('en-US')} findings (${stats.evaluations.toLocaleString('en-US')} rule×resource evaluations) in ${evalMs} ms = ${rate(resources, evalMs)} resources, ` +
        `batches of ${BATCH.toLocaleString('en-US')} resources; SOC 2 FAIL ${results.frameworks.soc2.summary.FAIL}, UNKNOWN ${results.frameworks.soc2.summary.UNKNOWN}`,
    );
    const peak = peakRss();
    console.log(`total:    ${passMs + evalMs} ms = ${rate(resources, passMs + evalMs)} resources; peak RSS ${mb(peak)} (${mb(before)} before reading) — aim under ${LIMIT_MB} MB: ${peak / 1024 / 1024 < LIMIT_MB ? 'met' : 'NOT MET'}`);
    if (peak / 1024 / 1024 >= LIMIT_MB) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

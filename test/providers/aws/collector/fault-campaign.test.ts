import { baseline, faultedScan, MIX_KINDS, randomMix, type Verdict } from './fault-harness';
import { loadScenario } from './aws-helpers';
import type { FaultKind } from '../../../fake-cloud/aws/server';

/**
 * The fault campaign: many organization scans, each under a seeded random mix of faults, counted
 * (faults injected, false PASS, vanished findings, silent gaps, stalls, crashes). Off by default
 * (it takes minutes); run it with
 *
 *   TRUSTSCAN_CAMPAIGN=100 npx jest test/providers/aws/collector/fault-campaign.test.ts
 *
 * (the value is the number of scans; TRUSTSCAN_CAMPAIGN_SEED shifts the seeds,
 * TRUSTSCAN_CAMPAIGN_KINDS=empty,html limits the fault kinds). The always-on assertions of the
 * same invariant are in fault-invariant.test.ts.
 */

const SCANS = Number(process.env.TRUSTSCAN_CAMPAIGN ?? 0);
const SEED = Number(process.env.TRUSTSCAN_CAMPAIGN_SEED ?? 1);
const KINDS = (process.env.TRUSTSCAN_CAMPAIGN_KINDS?.split(',') as FaultKind[] | undefined) ?? MIX_KINDS;
const ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1', timeouts: { connectMs: 1_000, callMs: 3_000 } };
const scenario = () => loadScenario('acme-org');

(SCANS > 0 ? test : test.skip)(
  'fault campaign',
  async () => {
    const base = await baseline(scenario, ORG);
    const verdicts: Verdict[] = [];
    const examples = { falsePass: new Set<string>(), outOfScope: new Set<string>(), vanished: new Set<string>(), silent: new Set<string>(), crashed: new Set<string>(), stopped: new Set<string>() };
    for (let i = 0; i < SCANS; i++) {
      const v = await faultedScan(scenario, base, randomMix(SEED + i, base.operations, KINDS), ORG);
      verdicts.push(v);
      for (const k of ['falsePass', 'outOfScope', 'vanished', 'silent'] as const) for (const x of v[k]) examples[k].add(x);
      if (v.crashed) examples.crashed.add(v.crashed);
      if (v.stopped) examples.stopped.add(v.stopped);
    }
    const sum = (f: (v: Verdict) => number): number => verdicts.reduce((n, v) => n + f(v), 0);
    const lines = [
      `fault campaign: ${SCANS} scans of acme-org (4 accounts), seeds ${SEED}..${SEED + SCANS - 1}, kinds ${KINDS.join(',')}`,
      `faults injected (attempts)     ${sum((v) => v.injected)}`,
      `calls that ended on a fault    ${sum((v) => v.endedFaulted)}`,
      `false PASS                     ${sum((v) => v.falsePass.length)} (in ${verdicts.filter((v) => v.falsePass.length).length} scans)`,
      `PASS, resource out of scope    ${sum((v) => v.outOfScope.length)} (real data; the scan without faults leaves the resource out)`,
      `vanished findings              ${sum((v) => v.vanished.length)} (in ${verdicts.filter((v) => v.vanished.length).length} scans)`,
      `faulted calls without a gap    ${sum((v) => v.silent.length)} (in ${verdicts.filter((v) => v.silent.length).length} scans)`,
      `stopped with exit 2            ${verdicts.filter((v) => v.stopped).length}`,
      `crashed / invalid snapshot     ${verdicts.filter((v) => v.crashed).length}`,
      `stalled (> 120 s)              ${verdicts.filter((v) => v.stalled).length}`,
      `wall time                      ${(sum((v) => v.wallMs) / 1000).toFixed(1)} s`,
      '',
      ...Object.entries(examples).flatMap(([k, set]) => (set.size ? [`${k} (up to 8 of ${set.size}):`, ...[...set].slice(0, 8).map((x) => `  ${x}`)] : [])),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
  60 * 60_000,
);

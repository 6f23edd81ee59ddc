import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/version';

/**
 * Start-up benchmark: the wall time of commands a CI gate or a pre-commit hook runs on every
 * call, beside the floor of starting Node itself (`node -e 0`) measured in the same run. Each
 * command runs RUNS times; the median and the best are printed, and the margin over the floor.
 * Aims: `--version` within 150 ms of the floor, `iac` on a small template under 600 ms.
 *
 *   npm run bench:startup [-- RUNS]
 */

const RUNS = Number(process.argv[2] ?? 15);
const BIN = join(PACKAGE_ROOT, 'bin', 'trustscan.js');
const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');
const TEMPLATE = join(PACKAGE_ROOT, 'fixtures', 'iac', 'cloudformation', 'references.yaml');

interface Case {
  name: string;
  args: string[];
  aim?: (median: number, floor: number) => string;
}

const CASES: Case[] = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: 'trustscan --version', args: [BIN, '--version'], aim: (m, f) => `aim ≤ floor + 150 ms: ${m - f <= 150 ? 'met' : 'MISSED'}` },
  { name: 'trustscan rules list', args: [BIN, 'rules', 'list', '--format', 'json'] },
  { name: 'trustscan evaluate (demo)', args: [BIN, 'evaluate', DEMO, '--format', 'json'] },
  { name: 'trustscan iac (small template)', args: [BIN, 'iac', TEMPLATE, '--format', 'json'], aim: (m) => `aim < 600 ms: ${m < 600 ? 'met' : 'MISSED'}` },
];

function time(args: string[]): { ms: number; code: number | null } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'], cwd: PACKAGE_ROOT });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, code: r.status };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  console.log(`start-up benchmark: ${RUNS} runs per command, Node ${process.version}`);
  // One warm-up round so the file system cache is the same for every case.
  for (const c of CASES) time(c.args);
  const runs = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  // Interleaved, so background load affects every case alike.
  for (let i = 0; i < RUNS; i++) {
    for (const c of CASES) {
      const { ms, code } = time(c.args);
      if (code !== 0 && code !== 1) throw new Error(`${c.name} exited ${code}`);
      runs.get(c.name)!.push(ms);
    }
  }
  const floor = median(runs.get(CASES[0].name)!);
  for (const c of CASES) {
    const xs = runs.get(c.name)!;
    const m = median(xs);
    const extra = c === CASES[0] ? '' : `  +${(m - floor).toFixed(0)} ms over the floor`;
    console.log(`${c.name.padEnd(34)} median ${m.toFixed(0).padStart(5)} ms  best ${Math.min(...xs).toFixed(0).padStart(5)} ms${extra}${c.aim ? `  (${c.aim(m, floor)})` : ''}`);
  }
}

main();

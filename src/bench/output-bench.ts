import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PACKAGE_ROOT } from '../core/version';
import { writeSyntheticSnapshot } from './synthetic-snapshot';

/**
 * Streaming output benchmark: evaluates a 250,000-resource snapshot (the engine benchmark's
 * synthetic organisation) with `trustscan evaluate`
 * (a real process, as a SIEM pipe would run it) and pipes its ndjson / ocsf findings to a fast
 * consumer (reads as fast as it can) and a slow one (reads at a fixed rate), reporting
 * throughput and the evaluating process's peak RSS. With backpressure, the slow consumer must
 * not raise the peak: findings wait in the engine, not in memory. `json` to a file streams the
 * same way; `html` to a file shows the cost of a format that keeps findings (summarised past
 * 50,000).
 *
 *   npm run bench:output [-- RESOURCES [SLOW_MB_PER_S]]
 */

const RESOURCES = Number(process.argv[2] ?? 250_000);
const SLOW_RATE = Number(process.argv[3] ?? 8) * 1024 * 1024;
const DIR = join(PACKAGE_ROOT, '.bench');
const BIN = join(PACKAGE_ROOT, 'bin', 'trustscan.js');

const SCAN_TIME = Date.parse('2026-11-25T02:00:00Z');

/** The engine benchmark's synthetic organisation (about 5,000 resources per account), as NDJSON. */
async function ensureSnapshot(): Promise<string> {
  const file = join(DIR, `output-bench-${RESOURCES}.ndjson`);
  if (existsSync(file)) return file;
  mkdirSync(DIR, { recursive: true });
  const started = Date.now();
  const { resources: written, accounts } = await writeSyntheticSnapshot(file, RESOURCES, SCAN_TIME);
  console.log(`wrote ${file}: ${written} resources in ${accounts} accounts, ${(statSync(file).size / 1e6).toFixed(0)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

interface RunResult {
  name: string;
  seconds: number;
  bytes: number;
  lines: number;
  maxRssMB: number;
  evaluateMs: number;
}

/** Runs the CLI; stdout goes to a consumer reading at `rate` bytes/s (Infinity: as fast as possible). */
async function runCase(name: string, args: string[], rate: number): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, '--log-level', 'info', '--log-format', 'json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  let bytes = 0;
  let lines = 0;
  const count = (b: Buffer): void => {
    bytes += b.length;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
  };
  if (rate === Infinity) {
    child.stdout.on('data', count);
  } else {
    // Paused mode: read a chunk, then wait as long as the rate allows before the next one.
    const stdout = child.stdout;
    let ended = false;
    stdout.on('end', () => (ended = true));
    while (!ended) {
      const chunk = stdout.read() as Buffer | null;
      if (chunk) {
        count(chunk);
        await sleep((chunk.length / rate) * 1000);
      } else {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            stdout.off('readable', done);
            stdout.off('end', done);
            resolve();
          };
          stdout.once('readable', done);
          stdout.once('end', done);
        });
      }
    }
  }
  const code = await exited;
  if (code !== 0) throw new Error(`${name}: exit ${code}\n${stderr}`);
  const done = stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; maxRssMB?: number; ms?: number })
    .find((l) => l.msg === 'evaluation finished');
  return { name, seconds: (Date.now() - started) / 1000, bytes, lines, maxRssMB: done?.maxRssMB ?? NaN, evaluateMs: done?.ms ?? NaN };
}

async function main(): Promise<void> {
  const file = await ensureSnapshot();
  const tmpJson = join(DIR, 'output-bench-results.json');
  const tmpHtml = join(DIR, 'output-bench-report.html');
  const cases: [string, string[], number][] = [
    ['ndjson → fast consumer', ['evaluate', file, '--format', 'ndjson'], Infinity],
    [`ndjson → slow consumer (${SLOW_RATE / 1024 / 1024} MB/s)`, ['evaluate', file, '--format', 'ndjson'], SLOW_RATE],
    ['ocsf → fast consumer', ['evaluate', file, '--format', 'ocsf'], Infinity],
    [`ocsf → slow consumer (${SLOW_RATE / 1024 / 1024} MB/s)`, ['evaluate', file, '--format', 'ocsf'], SLOW_RATE],
    ['json → file (streamed like ndjson)', ['evaluate', file, '--format', `json=${tmpJson}`], Infinity],
    ['html → file (summarised past 50,000 findings)', ['evaluate', file, '--format', `html=${tmpHtml}`], Infinity],
  ];
  console.log(`node ${process.version}, ${RESOURCES} resources`);
  for (const [name, args, rate] of cases) {
    if (process.env.BENCH_CASES && !process.env.BENCH_CASES.split(',').some((c) => name.startsWith(c))) continue;
    const r = await runCase(name, args, rate);
    const mb = r.bytes / 1024 / 1024;
    const written = args.find((a) => a.startsWith('json=') || a.startsWith('html='))?.slice(5);
    const out = r.bytes ? `${r.lines} findings, ${mb.toFixed(0)} MB on stdout, ${(r.lines / r.seconds).toFixed(0)} findings/s, ${(mb / r.seconds).toFixed(1)} MB/s` : `${(statSync(written!).size / 1024 / 1024).toFixed(0)} MB file`;
    console.log(`${r.name.padEnd(50)} ${r.seconds.toFixed(1).padStart(6)} s  peak RSS ${String(r.maxRssMB).padStart(5)} MB  ${out}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../core/snapshot-loader';
import type { Finding, Snapshot } from '../core/types';
import { PACKAGE_ROOT } from '../core/version';
import { Evaluation } from '../engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import { builtinFacts, builtinRegistry } from '../catalog';
import { buildRunRecord, outlineOf } from '../store/run-adapter';
import { ControlTally, findingRow, type LeafedRow } from '../store/run-record';
import { HistoryStore } from '../store/store';
import type { HistoryTarget } from '../store/target';
import { prng, writeSyntheticSnapshot } from './synthetic-snapshot';
import { startPostgres } from './throwaway-postgres';

/**
 * History store benchmark: a year of nightly runs of a generated organisation (RESOURCES
 * resources, the built-in rules) recorded in SQLite and in PostgreSQL, then the year's evidence
 * pack written (and verified) by the CLI as a user would. Night to night, a small share of
 * findings flips between FAIL and PASS, a rule changes every 30 days, and two nights have no run.
 * Prints the store's size, the recording time per run, and the pack's time and peak RSS.
 *
 *   npm run bench:history [-- DAYS [RESOURCES]]     (HISTORY_BENCH_BACKENDS=sqlite or =postgres for one)
 */

const DAYS = Number(process.argv[2] ?? 365);
const RESOURCES = Number(process.argv[3] ?? 20_000);
const DIR = join(PACKAGE_ROOT, '.bench', 'history');
const BIN = join(PACKAGE_ROOT, 'bin', 'trustscan.js');
const START = Date.parse('2026-01-01T02:00:00Z');
const DAY = 86_400_000;
/** Share of findings whose verdict flips on a night. */
const CHURN = 0.003;
const SKIPPED = new Set([100, 200]);

const day = (i: number): string => new Date(START + i * DAY).toISOString().slice(0, 10);
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

interface Night {
  snapshot: Snapshot;
  findings: Finding[];
  results: ReturnType<Evaluation['finish']>['results'];
}

async function firstNight(): Promise<Night & { rules: ReturnType<typeof loadRulesOrThrow> }> {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `snapshot-${RESOURCES}.ndjson`);
  if (!existsSync(file)) await writeSyntheticSnapshot(file, RESOURCES, START);
  const registry = builtinRegistry();
  const rules = loadRulesOrThrow(resolveRuleDirs(undefined), registry, builtinFacts());
  const snapshot = await loadSnapshot(file, registry);
  const ev = new Evaluation(snapshot, rules, registry, {});
  for (const batch of ev.batches()) void batch;
  const { results } = ev.finish();
  return { snapshot, findings: results.findings, results, rules };
}

async function storeSize(store: HistoryStore, target: HistoryTarget): Promise<number> {
  if (target.kind === 'sqlite') return [target.file, `${target.file}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
  const rows = await store.db.all<{ size: string }>("SELECT sum(pg_total_relation_size(c.oid))::text AS size FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'");
  return Number(rows[0].size);
}

async function benchBackend(name: string, target: HistoryTarget, storeArg: string, base: Awaited<ReturnType<typeof firstNight>>): Promise<void> {
  const registry = builtinRegistry();
  const rnd = prng(42);
  const findings = base.findings.map((f) => ({ ...f }));
  const rows: LeafedRow[] = findings.map(findingRow);
  const times: number[] = [];
  const cpu: number[] = [];
  let changes = 0;
  const store = await HistoryStore.open(target);
  const started = Date.now();
  for (let i = 0; i < DAYS; i++) {
    if (i > 0) {
      // Drift: a few verdicts flip; every 30 days one rule's version changes (all its findings move).
      const flips = Math.round(findings.length * CHURN);
      for (let k = 0; k < flips; k++) {
        const n = Math.floor(rnd() * findings.length);
        const f = findings[n];
        if (f.status !== 'PASS' && f.status !== 'FAIL') continue;
        f.status = f.status === 'PASS' ? 'FAIL' : 'PASS';
        f.message = `${f.status === 'FAIL' ? 'Not met — ' : ''}${f.title}: ${f.resource.name ?? f.resource.id}`;
        rows[n] = findingRow(f);
      }
      if (i % 30 === 0) {
        const rule = base.rules[(i / 30) % base.rules.length];
        rule.version = `bench-${i}`;
        findings.forEach((f, n) => {
          if (f.ruleId === rule.def.id) {
            f.ruleVersion = rule.version;
            rows[n] = findingRow(f);
          }
        });
      }
    }
    if (SKIPPED.has(i)) continue;
    const when = new Date(START + i * DAY).toISOString();
    const snapshot = { ...base.snapshot, metadata: { ...base.snapshot.metadata, startedAt: when, finishedAt: when } };
    const tally = new ControlTally();
    for (const f of findings) tally.add(f);
    const record = buildRunRecord({ ...base.results, scan: { ...base.results.scan, scanTime: when, runId: randomUUID() } }, { snapshot: outlineOf(snapshot), rules: base.rules, registry }, rows, tally.finish());
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    const out = await store.record(record);
    const c1 = process.cpuUsage(c0);
    times.push(Date.now() - t0);
    cpu.push(Math.round((c1.user + c1.system) / 1000));
    changes += out.opened + out.closed;
    if (i % 50 === 0) process.stdout.write(`  ${name}: night ${i + 1}/${DAYS} recorded in ${times[times.length - 1]} ms (${out.opened} new or changed, ${out.closed} closed)\n`);
  }
  const size = await storeSize(store, target);
  await store.close();
  const recordWall = (Date.now() - started) / 1000;

  const packDir = join(DIR, `pack-${name}`);
  rmSync(packDir, { recursive: true, force: true });
  const pack = spawnSync(process.execPath, [BIN, '--log-level', 'info', '--log-format', 'json', 'evidence', '--history', storeArg, '--no-config', '--from', day(0), '--to', day(DAYS - 1), '--output-dir', packDir, '--seed', 'bench'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const log = pack.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'evidence pack written');
  if (pack.status !== 0 || !log) throw new Error(`evidence failed (${pack.status}): ${pack.stderr.slice(0, 2000)}`);
  const t1 = Date.now();
  const verify = spawnSync(process.execPath, [BIN, 'evidence', 'verify', packDir], { encoding: 'utf8' });
  const verifyS = (Date.now() - t1) / 1000;
  const packBytes = spawnSync('du', ['-sb', packDir], { encoding: 'utf8' }).stdout.split('\t')[0];

  process.stdout.write(
    [
      `${name}: ${times.length} runs × ${findings.length} findings (${RESOURCES} resources, ${base.rules.length} rules), ${changes} finding changes`,
      `  store size            ${mb(size)}`,
      `  recording per run     first ${times[0]} ms, mean ${Math.round(times.reduce((a, b) => a + b, 0) / times.length)} ms, p50 ${pct(times, 50)} ms, p95 ${pct(times, 95)} ms, max ${Math.max(...times)} ms (wall for the year incl. generation ${recordWall.toFixed(0)} s)`,
      `  recording CPU         mean ${Math.round(cpu.reduce((a, b) => a + b, 0) / cpu.length)} ms, p95 ${pct(cpu, 95)} ms of this process${name === 'postgres' ? ' (the server\'s own work not included)' : ''}`,
      `  evidence pack (year)  ${((Number(log.buildMs) + Number(log.writeMs)) / 1000).toFixed(1)} s (build ${(Number(log.buildMs) / 1000).toFixed(1)} s, write ${(Number(log.writeMs) / 1000).toFixed(1)} s), CPU ${(Number(log.cpuMs) / 1000).toFixed(1)} s, peak RSS ${log.maxRssMB} MB, ${mb(Number(packBytes))} on disk`,
      `  evidence verify       ${verifyS.toFixed(1)} s, ${verify.status === 0 ? 'OK' : `FAILED: ${verify.stdout.slice(0, 500)}`}`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  process.stdout.write(`history bench: ${DAYS} nights × ${RESOURCES} resources; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times grow with it; CPU times much less)\n`);
  const backends = (process.env.HISTORY_BENCH_BACKENDS ?? 'sqlite,postgres').split(',');
  if (backends.includes('sqlite')) {
    const file = join(DIR, 'history.db');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    await benchBackend('sqlite', { kind: 'sqlite', file }, file, await firstNight());
  }
  if (!backends.includes('postgres')) return;
  const pg = await startPostgres();
  if (!pg) {
    process.stdout.write('postgres: skipped (no PostgreSQL binaries found)\n');
    return;
  }
  try {
    const url = pg.freshUrl();
    await benchBackend('postgres', { kind: 'postgres', url }, url, await firstNight());
  } finally {
    await pg.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * `npm run bench:gcp`: scans a synthetic Google Cloud organization (20 folders, 300 projects, each
 * with buckets, a key ring with keys, firewalls, networks, subnets, service accounts with keys,
 * a Cloud SQL instance and a sink) through the loopback fake Google Cloud — run in its own process
 * — with 30–80 ms of latency per call, through the real clients, and prints wall time, API calls
 * by method against the minimum the data needs, peak RSS, and the wall time an ideal scheduler
 * would need (calls × mean latency ÷ concurrency).
 *
 * Options: --concurrency N, --project-concurrency N, --latency MIN,MAX (ms), --folders N,
 * --projects N, --buckets N, --keys N, --firewalls N, --service-accounts N (per project).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { collectGcp } from '../providers/gcp/collector/collector';
import { DEFAULT_CONCURRENCY, DEFAULT_PROJECT_CONCURRENCY } from '../providers/gcp/collector-options';
import { streamFileAtomic } from '../core/atomic-write';
import { NdjsonSnapshotWriter } from '../core/snapshot-writer';
import { PACKAGE_ROOT } from '../core/version';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const concurrency = Number(arg('concurrency', String(DEFAULT_CONCURRENCY)));
  const projectConcurrency = Number(arg('project-concurrency', String(DEFAULT_PROJECT_CONCURRENCY)));
  const [lo, hi] = arg('latency', '30,80').split(',').map(Number);
  const size = {
    folders: Number(arg('folders', '20')),
    projects: Number(arg('projects', '300')),
    bucketsPerProject: Number(arg('buckets', '5')),
    keysPerProject: Number(arg('keys', '3')),
    firewallsPerProject: Number(arg('firewalls', '6')),
    serviceAccountsPerProject: Number(arg('service-accounts', '4')),
  };
  const serve = join(PACKAGE_ROOT, '.bench', 'test', 'fake-cloud', 'gcp', 'serve.js');
  const child = fork(serve, [JSON.stringify({ size, latencyMs: [lo, hi] })], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`fake Google Cloud exited with ${code} (run through "npm run bench:gcp", which compiles it)`)));
  });

  const dir = mkdtempSync(join(tmpdir(), 'trustscan-bench-'));
  const baseline = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  let collection!: Awaited<ReturnType<typeof collectGcp>>;
  await streamFileAtomic(join(dir, 'snapshot.ndjson'), async (out) => {
    const w = new NdjsonSnapshotWriter(out);
    collection = await collectGcp(
      { organization: '900000000001', auth: { accessToken: 'bench-token' }, endpointUrl: url, concurrency, projectConcurrency, log: pino({ level: 'silent' }) },
      { start: (m) => w.header(m), resource: (r) => w.resource(r) },
    );
    for (const c of collection.coverage) await w.coverageEntry(c);
    await w.end(collection.metadata.finishedAt);
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fake = await new Promise<{ counts: Record<string, number>; total: number; maxInFlight: number; minimum: Record<string, number> }>((resolve) => {
    child.once('message', (m) => resolve(m as never));
    child.send('counts');
  });
  child.disconnect();
  rmSync(dir, { recursive: true, force: true });

  const calls = collection.stats.calls;
  const minimum = Object.values(fake.minimum).reduce((a, b) => a + b, 0);
  const meanLatency = (lo + hi) / 2;
  const ideal = (calls * meanLatency) / 1000 / concurrency;
  const gaps = collection.coverage.filter((c) => !['ok', 'not-enabled'].includes(c.outcome)).length;
  const lines = [
    `Google Cloud collector benchmark: ${size.folders} folders, ${size.projects} projects; per project ${size.bucketsPerProject} buckets, ${size.keysPerProject} keys, ${size.firewallsPerProject} firewalls, ${size.serviceAccountsPerProject} service accounts`,
    `latency ${lo}–${hi} ms per call (mean ${meanLatency}), concurrency ${concurrency} overall / ${projectConcurrency} per project`,
    '',
    `wall time            ${wall.toFixed(2)} s`,
    `API calls            ${fmt(calls)} (fake Google Cloud counted ${fmt(fake.total)})`,
    `calls per second     ${fmt(Math.round(calls / wall))}; at most ${fake.maxInFlight} requests in flight at the fake`,
    `minimum for the data ${fmt(minimum)} calls (${calls - minimum >= 0 ? '+' : ''}${calls - minimum})`,
    `ideal wall time      calls × mean latency ÷ concurrency = ${fmt(calls)} × ${meanLatency} ms ÷ ${concurrency} = ${ideal.toFixed(2)} s → measured/ideal ${(wall / ideal).toFixed(2)}`,
    `peak RSS             ${(peak / 1024 / 1024).toFixed(0)} MB (${(baseline / 1024 / 1024).toFixed(0)} MB before the scan)`,
    `scanner CPU          ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(1)} s user+system (${(((cpuUsed.user + cpuUsed.system) / 1e6 / wall) * 100).toFixed(0)}% of one core)`,
    `resources            ${fmt(collection.stats.resources)}; coverage entries ${collection.coverage.length}, gaps ${gaps}`,
    '',
    'calls by method (measured / minimum):',
    ...Object.keys({ ...fake.minimum, ...collection.stats.callsByOperation })
      .sort()
      .map((op) => `  ${op.padEnd(46)} ${String(collection.stats.callsByOperation[op] ?? 0).padStart(6)} / ${String(fake.minimum[op] ?? 0).padStart(6)}`),
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * `npm run bench:aws`: scans a synthetic organization (3 accounts × 4 regions, 500 buckets, 300 IAM
 * principals and 4 server certificates per account; 40 instances, 3 VPCs with 6 network ACLs and
 * Access Analyzer analyzers per region) through the loopback fake AWS — run in its own process — with
 * 30–80 ms of latency per call, and prints wall time, API calls by operation against the
 * theoretical minimum, calls per second, peak RSS, and the wall time an ideal scheduler would
 * need (calls × mean latency ÷ concurrency).
 *
 * Options: --concurrency N, --account-concurrency N, --latency MIN,MAX (ms), --accounts N,
 * --regions N, --buckets N, --principals N, --instances N (per region), --vpcs N (per region).
 * The other sizes are those of the fake's BENCH_SIZE.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { collectAws } from '../providers/aws/collector/collector';
import { DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_CONCURRENCY } from '../providers/aws/collector-options';
import { streamFileAtomic } from '../core/atomic-write';
import { NdjsonSnapshotWriter } from '../core/snapshot-writer';
import { PACKAGE_ROOT } from '../core/version';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const concurrency = Number(arg('concurrency', String(DEFAULT_CONCURRENCY)));
  const accountConcurrency = Number(arg('account-concurrency', String(DEFAULT_ACCOUNT_CONCURRENCY)));
  const [lo, hi] = arg('latency', '30,80').split(',').map(Number);
  const size = {
    accounts: Number(arg('accounts', '3')),
    regions: Number(arg('regions', '4')),
    bucketsPerAccount: Number(arg('buckets', '500')),
    principalsPerAccount: Number(arg('principals', '300')),
    instancesPerRegion: Number(arg('instances', '40')),
    vpcsPerRegion: Number(arg('vpcs', '3')),
  };
  const serve = join(PACKAGE_ROOT, '.bench', 'test', 'fake-cloud', 'aws', 'serve.js');
  const child = fork(serve, [JSON.stringify({ size, latencyMs: [lo, hi], credentialReportPolls: 1 })], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`fake AWS exited with ${code} (run through "npm run bench:aws", which compiles it)`)));
  });

  const dir = mkdtempSync(join(tmpdir(), 'trustscan-bench-'));
  const baseline = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  let collection!: Awaited<ReturnType<typeof collectAws>>;
  await streamFileAtomic(join(dir, 'snapshot.ndjson'), async (out) => {
    const w = new NdjsonSnapshotWriter(out);
    collection = await collectAws(
      {
        credentials: { accessKeyId: 'AKIAFAKEBENCHMARK001', secretAccessKey: 'bench' },
        endpointUrl: url,
        homeRegion: 'us-east-1',
        env: {},
        org: true,
        roleName: 'TrustScanAudit',
        concurrency,
        accountConcurrency,
        log: pino({ level: 'silent' }),
      },
      { start: (m) => w.header(m), resource: (r) => w.resource(r) },
    );
    for (const c of collection.coverage) await w.coverageEntry(c);
    await w.end(collection.metadata.finishedAt);
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fake = await new Promise<{ counts: Record<string, number>; total: number; minimum: Record<string, number> }>((resolve) => {
    child.once('message', (m) => resolve(m as never));
    child.send('counts');
  });
  child.disconnect();
  rmSync(dir, { recursive: true, force: true });

  const calls = collection.stats.calls;
  const minimum = Object.values(fake.minimum).reduce((a, b) => a + b, 0);
  const meanLatency = (lo + hi) / 2;
  const ideal = (calls * meanLatency) / 1000 / concurrency;
  const gaps = collection.coverage.filter((c) => c.outcome !== 'ok').length;
  const lines = [
    `AWS collector benchmark: ${size.accounts} accounts × ${size.regions} regions, ${size.bucketsPerAccount} buckets and ${size.principalsPerAccount} IAM principals per account, ${size.instancesPerRegion} instances and ${size.vpcsPerRegion} VPCs per region`,
    `latency ${lo}–${hi} ms per call (mean ${meanLatency}), concurrency ${concurrency} overall / ${accountConcurrency} per account`,
    '',
    `wall time            ${wall.toFixed(2)} s`,
    `API calls            ${fmt(calls)} (fake AWS counted ${fmt(fake.total)})`,
    `calls per second     ${fmt(Math.round(calls / wall))}`,
    `theoretical minimum  ${fmt(minimum)} calls (${calls - minimum >= 0 ? '+' : ''}${calls - minimum}: credential report polls)`,
    `ideal wall time      calls × mean latency ÷ concurrency = ${fmt(calls)} × ${meanLatency} ms ÷ ${concurrency} = ${ideal.toFixed(2)} s → measured/ideal ${(wall / ideal).toFixed(2)}`,
    `peak RSS             ${(peak / 1024 / 1024).toFixed(0)} MB (${(baseline / 1024 / 1024).toFixed(0)} MB before the scan, SDK loaded)`,
    `scanner CPU          ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(1)} s user+system (${(((cpuUsed.user + cpuUsed.system) / 1e6 / wall) * 100).toFixed(0)}% of one core)`,
    `resources            ${fmt(collection.stats.resources)}; coverage entries ${collection.coverage.length}, gaps ${gaps}`,
    '',
    'calls by operation (measured / minimum):',
    ...Object.keys({ ...fake.minimum, ...collection.stats.callsByOperation })
      .sort()
      .map((op) => `  ${op.padEnd(40)} ${String(collection.stats.callsByOperation[op] ?? 0).padStart(6)} / ${String(fake.minimum[op] ?? 0).padStart(6)}`),
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

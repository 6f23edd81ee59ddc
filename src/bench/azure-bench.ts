/**
 * `npm run bench:azure`: scans a synthetic tenant (50 subscriptions; per subscription 20 storage
 * accounts with 5 containers, 5 key vaults with 4 keys and 8 secrets, 30 NSGs, 3 regions with a
 * Network Watcher and flow logs, 3 SQL servers, 60 role assignments, 10 activity log alerts)
 * through the loopback fake Azure — run in its own process — with 30–80 ms of latency per call,
 * and prints wall time, API calls by operation against the theoretical minimum, peak RSS, and the
 * wall time an ideal scheduler would need (calls × mean latency ÷ concurrency).
 *
 * Options: --concurrency N, --subscription-concurrency N, --latency MIN,MAX (ms), --subscriptions N.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { collectAzure } from '../providers/azure/collector/collector';
import { DEFAULT_CONCURRENCY, DEFAULT_SUBSCRIPTION_CONCURRENCY } from '../providers/azure/collector-options';
import { PACKAGE_ROOT } from '../core/version';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const concurrency = Number(arg('concurrency', String(DEFAULT_CONCURRENCY)));
  const perSubscription = Number(arg('subscription-concurrency', String(DEFAULT_SUBSCRIPTION_CONCURRENCY)));
  const [lo, hi] = arg('latency', '30,80').split(',').map(Number);
  const size = { subscriptions: Number(arg('subscriptions', '50')) };
  const serve = join(PACKAGE_ROOT, '.bench', 'test', 'fake-cloud', 'azure', 'serve.js');
  const child = fork(serve, [JSON.stringify({ size, latencyMs: [lo, hi] })], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], cwd: PACKAGE_ROOT });
  const { url, ca } = await new Promise<{ url: string; ca: string }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]) as { url: string; ca: string });
    });
    child.on('exit', (code) => reject(new Error(`fake Azure exited with ${code} (run through "npm run bench:azure", which compiles it)`)));
  });

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  // process.memoryUsage.rss() is cheap; process.memoryUsage() walks the heap and, every 20 ms, slows the scan it measures.
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let resources = 0;
  const collection = await collectAzure(
    {
      credential: { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3600_000 }) },
      endpoint: url,
      ca,
      concurrency,
      subscriptionConcurrency: perSubscription,
      log: pino({ level: 'silent' }),
    },
    { resource: () => void resources++ },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fake = await new Promise<{ counts: Record<string, number>; total: number; minimum: Record<string, number> }>((resolve) => {
    child.once('message', (m) => resolve(m as never));
    child.send('counts');
  });
  child.disconnect();

  const calls = collection.stats.calls;
  const minimum = Object.values(fake.minimum).reduce((a, b) => a + b, 0);
  const mean = (lo + hi) / 2;
  const ideal = (calls * mean) / 1000 / concurrency;
  const gaps = collection.coverage.filter((c) => c.outcome !== 'ok').length;
  console.log(
    [
      `Azure collector benchmark: ${size.subscriptions} subscriptions (synthetic tenant; see src/bench/azure-bench.ts for the sizes)`,
      `latency ${lo}–${hi} ms per call (mean ${mean}), concurrency ${concurrency} overall / ${perSubscription} per subscription`,
      '',
      `wall time            ${wall.toFixed(2)} s`,
      `API calls            ${fmt(calls)} (fake Azure counted ${fmt(fake.total)})`,
      `theoretical minimum  ${fmt(minimum)} calls (${calls - minimum >= 0 ? '+' : ''}${calls - minimum})`,
      `ideal wall time      calls × mean latency ÷ concurrency = ${fmt(calls)} × ${mean} ms ÷ ${concurrency} = ${ideal.toFixed(2)} s → measured/ideal ${(wall / ideal).toFixed(2)}`,
      `peak RSS             ${(peak / 1024 / 1024).toFixed(0)} MB (${(baseline / 1024 / 1024).toFixed(0)} MB before the scan, SDK loaded)`,
      `scanner CPU          ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(1)} s user+system`,
      `resources            ${fmt(resources)}; coverage entries ${collection.coverage.length}, gaps ${gaps}`,
      '',
      'calls by operation (measured / minimum):',
      ...Object.keys({ ...fake.minimum, ...collection.stats.callsByOperation })
        .sort()
        .map((op) => `  ${op.padEnd(50)} ${String(collection.stats.callsByOperation[op] ?? 0).padStart(6)} / ${String(fake.minimum[op] ?? 0).padStart(6)}`),
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

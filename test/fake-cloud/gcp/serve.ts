/**
 * Runs the fake Google Cloud in its own process (for the benchmark, so the scanner's CPU and
 * memory are measured alone). Options arrive as JSON in argv[2]: { size?, latencyMs? } (the sizes
 * given replace those of GCP_BENCH_SIZE). Prints `{"url": …}` on stdout when listening; answers
 * "counts" IPC messages with the calls per method and the minimum; exits when its parent disconnects.
 */
import { FakeGcp } from './server';
import { GCP_BENCH_SIZE, gcpMinimumCalls, gcpSyntheticScenario, type GcpSyntheticSize } from './synthetic';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { size?: Partial<GcpSyntheticSize>; latencyMs?: number | [number, number] };
  const scenario = gcpSyntheticScenario({ ...GCP_BENCH_SIZE, ...opts.size });
  const fake = new FakeGcp({ scenario, latencyMs: opts.latencyMs });
  await fake.start();
  process.on('message', (m) => {
    if (m === 'counts') process.send?.({ counts: fake.countByMethod(), total: fake.calls.length, maxInFlight: fake.maxInFlight, minimum: gcpMinimumCalls(scenario) });
  });
  process.on('disconnect', () => void fake.stop().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
}

void main();

/**
 * Runs the fake AWS in its own process (for the benchmark, so the scanner's CPU and memory are
 * measured alone). Options arrive as JSON in argv[2]: { size?, latencyMs?, credentialReportPolls? }
 * (the sizes given replace those of BENCH_SIZE).
 * Prints `{"url": …}` on stdout when listening; answers "counts" IPC messages with the calls per
 * operation and the theoretical minimum; exits when its parent disconnects.
 */
import { startFakeAws } from './server';
import { BENCH_SIZE, minimumCalls, syntheticScenario, type SyntheticSize } from './synthetic';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { size?: Partial<SyntheticSize>; latencyMs?: number | [number, number]; credentialReportPolls?: number };
  const size: SyntheticSize = { ...BENCH_SIZE, ...opts.size };
  const scenario = syntheticScenario(size);
  const fake = await startFakeAws({ scenario, latencyMs: opts.latencyMs, credentialReportPolls: opts.credentialReportPolls });
  process.on('message', (m) => {
    if (m === 'counts') process.send?.({ counts: fake.countByOperation(), total: fake.calls.length, minimum: minimumCalls(scenario, size.regions) });
  });
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
}

void main();

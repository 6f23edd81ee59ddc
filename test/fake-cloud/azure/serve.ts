/**
 * Runs the fake Azure in its own process (for the benchmark, so the scanner's CPU and memory are
 * measured alone). Options arrive as JSON in argv[2]: { size?, latencyMs? }. Prints
 * `{"url": …, "ca": …}` on stdout when listening; answers "counts" IPC messages with the calls per
 * operation and the theoretical minimum; exits when its parent disconnects.
 */
import { startFakeAzure, TEST_CA } from './server';
import { BENCH_SIZE, minimumCalls, syntheticScenario, type SyntheticSize } from './synthetic';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { size?: Partial<SyntheticSize>; latencyMs?: number | [number, number] };
  const size: SyntheticSize = { ...BENCH_SIZE, ...opts.size };
  const fake = await startFakeAzure({ scenario: syntheticScenario(size), latencyMs: opts.latencyMs });
  process.on('message', (m) => {
    if (m === 'counts') process.send?.({ counts: fake.countByOperation(), total: fake.calls.length, minimum: minimumCalls(size) });
  });
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: fake.url, ca: TEST_CA })}\n`);
}

void main();

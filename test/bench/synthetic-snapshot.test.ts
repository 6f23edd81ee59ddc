import { join } from 'node:path';
import { RESOURCES_PER_ACCOUNT, writeSyntheticSnapshot } from '../../src/bench/synthetic-snapshot';
import { builtinRegistry } from '../../src/catalog';
import { loadSnapshot } from '../../src/core/snapshot-loader';
import { tempDir } from '../helpers';

/**
 * The synthetic organization behind `npm run bench` and `npm run bench:bounded` must stay a valid
 * snapshot as resource types change: a type that gains a required property once broke the bench
 * (every resource rejected) without any test noticing.
 */
describe('the benchmarks\' synthetic snapshot', () => {
  it('loads and validates against the resource types as they are', async () => {
    const file = join(tempDir(), 'synthetic.ndjson');
    const written = await writeSyntheticSnapshot(file, RESOURCES_PER_ACCOUNT * 2, Date.parse('2026-06-01T00:00:00Z'));
    const snapshot = await loadSnapshot(file, builtinRegistry());
    expect(snapshot.resources).toHaveLength(written.resources);
    expect(new Set(snapshot.resources.map((r) => r.type)).size).toBeGreaterThan(5);
  });
});

import { parseShard, resolveShard, shardOfUnit, shardUnits, ShardSelector, unitListSha256 } from '../../src/core/shard';
import { UsageError } from '../../src/core/errors';

const units = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => String(100000000000 + from + i));

describe('sharding units (rendezvous hashing)', () => {
  test('every unit is in exactly one shard, and the shards are about even', () => {
    const all = units(10_000);
    const parts = Array.from({ length: 8 }, (_, i) => shardUnits('aws', all, { index: i, count: 8 }));
    const seen = parts.flatMap((p) => p.units);
    expect(seen.length).toBe(all.length);
    expect(new Set(seen).size).toBe(all.length);
    for (const p of parts) {
      expect(p.units.length).toBeGreaterThan(1250 * 0.9);
      expect(p.units.length).toBeLessThan(1250 * 1.1);
      expect(p.unitListSha256).toBe(parts[0].unitListSha256);
    }
  });

  test('adding or removing one unit moves only that unit; the split does not depend on the order', () => {
    const all = units(3000);
    const before = new Map(all.map((u) => [u, shardOfUnit(u, 16)]));
    const added = '999999999999';
    const grown = shardUnits('aws', [...all, added].reverse(), { index: 3, count: 16 });
    const shrunk = shardUnits('aws', all.slice(1), { index: 3, count: 16 });
    expect(grown.units.filter((u) => u !== added)).toEqual(all.filter((u) => before.get(u) === 3));
    expect(shrunk.units).toEqual(all.slice(1).filter((u) => before.get(u) === 3));
    // The whole list's hash changes, so a merge can tell the two scans apart.
    expect(grown.unitListSha256).not.toBe(shrunk.unitListSha256);
    expect(unitListSha256('aws', [...all].reverse())).toBe(unitListSha256('aws', all));
    expect(unitListSha256('gcp', all)).not.toBe(unitListSha256('aws', all));
  });

  test('growing N moves about 1/N of the units (rendezvous), not all of them', () => {
    const all = units(5000);
    const moved = all.filter((u) => shardOfUnit(u, 8) !== shardOfUnit(u, 9)).length;
    expect(moved / all.length).toBeGreaterThan(0.08);
    expect(moved / all.length).toBeLessThan(0.15);
  });

  test('--shard i/N and auto/N: parsing, the engines\u2019 index variables, and clear refusals', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(parseShard('auto/8')).toEqual({ index: 'auto', count: 8 });
    for (const bad of ['8/8', '1/0', '-1/4', 'x/4', '1', '1/5000', '']) expect(() => parseShard(bad)).toThrow(/expected i\/N/);
    expect(resolveShard({ index: 'auto', count: 4 }, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 4 });
    expect(resolveShard({ index: 'auto', count: 4 }, { AWS_BATCH_JOB_ARRAY_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(resolveShard({ index: 1, count: 4 }, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 1, count: 4 });
    expect(() => resolveShard({ index: 'auto', count: 4 }, {})).toThrow(UsageError);
    expect(() => resolveShard({ index: 'auto', count: 4 }, { JOB_COMPLETION_INDEX: '4' })).toThrow(/not an index from 0 to 3/);
    expect(() => resolveShard({ index: 'auto', count: 4 }, { JOB_COMPLETION_INDEX: 'two' })).toThrow(/not an index/);
  });

  test('a selector records its shard once', () => {
    const s = new ShardSelector({ index: 0, count: 2 });
    const mine = s.select('aws', units(10));
    expect(s.record?.units).toEqual(mine);
    expect(s.record?.allUnits).toEqual(units(10));
    expect(() => s.select('aws', units(10))).toThrow(/twice/);
    expect(s.label).toBe('shard 0/2');
  });
});

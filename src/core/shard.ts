import { createHash } from 'node:crypto';
import { UsageError } from './errors';
import { sha256 } from './hash';

/**
 * Splitting a scan's units (accounts, projects, subscriptions) between N workers that each run
 * one part: `--shard i/N` (i from 0 to N-1, as array-job engines number their workers) or
 * `--shard auto/N` (the index from the engine's environment). Units go to shards by rendezvous
 * hashing: each unit picks, among the N shards, the one with the highest hash of (unit, shard),
 * so a unit's shard depends only on the unit and N — adding or removing one unit moves only
 * that unit, and every worker computes the same split without talking to the others.
 */

/** Environment variables that array-job engines set to the worker's index (0-based). */
export const SHARD_INDEX_VARIABLES = [
  /** Kubernetes Indexed Jobs. */
  'JOB_COMPLETION_INDEX',
  /** AWS Batch array jobs. */
  'AWS_BATCH_JOB_ARRAY_INDEX',
] as const;

/** Largest N accepted: beyond it a part would hold a handful of units and merges would be all overhead. */
export const MAX_SHARDS = 4096;

/** `--shard` as given: the index may still be "auto". */
export interface ShardSpec {
  index: number | 'auto';
  count: number;
}

/** A resolved shard: worker `index` of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** What a part records about its share of the scan, so a merge can tell exactly what is missing. */
export interface ShardRecord {
  index: number;
  count: number;
  /** Provider of the units. */
  provider: string;
  /** The units this part was responsible for (sorted). */
  units: string[];
  /** Every unit of the scan, in all shards (sorted): a merge names the units of a missing part. */
  allUnits: string[];
  /** SHA-256 of the whole unit list (`unitListSha256(provider, allUnits)`): parts of one scan share it. */
  unitListSha256: string;
}

/** Parses `i/N` or `auto/N`; throws an Error saying what is expected. */
export function parseShard(value: string): ShardSpec {
  const m = /^\s*(auto|\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const expected = `expected i/N (this worker's index from 0 to N-1, and the number of shards N from 1 to ${MAX_SHARDS}) or auto/N (index from ${SHARD_INDEX_VARIABLES.join(' or ')})`;
  if (!m) throw new Error(expected);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) throw new Error(`${expected}: N=${m[2]} is out of range`);
  if (m[1] === 'auto') return { index: 'auto', count };
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index) || index >= count) throw new Error(`${expected}: index ${m[1]} is not below N=${count}`);
  return { index, count };
}

/** Turns `auto/N` into the worker's index from the engine's environment; a missing or bad index is a usage error. */
export function resolveShard(spec: ShardSpec, env: NodeJS.ProcessEnv): Shard {
  if (spec.index !== 'auto') return { index: spec.index, count: spec.count };
  const found = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
  if (!found) {
    throw new UsageError(
      `--shard auto/${spec.count}: none of ${SHARD_INDEX_VARIABLES.join(', ')} is set, so this worker does not know its index; ` +
        `run it as an indexed array job (a Kubernetes Indexed Job, a Batch array job), or give the index: --shard i/${spec.count}`,
    );
  }
  const raw = env[found]!;
  const index = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || index >= spec.count) {
    throw new UsageError(`--shard auto/${spec.count}: ${found}='${raw.slice(0, 20)}' is not an index from 0 to ${spec.count - 1} (is the job's parallelism/array size ${spec.count}?)`);
  }
  return { index, count: spec.count };
}

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The shard (0..count-1) a unit belongs to: the highest rendezvous weight wins, ties to the lower
 * index. A unit is hashed once (SHA-256); its weight for each shard mixes that hash with the shard
 * number, so splitting 10,000 units 4,096 ways stays fast. Part of the parts' format: changing it
 * changes every split (merges check the split of each part).
 */
export function shardOfUnit(unit: string, count: number): number {
  if (count === 1) return 0;
  const digest = createHash('sha256').update(unit).digest();
  const hi = digest.readUInt32BE(0);
  const lo = digest.readUInt32BE(4);
  let best = 0;
  let bestWeight = -1;
  for (let s = 0; s < count; s++) {
    const w = fmix32(hi ^ Math.imul(s + 1, 0x9e3779b9)) * 0x200000 + (fmix32(lo ^ Math.imul(s + 1, 0x27d4eb2f)) >>> 11);
    if (w > bestWeight) {
      best = s;
      bestWeight = w;
    }
  }
  return best;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The hash of a scan's whole unit list: the same list (in any order) gives the same hash. */
export function unitListSha256(provider: string, units: readonly string[]): string {
  return sha256(`${provider}\n${[...new Set(units)].sort(cmp).join('\n')}`);
}

/** Splits `units` for `shard` and returns what the part records. */
export function shardUnits(provider: string, units: readonly string[], shard: Shard): ShardRecord {
  const allUnits = [...new Set(units)].sort(cmp);
  return {
    index: shard.index,
    count: shard.count,
    provider,
    units: allUnits.filter((u) => shardOfUnit(u, shard.count) === shard.index),
    allUnits,
    unitListSha256: unitListSha256(provider, allUnits),
  };
}

/**
 * The collector's side of sharding (see CollectContext.shard): a collector hands its whole unit
 * list to `select` once it knows it and collects only the units returned. The record is then
 * available to the command, which writes it into the snapshot's metadata.
 */
export class ShardSelector {
  private recorded: ShardRecord | undefined;

  constructor(readonly shard: Shard) {}

  select(provider: string, units: readonly string[]): string[] {
    if (this.recorded) throw new Error('ShardSelector.select called twice: a collection has one unit list');
    this.recorded = shardUnits(provider, units, this.shard);
    return this.recorded.units;
  }

  /** The record, once `select` was called. */
  get record(): ShardRecord | undefined {
    return this.recorded;
  }

  /** "shard 3/8". */
  get label(): string {
    return `shard ${this.shard.index}/${this.shard.count}`;
  }
}

import { closeSync, openSync, readSync } from 'node:fs';
import type { Logger } from 'pino';
import { fileError, InputError, UsageError } from '../core/errors';
import { sha256 } from '../core/hash';
import type { EvaluationContextDeclaration } from '../core/provider-plugin';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { type ShardRecord, shardOfUnit, unitListSha256 } from '../core/shard';
import { NDJSON_FORMAT } from '../core/snapshot-schema';
import { loadSnapshot } from '../core/snapshot-loader';
import { ResourceSpool, spoolSnapshot } from '../core/snapshot-spool';
import { type AccountRef, type CoverageEntry, type ShardsSummary, type SnapshotMetadata, unionIdentities } from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { type Ownership, PartitionBuilder } from '../engine/partition-builder';
import { type ContextPlan, contextPlan, PartitionedEvaluation, type PartitionedSnapshot, unitKey } from '../engine/partitioned';
import { FORMATS } from '../report/formats';
import { HistoryRecorder } from '../store/recorder';
import type { SnapshotOutline } from '../store/run-adapter';
import { Suppressor } from '../suppress/suppressions';
import { type OutputOptions, prepareOutput } from './output-plan';
import { type EvaluationInputs, type OutputIO, produceOutputs, standardNames } from './run';

/**
 * `trustscan merge`: the parts of a sharded scan (snapshots written by `collect --shard i/N`)
 * evaluated as one organization, in bounded memory, into one result and one roll-up per
 * framework. A part that is missing, unreadable or inconsistent with its own record does not make
 * a smaller organization that passes: its units are in the results with every finding UNKNOWN,
 * and the coverage names the shard ("shard 3/8 missing: 1,250 accounts"). Parts of different
 * unit lists, a part given twice, or a snapshot that is not a part are refused (exit 2).
 */

const fmt = (n: number): string => n.toLocaleString('en-US');

/** What a part's header says, read before its resources. */
interface PartHead {
  /** As shown in messages (the object of a downloaded part). */
  file: string;
  /** Where it is read. */
  path?: string;
  metadata: SnapshotMetadata;
}

/** The first line of an NDJSON part (or the whole of a one-document part). */
async function readHead(file: string, registry: ResourceTypeRegistry): Promise<PartHead> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw fileError(file, e);
  }
  let head: string;
  try {
    const buf = Buffer.alloc(1 << 22);
    const n = readSync(fd, buf, 0, buf.length, 0);
    head = buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
  const nl = head.indexOf('\n');
  if (nl !== -1 && head.slice(0, nl).includes(NDJSON_FORMAT)) {
    const rec = JSON.parse(head.slice(0, nl)) as { metadata?: SnapshotMetadata };
    if (!rec.metadata || typeof rec.metadata !== 'object') throw InputError.at({ file, line: 1 }, 'the snapshot header has no metadata');
    return { file, metadata: rec.metadata };
  }
  return { file, metadata: (await loadSnapshot(file, registry)).metadata };
}

/** A part that will be merged, or why one shard could not be. */
interface ShardSlot {
  index: number;
  part?: PartHead & { shard: ShardRecord };
  /** Why the shard's units are UNKNOWN. */
  missing?: string;
}

/** The parts of one provider's sharded scan. */
interface ProviderParts {
  provider: string;
  count: number;
  unitListSha256: string;
  allUnits: string[];
  slots: ShardSlot[];
  /** Unit → shard index. */
  shardOf: Map<string, number>;
}

function describe(h: PartHead & { shard: ShardRecord }): string {
  const s = h.shard;
  return `${h.file} (shard ${s.index}/${s.count} of ${fmt(s.allUnits.length)} units, list ${s.unitListSha256.slice(0, 12)}…)`;
}

/** Groups parts by provider and checks that they belong together; throws UsageError when they do not. */
function planParts(heads: (PartHead | { file: string; error: string })[]): { groups: ProviderParts[]; unreadable: { file: string; error: string }[] } {
  const byProvider = new Map<string, (PartHead & { shard: ShardRecord })[]>();
  const unreadable: { file: string; error: string }[] = [];
  for (const h of heads) {
    if ('error' in h) {
      unreadable.push(h);
      continue;
    }
    const shard = h.metadata.shard;
    if (!shard) {
      throw new UsageError(`${h.file} is not a part of a sharded scan (its metadata has no shard record): evaluate it with 'trustscan evaluate', or collect the parts with --shard i/N`);
    }
    const list = byProvider.get(shard.provider) ?? [];
    list.push({ ...h, shard });
    byProvider.set(shard.provider, list);
  }
  if (byProvider.size === 0) {
    throw new UsageError(`no readable part among the ${heads.length} given: ${unreadable.map((u) => `${u.file}: ${u.error}`).join('; ')}`);
  }
  const groups: ProviderParts[] = [];
  for (const [provider, parts] of byProvider) {
    const first = parts[0];
    for (const p of parts.slice(1)) {
      if (p.shard.unitListSha256 !== first.shard.unitListSha256 || p.shard.count !== first.shard.count) {
        throw new UsageError(
          `parts of different scans cannot be merged: ${describe(first)} and ${describe(p)} were split from different ${provider} unit lists or shard counts; ` +
            'merge the parts of one run (same --shard N, same scope), or collect again',
        );
      }
    }
    const slots: ShardSlot[] = Array.from({ length: first.shard.count }, (_, index) => ({ index }));
    for (const p of parts) {
      const slot = slots[p.shard.index];
      if (slot.part) throw new UsageError(`shard ${p.shard.index}/${p.shard.count} of ${provider} is given twice: ${slot.part.file} and ${p.file} (a retried worker? keep one of them)`);
      slot.part = p;
    }
    const allUnits = first.shard.allUnits;
    const shardOf = new Map(allUnits.map((u) => [u, shardOfUnit(u, first.shard.count)]));
    for (const slot of slots) {
      const p = slot.part;
      if (!p) continue;
      // A part whose record does not add up is not trusted: its shard counts as missing.
      const expected = allUnits.filter((u) => shardOf.get(u) === slot.index);
      if (unitListSha256(provider, p.shard.allUnits) !== p.shard.unitListSha256 || p.shard.units.length !== expected.length || p.shard.units.some((u, i) => u !== expected[i])) {
        slot.missing = `part ${p.file} does not match its own shard record (edited or written by another version?)`;
        slot.part = undefined;
      }
    }
    for (const slot of slots) if (!slot.part && !slot.missing) slot.missing = 'missing';
    groups.push({ provider, count: first.shard.count, unitListSha256: first.shard.unitListSha256, allUnits, slots, shardOf });
  }
  return { groups, unreadable };
}

const coverageIdentity = (c: CoverageEntry): string => JSON.stringify([c.provider, c.account, c.region, c.service, c.operation, c.outcome, c.resourceId ?? '', c.message ?? '', c.affects ?? []]);

/** The merged organization, ready for PartitionedEvaluation, and what the merge recorded. */
export interface MergedParts {
  org: PartitionedSnapshot;
  plan: ContextPlan;
  shards: ShardsSummary[];
  spool: ResourceSpool;
}

/**
 * Reads the parts (first pass): headers, then each part's records into the spool. `files` are
 * snapshot files; a part that cannot be read is a missing shard, not an error.
 */
export async function readParts(
  files: readonly string[],
  registry: ResourceTypeRegistry,
  plan: ContextPlan,
  log: Logger,
  unitNames: Readonly<Record<string, { singular: string; plural: string }>> = {},
  names: ReadonlyMap<string, string> = new Map(),
): Promise<MergedParts> {
  const heads: (PartHead | { file: string; error: string })[] = [];
  const shown = (text: string): string => {
    for (const [local, remote] of names) text = text.split(local).join(remote);
    return text;
  };
  for (const path of files) {
    try {
      heads.push({ ...(await readHead(path, registry)), path, file: shown(path) });
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof SyntaxError)) throw e;
      heads.push({ file: shown(path), error: shown(e.message) });
    }
  }
  const { groups, unreadable } = planParts(heads);
  for (const u of unreadable) log.warn({ file: u.file, error: u.error }, 'part unreadable: the shard it holds is counted as missing');
  const spool = new ResourceSpool();
  const builder = new PartitionBuilder(spool, plan, registry);
  /** Present parts' units, by unit key: which part owns a resource or a coverage entry. */
  const owner = new Map<string, string>();
  for (const g of groups) for (const s of g.slots) if (s.part) for (const u of s.part.shard.units) owner.set(unitKey(g.provider, u), s.part.file);
  /** Units of shards missing from the start: nothing other parts saw of them is used. */
  const absent = new Set(groups.flatMap((g) => g.allUnits.filter((u) => !g.slots[g.shardOf.get(u)!].part).map((u) => unitKey(g.provider, u))));
  const coverage: CoverageEntry[] = [];
  const seenCoverage = new Set<string>();
  const metas: SnapshotMetadata[] = [];
  const hashes: string[] = [];
  const partSummaries = new Map<string, { index: number; file: string; units: number }[]>();
  for (const g of groups) {
    for (const slot of g.slots) {
      const part = slot.part;
      if (!part) continue;
      const file = part.file;
      const ownership = (provider: string, account: string): Ownership => {
        const key = unitKey(provider, account);
        const o = owner.get(key);
        return o === file ? 'here' : o !== undefined ? 'elsewhere' : absent.has(key) ? 'missing' : 'nowhere';
      };
      const first = spool.size;
      try {
        const read = await spoolSnapshot(part.path ?? file, spool, registry, (r, ref) => builder.add(r, ref, ownership(r.provider, r.account)));
        if (read.metadata.shard?.unitListSha256 !== part.shard.unitListSha256 || read.metadata.shard.index !== slot.index) {
          throw InputError.at({ file }, 'the header changed while the part was read');
        }
        for (const c of read.coverage) {
          const o = ownership(c.provider, c.account);
          if (o === 'elsewhere' || o === 'missing') continue;
          if (o === 'nowhere') {
            const id = coverageIdentity(c);
            if (seenCoverage.has(id)) continue;
            seenCoverage.add(id);
          }
          coverage.push(c);
        }
        metas.push(read.metadata);
        hashes.push(`${g.provider}/${slot.index}:${read.sha256}`);
        const list = partSummaries.get(g.provider) ?? [];
        list.push({ index: slot.index, file, units: part.shard.units.length });
        partSummaries.set(g.provider, list);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // What it already handed over is forgotten: its units are evaluated as missing, never half-read.
        const units = new Set(part.shard.units.map((u) => unitKey(g.provider, u)));
        builder.dropFrom(first, units);
        // Parts read later treat its units as missing too.
        for (const u of units) {
          owner.delete(u);
          absent.add(u);
        }
        for (let i = coverage.length - 1; i >= 0; i--) if (units.has(unitKey(coverage[i].provider, coverage[i].account))) coverage.splice(i, 1);
        slot.missing = `unreadable: ${shown(e.message.split('\n')[0])}`;
        slot.part = undefined;
        log.warn({ file, error: shown(e.message) }, 'part unreadable: its shard is counted as missing');
      }
    }
  }
  const shards: ShardsSummary[] = [];
  const accounts = new Map<string, AccountRef>();
  for (const m of metas) for (const a of m.accounts) if (!accounts.has(unitKey(a.provider, a.id))) accounts.set(unitKey(a.provider, a.id), { provider: a.provider, id: a.id, ...(a.name ? { name: a.name } : {}) });
  for (const g of groups) {
    const missing: ShardsSummary['missing'] = [];
    for (const slot of g.slots) {
      if (slot.part) continue;
      const units = g.allUnits.filter((u) => g.shardOf.get(u) === slot.index);
      const names = unitNames[g.provider] ?? { singular: 'unit', plural: 'units' };
      const reason = `shard ${slot.index}/${g.count} ${slot.missing === 'missing' ? 'missing' : slot.missing}: ${fmt(units.length)} ${units.length === 1 ? names.singular : names.plural} not evaluated`;
      missing.push({ index: slot.index, units, reason });
      log.warn({ provider: g.provider, shard: `${slot.index}/${g.count}`, units: units.length }, `${reason}: their findings are UNKNOWN`);
      for (const u of units) {
        if (!accounts.has(unitKey(g.provider, u))) accounts.set(unitKey(g.provider, u), { provider: g.provider, id: u });
        coverage.push({ provider: g.provider, account: u, region: 'global', service: 'trustscan', operation: 'MergeShard', outcome: 'error', message: reason, affects: ['*'] });
      }
    }
    shards.push({ count: g.count, provider: g.provider, unitListSha256: g.unitListSha256, units: g.allUnits.length, parts: (partSummaries.get(g.provider) ?? []).sort((a, b) => a.index - b.index), missing });
  }
  const org = builder.build(mergedMetadata(metas, [...accounts.values()], shards), coverage, sha256(hashes.sort().join('\n')));
  return { org, plan, shards, spool };
}

function mergedMetadata(metas: SnapshotMetadata[], accounts: AccountRef[], shards: ShardsSummary[]): SnapshotMetadata {
  const times = (xs: string[]) => xs.map((x) => Date.parse(x)).filter((x) => Number.isFinite(x));
  const started = times(metas.map((m) => m.startedAt));
  const finished = times(metas.map((m) => m.finishedAt));
  const now = new Date().toISOString();
  const parts = shards.reduce((n, s) => n + s.parts.length, 0);
  const total = shards.reduce((n, s) => n + s.count, 0);
  const collectedBy = unionIdentities(metas.map((m) => m.collectedBy));
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    startedAt: started.length ? new Date(Math.min(...started)).toISOString() : now,
    finishedAt: finished.length ? new Date(Math.max(...finished)).toISOString() : now,
    providers: [...new Set([...metas.flatMap((m) => m.providers), ...shards.map((s) => s.provider)])],
    accounts,
    description: `trustscan merge: ${parts} of ${total} parts (${shards.map((s) => `${s.provider}: ${fmt(s.units)} units in ${s.count} shards`).join('; ')})`,
    ...(collectedBy ? { collectedBy } : {}),
    shards,
  };
}

/** What a merge evaluates with, besides the rules: the providers' declared evaluation context. */
export interface MergeInputs extends EvaluationInputs {
  context: readonly EvaluationContextDeclaration[];
  /** What each provider's units are called ("accounts"), for the coverage of missing shards. */
  unitNames?: Readonly<Record<string, { singular: string; plural: string }>>;
  /** Local copies of remote parts → the object they came from (for messages and the results). */
  names?: ReadonlyMap<string, string>;
}

/** What the history store needs of the merged organization: resources are counted per unit, never loaded. */
function outlineOfParts(org: PartitionedSnapshot): SnapshotOutline {
  const perAccount = new Map<string, number>();
  for (const [unit, refs] of org.units) perAccount.set(unit.replace('\u0000', ':'), refs.length);
  return { metadata: org.metadata, coverage: org.coverage, resourcesPerAccount: perAccount };
}

/** Merges the parts, evaluates them in bounded memory and writes every planned output; returns the gate's exit code. */
export async function mergeAndWrite(files: readonly string[], inputs: MergeInputs, opts: OutputOptions, io: OutputIO, log: Logger): Promise<number> {
  const plan = await prepareOutput(opts, io, log);
  const started = Date.now();
  const { rules, registry, frameworks } = inputs;
  const context = contextPlan(rules, registry, inputs.context);
  const merged = await readParts(files, registry, context, log, inputs.unitNames, inputs.names);
  try {
    const now = plan.now ?? new Date(merged.org.metadata.startedAt);
    const suppressor = plan.suppressions.length ? new Suppressor(plan.suppressions, now) : undefined;
    const collect = plan.targets.some((t) => FORMATS[t.format].needsFindings);
    const evaluation = new PartitionedEvaluation(merged.org, rules, registry, context, {
      now,
      collect,
      frameworks,
      settings: { privilegedPrincipals: plan.privileged },
      decorate: suppressor?.apply,
      suppressionReport: suppressor ? () => suppressor.report() : undefined,
    });
    // The merged run is recorded like any other: its scope is every unit of every part.
    const recorder = plan.history ? new HistoryRecorder(plan.history, { snapshot: outlineOfParts(merged.org), rules, registry, command: 'merge' }) : undefined;
    const code = await produceOutputs(plan, { run: evaluation.run, standards: standardNames(frameworks.list()), batches: evaluation.batches(), finish: () => evaluation.finish().results }, io, log, recorder);
    log.info({ parts: merged.shards.map((s) => `${s.provider}: ${s.parts.length}/${s.count}`), ms: Date.now() - started, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, 'merge finished');
    return code;
  } finally {
    merged.spool.close();
  }
}

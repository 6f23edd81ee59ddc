import { type Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { streamFileAtomic } from '../core/atomic-write';
import { EXIT, InputError, UsageError } from '../core/errors';
import type { Collection, CollectContext, CollectorRuntime, OptionOrigin, ProviderPlugin } from '../core/provider-plugin';
import { parseShard, resolveShard, ShardSelector, type ShardSpec } from '../core/shard';
import { NdjsonSnapshotWriter, writeSnapshotFile } from '../core/snapshot-writer';
import { isCoverageGap, SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from '../core/types';
import { loadConfig, sourceOf, type TrustscanConfig } from '../config/config';
import { Progress } from '../pipeline/progress';
import { partName, partsLocation } from '../parts/location';
import { writePart } from '../parts/store';
import type { CliIO, GlobalOptions } from './io';

/** What the collecting commands (`collect <provider>`, `scan <provider>`) share. */
export interface CommandContext {
  io: CliIO;
  global(): GlobalOptions;
  log(): Logger;
  exit(code: number): void;
}

/** The options every collector gets besides its own. */
export interface CollectCliOptions {
  progress?: boolean;
  /** --config FILE, or false for --no-config. */
  config?: string | false;
  /** --shard i/N or auto/N. */
  shard?: ShardSpec;
}

/** Adds a provider's declared collector options (and --no-progress) to a command. */
export function addCollectorOptions(cmd: Command, plugin: ProviderPlugin): Command {
  for (const o of plugin.collector?.options ?? []) {
    const opt = new Option(o.flags, o.description);
    if (o.parse) {
      const parse = o.parse;
      opt.argParser((value: string, previous: unknown) => {
        try {
          return parse(value, previous);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
      });
    }
    cmd.addOption(opt);
  }
  const shard = new Option('--shard <i/N|auto/N>', `collect only this worker's share of the ${plugin.unit.plural}: i from 0 to N-1, or auto (from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX); then trustscan merge`).argParser(
    (value: string) => {
      try {
        return parseShard(value);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    },
  );
  return cmd.addOption(shard).addOption(new Option('--no-progress', 'no progress line on stderr (it is shown only on a terminal anyway)'));
}

/** Option name (camelCase, as commander stores it) of a declared option. */
function attributeOf(flags: string): string {
  return new Option(flags).attributeName();
}

/**
 * Merges the provider's section of trustscan.yaml (and, for options named like them, the file's
 * top-level `accounts` and `regions`) under the command-line options: an option given on the
 * command line wins. Values from the file are checked by the option's own parser, and a bad one
 * is reported at the file.
 */
export function mergeConfigDefaults(plugin: ProviderPlugin, opts: Record<string, unknown>, config: TrustscanConfig | undefined): { options: Record<string, unknown>; origin: OptionOrigin } {
  const options = { ...opts };
  const fromConfig: string[] = [];
  if (!config) return { options, origin: { fromConfig } };
  const section = config.providers[plugin.id] ?? {};
  const topLevel: Record<string, unknown> = { accounts: config.accounts, regions: config.regions };
  for (const o of plugin.collector?.options ?? []) {
    if (!o.configKey) continue;
    const name = attributeOf(o.flags);
    if (options[name] !== undefined) continue;
    const raw = section[o.configKey] ?? topLevel[o.configKey];
    if (raw === undefined) continue;
    const text = Array.isArray(raw) ? raw.join(',') : String(raw);
    try {
      options[name] = o.parse ? o.parse(text, undefined) : raw;
    } catch (e) {
      const key = `${section[o.configKey] !== undefined ? `${plugin.id}.` : ''}${o.configKey}`;
      throw InputError.at({ file: sourceOf(config, key) }, `${key}: ${(e as Error).message}`);
    }
    fromConfig.push(name);
  }
  return { options, origin: { configFile: config.file, fromConfig } };
}

/** trustscan.yaml for a collecting command: --config FILE, else the working directory's, unless --no-config. */
export function loadCollectConfig(plugin: ProviderPlugin, o: CollectCliOptions, io: CliIO): Promise<TrustscanConfig | undefined> {
  const sections = plugin.collector?.configSchema ? { [plugin.id]: plugin.collector.configSchema } : {};
  return loadConfig(o.config === false ? false : o.config === undefined ? undefined : resolve(io.cwd, o.config), io.cwd, sections, io.env);
}

/** A collector ready to run: its runtime (the SDK loaded), its request and its context. */
export interface PreparedCollection {
  runtime: CollectorRuntime;
  request: unknown;
  context: CollectContext;
  /** Set with --shard: records this part's units once the collector knows the whole list. */
  shard?: ShardSelector;
}

/** The metadata of a part carries its shard record (a collector that ignored the selector is a bug, not a silent full scan). */
function withShard<M extends object>(metadata: M, p: PreparedCollection): M {
  if (!p.shard) return metadata;
  const record = p.shard.record;
  if (!record) throw new Error(`${p.shard.label}: the collector did not hand its unit list to the shard selector`);
  return { ...metadata, shard: record };
}

/** Checks the options (a usage error before anything is read), then loads the provider's SDK. */
export async function prepareCollection(plugin: ProviderPlugin, o: Record<string, unknown> & CollectCliOptions, config: TrustscanConfig | undefined, ctx: CommandContext): Promise<PreparedCollection> {
  const { options, origin } = mergeConfigDefaults(plugin, o, config);
  if (origin.fromConfig.length) ctx.log().debug({ file: origin.configFile, options: origin.fromConfig }, 'collector defaults from the config file');
  const shard = o.shard ? new ShardSelector(resolveShard(o.shard, ctx.io.env)) : undefined;
  const context: CollectContext = { log: ctx.log(), env: ctx.io.env, progress: new Progress(ctx.io.stderr, o.progress !== false && !ctx.global().quiet), ...(shard ? { shard } : {}) };
  const runtime = await plugin.collector!.load();
  return { runtime, request: runtime.prepare(options, context, origin), context, ...(shard ? { shard } : {}) };
}

/** Logs what a collection left unread, once, at warn level. */
export function reportCollection(c: Collection, log: Logger, plugin: ProviderPlugin): void {
  const gaps = c.coverage.filter(isCoverageGap);
  const summary = { [plugin.unit.plural]: c.stats.accounts, resources: c.stats.resources, apiCalls: c.stats.calls, gaps: gaps.length };
  if (c.stats.unreadableAccounts.length > 0) log.warn({ ...summary, unreadable: c.stats.unreadableAccounts }, `some ${plugin.unit.plural} could not be read at all: their findings are UNKNOWN`);
  else if (gaps.length > 0) log.warn(summary, 'some API calls failed: the data they feed is recorded as unknown');
  else log.info(summary, 'collection complete');
}

/** Collects into memory (for `scan`). */
export async function collectToSnapshot(p: PreparedCollection): Promise<{ snapshot: Snapshot; collection: Collection }> {
  const resources: Resource[] = [];
  const collection = await p.runtime.collect(p.request, { resource: (r) => void resources.push(r) }, p.context);
  collection.metadata = withShard(collection.metadata, p);
  logShard(collection, p);
  return { snapshot: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, metadata: collection.metadata, resources, coverage: collection.coverage }, collection };
}

function logShard(c: Collection, p: PreparedCollection): void {
  const r = c.metadata.shard;
  if (r) p.context.log.info({ shard: `${r.index}/${r.count}`, units: r.units.length, of: r.allUnits.length, unitListSha256: r.unitListSha256 }, `${p.shard!.label}: collected this part's units`);
}

/** `trustscan collect <provider> --output FILE`: NDJSON streamed to the file (atomically), or one JSON document for *.json. */
export async function collectCommand(plugin: ProviderPlugin, o: Record<string, unknown> & CollectCliOptions & { output: string }, ctx: CommandContext): Promise<number> {
  const prepared = await prepareCollection(plugin, o, await loadCollectConfig(plugin, o, ctx.io), ctx);
  const log = ctx.log();
  const started = Date.now();
  let collection: Collection;
  const stream = async (out: Writable): Promise<void> => {
    const w = new NdjsonSnapshotWriter(out);
    collection = await prepared.runtime.collect(prepared.request, { start: (m) => w.header(withShard(m, prepared)), resource: (r) => w.resource(r) }, prepared.context);
    collection.metadata = withShard(collection.metadata, prepared);
    logShard(collection, prepared);
    for (const c of collection.coverage) await w.coverageEntry(c);
    await w.end(collection.metadata.finishedAt);
  };
  const parts = o.output === '-' ? undefined : partsLocation(o.output, ctx.io.cwd);
  if (parts && !prepared.shard) throw new UsageError(`${o.output} is a folder or a bucket: it holds the parts of a sharded scan (add --shard i/N), or name a file`);
  let written = o.output;
  if (o.output === '-') await stream(ctx.io.stdout);
  else if (parts) written = await writePart(parts, partName(plugin.id, prepared.shard!.shard.index, prepared.shard!.shard.count), stream, ctx.io.env);
  else if (/\.(ndjson|jsonl)$/i.test(o.output)) await streamFileAtomic(o.output, stream);
  else {
    const r = await collectToSnapshot(prepared);
    collection = r.collection;
    await writeSnapshotFile(o.output, r.snapshot);
  }
  reportCollection(collection!, log, plugin);
  log.info({ file: written, ms: Date.now() - started, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, 'snapshot written');
  return EXIT.OK;
}

/** `collect <provider>` for every provider that has a collector. */
export function registerCollectCommand(program: Command, ctx: CommandContext, plugins: readonly ProviderPlugin[]): void {
  const collect = program.command('collect').description('read a cloud into a snapshot file (then: trustscan evaluate)');
  for (const plugin of plugins) {
    if (!plugin.collector) continue;
    addCollectorOptions(
      collect
        .command(plugin.id)
        .description(plugin.collector.description)
        .requiredOption('-o, --output <file>', 'snapshot file: NDJSON for .ndjson/.jsonl (streamed), else one JSON document; "-" for NDJSON on stdout; with --shard, a folder (ending in /) or s3://bucket/prefix/ for the part')
        .option('--config <file>', `config file whose ${plugin.id} section gives the defaults (default: trustscan.yaml in the working directory, if any)`)
        .option('--no-config', 'ignore trustscan.yaml'),
      plugin,
    ).action(async (opts) => {
      ctx.exit(await collectCommand(plugin, opts, ctx));
    });
  }
}

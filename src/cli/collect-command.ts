import { type Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { collectAws, type AwsCollectOptions, type AwsCollection, type AwsSink, DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_CONCURRENCY } from '../providers/aws/collector/collector';
import { Progress } from '../pipeline/progress';
import { streamFileAtomic } from '../core/atomic-write';
import { loadConfig, type TrustscanConfig } from '../config/config';
import { EXIT, InputError, UsageError } from '../core/errors';
import { NdjsonSnapshotWriter, writeSnapshotFile } from '../core/snapshot-writer';
import type { Resource, Snapshot } from '../core/types';
import type { CliIO, GlobalOptions } from './io';

/** What the AWS commands (`collect aws`, `scan aws`) share. */
export interface CommandContext {
  io: CliIO;
  global(): GlobalOptions;
  log(): Logger;
  exit(code: number): void;
}

export interface AwsCliOptions {
  profile?: string;
  region?: string;
  regions?: 'all' | string[];
  accounts?: string[];
  org?: boolean;
  roleName?: string;
  externalId?: string;
  concurrency?: number;
  accountConcurrency?: number;
  endpointUrl?: string;
  progress?: boolean;
  /** --config FILE, or false for --no-config. */
  config?: string | false;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function parseRegions(value: string): 'all' | string[] {
  if (value === 'all') return 'all';
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((r) => !REGION.test(r));
  if (list.length === 0 || bad.length) throw new InvalidArgumentError(`expected 'all' or region names such as us-east-1,eu-west-1${bad.length ? ` (not a region: ${bad.join(', ')})` : ''}`);
  return [...new Set(list)];
}

export function parseAccounts(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((a) => !/^\d{12}$/.test(a));
  if (list.length === 0 || bad.length) throw new InvalidArgumentError(`expected 12-digit account ids separated by commas${bad.length ? ` (not an account id: ${bad.join(', ')})` : ''}`);
  return list;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 512) throw new InvalidArgumentError('expected a whole number from 1 to 512');
  return n;
}

function parseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://localhost:4566');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value;
}

export function addAwsOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'shared config/credentials profile (default: AWS_PROFILE or the default chain)')
    .option('--region <region>', "region for global services and discovery (default: AWS_REGION, the profile's region, else us-east-1)")
    .option('--regions <all|r1,r2>', "regions to scan: all enabled regions, or a list (default: trustscan.yaml's regions, else all)", parseRegions)
    .option('--accounts <ids>', "comma-separated account ids to scan (default: trustscan.yaml's accounts, else the caller's account)", parseAccounts)
    .option('--org', "scan every active account of the organization (from the management or a delegated administrator account)")
    .option('--role-name <name>', 'role to assume in each scanned account other than the caller\'s (may include a path: path/Name)')
    .option('--external-id <id>', 'external id to pass when assuming --role-name')
    .option('--concurrency <n>', `API requests in flight over the whole scan (default ${DEFAULT_CONCURRENCY})`, parseCount)
    .option('--account-concurrency <n>', `API requests in flight per account (default ${DEFAULT_ACCOUNT_CONCURRENCY})`, parseCount)
    .option('--endpoint-url <url>', 'send every AWS call to this AWS-compatible endpoint (LocalStack, moto); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> also work', parseUrl)
    .addOption(new Option('--no-progress', 'no progress line on stderr (it is shown only on a terminal anyway)'));
}

/** `accounts` and `regions` of trustscan.yaml, checked as strictly as the options they stand in for. */
function configDefaults(config: TrustscanConfig | undefined): { accounts?: string[]; regions?: 'all' | string[] } {
  if (!config) return {};
  const parse = <T>(field: string, values: string[] | undefined, parser: (v: string) => T): T | undefined => {
    if (!values) return undefined;
    try {
      return parser(values.join(','));
    } catch (e) {
      throw InputError.at({ file: config.file }, `${field}: ${(e as Error).message}`);
    }
  };
  return { accounts: parse('accounts', config.accounts, parseAccounts), regions: parse('regions', config.regions, parseRegions) };
}

/** trustscan.yaml for the collect command: --config FILE, else the working directory's, unless --no-config. */
export function loadAwsConfig(o: AwsCliOptions, ctx: CommandContext): Promise<TrustscanConfig | undefined> {
  if (o.config === false) return Promise.resolve(undefined);
  return loadConfig(o.config === undefined ? undefined : resolve(ctx.io.cwd, o.config), ctx.io.cwd);
}

/**
 * Checks option combinations and turns CLI options into collector options. `accounts` and
 * `regions` of trustscan.yaml are the defaults: an option on the command line wins (--org wins
 * over the file's accounts too).
 */
export function awsCollectOptions(o: AwsCliOptions, ctx: CommandContext, config?: TrustscanConfig): AwsCollectOptions {
  if (o.org && o.accounts) throw new UsageError('--org and --accounts are exclusive: choose one');
  if (o.externalId !== undefined && !o.roleName) throw new UsageError('--external-id needs --role-name');
  const defaults = configDefaults(config);
  const accounts = o.accounts ?? (o.org ? undefined : defaults.accounts);
  if ((o.org || (accounts && accounts.length > 0)) && !o.roleName) {
    const from = !o.org && !o.accounts ? ` (the accounts come from ${config!.file})` : '';
    throw new UsageError(`scanning other accounts needs --role-name: the role to assume in each of them (see docs/aws.md)${from}`);
  }
  if (config && (defaults.accounts || defaults.regions)) ctx.log().debug({ file: config.file, accounts: defaults.accounts, regions: defaults.regions }, 'collector defaults from the config file');
  // Versions are pinned (see package.json); the SDK's notice about future Node 22 releases is noise on stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    profile: o.profile,
    homeRegion: o.region,
    regions: o.regions ?? defaults.regions ?? 'all',
    accounts,
    org: o.org,
    roleName: o.roleName,
    externalId: o.externalId,
    concurrency: o.concurrency,
    accountConcurrency: o.accountConcurrency,
    endpointUrl: o.endpointUrl,
    env: ctx.io.env,
    log: ctx.log(),
    progress: new Progress(ctx.io.stderr, o.progress !== false),
  };
}

/** Logs what a collection left unread, once, at warn level. */
export function reportCollection(c: AwsCollection, log: Logger): void {
  const gaps = c.coverage.filter((e) => e.outcome !== 'ok');
  const summary = { accounts: c.stats.accounts, resources: c.stats.resources, apiCalls: c.stats.calls, gaps: gaps.length };
  if (c.stats.unreadableAccounts.length > 0) log.warn({ ...summary, unreadableAccounts: c.stats.unreadableAccounts }, 'some accounts could not be read at all: their findings are UNKNOWN');
  else if (gaps.length > 0) log.warn(summary, 'some API calls failed: the data they feed is recorded as unknown');
  else log.info(summary, 'collection complete');
}

/** Collects into memory (for `scan`), optionally also writing the snapshot file. */
export async function collectAwsToSnapshot(options: AwsCollectOptions): Promise<{ snapshot: Snapshot; collection: AwsCollection }> {
  const resources: Resource[] = [];
  const collection = await collectAws(options, { resource: (r) => void resources.push(r) });
  return { snapshot: { schemaVersion: '1.0', metadata: collection.metadata, resources, coverage: collection.coverage }, collection };
}

/** `trustscan collect aws --output FILE`: NDJSON streamed to the file (atomically), or one JSON document for *.json. */
export async function collectAwsCommand(o: AwsCliOptions & { output: string }, ctx: CommandContext): Promise<number> {
  const options = awsCollectOptions(o, ctx, await loadAwsConfig(o, ctx));
  const log = ctx.log();
  const started = Date.now();
  let collection: AwsCollection;
  const stream = async (out: Writable): Promise<void> => {
    const w = new NdjsonSnapshotWriter(out);
    const sink: AwsSink = { start: (m) => w.header(m), resource: (r) => w.resource(r) };
    collection = await collectAws(options, sink);
    for (const c of collection.coverage) await w.coverageEntry(c);
    await w.end(collection.metadata.finishedAt);
  };
  if (o.output === '-') await stream(ctx.io.stdout);
  else if (/\.(ndjson|jsonl)$/i.test(o.output)) await streamFileAtomic(o.output, stream);
  else {
    const r = await collectAwsToSnapshot(options);
    collection = r.collection;
    await writeSnapshotFile(o.output, r.snapshot);
  }
  reportCollection(collection!, log);
  log.info({ file: o.output, ms: Date.now() - started }, 'snapshot written');
  return EXIT.OK;
}

export function registerCollectCommand(program: Command, ctx: CommandContext): void {
  const collect = program.command('collect').description('read a cloud account into a snapshot file (then: trustscan evaluate)');
  addAwsOptions(
    collect
      .command('aws')
      .description('read AWS accounts (IAM, S3, CloudTrail, KMS, EC2, Access Analyzer) through the AWS SDK, read-only')
      .requiredOption('-o, --output <file>', 'snapshot file: NDJSON for .ndjson/.jsonl (streamed), else one JSON document; "-" for NDJSON on stdout')
      .option('--config <file>', 'config file whose accounts and regions are the defaults (default: trustscan.yaml in the working directory, if any)')
      .option('--no-config', 'ignore trustscan.yaml'),
  ).action(async (opts) => {
    ctx.exit(await collectAwsCommand(opts, ctx));
  });
}

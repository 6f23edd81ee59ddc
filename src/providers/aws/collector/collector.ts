import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { partition as partitionOf } from '@aws-sdk/core/client';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ResourceWriter } from '../../../collect/resource-writer';
import type { CollectProgress, UnitSelector } from '../../../core/provider-plugin';
import type { AccountRef, CoverageEntry, Resource, SnapshotMetadata } from '../../../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../../../core/version';
import { DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_CONCURRENCY } from '../collector-options';
import { Progress } from '../../../pipeline/progress';
import { AnalyzerRegistry, collectAnalyzers } from './accessanalyzer';
import { AccountDraft } from './account';
import { AssumedRole, callerIdentity, listOrganization, organizationAccounts, type TargetAccount } from './accounts';
import { AWS_ANSWERS } from './answer-shapes';
import { AccountCalls, type CallRules, type Limit } from './calls';
import { AwsClients, DEFAULT_RETRY, DEFAULT_TIMEOUTS, type RetrySettings, type TimeoutSettings } from './clients';
import { collectTrails, TrailRegistry } from './cloudtrail';
import type { AccountContext, CredentialReportSettings } from './context';
import { CoverageRecorder } from './coverage';
import { collectDataStores } from './data-stores';
import { collectEc2, describeRegions, REGIONAL_TYPES, type RegionInfo } from './ec2';
import { collectIam } from './iam';
import { collectKms } from './kms';
import { collectS3Account, collectS3Buckets } from './s3';
import { collectConfig } from './config';
import { collectGuardDuty } from './guardduty';
import { collectMacie, collectSecurityHub } from './securityhub';
import { collectAlarms, collectMetricFilters } from './cloudwatch';
import { collectSns } from './sns';
import { collectSqs } from './sqs';
import { collectEcr } from './ecr';
import { collectElbv2 } from './elbv2';
import { collectLambda } from './lambda';
import { collectCloudFront } from './cloudfront';
import { collectAnalytics } from './analytics';
import { captureSdkWarnings, sdkLogger } from './sdk-guard';
import { scanUnits, unitsInFlight } from '../../../core/units-in-flight';

export interface AwsCollectOptions {
  /** Starting credentials; default: the SDK's provider chain (env, profiles, SSO, web identity, container and instance roles). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  profile?: string;
  /** Region for global services and discovery; default: AWS_REGION, the profile's region, else us-east-1. */
  homeRegion?: string;
  /** Regions to scan: `all` enabled regions (default) or a list. */
  regions?: 'all' | string[];
  /** Accounts to scan; default: the caller's account. */
  accounts?: string[];
  /** Scan every active account of the organization. */
  org?: boolean;
  /** Role assumed in every scanned account other than the caller's. */
  roleName?: string;
  externalId?: string;
  /** Requests in flight over the whole scan (default 32). */
  concurrency?: number;
  /** Requests in flight per account (default 16, at most `concurrency`). */
  accountConcurrency?: number;
  endpointUrl?: string;
  env?: NodeJS.ProcessEnv;
  retry?: RetrySettings;
  /** Connect and per-call time limits (default DEFAULT_TIMEOUTS). */
  timeouts?: Partial<TimeoutSettings>;
  credentialReport?: CredentialReportSettings;
  log: Logger;
  /** Set for one shard of a sharded scan: picks this part's units from the whole list. */
  shard?: UnitSelector;
  progress?: CollectProgress;
}

export interface AwsSink {
  /** Called once, before any resource, when the accounts are known. */
  start?(metadata: Omit<SnapshotMetadata, 'finishedAt'>): Promise<void>;
  resource(r: Resource): Promise<void> | void;
}

export interface AwsCollection {
  metadata: SnapshotMetadata;
  coverage: CoverageEntry[];
  stats: { resources: number; calls: number; callsByOperation: Record<string, number>; accounts: number; unreadableAccounts: string[] };
}

const DEFAULT_REPORT: CredentialReportSettings = { pollIntervalMs: 2_000, timeoutMs: 5 * 60_000 };

async function resolveHomeRegion(opts: AwsCollectOptions, env: NodeJS.ProcessEnv): Promise<string> {
  if (opts.homeRegion) return opts.homeRegion;
  if (env.AWS_REGION) return env.AWS_REGION;
  if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
  const probe = new STSClient(opts.profile ? { profile: opts.profile } : {});
  try {
    return (await probe.config.region()) || 'us-east-1';
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}

/**
 * Regions to scan in one account, from its enabled regions and the --regions choice. "All" means
 * the enabled regions of the caller's partition: an endpoint that lists China or GovCloud regions
 * to a commercial account (emulators do) does not send the scan there unless they are named.
 * A named region the account does not list, or has not enabled, is not skipped silently: it is a
 * gap that leaves every regional listing there unknown.
 */
function chooseRegions(info: RegionInfo[] | null, wanted: 'all' | string[], home: string, partition: string, gap: (region: string, outcome: 'not-enabled' | 'error', why: string) => void): { name: string; optInStatus: string | null }[] {
  if (!info) {
    // Enabled regions unknown (DescribeRegions failed): scan what was asked, or the home region.
    return (wanted === 'all' ? [home] : wanted).map((name) => ({ name, optInStatus: null }));
  }
  const enabled = info.filter((r) => r.optInStatus !== 'not-opted-in');
  if (wanted === 'all') return enabled.filter((r) => partitionOf(r.name).name === partition);
  const out: RegionInfo[] = [];
  for (const name of wanted) {
    const r = enabled.find((x) => x.name === name);
    if (r) out.push(r);
    else if (info.some((x) => x.name === name)) gap(name, 'not-enabled', `region ${name} is not enabled in this account (opt-in region): nothing there was read`);
    else gap(name, 'error', `region ${name} was asked for but the account does not list it (ec2:DescribeRegions): nothing there was read`);
  }
  return out;
}

/**
 * Reads AWS accounts into snapshot resources and coverage. Accounts, and within them services and
 * regions, run concurrently; every HTTP request waits for a slot of the scan-wide limiter and of
 * its account's limiter, so one account's rate limits are respected however many run at once.
 */
export async function collectAws(opts: AwsCollectOptions, sink: AwsSink): Promise<AwsCollection> {
  const startedAt = new Date().toISOString();
  const env = opts.env ?? process.env;
  const log = opts.log;
  const progress: CollectProgress = opts.progress ?? new Progress({ write: () => true }, false);
  const retry = opts.retry ?? DEFAULT_RETRY;
  const timeouts: TimeoutSettings = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const rules: CallRules = { answers: AWS_ANSWERS, callTimeoutMs: timeouts.callMs, provider: 'aws' };
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const accountConcurrency = Math.max(1, Math.min(concurrency, opts.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY));
  const overall = pLimit(concurrency);
  const coverage = new CoverageRecorder();
  const restoreWarnings = captureSdkWarnings(log);
  let home: string;
  try {
    home = await resolveHomeRegion(opts, env);
  } catch (err) {
    restoreWarnings();
    throw err;
  }
  const baseCredentials = opts.credentials ?? fromNodeProviderChain({ ...(opts.profile ? { profile: opts.profile } : {}), logger: sdkLogger(log) });
  const settings = { endpointUrl: opts.endpointUrl, env, retry, timeouts, log };
  const base = new AwsClients({ credentials: baseCredentials, ...settings });
  const writer = new ResourceWriter(sink);
  const emit = writer.emit;
  const callsFor = (account: string): AccountCalls => {
    const own = pLimit(accountConcurrency);
    const limit: Limit = (fn) => own(() => overall(fn));
    return new AccountCalls(account, limit, coverage, log, rules, (n) => progress.requests(n));
  };

  try {
    const caller = await callerIdentity(base, home, timeouts.callMs);
    coverage.record({ provider: 'aws', account: caller.account, region: 'global', service: 'sts', operation: 'GetCallerIdentity', outcome: 'ok', calls: caller.calls });
    log.info({ account: caller.account, arn: caller.arn, region: home }, 'caller identity');
    const callerCalls = callsFor(caller.account);

    let targets: TargetAccount[];
    let orgNote = '';
    /** Every account of the caller's organization (for "is this trusted account ours?"); null when unreadable. */
    let members: string[] | null;
    if (opts.org) {
      const org = await organizationAccounts(callerCalls, base, home);
      for (const a of org.skipped) log.warn({ account: a.Id, status: a.Status }, 'organization account is not ACTIVE: skipped');
      targets = org.accounts;
      members = org.all.map((a) => a.Id ?? '').filter(Boolean);
      orgNote = ' of the organization';
    } else {
      targets = opts.accounts?.length ? [...new Set(opts.accounts)].map((id) => ({ id })) : [{ id: caller.account }];
      // One call: from a member account it is denied, and trust policies naming accounts outside
      // the scan then read UNKNOWN rather than "outside the organization".
      const all = await listOrganization(callerCalls, base, home);
      members = all === null ? null : all.map((a) => a.Id ?? '').filter(Boolean);
    }
    // Every account of the scope, before a shard keeps its own: an organization analyzer covers them all.
    const scopeIds = targets.map((t) => t.id);
    if (opts.shard) {
      const mine = new Set(opts.shard.select('aws', scopeIds));
      targets = targets.filter((t) => mine.has(t.id));
    }
    const accounts: AccountRef[] = targets.map((t) => ({ provider: 'aws', id: t.id, ...(t.name ? { name: t.name } : {}) }));
    const regionsNote = opts.regions === undefined || opts.regions === 'all' ? 'all enabled regions' : `regions ${opts.regions.join(',')}`;
    const description = `trustscan collect aws: ${targets.length} account(s)${orgNote}, ${regionsNote}${opts.roleName ? `, role ${opts.roleName}` : ''}`;
    // The caller's ARN names a principal, not a secret; a role assumed in each account is how it reads them.
    const collectedBy = [{ provider: 'aws', principal: caller.arn, ...(opts.roleName ? { via: `role ${opts.roleName} assumed in each account` } : {}) }];
    await sink.start?.({ tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt, providers: ['aws'], accounts, description, collectedBy });

    progress.addAccounts(targets.length);
    progress.start();
    const trails = new TrailRegistry(new Set(targets.map((t) => t.id)));
    const analyzers = new AnalyzerRegistry();
    /** Organization of each scanned account: an id, null when in none, absent when DescribeOrganization failed. */
    const organizationOf = new Map<string, string | null>();
    const unreadable: string[] = [];
    const sessionName = `trustscan-${Date.now()}`;

    const scanAccount = async (target: TargetAccount): Promise<void> => {
      const calls = target.id === caller.account ? callerCalls : callsFor(target.id);
      let credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = baseCredentials;
      if (target.id !== caller.account) {
        const role = new AssumedRole(calls, base, home, {
          RoleArn: `arn:${caller.partition}:iam::${target.id}:role/${opts.roleName ?? ''}`,
          RoleSessionName: sessionName,
          DurationSeconds: 3600,
          ...(opts.externalId ? { ExternalId: opts.externalId } : {}),
        });
        if (!(await role.assume())) {
          unreadable.push(target.id);
          log.error({ account: target.id, role: opts.roleName }, 'could not assume the scanner role: nothing in this account was read');
          return;
        }
        credentials = role.provider;
      }
      const clients = new AwsClients({ credentials, ...settings });
      try {
        const draft = new AccountDraft(target.id, caller.partition);
        draft.name = target.name;
        const explicit = opts.regions !== undefined && opts.regions !== 'all';
        const info = await describeRegions(calls, clients, home, explicit ? undefined : REGIONAL_TYPES);
        const partition = caller.partition;
        if (info) draft.set('enabledRegions', info.filter((r) => r.optInStatus !== 'not-opted-in' && partitionOf(r.name).name === partition).map((r) => r.name));
        const regions = chooseRegions(info, opts.regions ?? 'all', home, partition, (region, outcome, why) =>
          calls.gap({ service: 'ec2', operation: 'DescribeRegions', region, resourceId: `arn:${partition}:ec2:${region}:${target.id}:region`, affects: REGIONAL_TYPES }, outcome, why),
        );
        const ctx: AccountContext = {
          account: target.id,
          partition: caller.partition,
          homeRegion: home,
          regions: regions.map((r) => r.name),
          clients,
          calls,
          log,
          draft,
          trails,
          analyzers,
          credentialReport: opts.credentialReport ?? DEFAULT_REPORT,
          progress,
          emit,
        };
        progress.addRegions(regions.length);
        progress.addUnits(2 + 5 * regions.length);
        progress.addUnits(2 + 15 * regions.length);
        progress.addUnits(1 + regions.length); // CloudFront (global), OpenSearch and Redshift per region
        const unit = async (p: Promise<unknown>): Promise<void> => {
          await p;
          progress.unitDone();
        };
        await Promise.all([
          unit(collectIam(ctx)),
          unit(Promise.all([collectS3Account(ctx), collectS3Buckets(ctx)])),
          unit(collectCloudFront(ctx)),
          calls
            .one({ service: 'organizations', operation: 'DescribeOrganization', region: 'global', absent: ['AWSOrganizationsNotInUseException'] }, (abortSignal) =>
              clients.organizations(home).send(new DescribeOrganizationCommand({}), { abortSignal }),
            )
            .then((r) => {
              if (!r.ok) return;
              draft.set('organizationId', r.value?.Organization?.Id ?? null);
              draft.set('organizationManagementAccount', r.value?.Organization?.MasterAccountId ?? null);
              // The list read from the caller is this account's organization's when it names this account.
              if (!r.value?.Organization) draft.set('organizationAccounts', null);
              else if (members?.includes(target.id)) draft.set('organizationAccounts', [...members].sort());
              organizationOf.set(target.id, r.value?.Organization?.Id ?? null);
            }),
          ...regions.map(async (r) => {
            await Promise.all([
              unit(collectTrails(ctx, r.name)),
              unit(collectKms(ctx, r.name)),
              unit(collectEc2(ctx, r.name, r.optInStatus)),
              unit(collectAnalyzers(ctx, r.name)),
              unit(collectDataStores(ctx, r.name)),
              unit(collectConfig(ctx, r.name)),
              unit(collectGuardDuty(ctx, r.name)),
              unit(collectSecurityHub(ctx, r.name)),
              unit(collectMacie(ctx, r.name)),
              unit(collectMetricFilters(ctx, r.name)),
              unit(collectAlarms(ctx, r.name)),
              unit(collectSns(ctx, r.name)),
              unit(collectSqs(ctx, r.name)),
              unit(collectEcr(ctx, r.name)),
              unit(collectElbv2(ctx, r.name)),
              unit(collectLambda(ctx, r.name)),
              unit(collectAnalytics(ctx, r.name)),
            ]);
            progress.regionDone();
          }),
        ]);
        await emit(draft.toResource());
      } finally {
        clients.destroy();
        progress.accountDone();
      }
    };

    await scanUnits(targets, unitsInFlight(concurrency, accountConcurrency), scanAccount);
    for (const t of trails.resources()) await emit(t);
    // An organization analyzer covers the other scanned accounts of its organization: with --org
    // all of them; otherwise those whose DescribeOrganization named the same organization.
    const ids = targets.map((t) => t.id);
    const membersOf = (owner: string): string[] | null => {
      if (opts.org) return scopeIds.filter((id) => id !== owner);
      if (!organizationOf.has(owner)) {
        log.warn({ account: owner }, 'organization analyzer in an account whose organization could not be read: the accounts it covers are unknown');
        return null;
      }
      const org = organizationOf.get(owner);
      return org === null ? [] : ids.filter((id) => id !== owner && organizationOf.get(id) === org);
    };
    for (const a of analyzers.resources(membersOf)) await emit(a);
    const entries = coverage.entries();
    return {
      metadata: { tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt, finishedAt: new Date().toISOString(), providers: ['aws'], accounts, description, collectedBy },
      coverage: entries,
      stats: { resources: writer.count, calls: coverage.totalCalls(), callsByOperation: coverage.callsByOperation(), accounts: targets.length, unreadableAccounts: unreadable },
    };
  } finally {
    progress.stop();
    base.destroy();
    restoreWarnings();
  }
}

import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ResourceWriter } from '../../../collect/resource-writer';
import type { Collection, CollectProgress, CollectSink, UnitSelector } from '../../../core/provider-plugin';
import type { AccountRef } from '../../../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../../../core/version';
import { Progress } from '../../../pipeline/progress';
import { AZURE_CLOUDS, type AzureCloudName, DEFAULT_CONCURRENCY, DEFAULT_SUBSCRIPTION_CONCURRENCY } from '../collector-options';
import { collectAuthorization } from './authorization';
import { type Limit, SubscriptionCalls } from './calls';
import { AzureClients, DEFAULT_RETRY, type RetrySettings } from './clients';
import type { SubscriptionContext } from './context';
import { CoverageRecorder } from './coverage';
import { graphQuery, PLACEMENT_QUERY, placementOf, subscriptionsUnder, type TargetSubscription, visibleSubscriptions } from './discovery';
import { TracingHttpClient } from './http';
import { azureIdentity } from './identity';
import { collectKeyVaults } from './keyvault';
import { collectMonitor } from './monitor';
import { collectNetwork } from './network';
import { collectSecurity } from './security';
import { collectSql } from './sql';
import { collectStorage } from './storage';
import { SubscriptionDraft } from './subscription-draft';
import { TenantRegistry } from './tenant-registry';
import { scanUnits, unitsInFlight } from '../../../core/units-in-flight';

export interface AzureCollectOptions {
  /** Default: TRUSTSCAN_AZURE_ACCESS_TOKEN when set, else DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, …). */
  credential?: TokenCredential;
  /** Tenant id or domain to sign in to; with an id, only its subscriptions are scanned. */
  tenant?: string;
  /** Subscriptions to scan: all visible (default) or a list. */
  subscriptions?: 'all' | string[];
  /** Scan every subscription under this management group. */
  managementGroup?: string;
  cloud?: AzureCloudName;
  /** Resource Manager endpoint override (https). */
  endpoint?: string;
  /** Extra certificate authorities to trust (PEM text). */
  ca?: string;
  concurrency?: number;
  subscriptionConcurrency?: number;
  retry?: RetrySettings;
  /** A call (one page with its retries) is abandoned after this long (default 5 min). */
  callTimeoutMs?: number;
  /** One HTTP request is abandoned after this long (default 60 s). */
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** Set for one shard of a sharded scan: picks this part's units from the whole list. */
  shard?: UnitSelector;
  progress?: CollectProgress;
}

/** Subscription states in which nothing can be read (ARM answers them read-only or not at all). */
const INACTIVE = new Set(['Disabled', 'Deleted']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A bearer token given in the environment (CI jobs that already hold one): no expiry is known, an hour is assumed. */
function staticToken(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
}

function credentialFor(opts: AzureCollectOptions, env: NodeJS.ProcessEnv): TokenCredential {
  if (opts.credential) return opts.credential;
  if (env.TRUSTSCAN_AZURE_ACCESS_TOKEN) return staticToken(env.TRUSTSCAN_AZURE_ACCESS_TOKEN);
  const cloud = AZURE_CLOUDS[opts.cloud ?? 'AzureCloud'];
  return new DefaultAzureCredential({ ...(opts.tenant ? { tenantId: opts.tenant } : {}), authorityHost: cloud.authorityHost });
}

/**
 * Reads Azure subscriptions into snapshot resources and coverage. Subscriptions, and within them
 * services, run concurrently; every HTTP request waits for a slot of the scan-wide limiter and of
 * its subscription's limiter (ARM throttles per subscription), so one subscription's limits are
 * respected however many run at once.
 */
export async function collectAzure(opts: AzureCollectOptions, sink: CollectSink): Promise<Collection> {
  const startedAt = new Date().toISOString();
  const env = opts.env ?? process.env;
  const log = opts.log;
  const progress: CollectProgress = opts.progress ?? new Progress({ write: () => true }, false);
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const perSubscription = Math.max(1, Math.min(concurrency, opts.subscriptionConcurrency ?? DEFAULT_SUBSCRIPTION_CONCURRENCY));
  const overall = pLimit(concurrency);
  const coverage = new CoverageRecorder();
  const cloud = AZURE_CLOUDS[opts.cloud ?? 'AzureCloud'];
  const endpoint = opts.endpoint ?? cloud.resourceManager;
  const credential = credentialFor(opts, env);
  const clients = new AzureClients({
    credential,
    endpoint,
    // Tokens are for the cloud's Resource Manager even when requests go elsewhere (a test
    // endpoint, a proxy): a sovereign cloud's Entra issues tokens for its own audience only.
    audience: cloud.resourceManager,
    httpClient: new TracingHttpClient({ ca: opts.ca, requestTimeoutMs: opts.requestTimeoutMs ?? 60_000 }),
    retry: opts.retry ?? DEFAULT_RETRY,
  });
  const callSettings = { callTimeoutMs: opts.callTimeoutMs ?? 5 * 60_000 };
  const callsFor = (account: string, recorder = coverage): SubscriptionCalls => {
    const own = pLimit(perSubscription);
    const limit: Limit = (fn) => own(() => overall(fn));
    return new SubscriptionCalls(account, limit, recorder, log, callSettings, (n) => progress.requests(n));
  };
  const writer = new ResourceWriter(sink);
  const emit = writer.emit;

  try {
    const tenantLabel = opts.tenant ?? 'tenant';
    const tenantCalls = callsFor(tenantLabel);
    const visible = await visibleSubscriptions(tenantCalls, clients);
    const byId = new Map(visible.map((s) => [s.id, s]));
    let targets: TargetSubscription[];
    let scopeNote: string;
    const unreadable: string[] = [];
    if (opts.managementGroup) {
      targets = (await subscriptionsUnder(opts.managementGroup, tenantCalls, clients)).map((s) => ({ ...s, ...byId.get(s.id) }));
      scopeNote = `under management group ${opts.managementGroup}`;
    } else if (opts.subscriptions && opts.subscriptions !== 'all') {
      targets = opts.subscriptions.map((id) => byId.get(id) ?? { id });
      scopeNote = 'listed';
    } else {
      targets = visible;
      scopeNote = 'visible to the credential';
    }
    if (opts.tenant && GUID.test(opts.tenant)) {
      const tenant = opts.tenant.toLowerCase();
      for (const t of targets.filter((s) => s.tenantId && s.tenantId !== tenant)) log.warn({ subscription: t.id, tenant: t.tenantId }, 'subscription of another tenant: skipped');
      targets = targets.filter((s) => !s.tenantId || s.tenantId === tenant);
    }
    const explicit = opts.subscriptions !== undefined && opts.subscriptions !== 'all';
    for (const t of targets.filter((s) => s.state && INACTIVE.has(s.state))) log.warn({ subscription: t.id, state: t.state }, `subscription is ${t.state}: skipped`);
    targets = targets.filter((s) => !(s.state && INACTIVE.has(s.state)) || explicit);
    targets.sort((a, b) => a.id.localeCompare(b.id));
    if (opts.shard) {
      const mine = new Set(opts.shard.select('azure', targets.map((t) => t.id)));
      targets = targets.filter((t) => mine.has(t.id));
    }

    const accounts: AccountRef[] = targets.map((t) => ({ provider: 'azure', id: t.id, ...(t.name ? { name: t.name } : {}) }));
    const description = `trustscan collect azure: ${targets.length} subscription(s) ${scopeNote}${opts.cloud && opts.cloud !== 'AzureCloud' ? `, ${opts.cloud}` : ''}`;
    const collectedBy = [{ provider: 'azure', ...(await azureIdentity(credential, cloud.resourceManager, !opts.credential && !!env.TRUSTSCAN_AZURE_ACCESS_TOKEN)) }];
    await sink.start?.({ tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt, providers: ['azure'], accounts, description, collectedBy });
    progress.addAccounts(targets.length);
    progress.start();

    const tenantIds = new Set(targets.map((t) => t.tenantId).filter((x): x is string => !!x));
    const tenantId = tenantIds.size === 1 ? [...tenantIds][0] : (opts.tenant && GUID.test(opts.tenant) ? opts.tenant.toLowerCase() : null);
    const tenant = new TenantRegistry();
    const readable = targets.filter((t) => byId.has(t.id));
    const placements = await placementsOf(readable.map((t) => t.id), clients, callsFor, tenantLabel);

    const scanSubscription = async (t: TargetSubscription): Promise<void> => {
      const calls = callsFor(t.id);
      try {
        if (!byId.has(t.id)) {
          // Named, but the credential cannot see it: nothing of it can be read.
          unreadable.push(t.id);
          calls.gap({ service: 'subscriptions', operation: 'Subscriptions_List', region: 'global', affects: ['*'] }, 'denied', `subscription ${t.id} is not among those the credential can read`);
          log.error({ subscription: t.id }, 'subscription not readable with this credential: nothing in it was read');
          return;
        }
        const draft = new SubscriptionDraft(t.id, { displayName: t.name, state: t.state, tenantId: t.tenantId });
        const placement = placements.get(t.id);
        if (placement) {
          draft.set('managementGroupAncestors', placement.managementGroupAncestors);
          draft.set('regionsInUse', placement.regionsInUse);
        }
        const ctx: SubscriptionContext = { subscription: t.id, tenantId: t.tenantId ?? tenantId, clients, calls, log, draft, tenant, progress, emit };
        const units = [collectAuthorization, collectSecurity, collectMonitor, collectStorage, collectKeyVaults, collectNetwork, collectSql];
        progress.addUnits(units.length);
        await Promise.all(
          units.map(async (unit) => {
            await unit(ctx);
            progress.unitDone();
          }),
        );
        await emit(draft.toResource());
      } finally {
        progress.accountDone();
      }
    };
    await scanUnits(targets, unitsInFlight(concurrency, perSubscription), scanSubscription);
    for (const r of tenant.resources()) await emit(r);
    await writer.written();
    return {
      metadata: { tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt, finishedAt: new Date().toISOString(), providers: ['azure'], accounts, description, collectedBy },
      coverage: coverage.entries(),
      stats: { resources: writer.count, calls: coverage.totalCalls(), callsByOperation: coverage.callsByOperation(), accounts: targets.length, unreadableAccounts: unreadable },
    };
  } finally {
    progress.stop();
  }
}

/**
 * Management group ancestors and regions in use of every readable subscription, from Resource
 * Graph (1000 subscriptions per query). The query is one call for many subscriptions: its success
 * is recorded once (under the tenant), its failure in every subscription it left unread.
 */
async function placementsOf(
  ids: string[],
  clients: AzureClients,
  callsFor: (account: string, recorder?: CoverageRecorder) => SubscriptionCalls,
  tenantLabel: string,
): Promise<Map<string, NonNullable<ReturnType<typeof placementOf>>>> {
  const out = new Map<string, NonNullable<ReturnType<typeof placementOf>>>();
  const spec = { service: 'resourcegraph', operation: 'Resources', region: 'global' };
  for (let i = 0; i < ids.length; i += 1000) {
    const batch = ids.slice(i, i + 1000);
    const scratch = new CoverageRecorder();
    const r = await graphQuery(callsFor(tenantLabel, scratch), clients, PLACEMENT_QUERY, { subscriptions: batch });
    const calls = scratch.totalCalls();
    if (!r.ok) {
      batch.forEach((id, n) => callsFor(id).gap(spec, r.outcome, r.message, n === 0 ? calls : 0));
      continue;
    }
    callsFor(tenantLabel).succeeded(spec, calls);
    const rows = new Map(r.rows.map((row) => [String(row.subscriptionId ?? '').toLowerCase(), placementOf(row)]));
    for (const id of batch) {
      const p = rows.get(id);
      if (p) out.set(id, p);
      else callsFor(id).gap(spec, p === null ? 'error' : 'denied', p === null ? 'Resource Graph answered without the management group chain' : 'Resource Graph returned nothing for the subscription (no read access to it there)');
    }
  }
  return out;
}

import type { Subscription } from '@azure/arm-resources-subscriptions';
import { UsageError } from '../../../core/errors';
import { type CallFailure, opOf } from '../../../collect/calls';
import type { SubscriptionCalls } from './calls';
import type { AzureClients } from './clients';


export interface TargetSubscription {
  id: string;
  name?: string;
  state?: string;
  tenantId?: string;
}

const AUTH_FAILURES = ['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError'];

/** Subscriptions the credential can read (Subscriptions_List); a usage error when it is refused. */
export async function visibleSubscriptions(calls: SubscriptionCalls, clients: AzureClients): Promise<TargetSubscription[]> {
  const r = await calls.list({ service: 'subscriptions', operation: 'Subscriptions_List', region: 'global' }, (abortSignal) => clients.subscriptions().subscriptions.list({ abortSignal }).byPage());
  if (!r.ok) {
    if (AUTH_FAILURES.includes(r.code)) {
      throw new UsageError(`no usable Azure credential: ${r.message} (sign in with 'az login', set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret, certificate or federated token, or run with a managed identity; see docs/azure.md)`);
    }
    throw new UsageError(`Azure did not list the subscriptions (subscriptions:Subscriptions_List ${r.outcome}: ${r.message})`);
  }
  return r.value.map((s: Subscription) => ({
    id: (s.subscriptionId ?? '').toLowerCase(),
    ...(s.displayName ? { name: s.displayName } : {}),
    ...(s.state ? { state: s.state } : {}),
    ...(s.tenantId ? { tenantId: s.tenantId.toLowerCase() } : {}),
  }));
}

interface GraphPage {
  data?: any[] | Record<string, any>;
  skipToken?: string;
  resultTruncated?: string;
}

/** Runs one Resource Graph query over all its pages (1000 rows each); rows, or a failure. */
export async function graphQuery(
  calls: SubscriptionCalls,
  clients: AzureClients,
  query: string,
  scope: { subscriptions?: string[]; managementGroups?: string[] },
): Promise<{ ok: true; rows: any[] } | (CallFailure & { code: string })> {
  const spec = { service: 'resourcegraph', operation: 'Resources', region: 'global', expect: 'graph' } as const;
  const r = await calls.pages<GraphPage>(
    spec,
    (skipToken, abortSignal) =>
      clients.resourceGraph().resources({ query, ...scope, options: { top: 1000, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } }, { abortSignal }) as unknown as Promise<GraphPage>,
    (page) => page.skipToken,
  );
  if (!r.ok) return r;
  // Truncated without a way to the rest: an incomplete answer must not look complete.
  if (r.value.some((p) => String(p.resultTruncated).toLowerCase() === 'true' && !p.skipToken)) {
    return { ok: false, op: opOf(spec), outcome: 'error', message: 'Resource Graph truncated the result and gave no continuation token', code: 'ResultTruncated' };
  }
  // The client's model types `data` as a map: rows arrive as an array, or as an object keyed by index.
  return { ok: true, rows: r.value.flatMap((p) => (Array.isArray(p.data) ? p.data : Object.values((p.data ?? {}) as Record<string, any>))) };
}

/**
 * Subscriptions under a management group, at any depth, from the Management Groups API's
 * descendants: it lists every subscription beneath a group the caller can read, including those
 * the caller cannot read itself — which are then reported unreadable, not silently left out (a
 * Resource Graph query at the group's scope returns only the subscriptions it may read). A usage
 * error when the group cannot be read.
 */
export async function subscriptionsUnder(group: string, calls: SubscriptionCalls, clients: AzureClients): Promise<TargetSubscription[]> {
  const r = await calls.list({ service: 'managementgroups', operation: 'ManagementGroups_GetDescendants', region: 'global' }, (abortSignal) =>
    clients.managementGroups().managementGroups.listDescendants(group, { abortSignal }).byPage(),
  );
  if (!r.ok) {
    throw new UsageError(
      `cannot list the subscriptions under management group ${group} (managementgroups:ManagementGroups_GetDescendants ${r.outcome}: ${r.message}); the credential needs Reader on the management group, or name the subscriptions with --subscriptions`,
    );
  }
  return r.value
    .filter((d) => (d.type ?? '').toLowerCase() === '/subscriptions' && typeof d.name === 'string' && d.name !== '')
    .map((d) => ({ id: d.name!.toLowerCase(), ...(d.displayName ? { name: d.displayName } : {}) }));
}

/**
 * Where each subscription sits (its management group ancestors, nearest first) and the regions
 * its resources are in: one query for up to 1000 subscriptions. Resource Graph answers only for
 * subscriptions the caller can read, and a subscription it can read appears in `resourcecontainers`
 * even with no resources — so a subscription missing from the rows is a gap, not an empty one.
 */
export const PLACEMENT_QUERY =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId, ancestors = properties.managementGroupAncestorsChain " +
  "| join kind=leftouter (resources | summarize regions = make_set(tolower(location)) by subscriptionId) on subscriptionId | project subscriptionId, ancestors, regions";

export interface Placement {
  managementGroupAncestors: string[];
  regionsInUse: string[];
}

export function placementOf(row: any): Placement | null {
  if (!Array.isArray(row?.ancestors)) return null;
  return {
    managementGroupAncestors: row.ancestors.map((a: any) => String(a?.name ?? '')).filter(Boolean),
    regionsInUse: Array.isArray(row.regions) ? [...new Set<string>(row.regions.map((x: unknown) => String(x).toLowerCase()).filter(Boolean))].sort() : [],
  };
}


import { UNKNOWN_ACCOUNT } from '../../../iac/draft';
import type { PlanInstance } from './plan-view';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FROM_ID = /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\/|$)/i;

/** What a plan says about the subscriptions its azurerm resources deploy to. */
export interface AzurermSubscriptions {
  /** `subscription_id` of each azurerm provider configuration that fixes it (`azurerm`, `azurerm.other`, `module.m:azurerm`). */
  byProvider: Map<string, string>;
  /** The one subscription the plan's `azurerm_client_config` / `azurerm_subscription` data sources read, when they agree. */
  fromData: string | undefined;
}

const constant = (e: unknown): unknown => (e !== null && typeof e === 'object' ? (e as { constant_value?: unknown }).constant_value : undefined);

/**
 * Subscription ids the plan states: azurerm provider blocks with a constant `subscription_id`,
 * and data sources read during plan. A subscription given through ARM_SUBSCRIPTION_ID or a
 * variable is not in the plan: the command line's --account names it then.
 */
export function azurermSubscriptions(doc: Record<string, unknown>, data: readonly PlanInstance[]): AzurermSubscriptions {
  const byProvider = new Map<string, string>();
  const config = doc.configuration as { provider_config?: Record<string, { name?: unknown; expressions?: Record<string, unknown> }> } | undefined;
  for (const [key, p] of Object.entries(config?.provider_config ?? {})) {
    if (p?.name !== 'azurerm' && !/(^|:)azurerm(\.|$)/.test(key)) continue;
    const id = constant(p?.expressions?.subscription_id);
    if (typeof id === 'string' && GUID.test(id)) byProvider.set(key, id.toLowerCase());
  }
  const read = new Set<string>();
  for (const d of data) {
    if (d.type !== 'azurerm_client_config' && d.type !== 'azurerm_subscription') continue;
    const id = d.values.subscription_id;
    if (typeof id === 'string' && GUID.test(id)) read.add(id.toLowerCase());
  }
  return { byProvider, fromData: read.size === 1 ? [...read][0] : undefined };
}

/**
 * The subscription one instance deploys to: its own ARM id when the plan knows it (an update),
 * the subscription of the provider configuration it uses, the data sources' subscription, the
 * command line's --account; else unknown — never a guess.
 */
export function subscriptionOf(inst: PlanInstance, providerKey: string | undefined, subs: AzurermSubscriptions, fallback: string | undefined): string {
  const id = inst.values.id;
  const own = typeof id === 'string' ? FROM_ID.exec(id) : null;
  if (own) return own[1].toLowerCase();
  if (providerKey !== undefined) {
    // Keys of a module's provider are `module.m:azurerm`; the root's are `azurerm` or `azurerm.alias`.
    const p = subs.byProvider.get(providerKey) ?? subs.byProvider.get(providerKey.replace(/^.*:/, ''));
    if (p) return p;
    // An aliased configuration that does not fix its subscription may deploy anywhere.
    if (/\.[^.:]+$/.test(providerKey.replace(/^.*:/, ''))) return fallback?.toLowerCase() ?? UNKNOWN_ACCOUNT;
  } else if (subs.byProvider.has('azurerm')) return subs.byProvider.get('azurerm')!;
  return subs.fromData ?? fallback?.toLowerCase() ?? UNKNOWN_ACCOUNT;
}

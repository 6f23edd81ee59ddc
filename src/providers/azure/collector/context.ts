import type { Logger } from 'pino';
import type { CollectProgress } from '../../../core/provider-plugin';
import type { Resource } from '../../../core/types';
import type { SubscriptionCalls } from './calls';
import type { AzureClients } from './clients';
import type { SubscriptionDraft } from './subscription-draft';
import type { TenantRegistry } from './tenant-registry';

/** Everything a service collector needs to read one subscription. */
export interface SubscriptionContext {
  subscription: string;
  tenantId: string | null;
  clients: AzureClients;
  calls: SubscriptionCalls;
  log: Logger;
  /** The subscription's `azure.subscription` resource, filled by several services. */
  draft: SubscriptionDraft;
  /** Tenant-wide objects seen from several subscriptions (inherited role assignments, custom roles). */
  tenant: TenantRegistry;
  progress: CollectProgress;
  emit(r: Resource): Promise<void>;
}

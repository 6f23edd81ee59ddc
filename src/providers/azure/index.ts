import { join } from 'node:path';
import type { ProviderPlugin } from '../../core/provider-plugin';
import { PACKAGE_ROOT } from '../../core/version';
import { AZURE_COLLECTOR_OPTIONS, AZURE_CONFIG_SCHEMA } from './collector-options';
import { AZURE_FACTS } from './facts/index';
import { AZURE_TYPES } from './types/index';

/**
 * Microsoft Azure as a trustscan provider. Importing this module loads no Azure SDK: the
 * collector's runtime (and with it the SDK) is loaded by `collector.load()` only.
 */
export const azureProvider: ProviderPlugin = {
  id: 'azure',
  name: 'Microsoft Azure',
  shortName: 'Azure',
  unit: { singular: 'subscription', plural: 'subscriptions' },
  types: AZURE_TYPES,
  facts: AZURE_FACTS,
  ruleDirs: [join(PACKAGE_ROOT, 'rules', 'azure')],
  // Subscriptions of one tenant form the organization; role assignments inherited from management
  // groups serve the subscriptions beneath (memberAccountsPath on their type).
  topology: { unitType: 'azure.subscription', organizationIdPath: 'tenantId' },
  collector: {
    description: 'read Azure subscriptions (RBAC, Defender for Cloud, Storage, Key Vault, networking, Monitor, SQL) through the Azure SDK, read-only',
    options: AZURE_COLLECTOR_OPTIONS,
    configSchema: AZURE_CONFIG_SCHEMA,
    load: async () => (await import('./collector/runtime')).azureCollectorRuntime,
  },
  // Loaded by `trustscan iac` only (a synchronous require: the readers are synchronous).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  iac: { load: () => (require('./iac/index') as typeof import('./iac/index')).azureIac },
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { diagnosticSetting, networkRules } from './common';

const item = (extra: Record<string, Record<string, unknown>> = {}) =>
  obj({
    name: str(),
    enabled: bool(),
    expires: nullable(dateTime(), 'expiration date, null when none is set'),
    ...extra,
  });

/**
 * `azure.keyvault.vault`. Id: the vault's ARM id in lower case; region: its location. Keys and
 * secrets are listed through the management plane (names and attributes only: no key material
 * or secret value is ever requested).
 */
export const azureKeyVault: ResourceTypeDef = {
  type: 'azure.keyvault.vault',
  provider: 'azure',
  description: 'A Key Vault: recoverability, authorization model, network exposure, logging, and the expiry and rotation of its keys and secrets.',
  scope: 'regional',
  properties: obj({
    resourceGroup: str(),
    enableSoftDelete: bool('soft delete (always on for vaults created since 2020; can no longer be turned off)'),
    softDeleteRetentionInDays: nullable(int()),
    enablePurgeProtection: bool('deleted vaults and objects cannot be purged before the retention ends'),
    enableRbacAuthorization: bool('data-plane access is governed by Azure RBAC instead of access policies'),
    publicNetworkAccess: nullable(str(), 'Enabled or Disabled; null when not set (enabled)'),
    networkAcls: nullable(networkRules, 'firewall; null when none (every network allowed)'),
    privateEndpointConnections: int('approved private endpoint connections'),
    keys: arr(
      item({
        rotationEnabled: bool('a rotation policy rotates the key automatically'),
      }),
      'keys (management-plane attributes)',
    ),
    secrets: arr(item(), 'secrets (attributes only, never values)'),
    diagnosticSettings: arr(diagnosticSetting, 'diagnostic settings of the vault'),
  }),
  operations: [
    { op: 'keyvault:Vaults_ListBySubscription', lists: true },
    { op: 'keyvault:Keys_List', paths: ['keys'] },
    { op: 'keyvault:Secrets_List', paths: ['secrets'] },
    { op: 'monitor:DiagnosticSettings_List', paths: ['diagnosticSettings'] },
  ],
  runtimeOnly: ['keys', 'secrets', 'privateEndpointConnections'],
};

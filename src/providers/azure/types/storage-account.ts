import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { networkRules } from './common';

const retention = obj({ enabled: bool(), days: nullable(int(), 'days kept, null when disabled') });

/**
 * `azure.storage.account`. Id: the account's ARM id in lower case; region: its location.
 * Properties the API leaves out are null: ARM omits a setting nobody set, and its meaning then is
 * the service default of the account's age (see docs/azure.md) — rules say how they read null.
 */
export const azureStorageAccount: ResourceTypeDef = {
  type: 'azure.storage.account',
  provider: 'azure',
  description: 'A storage account: transport security, anonymous and shared-key access, encryption, network rules, blob data protection and containers.',
  scope: 'regional',
  properties: obj({
    resourceGroup: str(),
    kind: nullable(str(), 'StorageV2, BlobStorage, FileStorage, …'),
    supportsHttpsTrafficOnly: nullable(bool(), "'Secure transfer required' (REST supportsHttpsTrafficOnly); null when not set (true by default since 2019)"),
    minimumTlsVersion: nullable(str(), 'TLS1_0, TLS1_1, TLS1_2, TLS1_3; null when not set (TLS1_0 is then accepted)'),
    allowBlobPublicAccess: nullable(bool(), 'anonymous read access to containers and blobs can be allowed; null when not set'),
    allowSharedKeyAccess: nullable(bool(), 'requests authorized with the account keys (and SAS made from them) are accepted; null when not set, which means true'),
    allowCrossTenantReplication: nullable(bool(), 'object replication to other tenants allowed; null when not set'),
    defaultToOAuthAuthentication: nullable(bool(), 'the portal defaults to Microsoft Entra authorization; null when not set'),
    publicNetworkAccess: nullable(str(), 'Enabled, Disabled or SecuredByPerimeter; null when not set (the network rules then decide)'),
    networkRuleSet: nullable(networkRules, 'firewall; null when the API sends none'),
    privateEndpointConnections: int('approved private endpoint connections'),
    encryption: obj({
      keySource: str('Microsoft.Storage (Microsoft-managed keys) or Microsoft.Keyvault (customer-managed key)'),
      keyVaultKeyUri: nullable(str(), 'customer-managed key, null with Microsoft-managed keys'),
      requireInfrastructureEncryption: bool('a second layer of encryption at the infrastructure level'),
    }),
    keyCreationTime: obj({ key1: nullable(dateTime()), key2: nullable(dateTime()) }, 'when the account keys were last created or regenerated; null when unknown to the service'),
    keyExpirationPeriodInDays: nullable(int(), "key expiration policy (rotation reminder); null when none"),
    blobService: nullable(
      obj({
        deleteRetentionPolicy: retention,
        containerDeleteRetentionPolicy: retention,
        isVersioningEnabled: bool(),
      }),
      'blob service data protection; null for account kinds without a blob service (FileStorage)',
    ),
    containers: arr(obj({ name: str(), publicAccess: str('None, Blob or Container') }), 'blob containers'),
  }),
  operations: [
    { op: 'storage:StorageAccounts_List', lists: true },
    { op: 'storage:BlobServices_GetServiceProperties', paths: ['blobService'] },
    { op: 'storage:BlobContainers_List', paths: ['containers'] },
  ],
  runtimeOnly: ['keyCreationTime', 'privateEndpointConnections'],
};

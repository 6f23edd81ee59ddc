import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `azure.sql.server` — an Azure SQL logical server: network exposure, Entra admin, auditing, TDE protector. */
export const azureSqlServer: ResourceTypeDef = {
  type: 'azure.sql.server',
  provider: 'azure',
  description: 'An Azure SQL server: public network access, firewall rules, Microsoft Entra administrator, auditing and the TDE protector.',
  scope: 'regional',
  properties: obj({
    resourceGroup: str(),
    publicNetworkAccess: nullable(str(), 'Enabled or Disabled; null when not set (enabled)'),
    minimalTlsVersion: nullable(str(), "1.0, 1.1, 1.2, 1.3 or None; null when not set"),
    firewallRules: arr(obj({ name: str(), startIpAddress: str(), endIpAddress: str() })),
    entraAdministrators: arr(obj({ login: str(), principalType: nullable(str()), azureADOnlyAuthentication: nullable(bool()) }), 'Microsoft Entra administrators of the server'),
    auditing: obj({ state: str('Enabled or Disabled'), retentionDays: nullable(int(), '0 or null: kept forever (or by the destination)'), toLogAnalytics: bool('audit logs also go to Azure Monitor (Log Analytics or Event Hub)') }),
    encryptionProtector: obj({ serverKeyType: str('ServiceManaged or AzureKeyVault (customer-managed key)'), uri: nullable(str()) }),
  }),
  operations: [
    { op: 'sql:Servers_List', lists: true },
    { op: 'sql:FirewallRules_ListByServer', paths: ['firewallRules'] },
    { op: 'sql:ServerAzureADAdministrators_ListByServer', paths: ['entraAdministrators'] },
    { op: 'sql:ServerBlobAuditingPolicies_Get', paths: ['auditing'] },
    { op: 'sql:EncryptionProtectors_Get', paths: ['encryptionProtector'] },
  ],
};

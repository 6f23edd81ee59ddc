import type { Scenario, ScenarioSubscription } from './scenario';

/** Sizes of a synthetic tenant, per subscription (realistic for a mid-size estate). */
export interface SyntheticSize {
  subscriptions: number;
  storageAccounts: number;
  keyVaults: number;
  nsgs: number;
  /** Regions with a Network Watcher (each with one flow log per NSG there). */
  regions: number;
  sqlServers: number;
  roleAssignments: number;
  alerts: number;
}

export const BENCH_SIZE: SyntheticSize = { subscriptions: 50, storageAccounts: 20, keyVaults: 5, nsgs: 30, regions: 3, sqlServers: 3, roleAssignments: 60, alerts: 10 };

const REGIONS = ['westeurope', 'northeurope', 'eastus', 'westus2', 'uksouth', 'francecentral'];
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
export const subscriptionId = (i: number): string => `${hex(i + 1, 8)}-0000-4000-8000-${hex(i + 1, 12)}`;

export function syntheticScenario(size: SyntheticSize): Scenario {
  const tenantId = 'f0f0f0f0-0000-4000-8000-000000000000';
  const subs: ScenarioSubscription[] = [];
  for (let i = 0; i < size.subscriptions; i++) {
    const id = subscriptionId(i);
    const region = (n: number): string => REGIONS[n % size.regions];
    subs.push({
      id,
      displayName: `sub-${i}`,
      managementGroup: i % 2 ? 'landing' : 'platform',
      pricings: ['VirtualMachines', 'StorageAccounts', 'KeyVaults', 'Arm'].map((name) => ({ name, pricingTier: i % 3 ? 'Standard' : 'Free' })),
      securityContacts: [{ name: 'default', properties: { email: 'secops@example.com', alertNotifications: 'On', alertsToAdmins: 'On' } }],
      autoProvisioning: [{ name: 'default', autoProvision: 'On' }],
      activityLogDiagnosticSettings: [{ name: 'export', properties: { workspaceId: '/subscriptions/x/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/w', logs: [{ category: 'Administrative', enabled: true }] } }],
      roleAssignments: Array.from({ length: size.roleAssignments }, (_, n) => ({
        name: `${hex(i, 8)}-0000-4000-8000-${hex(n, 12)}`,
        scope: n === 0 ? '/providers/Microsoft.Management/managementGroups/platform' : n % 4 ? `/subscriptions/${id}/resourceGroups/rg-${n % 10}` : `/subscriptions/${id}`,
        roleDefinitionId: n % 5 ? 'acdd72a7-3385-48ef-bd42-f606fba81ae7' : '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
        principalId: `p-${n}`,
        principalType: n % 3 ? 'User' : 'ServicePrincipal',
      })),
      storageAccounts: Array.from({ length: size.storageAccounts }, (_, n) => ({
        name: `st${i}x${n}`,
        resourceGroup: `rg-${n % 10}`,
        location: region(n),
        properties: { supportsHttpsTrafficOnly: true, minimumTlsVersion: n % 4 ? 'TLS1_2' : 'TLS1_0', allowBlobPublicAccess: n % 7 === 0, encryption: { keySource: 'Microsoft.Storage' } },
        blobService: { deleteRetentionPolicy: { enabled: n % 2 === 0, days: 7 }, isVersioningEnabled: false },
        containers: Array.from({ length: 5 }, (_, c) => ({ name: `c${c}`, publicAccess: 'None' })),
      })),
      keyVaults: Array.from({ length: size.keyVaults }, (_, n) => ({
        name: `kv-${i}-${n}`,
        resourceGroup: `rg-${n % 10}`,
        location: region(n),
        properties: { enableSoftDelete: true, enablePurgeProtection: n % 2 === 0, enableRbacAuthorization: true },
        keys: Array.from({ length: 4 }, (_, k) => ({ name: `key${k}`, properties: { attributes: { enabled: true } } })),
        secrets: Array.from({ length: 8 }, (_, k) => ({ name: `secret${k}`, properties: { attributes: { enabled: true, exp: 1924992000 } } })),
        diagnosticSettings: [],
      })),
      nsgs: Array.from({ length: size.nsgs }, (_, n) => ({
        name: `nsg-${n}`,
        resourceGroup: `rg-${n % 10}`,
        location: region(n),
        properties: {
          securityRules: [
            { name: 'https', properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'Internet', destinationPortRange: '443' } },
            { name: 'ssh', properties: { priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: n % 9 ? '10.0.0.0/8' : '*', destinationPortRange: '22' } },
          ],
        },
      })),
      networkWatchers: Array.from({ length: size.regions }, (_, r) => ({
        name: `NetworkWatcher_${REGIONS[r]}`,
        resourceGroup: 'NetworkWatcherRG',
        location: REGIONS[r],
        properties: { provisioningState: 'Succeeded' },
        flowLogs: Array.from({ length: Math.ceil(size.nsgs / size.regions) }, (_, f) => ({ name: `fl-${f}`, resourceGroup: 'NetworkWatcherRG', location: REGIONS[r], properties: { targetResourceId: `/subscriptions/${id}/resourceGroups/rg-0/providers/Microsoft.Network/networkSecurityGroups/nsg-${f}`, enabled: true, retentionPolicy: { enabled: true, days: 30 } } })),
      })),
      activityLogAlerts: Array.from({ length: size.alerts }, (_, n) => ({
        name: `alert-${n}`,
        resourceGroup: 'rg-monitor',
        location: 'Global',
        properties: { enabled: true, scopes: [`/subscriptions/${id}`], condition: { allOf: [{ field: 'category', equals: 'Administrative' }, { field: 'operationName', equals: 'Microsoft.Network/networkSecurityGroups/write' }] } },
      })),
      sqlServers: Array.from({ length: size.sqlServers }, (_, n) => ({ name: `sql-${i}-${n}`, resourceGroup: 'rg-data', location: region(n), properties: { publicNetworkAccess: 'Enabled' }, firewallRules: [], administrators: [], auditing: { state: 'Enabled', retentionDays: 0 } })),
    });
  }
  return {
    description: `synthetic tenant of ${size.subscriptions} subscriptions`,
    tenantId,
    managementGroups: [
      { name: tenantId, parent: null },
      { name: 'platform', parent: tenantId },
      { name: 'landing', parent: 'platform' },
    ],
    subscriptions: subs,
  };
}

/** The fewest calls that read the tenant completely (one page per list at the service's page size of 1000). */
export function minimumCalls(size: SyntheticSize): Record<string, number> {
  const n = size.subscriptions;
  return {
    'subscriptions:Subscriptions_List': 1,
    'resourcegraph:Resources': Math.ceil(n / 1000),
    'authorization:RoleDefinitions_List': n,
    'authorization:RoleAssignments_ListForSubscription': n,
    'security:Pricings_List': n,
    'security:SecurityContacts_List': n,
    'security:AutoProvisioningSettings_List': n,
    'monitor:DiagnosticSettings_List': n * (1 + size.keyVaults),
    'monitor:ActivityLogAlerts_ListBySubscriptionId': n,
    'storage:StorageAccounts_List': n,
    'storage:BlobServices_GetServiceProperties': n * size.storageAccounts,
    'storage:BlobContainers_List': n * size.storageAccounts,
    'keyvault:Vaults_ListBySubscription': n,
    'keyvault:Keys_List': n * size.keyVaults,
    'keyvault:Secrets_List': n * size.keyVaults,
    'network:NetworkSecurityGroups_ListAll': n,
    'network:NetworkWatchers_ListAll': n,
    'network:FlowLogs_List': n * size.regions,
    'sql:Servers_List': n,
    'sql:FirewallRules_ListByServer': n * size.sqlServers,
    'sql:ServerAzureADAdministrators_ListByServer': n * size.sqlServers,
    'sql:ServerBlobAuditingPolicies_Get': n * size.sqlServers,
    'sql:EncryptionProtectors_Get': n * size.sqlServers,
  };
}

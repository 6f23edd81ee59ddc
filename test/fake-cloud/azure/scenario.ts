/**
 * A fake Azure tenant, as the loopback fake serves it. Resources hold their ARM REST `properties`
 * as the service sends them (so a scenario reads like ARM's answers); the fake adds ids, names,
 * types and locations, and the built-in role definitions.
 */

export type Props = Record<string, unknown>;

export interface ScenarioResource {
  name: string;
  resourceGroup: string;
  location: string;
  tags?: Record<string, string>;
  properties: Props;
}

export interface ScenarioSubscription {
  id: string;
  displayName: string;
  state?: string;
  /** Management group the subscription is placed in (default: the tenant root group). */
  managementGroup?: string;
  /** Regions in use, as Resource Graph reports them (default: the locations of the scenario's resources). */
  regionsInUse?: string[];
  pricings?: { name: string; pricingTier: string; subPlan?: string }[];
  securityContacts?: { name: string; properties: Props }[];
  autoProvisioning?: { name: string; autoProvision: string }[];
  activityLogDiagnosticSettings?: { name: string; properties: Props }[];
  /** Custom roles defined for this subscription (built-in roles are always there). */
  customRoles?: { id: string; roleName: string; description?: string; assignableScopes: string[]; permissions: Props[] }[];
  /** Role assignments that apply to the subscription (at it, below it, or inherited from above). */
  roleAssignments?: { name: string; scope: string; roleDefinitionId: string; principalId: string; principalType: string; condition?: string }[];
  storageAccounts?: (ScenarioResource & { kind?: string; blobService?: Props | null; containers?: { name: string; publicAccess: string }[] })[];
  keyVaults?: (ScenarioResource & { keys?: { name: string; properties: Props }[]; secrets?: { name: string; properties: Props }[]; diagnosticSettings?: { name: string; properties: Props }[] })[];
  nsgs?: ScenarioResource[];
  networkWatchers?: (ScenarioResource & { flowLogs?: ScenarioResource[] })[];
  activityLogAlerts?: ScenarioResource[];
  sqlServers?: (ScenarioResource & {
    firewallRules?: { name: string; startIpAddress: string; endIpAddress: string }[];
    administrators?: Props[];
    auditing?: Props;
    encryptionProtector?: Props;
  })[];
}

export interface Scenario {
  description: string;
  tenantId: string;
  /** Management groups with their parents (the tenant root group, named after the tenant id, has none). */
  managementGroups: { name: string; displayName?: string; parent: string | null }[];
  subscriptions: ScenarioSubscription[];
}

/** The built-in roles the fake knows (their real GUIDs). */
export const BUILTIN_ROLES = [
  { guid: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', roleName: 'Owner', actions: ['*'], notActions: [] },
  { guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c', roleName: 'Contributor', actions: ['*'], notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action'] },
  { guid: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', roleName: 'Reader', actions: ['*/read'], notActions: [] },
  { guid: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', roleName: 'User Access Administrator', actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'], notActions: [] },
];

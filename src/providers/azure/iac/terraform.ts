import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import type { Resource } from '../../../core/types';
import { Draft } from '../../../iac/draft';
import { at, block, bool, int, isUnresolved, list, str, Unresolved } from '../../../iac/values';
import { azureActivityLogAlert } from '../types/monitor';
import { azureKeyVault } from '../types/key-vault';
import { azureNsg } from '../types/network';
import { azureRoleAssignment } from '../types/role-assignment';
import { azureStorageAccount } from '../types/storage-account';
import { azureSubscription } from '../types/subscription';
import type { PlanInstance, PlanView } from './plan-view';

/**
 * Terraform plan JSON for the azurerm provider (v3 and v4 attribute names) mapped to the Azure
 * resource types, with the provider's defaults where the code leaves a value out (each named
 * below). Values known only after apply stay unknown (UNKNOWN, never PASS); data that only a live
 * subscription has is marked runtime-only. Child resources (containers, NSG rules, diagnostic
 * settings) are folded into their parent when a reference or a known name/id links them; one
 * that may belong to a parent but cannot be pinned leaves that parent's list unknown.
 */

type Inst = PlanInstance;

const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
const unknownIfNull = (inst: Inst, attr: string): unknown => {
  const v = inst.values[attr];
  return v === undefined || v === null ? new Unresolved(`${inst.address} ${attr} is known only after apply`) : v;
};

/** The children of `type` whose `attrs` refer to `parent` (by reference, or by a known id or name). */
function childrenOf(plan: PlanView, parent: Inst, type: string, attrs: string[], parentTypes: string[]): { mine: Inst[]; maybe: Inst[] } {
  const mine: Inst[] = [];
  const maybe: Inst[] = [];
  const pid = typeof parent.values.id === 'string' ? parent.values.id.toLowerCase() : undefined;
  const pname = typeof parent.values.name === 'string' ? parent.values.name.toLowerCase() : undefined;
  for (const c of plan.byType(type)) {
    let linked = false;
    let uncertain = false;
    for (const a of attrs) {
      const v = c.values[a];
      if (v === undefined || v === null) continue;
      if (isUnresolved(v)) {
        const targets = plan.resolve(c, v, parentTypes);
        if (targets.includes(parent)) linked = true;
        else if (targets.length === 0) uncertain = true;
      } else if (typeof v === 'string' && v.toLowerCase() === pid) linked = true;
      else if (typeof v === 'string' && v.toLowerCase() === pname) {
        // A child that names its parent within a resource group (an NSG rule) matches only in
        // the same group; one whose group or the parent's is unknown may match. A child without
        // a group names a globally unique parent (a storage account).
        const cg = c.values.resource_group_name;
        const pg = parent.values.resource_group_name;
        if (cg === undefined || cg === null) linked = true;
        else if (typeof cg !== 'string' || typeof pg !== 'string') uncertain = true;
        else if (cg.toLowerCase() === pg.toLowerCase()) linked = true;
      }
    }
    if (linked) mine.push(c);
    else if (uncertain) maybe.push(c);
  }
  return { mine, maybe };
}

/** An Azure resource's region is its own `location` (lower case, no spaces), not the provider's. */
function originOf(plan: PlanView, inst: Inst) {
  const o = plan.origin(inst);
  const loc = inst.values.location;
  return typeof loc === 'string' && loc !== '' ? { ...o, region: loc.toLowerCase().replace(/\s+/g, '') } : o;
}

function draft(plan: PlanView, def: ResourceTypeDef, inst: Inst): Draft {
  const d = new Draft(def, originOf(plan, inst));
  d.name = typeof inst.values.name === 'string' ? inst.values.name : inst.address;
  if (typeof inst.values.id === 'string') d.id = inst.values.id.toLowerCase();
  d.addTags(inst.values.tags);
  return d;
}

/** Network rules block (`network_rules` of a storage account, `network_acls` of a vault). */
function networkRules(b: unknown): unknown {
  if (b === undefined) return null;
  if (isUnresolved(b)) return b;
  const o = b as Record<string, unknown>;
  const bypass = at(o, 'bypass');
  return {
    defaultAction: str(o.default_action, 'Allow'),
    bypass: isUnresolved(bypass) ? bypass : Array.isArray(bypass) ? bypass : typeof bypass === 'string' ? [bypass] : [],
    ipRules: list(o, 'ip_rules'),
    virtualNetworkRules: isUnresolved(list(o, 'virtual_network_subnet_ids')) ? list(o, 'virtual_network_subnet_ids') : (list(o, 'virtual_network_subnet_ids') as unknown[]).map(lower),
  };
}

export function mapStorageAccounts(plan: PlanView): Draft[] {
  return plan.byType('azurerm_storage_account').map((a) => {
    const v = a.values;
    const d = draft(plan, azureStorageAccount, a);
    d.set('resourceGroup', str(v.resource_group_name, ''));
    d.set('kind', str(v.account_kind, 'StorageV2'));
    // azurerm defaults: https only, TLS1_2, shared keys on, cross-tenant replication off (v4), public network on.
    d.set('supportsHttpsTrafficOnly', bool(v.https_traffic_only_enabled ?? v.enable_https_traffic_only, true));
    d.set('minimumTlsVersion', str(v.min_tls_version, 'TLS1_2'));
    d.set('allowBlobPublicAccess', bool(v.allow_nested_items_to_be_public, true));
    d.set('allowSharedKeyAccess', bool(v.shared_access_key_enabled, true));
    d.set('allowCrossTenantReplication', bool(v.cross_tenant_replication_enabled, false));
    d.set('defaultToOAuthAuthentication', bool(v.default_to_oauth_authentication, false));
    const pna = bool(v.public_network_access_enabled, true);
    d.set('publicNetworkAccess', isUnresolved(pna) ? pna : pna ? 'Enabled' : 'Disabled');
    // Network rules and the customer-managed key may be separate resources that override the
    // account's own blocks: the separate one wins; one that may target this account leaves it unknown.
    const separateRules = childrenOf(plan, a, 'azurerm_storage_account_network_rules', ['storage_account_id'], ['azurerm_storage_account']);
    const rules = separateRules.mine.length ? networkRules(separateRules.mine[0].values) : networkRules(block(v, 'network_rules'));
    d.set('networkRuleSet', rules ?? { defaultAction: 'Allow', bypass: ['AzureServices'], ipRules: [], virtualNetworkRules: [] });
    if (separateRules.maybe.length) d.markUnknown('networkRuleSet', `${separateRules.maybe[0].address} may set this account's network rules`);
    const separateKey = childrenOf(plan, a, 'azurerm_storage_account_customer_managed_key', ['storage_account_id'], ['azurerm_storage_account']);
    const cmk = separateKey.mine.length ? separateKey.mine[0].values : block(v, 'customer_managed_key');
    d.set('encryption', {
      keySource: cmk === undefined ? 'Microsoft.Storage' : isUnresolved(cmk) ? cmk : 'Microsoft.Keyvault',
      keyVaultKeyUri: cmk === undefined ? null : isUnresolved(cmk) ? cmk : (at(cmk, 'key_vault_key_id') ?? null),
      requireInfrastructureEncryption: bool(v.infrastructure_encryption_enabled, false),
    });
    if (separateKey.maybe.length) {
      d.markUnknown('encryption.keySource', `${separateKey.maybe[0].address} may set this account's key`);
      d.markUnknown('encryption.keyVaultKeyUri', `${separateKey.maybe[0].address} may set this account's key`);
    }
    d.set('keyExpirationPeriodInDays', new Unresolved('the key expiration policy is not an azurerm_storage_account argument: set it outside this code'));
    const blob = block(v, 'blob_properties');
    const retention = (b: unknown) => (b === undefined ? { enabled: false, days: null } : isUnresolved(b) ? b : { enabled: true, days: int(at(b, 'days'), 7) });
    const kind = str(v.account_kind, 'StorageV2');
    d.set(
      'blobService',
      kind === 'FileStorage'
        ? null
        : isUnresolved(blob)
          ? blob
          : {
              deleteRetentionPolicy: retention(block(blob, 'delete_retention_policy')),
              containerDeleteRetentionPolicy: retention(block(blob, 'container_delete_retention_policy')),
              isVersioningEnabled: bool(at(blob, 'versioning_enabled'), false),
            },
    );
    const { mine, maybe } = childrenOf(plan, a, 'azurerm_storage_container', ['storage_account_id', 'storage_account_name'], ['azurerm_storage_account']);
    d.set('containers', mine.map((c) => ({ name: str(c.values.name, c.name), publicAccess: lower(str(c.values.container_access_type, 'private')) === 'private' ? 'None' : lower(c.values.container_access_type) === 'blob' ? 'Blob' : 'Container' })));
    if (maybe.length) d.markUnknown('containers', `${maybe[0].address} may belong to this account`);
    return d;
  });
}

export function mapKeyVaults(plan: PlanView, diagnostics: DiagIndex): Draft[] {
  return plan.byType('azurerm_key_vault').map((k) => {
    const v = k.values;
    const d = draft(plan, azureKeyVault, k);
    d.set('resourceGroup', str(v.resource_group_name, ''));
    d.set('enableSoftDelete', true); // always on; the provider only sets its retention
    d.set('softDeleteRetentionInDays', int(v.soft_delete_retention_days, 90));
    d.set('enablePurgeProtection', bool(v.purge_protection_enabled, false));
    d.set('enableRbacAuthorization', bool(v.rbac_authorization_enabled ?? v.enable_rbac_authorization, false));
    const pna = bool(v.public_network_access_enabled, true);
    d.set('publicNetworkAccess', isUnresolved(pna) ? pna : pna ? 'Enabled' : 'Disabled');
    d.set('networkAcls', networkRules(block(v, 'network_acls')));
    diagnostics.attach(d, k, 'diagnosticSettings', ['azurerm_key_vault']);
    return d;
  });
}

const asList = (one: unknown, many: unknown): unknown[] | Unresolved => {
  if (isUnresolved(one)) return one;
  if (isUnresolved(many)) return many;
  const l = list(many);
  if (isUnresolved(l)) return l;
  const out = [...l];
  if (typeof one === 'string' && one !== '') out.unshift(one);
  return out;
};

function nsgRule(r: Record<string, unknown>): unknown {
  return {
    name: str(r.name, ''),
    priority: int(r.priority, 0),
    direction: str(r.direction, ''),
    access: str(r.access, ''),
    protocol: str(r.protocol, '*'),
    sourceAddressPrefixes: asList(r.source_address_prefix, r.source_address_prefixes),
    sourceApplicationSecurityGroups: list(r, 'source_application_security_group_ids'),
    destinationPortRanges: asList(r.destination_port_range, r.destination_port_ranges),
  };
}

export function mapNsgs(plan: PlanView): Draft[] {
  return plan.byType('azurerm_network_security_group').map((g) => {
    const d = draft(plan, azureNsg, g);
    d.set('resourceGroup', str(g.values.resource_group_name, ''));
    const inline = list(g.values, 'security_rule');
    const { mine, maybe } = childrenOf(plan, g, 'azurerm_network_security_rule', ['network_security_group_name'], ['azurerm_network_security_group']);
    d.set('securityRules', isUnresolved(inline) ? inline : [...inline.map((r) => nsgRule(r as Record<string, unknown>)), ...mine.map((r) => nsgRule(r.values))]);
    if (maybe.length) d.markUnknown('securityRules', `${maybe[0].address} may add rules to this group`);
    return d;
  });
}

export function mapRoleAssignments(plan: PlanView): Draft[] {
  return plan.byType('azurerm_role_assignment').map((a) => {
    const v = a.values;
    const d = draft(plan, azureRoleAssignment, a);
    const scope = lower(unknownIfNull(a, 'scope')) as string | Unresolved;
    d.set('scope', scope);
    d.set(
      'scopeType',
      isUnresolved(scope) ? scope : scope === '/' ? 'root' : /managementgroups\/[^/]+$/.test(scope) ? 'managementGroup' : /^\/subscriptions\/[^/]+$/.test(scope) ? 'subscription' : /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(scope) ? 'resourceGroup' : 'resource',
    );
    d.set('principalId', unknownIfNull(a, 'principal_id'));
    d.set('principalType', str(v.principal_type) ?? new Unresolved(`${a.address} principal_type is read from the principal after apply`));
    const defId = v.role_definition_id;
    d.set('roleDefinitionId', typeof defId === 'string' ? defId.split('/').pop()!.toLowerCase() : new Unresolved(`${a.address} role_definition_id is resolved from role_definition_name at apply`));
    const name = str(v.role_definition_name);
    d.set('role', name === null ? new Unresolved(`${a.address} names its role by id only`) : isUnresolved(name) ? name : { name, type: 'BuiltInRole', actions: [], notActions: [], dataActions: [] });
    d.set('condition', str(v.condition));
    d.set('subscriptions', []);
    return d;
  });
}

/** Defender for Cloud plans (pricing names) a subscription has, whether or not code declares them. */
export const DEFENDER_PLANS = [
  'VirtualMachines', 'SqlServers', 'AppServices', 'StorageAccounts', 'SqlServerVirtualMachines', 'KubernetesService', 'ContainerRegistry', 'KeyVaults',
  'Dns', 'Arm', 'OpenSourceRelationalDatabases', 'CosmosDbs', 'Containers', 'CloudPosture', 'Api', 'AI',
] as const;

/** `azurerm_security_center_subscription_pricing` per subscription → the subscription's Defender plans; other subscription settings are not in the code. */
export function mapDefender(plan: PlanView): Draft[] {
  // Pricings deploy to the subscription of their provider configuration, and a diagnostic
  // setting whose target is a subscription exports that subscription's activity log: one
  // resource per subscription.
  const bySubscription = new Map<string, { pricings: Inst[]; activityLog: Inst[] }>();
  const entry = (account: string) => {
    let e = bySubscription.get(account);
    if (!e) bySubscription.set(account, (e = { pricings: [], activityLog: [] }));
    return e;
  };
  for (const p of plan.byType('azurerm_security_center_subscription_pricing')) entry(plan.origin(p).account).pricings.push(p);
  for (const s of plan.byType('azurerm_monitor_diagnostic_setting')) {
    const target = s.values.target_resource_id;
    const m = typeof target === 'string' ? /^\/subscriptions\/([0-9a-f-]{36})\/?$/i.exec(target) : null;
    if (m) entry(m[1].toLowerCase()).activityLog.push(s);
  }
  return [...bySubscription.entries()].map(([account, e]) => subscriptionDraft(plan, account, e.pricings, e.activityLog));
}

/** An element whose every field is unknown: settings made outside the code may exist beside the declared ones. */
function undeclaredSetting(what: string): unknown {
  const u = new Unresolved(`${what} made outside this code may exist`);
  return { name: u, storageAccountId: u, workspaceId: u, eventHubAuthorizationRuleId: u, logs: u };
}

function subscriptionDraft(plan: PlanView, account: string, pricings: Inst[], activityLog: Inst[]): Draft {
  const first = pricings[0] ?? activityLog[0];
  const d = new Draft(azureSubscription, { ...plan.origin(first), account });
  d.id = `/subscriptions/${d.origin.account}`;
  d.name = d.origin.account;
  d.set('subscriptionId', d.origin.account);
  d.set('displayName', d.origin.account);
  const declared = pricings.map((p) => ({ name: str(p.values.resource_type, 'VirtualMachines'), pricingTier: str(p.values.tier, 'Free'), subPlan: str(p.values.subplan) }));
  // A plan the code does not declare keeps whatever tier the subscription has: unknown, so a rule
  // on it says UNKNOWN rather than FAIL (or PASS). A declared plan's tier is what the code sets.
  const named = new Set(declared.map((p) => (typeof p.name === 'string' ? p.name.toLowerCase() : '')));
  const undeclared = DEFENDER_PLANS.filter((n) => !named.has(n.toLowerCase())).map((name) => ({
    name,
    pricingTier: new Unresolved(`the Defender plan ${name} is not declared in this plan: its tier is the subscription's`),
    subPlan: new Unresolved(`the Defender plan ${name} is not declared in this plan`),
  }));
  d.set('defenderPlans', [...declared, ...undeclared]);
  // A declared export is certain; others may exist beside it, so a rule that needs one passes on
  // it while a rule about all of them stays unknown.
  d.set('activityLogDiagnosticSettings', [...activityLog.map((x) => DiagIndex.setting(x)), undeclaredSetting('activity log diagnostic settings')]);
  // Security contacts and auto-provisioning are not mapped (their azurerm resources are reported as not read).
  for (const p of ['securityContacts', 'autoProvisioning']) d.set(p, new Unresolved('not declared in this plan'));
  return d;
}

export function mapActivityLogAlerts(plan: PlanView): Draft[] {
  return plan.byType('azurerm_monitor_activity_log_alert').map((a) => {
    const v = a.values;
    const d = draft(plan, azureActivityLogAlert, a);
    d.set('resourceGroup', str(v.resource_group_name, ''));
    d.set('enabled', bool(v.enabled, true));
    const scopes = list(v, 'scopes');
    d.set('scopes', isUnresolved(scopes) ? scopes : scopes.map(lower));
    const c = block(v, 'criteria');
    const conds: unknown[] = [];
    if (isUnresolved(c)) d.set('conditions', c);
    else {
      const add = (field: string, attr: string) => {
        const x = at(c, attr);
        if (x !== undefined && x !== null && x !== '') conds.push({ field, equals: str(x), containsAny: null });
      };
      add('category', 'category');
      add('operationName', 'operation_name');
      add('resourceType', 'resource_type');
      add('resourceGroup', 'resource_group');
      add('level', 'level');
      add('status', 'status');
      add('caller', 'caller');
      d.set('conditions', conds);
    }
    const groups = list(v, 'action');
    d.set('actionGroups', isUnresolved(groups) ? groups : groups.map((g) => lower(at(g, 'action_group_id'))));
    return d;
  });
}

/** Diagnostic settings of the plan, attached to the resource they target. */
export class DiagIndex {
  constructor(private readonly plan: PlanView) {}

  attach(d: Draft, target: Inst, path: string, targetTypes: string[]): void {
    const { mine, maybe } = childrenOf(this.plan, target, 'azurerm_monitor_diagnostic_setting', ['target_resource_id'], targetTypes);
    d.set(path, mine.map((s) => DiagIndex.setting(s)));
    if (maybe.length) d.markUnknown(path, `${maybe[0].address} may target this resource`);
    // The resource may also have settings made outside this code.
  }

  static setting(s: Inst): unknown {
    const v = s.values;
    const enabled = list(v.enabled_log);
    const legacy = list(v.log);
    const logs = isUnresolved(enabled) ? enabled : isUnresolved(legacy) ? legacy : [...enabled, ...legacy];
    return {
      name: str(v.name, s.name),
      storageAccountId: lower(str(v.storage_account_id)),
      workspaceId: lower(str(v.log_analytics_workspace_id)),
      eventHubAuthorizationRuleId: lower(str(v.eventhub_authorization_rule_id)),
      logs: isUnresolved(logs) ? logs : logs.map((l) => ({ category: str(at(l, 'category')), categoryGroup: str(at(l, 'category_group')), enabled: bool(at(l, 'enabled'), true), retentionDays: null })),
    };
  }
}

/**
 * azurerm resources that carry settings the Azure rules check but that are not mapped: their
 * runtime type is reported as not read (UNKNOWN), never as absent.
 */
export const AZURERM_UNMAPPED: Readonly<Record<string, string>> = {
  azurerm_role_definition: 'azure.authorization.role-definition',
  azurerm_network_watcher: 'azure.network.watcher',
  azurerm_network_watcher_flow_log: 'azure.network.flow-log',
  azurerm_mssql_server: 'azure.sql.server',
  azurerm_sql_server: 'azure.sql.server',
  azurerm_mssql_firewall_rule: 'azure.sql.server',
  azurerm_sql_firewall_rule: 'azure.sql.server',
  azurerm_mssql_server_extended_auditing_policy: 'azure.sql.server',
  azurerm_mssql_server_transparent_data_encryption: 'azure.sql.server',
  azurerm_sql_active_directory_administrator: 'azure.sql.server',
  azurerm_security_center_contact: 'azure.subscription',
  azurerm_security_center_auto_provisioning: 'azure.subscription',
};

/** Every azurerm resource the rules know, from one plan. */
export function mapAzurermPlan(plan: PlanView): Resource[] {
  const diagnostics = new DiagIndex(plan);
  return [
    ...mapStorageAccounts(plan),
    ...mapKeyVaults(plan, diagnostics),
    ...mapNsgs(plan),
    ...mapRoleAssignments(plan),
    ...mapDefender(plan),
    ...mapActivityLogAlerts(plan),
  ].map((d) => d.toResource());
}

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { diagnosticSetting } from './common';

/**
 * `azure.subscription` — subscription-wide settings: Defender for Cloud plans, security
 * contacts, auto-provisioning, the activity log's diagnostic settings, the regions in use and
 * where the subscription sits in the management group hierarchy.
 * Id: `/subscriptions/<id>`; account: the subscription id; region `global`.
 */
export const azureSubscription: ResourceTypeDef = {
  type: 'azure.subscription',
  provider: 'azure',
  description: 'An Azure subscription: Defender for Cloud plans and contacts, activity log export, regions in use, management group ancestors.',
  scope: 'global',
  properties: obj({
    subscriptionId: str(),
    displayName: str(),
    state: str('Enabled, Warned, PastDue, Disabled, Deleted'),
    tenantId: str('Microsoft Entra tenant the subscription trusts'),
    managementGroupAncestors: arr(str(), 'management group names from the nearest parent up to the tenant root group (Resource Graph)'),
    regionsInUse: arr(str(), 'regions (lower-case names such as westeurope) holding at least one resource (Resource Graph)'),
    defenderPlans: arr(
      obj({
        name: str('plan: VirtualMachines, SqlServers, AppServices, StorageAccounts, KeyVaults, Arm, Containers, CosmosDbs, OpenSourceRelationalDatabases, SqlServerVirtualMachines, Dns, …'),
        pricingTier: str('Free or Standard (Standard means the Defender plan is on)'),
        subPlan: nullable(str()),
      }),
      'Microsoft Defender for Cloud pricing per plan',
    ),
    securityContacts: arr(
      obj({
        name: str(),
        emails: arr(str(), 'additional email addresses that receive security alerts'),
        phone: nullable(str()),
        alertNotifications: bool('alert emails are sent to the contact (high severity alerts)'),
        alertsToAdmins: bool('alert emails are also sent to the subscription owners'),
      }),
      'Defender for Cloud security contacts',
    ),
    autoProvisioning: arr(obj({ name: str(), autoProvision: str('On or Off') }), 'Defender for Cloud auto-provisioning settings'),
    activityLogDiagnosticSettings: arr(diagnosticSetting, "diagnostic settings exporting the subscription's activity log"),
  }),
  operations: [
    { op: 'subscriptions:Subscriptions_List', lists: true },
    { op: 'resourcegraph:Resources', paths: ['managementGroupAncestors', 'regionsInUse'] },
    { op: 'security:Pricings_List', paths: ['defenderPlans'] },
    { op: 'security:SecurityContacts_List', paths: ['securityContacts'] },
    { op: 'security:AutoProvisioningSettings_List', paths: ['autoProvisioning'] },
    { op: 'monitor:DiagnosticSettings_List', paths: ['activityLogDiagnosticSettings'] },
  ],
  runtimeOnly: ['state', 'managementGroupAncestors', 'regionsInUse', 'displayName', 'tenantId'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `azure.authorization.role-assignment` — one Azure RBAC role assignment, at any scope.
 *
 * Assignments at a subscription or below belong to that subscription. Assignments at a management
 * group (or the root scope `/`) are inherited by every subscription beneath: each is emitted once,
 * with the management group's name as its account (the tenant id for the root scope and the tenant
 * root group), and lists in `subscriptions` the scanned subscriptions it applies to — so
 * subscription-level checks ("who holds Owner here") see it, and a finding about it is reported once.
 * Id: the assignment's ARM id in lower case; region `global`.
 */
export const azureRoleAssignment: ResourceTypeDef = {
  type: 'azure.authorization.role-assignment',
  provider: 'azure',
  description: 'An Azure RBAC role assignment (principal, role and scope), with the role definition it grants.',
  scope: 'global',
  properties: obj({
    scope: str('lower-case ARM id of the scope: /, a management group, a subscription, a resource group or a resource'),
    scopeType: strEnum(['root', 'managementGroup', 'subscription', 'resourceGroup', 'resource']),
    principalId: str('object id of the user, group or service principal'),
    principalType: str('User, Group, ServicePrincipal, ForeignGroup, Device (as ARM reports it)'),
    roleDefinitionId: str('the role definition GUID (lower case)'),
    role: nullable(
      obj({
        name: str('role name: Owner, Contributor, User Access Administrator, or a custom role name'),
        type: str('BuiltInRole or CustomRole'),
        actions: arr(str()),
        notActions: arr(str()),
        dataActions: arr(str()),
      }),
      'the role definition granted; null when the definition is not visible from the subscription',
    ),
    condition: nullable(str(), 'ABAC condition limiting the assignment, null when none'),
    subscriptions: arr(str(), 'scanned subscriptions the assignment applies to, for assignments above a subscription; empty otherwise'),
  }),
  operations: [
    { op: 'authorization:RoleAssignments_ListForSubscription', lists: true },
    { op: 'authorization:RoleDefinitions_List', paths: ['role'] },
  ],
  memberAccountsPath: 'subscriptions',
  servedFrom: 'member',
  runtimeOnly: ['principalType'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `azure.authorization.role-definition` — a custom Azure RBAC role (built-in roles are Microsoft's
 * and are not emitted). Role definitions are tenant-wide objects: each is emitted once, with the
 * tenant id as its account. Id: `/providers/microsoft.authorization/roledefinitions/<guid>`; region `global`.
 */
export const azureRoleDefinition: ResourceTypeDef = {
  type: 'azure.authorization.role-definition',
  provider: 'azure',
  description: 'A custom Azure RBAC role: its permissions and where it can be assigned.',
  scope: 'global',
  properties: obj({
    roleName: str(),
    description: str(),
    assignableScopes: arr(str(), 'lower-case scopes the role can be assigned at: /, management groups, subscriptions, resource groups'),
    permissions: arr(
      obj({
        actions: arr(str()),
        notActions: arr(str()),
        dataActions: arr(str()),
        notDataActions: arr(str()),
      }),
    ),
  }),
  operations: [{ op: 'authorization:RoleDefinitions_List', lists: true }],
};

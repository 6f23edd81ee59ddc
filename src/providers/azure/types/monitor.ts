import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `azure.monitor.activity-log-alert` — an activity log alert rule (region `global`, as Azure places them). */
export const azureActivityLogAlert: ResourceTypeDef = {
  type: 'azure.monitor.activity-log-alert',
  provider: 'azure',
  description: 'An activity log alert: which administrative operations raise an alert, over which scopes.',
  scope: 'global',
  properties: obj({
    resourceGroup: str(),
    enabled: bool(),
    scopes: arr(str(), 'lower-case scopes watched (a subscription, resource groups, resources)'),
    conditions: arr(
      obj({
        field: str('category, operationName, resourceType, level, status, …'),
        equals: nullable(str()),
        containsAny: nullable(arr(str())),
      }),
      'every condition must hold for the alert to fire (allOf)',
    ),
    actionGroups: arr(str(), 'action groups notified (lower-case ids)'),
  }),
  operations: [{ op: 'monitor:ActivityLogAlerts_ListBySubscriptionId', lists: true }],
};

import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * Schema pieces shared by several Azure types. Ids and references between resources (a flow
 * log's target, a diagnostic setting's workspace) are ARM ids in lower case: ARM treats them
 * case-insensitively and answers with mixed case, and rules compare them as strings.
 */

/** A diagnostic setting (Microsoft.Insights/diagnosticSettings) of a resource or of a subscription's activity log. */
export const diagnosticSetting = obj({
  name: str(),
  storageAccountId: nullable(str(), 'storage account receiving the logs (lower-case ARM id), null when none'),
  workspaceId: nullable(str(), 'Log Analytics workspace receiving the logs (lower-case ARM id), null when none'),
  eventHubAuthorizationRuleId: nullable(str(), 'Event Hub authorization rule receiving the logs, null when none'),
  logs: arr(
    obj({
      category: nullable(str(), 'log category (Administrative, Security, AuditEvent, …); null when a category group is used'),
      categoryGroup: nullable(str(), 'category group (allLogs, audit); null when a single category is used'),
      enabled: bool(),
      retentionDays: nullable(int(), 'retention policy days when one is enabled (0: forever), null when none'),
    }),
  ),
});

/** Network rules of a storage account or a key vault (firewall). */
export const networkRules = obj({
  defaultAction: str('Allow or Deny: what happens to traffic no rule matches'),
  bypass: arr(str(), 'services that bypass the rules: AzureServices, Logging, Metrics, None'),
  ipRules: arr(str(), 'allowed address ranges (CIDR or single addresses)'),
  virtualNetworkRules: arr(str(), 'allowed subnets (lower-case ARM ids)'),
});

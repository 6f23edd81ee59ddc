import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.logs.metric-filter` — a CloudWatch Logs metric filter: the events of one log group that its
 * pattern matches are counted into a metric. Id: `arn:aws:logs:<region>:<account>:log-group:<group>:metric-filter/<name>`.
 */
export const awsLogsMetricFilter: ResourceTypeDef = {
  type: 'aws.logs.metric-filter',
  provider: 'aws',
  description: 'A CloudWatch Logs metric filter (log group, filter pattern, the metrics it feeds).',
  scope: 'regional',
  properties: obj({
    filterName: str(),
    logGroupName: str(),
    filterPattern: str('CloudWatch Logs filter pattern syntax; empty matches every event'),
    metricTransformations: arr(obj({ metricName: str(), metricNamespace: str() })),
  }),
  operations: [{ op: 'logs:DescribeMetricFilters', lists: true }],
};

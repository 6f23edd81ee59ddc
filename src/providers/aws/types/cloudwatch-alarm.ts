import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `aws.cloudwatch.alarm` — a CloudWatch metric alarm. Id: the alarm ARN. */
export const awsCloudWatchAlarm: ResourceTypeDef = {
  type: 'aws.cloudwatch.alarm',
  provider: 'aws',
  description: 'A CloudWatch metric alarm: the metric it watches and the actions it takes.',
  scope: 'regional',
  properties: obj({
    alarmName: str(),
    arn: str(),
    metricName: nullable(str('null for alarms on metric math')),
    namespace: nullable(str()),
    dimensions: arr(obj({ name: str(), value: str() })),
    actionsEnabled: bool(),
    alarmActions: arr(str(), 'ARNs notified when the alarm fires (SNS topics, automation)'),
    threshold: nullable({ type: 'number' }),
    comparisonOperator: nullable(str()),
    evaluationPeriods: nullable(int()),
    stateValue: nullable(str('OK, ALARM, INSUFFICIENT_DATA')),
  }),
  operations: [{ op: 'cloudwatch:DescribeAlarms', lists: true }],
  runtimeOnly: ['stateValue'],
};

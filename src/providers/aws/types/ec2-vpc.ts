import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.ec2.vpc` — a VPC with its flow logs. Id: `arn:aws:ec2:<region>:<account>:vpc/<id>`. */
export const awsEc2Vpc: ResourceTypeDef = {
  type: 'aws.ec2.vpc',
  provider: 'aws',
  description: 'A VPC (DescribeVpcs) and the flow logs attached to it (DescribeFlowLogs).',
  scope: 'regional',
  properties: obj({
    vpcId: str(),
    isDefault: bool(),
    cidrBlock: str(),
    flowLogs: arr(
      obj({
        flowLogId: str(),
        flowLogStatus: str('ACTIVE when the flow log is set up'),
        trafficType: strEnum(['ACCEPT', 'REJECT', 'ALL']),
        logDestinationType: strEnum(['cloud-watch-logs', 's3', 'kinesis-data-firehose']),
        deliverLogsStatus: nullable(str(), 'SUCCESS or FAILED; null when not reported'),
      }),
      'flow logs whose resource is this VPC',
    ),
  }),
  operations: [
    { op: 'ec2:DescribeVpcs', lists: true },
    { op: 'ec2:DescribeFlowLogs', paths: ['flowLogs'] },
  ],
  runtimeOnly: ['vpcId', 'flowLogs.*.flowLogId', 'flowLogs.*.flowLogStatus', 'flowLogs.*.deliverLogsStatus'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.ec2.instance` — an EC2 instance (DescribeInstances). Id: `arn:aws:ec2:<region>:<account>:instance/<id>`. */
export const awsEc2Instance: ResourceTypeDef = {
  type: 'aws.ec2.instance',
  provider: 'aws',
  description: 'An EC2 instance with its instance profile and metadata service options.',
  scope: 'regional',
  properties: obj({
    instanceId: str(),
    state: strEnum(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']),
    iamInstanceProfileArn: nullable(str(), 'instance profile ARN; null when the instance has none'),
    metadataOptions: obj({
      httpTokens: strEnum(['optional', 'required'], 'required: IMDSv2 only'),
      httpEndpoint: strEnum(['enabled', 'disabled']),
    }),
    vpcId: nullable(str()),
  }),
  operations: [{ op: 'ec2:DescribeInstances', lists: true }],
  runtimeOnly: ['instanceId', 'state'],
};

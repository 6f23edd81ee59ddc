import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `aws.ec2.region` — per-region EC2 settings of an account. Id: `arn:aws:ec2:<region>:<account>:region`. */
export const awsEc2Region: ResourceTypeDef = {
  type: 'aws.ec2.region',
  provider: 'aws',
  description: 'Regional EC2 settings of an account, one per enabled region.',
  scope: 'regional',
  properties: obj({
    regionName: str(),
    optInStatus: str('opt-in-not-required, opted-in'),
    ebsEncryptionByDefault: bool(),
    ebsDefaultKmsKeyId: nullable(str()),
  }),
  operations: [
    { op: 'ec2:DescribeRegions', lists: true, paths: ['optInStatus'] },
    { op: 'ec2:GetEbsEncryptionByDefault', paths: ['ebsEncryptionByDefault'] },
    { op: 'ec2:GetEbsDefaultKmsKeyId', paths: ['ebsDefaultKmsKeyId'] },
  ],
  runtimeOnly: ['optInStatus'],
};

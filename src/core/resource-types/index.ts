import { ResourceTypeRegistry, type ResourceTypeDef } from './registry';
import { awsAccount } from './aws/account';
import { awsIamUser } from './aws/iam-user';
import { awsIamGroup } from './aws/iam-group';
import { awsIamRole } from './aws/iam-role';
import { awsIamPolicy } from './aws/iam-policy';
import { awsS3Bucket } from './aws/s3-bucket';
import { awsCloudTrailTrail } from './aws/cloudtrail-trail';
import { awsKmsKey } from './aws/kms-key';
import { awsEc2SecurityGroup } from './aws/ec2-security-group';
import { awsEc2Region } from './aws/ec2-region';
import { awsIamServerCertificate } from './aws/iam-server-certificate';
import { awsAccessAnalyzer } from './aws/access-analyzer';
import { awsEc2Instance } from './aws/ec2-instance';
import { awsEc2Vpc } from './aws/ec2-vpc';
import { awsEc2NetworkAcl } from './aws/ec2-network-acl';

/** Every built-in resource type. A collector may only emit these; a rule may only target these. */
export const BUILTIN_TYPES: ResourceTypeDef[] = [
  awsAccount,
  awsIamUser,
  awsIamGroup,
  awsIamRole,
  awsIamPolicy,
  awsS3Bucket,
  awsCloudTrailTrail,
  awsKmsKey,
  awsEc2SecurityGroup,
  awsEc2Region,
  awsIamServerCertificate,
  awsAccessAnalyzer,
  awsEc2Instance,
  awsEc2Vpc,
  awsEc2NetworkAcl,
];

export function builtinRegistry(): ResourceTypeRegistry {
  return new ResourceTypeRegistry(BUILTIN_TYPES);
}

export { ResourceTypeRegistry, type ResourceTypeDef } from './registry';

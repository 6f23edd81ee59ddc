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
];

export function builtinRegistry(): ResourceTypeRegistry {
  return new ResourceTypeRegistry(BUILTIN_TYPES);
}

export { ResourceTypeRegistry, type ResourceTypeDef } from './registry';

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, policyDocument, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.s3.bucket`. Id: `arn:aws:s3:::<name>`; region: the bucket's region. */
export const awsS3Bucket: ResourceTypeDef = {
  type: 'aws.s3.bucket',
  provider: 'aws',
  description: 'An S3 bucket with its access, encryption, versioning and logging settings.',
  scope: 'regional',
  properties: obj({
    name: str(),
    creationDate: dateTime(),
    publicAccessBlock: nullable(
      obj({
        blockPublicAcls: bool(),
        ignorePublicAcls: bool(),
        blockPublicPolicy: bool(),
        restrictPublicBuckets: bool(),
      }),
      'bucket-level Block Public Access; null when not configured',
    ),
    policy: policyDocument('bucket policy; null when none (NoSuchBucketPolicy)'),
    policyStatus: nullable(obj({ isPublic: bool() }), "AWS's own verdict on the policy (GetBucketPolicyStatus); null when no policy"),
    acl: obj({
      ownerId: str('canonical user id of the owner'),
      grants: arr(
        obj({
          granteeType: strEnum(['CanonicalUser', 'Group', 'AmazonCustomerByEmail']),
          granteeId: nullable(str(), 'canonical user id'),
          granteeUri: nullable(str(), 'group URI, e.g. http://acs.amazonaws.com/groups/global/AllUsers'),
          permission: strEnum(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']),
        }),
      ),
    }),
    objectOwnership: nullable(
      strEnum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']),
      'null when no ownership controls are set (ACLs then apply as ObjectWriter)',
    ),
    encryption: nullable(
      obj({
        rules: arr(
          obj({
            sseAlgorithm: strEnum(['AES256', 'aws:kms', 'aws:kms:dsse']),
            kmsMasterKeyId: nullable(str()),
            bucketKeyEnabled: bool(),
          }),
        ),
      }),
      'default encryption; null when none is configured',
    ),
    versioning: obj({
      status: nullable(strEnum(['Enabled', 'Suspended']), 'null when never enabled'),
      mfaDelete: nullable(strEnum(['Enabled', 'Disabled'])),
    }),
    logging: nullable(obj({ targetBucket: str(), targetPrefix: str() }), 'server access logging; null when off'),
    lifecycle: nullable(
      obj({
        rules: arr(
          obj({
            id: nullable(str()),
            enabled: bool(),
            appliesToAll: bool('no filter, or an empty prefix: the rule applies to every object'),
            expirationDays: nullable(int(), 'current versions expire this many days after creation'),
            expirationDate: nullable(dateTime()),
            transitions: int('number of storage-class transitions'),
            noncurrentExpirationDays: nullable(int(), 'noncurrent versions are deleted this many days after becoming noncurrent'),
            abortIncompleteMultipartUploadDays: nullable(int()),
          }),
        ),
      }),
      'lifecycle configuration (retention and disposal); null when none; absent from snapshots written before it was read (unknown there)',
    ),
  }, undefined, ['lifecycle']),
  operations: [
    { op: 's3:ListBuckets', lists: true },
    { op: 's3:GetBucketLocation', lists: true },
    { op: 's3:GetPublicAccessBlock', paths: ['publicAccessBlock'] },
    { op: 's3:GetBucketPolicy', paths: ['policy'] },
    { op: 's3:GetBucketPolicyStatus', paths: ['policyStatus'] },
    { op: 's3:GetBucketAcl', paths: ['acl'] },
    { op: 's3:GetBucketOwnershipControls', paths: ['objectOwnership'] },
    { op: 's3:GetBucketEncryption', paths: ['encryption'] },
    { op: 's3:GetBucketVersioning', paths: ['versioning'] },
    { op: 's3:GetBucketLogging', paths: ['logging'] },
    { op: 's3:GetBucketLifecycleConfiguration', paths: ['lifecycle'] },
    { op: 's3:GetBucketTagging', paths: ['$tags'] },
  ],
  // Read since issue 17: a snapshot written before has no lifecycle, which is "not read", not "none".
  addedLater: ['lifecycle'],
  // MFA delete is set only by the root user through the API: neither CloudFormation nor Terraform sets it.
  runtimeOnly: ['policyStatus', 'creationDate', 'versioning.mfaDelete'],
};

/**
 * The name infrastructure code gives a bucket whose name is fixed only at deploy, where its own
 * bucket policy refers to it (`!GetAtt Bucket.Arn`, `${Bucket.Arn}/*`): so the facts can tell that
 * the policy names this bucket, without a name it does not have yet. `label` is the resource's
 * display name (the logical id).
 */
export function bucketNameBeforeDeploy(label: string): string {
  return `(name of ${label}, given at deploy)`;
}

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';
import { resourcePolicy } from './iam-policy';

/** `gcp.storage.bucket`. Id: `//storage.googleapis.com/projects/_/buckets/<name>`; region: the bucket's location, lower case. */
export const gcpStorageBucket: ResourceTypeDef = {
  type: 'gcp.storage.bucket',
  provider: 'gcp',
  description: 'A Cloud Storage bucket with its access, encryption, retention and logging settings.',
  scope: 'regional',
  properties: obj({
    name: str(),
    location: str('US, EU, us-central1, …'),
    storageClass: str(),
    created: nullable(dateTime()),
    uniformBucketLevelAccess: bool('uniform bucket-level access: IAM alone decides, ACLs are off'),
    publicAccessPrevention: strEnum(['enforced', 'inherited'], 'enforced: nothing in the bucket can be made public; inherited: the organization policy decides (default)'),
    acl: arr(obj({ entity: str('allUsers, allAuthenticatedUsers, project-owners-<n>, user-…'), role: strEnum(['OWNER', 'WRITER', 'READER']) }), 'bucket ACL (in effect only without uniform access)'),
    defaultObjectAcl: arr(obj({ entity: str(), role: strEnum(['OWNER', 'READER']) }), 'ACL given to new objects (without uniform access)'),
    iamPolicy: resourcePolicy('bucket IAM policy'),
    defaultKmsKeyName: nullable(str(), 'default customer-managed key (projects/…/cryptoKeys/…); null for Google-managed encryption'),
    versioning: bool(),
    retentionPolicy: nullable(obj({ retentionPeriodSeconds: int(), isLocked: bool() }), 'null when none'),
    logging: nullable(obj({ logBucket: str(), logObjectPrefix: str() }), 'usage and storage logs; null when off'),
    softDeleteRetentionSeconds: int('0 when soft delete is off'),
  }),
  operations: [
    { op: 'storage:ListBuckets', lists: true },
    { op: 'storage:GetBucketIamPolicy', paths: ['iamPolicy'] },
  ],
  runtimeOnly: ['created', 'storageClass'],
};

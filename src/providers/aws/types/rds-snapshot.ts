import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.rds.snapshot`: a manual DB snapshot or DB cluster snapshot (automated ones cannot be
 * shared). Id: the snapshot ARN. `restoreAccess` is the `restore` attribute: account ids allowed to
 * copy or restore it, `all` when it is public.
 */
export const awsRdsSnapshot: ResourceTypeDef = {
  type: 'aws.rds.snapshot',
  provider: 'aws',
  description: 'A manual RDS DB snapshot or DB cluster snapshot with its encryption and who may restore it.',
  scope: 'regional',
  properties: obj({
    snapshotIdentifier: str(),
    arn: str(),
    kind: strEnum(['instance', 'cluster'], 'a DB snapshot or a DB cluster snapshot'),
    sourceIdentifier: str('the DB instance or cluster the snapshot was taken of'),
    engine: str(),
    encrypted: bool(),
    kmsKeyId: nullable(str()),
    snapshotCreateTime: nullable(dateTime()),
    restoreAccess: arr(str(), 'accounts allowed to copy or restore the snapshot; "all" when anyone may'),
  }),
  operations: [
    { op: 'rds:DescribeDBSnapshots', lists: true },
    { op: 'rds:DescribeDBClusterSnapshots', lists: true },
    { op: 'rds:DescribeDBSnapshotAttributes', paths: ['restoreAccess'] },
    { op: 'rds:DescribeDBClusterSnapshotAttributes', paths: ['restoreAccess'] },
  ],
  runtimeOnly: ['snapshotCreateTime', 'sourceIdentifier', 'engine'],
};

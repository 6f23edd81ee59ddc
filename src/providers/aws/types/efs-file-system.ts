import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, nullable, obj, policyDocument, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.efs.file-system`. Id: the file system ARN; region: its region. */
export const awsEfsFileSystem: ResourceTypeDef = {
  type: 'aws.efs.file-system',
  provider: 'aws',
  description: 'An EFS file system with its encryption at rest, automatic backups and file system policy.',
  scope: 'regional',
  properties: obj({
    fileSystemId: str(),
    arn: str(),
    lifeCycleState: str('available, creating, deleting, …'),
    encrypted: bool(),
    kmsKeyId: nullable(str()),
    automaticBackups: nullable(strEnum(['ENABLED', 'ENABLING', 'DISABLED', 'DISABLING']), 'the backup policy (automatic backups with AWS Backup); null when never set'),
    policy: policyDocument('file system policy; null when none'),
  }),
  operations: [
    { op: 'efs:DescribeFileSystems', lists: true },
    { op: 'efs:DescribeBackupPolicy', paths: ['automaticBackups'] },
    { op: 'efs:DescribeFileSystemPolicy', paths: ['policy'] },
  ],
  runtimeOnly: ['lifeCycleState'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `aws.rds.db-instance`. Id: the instance ARN; region: its region. Aurora members carry their cluster. */
export const awsRdsDbInstance: ResourceTypeDef = {
  type: 'aws.rds.db-instance',
  provider: 'aws',
  description: 'An RDS DB instance (also the instances of Aurora clusters) with its encryption, exposure, backup, capacity and upgrade settings.',
  scope: 'regional',
  properties: obj({
    dbInstanceIdentifier: str(),
    arn: str(),
    engine: str('mysql, postgres, aurora-mysql, sqlserver-se, oracle-ee, …'),
    engineVersion: str(),
    dbInstanceClass: str(),
    status: str('available, stopped, creating, …'),
    dbClusterIdentifier: nullable(str(), 'the Aurora or Multi-AZ DB cluster the instance belongs to; null for a standalone instance'),
    replicaSourceIdentifier: nullable(str(), 'the instance or cluster this one is a read replica of; null otherwise'),
    storageEncrypted: bool(),
    kmsKeyId: nullable(str(), 'ARN of the KMS key encrypting the storage; null when not encrypted'),
    publiclyAccessible: bool('the instance has a DNS name resolving to a public IP address'),
    backupRetentionPeriod: int('days automated backups are kept; 0 means automated backups are off'),
    deletionProtection: bool(),
    multiAZ: bool(),
    maxAllocatedStorage: nullable(int(), 'upper limit (GiB) up to which RDS grows the storage when it runs low (storage autoscaling); null when storage autoscaling is off'),
    autoMinorVersionUpgrade: bool(),
    iamDatabaseAuthenticationEnabled: bool(),
    enabledCloudwatchLogsExports: arr(str(), 'log types exported to CloudWatch Logs (audit, error, general, slowquery, postgresql, …)'),
  }, undefined, ['maxAllocatedStorage']),
  operations: [{ op: 'rds:DescribeDBInstances', lists: true }],
  runtimeOnly: ['status', 'engineVersion'],
  // Read since the SOC 2 additions of issue 17: absent from an older snapshot, which is "not read", not "none".
  addedLater: ['maxAllocatedStorage'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `aws.rds.db-cluster`. Id: the cluster ARN; region: its region. Aurora and Multi-AZ DB clusters. */
export const awsRdsDbCluster: ResourceTypeDef = {
  type: 'aws.rds.db-cluster',
  provider: 'aws',
  description: 'An Aurora or Multi-AZ RDS DB cluster with its encryption, exposure, backup and authentication settings.',
  scope: 'regional',
  properties: obj({
    dbClusterIdentifier: str(),
    arn: str(),
    engine: str('aurora-mysql, aurora-postgresql, mysql, postgres, neptune, docdb, …'),
    engineVersion: str(),
    engineMode: nullable(str(), 'provisioned, serverless, …'),
    status: str(),
    storageEncrypted: bool(),
    kmsKeyId: nullable(str()),
    publiclyAccessible: nullable(bool(), 'set for Multi-AZ DB clusters; null for Aurora, where each instance says'),
    backupRetentionPeriod: int('days automated backups are kept (1–35 for clusters)'),
    deletionProtection: bool(),
    multiAZ: bool('the cluster has instances in more than one Availability Zone'),
    autoMinorVersionUpgrade: nullable(bool(), 'set for Multi-AZ DB clusters; null for Aurora (set per instance)'),
    iamDatabaseAuthenticationEnabled: bool(),
    enabledCloudwatchLogsExports: arr(str()),
    members: arr(str(), 'DB instance identifiers of the cluster'),
  }),
  operations: [{ op: 'rds:DescribeDBClusters', lists: true }],
  runtimeOnly: ['status', 'engineVersion', 'members', 'multiAZ'],
};

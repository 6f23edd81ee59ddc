import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { awsBackupPlan } from './backup-plan';
import { awsBackupRegion } from './backup-region';
import { awsBackupVault } from './backup-vault';
import { awsDynamoDbTable } from './dynamodb-table';
import { awsEfsFileSystem } from './efs-file-system';
import { awsRdsDbCluster } from './rds-db-cluster';
import { awsRdsDbInstance } from './rds-db-instance';
import { awsRdsSnapshot } from './rds-snapshot';
import { awsSecretsManagerSecret } from './secretsmanager-secret';

/** Data stores, backups and secrets (issue 17): databases, their backups and the secrets guarding them. */
export const AWS_DATA_TYPES: ResourceTypeDef[] = [
  awsRdsDbInstance,
  awsRdsDbCluster,
  awsRdsSnapshot,
  awsDynamoDbTable,
  awsBackupPlan,
  awsBackupVault,
  awsBackupRegion,
  awsSecretsManagerSecret,
  awsEfsFileSystem,
];

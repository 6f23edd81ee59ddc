import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, dateTime, int, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/** `aws.backup.vault`. Id: the vault ARN; region: its region. */
export const awsBackupVault: ResourceTypeDef = {
  type: 'aws.backup.vault',
  provider: 'aws',
  description: 'An AWS Backup vault with its encryption key, Vault Lock and access policy.',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    encryptionKeyArn: nullable(str()),
    locked: bool('Vault Lock is in force (governance mode, or compliance mode before or after its grace time)'),
    minRetentionDays: nullable(int(), 'Vault Lock: shortest retention a recovery point may have'),
    maxRetentionDays: nullable(int()),
    lockDate: nullable(dateTime(), 'compliance mode: when the lock becomes immutable; null in governance mode or without a lock'),
    recoveryPoints: int(),
    policy: policyDocument('vault access policy; null when none'),
  }),
  operations: [
    { op: 'backup:ListBackupVaults', lists: true },
    { op: 'backup:GetBackupVaultAccessPolicy', paths: ['policy'] },
  ],
  runtimeOnly: ['recoveryPoints'],
};

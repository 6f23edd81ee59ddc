import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Resource, Results } from '../../src/core/types';
import { loadIac } from '../../src/iac/index';
import { builtinRegistry } from '../../src/catalog';
import { cli, ROOT, tempDir, writeTemp } from '../helpers';

/**
 * Databases, backups, secrets, file systems and S3 lifecycle in infrastructure code (issue 17):
 * a Terraform plan and a CloudFormation template declaring the same resources give the same
 * verdicts, and a value known only after apply is UNKNOWN, never PASS.
 */

const DIR = join(ROOT, 'fixtures', 'iac', 'data-stores');
const SERVICES = /-(rds|dynamodb|backup|secretsmanager|efs)-|-lifecycle-/;
const opts = { cwd: ROOT, account: '123456789012' as string | undefined, region: 'us-east-1' as string | undefined };

async function verdicts(args: string[]): Promise<Record<string, string>> {
  const r = await cli([...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  const fs = (JSON.parse(r.stdout) as Results).findings.filter((f: Finding) => SERVICES.test(f.ruleId));
  return Object.fromEntries(fs.map((f) => [`${f.ruleId} ${f.resource.name}`, f.status]).sort());
}

function load(file: string): Resource[] {
  return loadIac([file], builtinRegistry(), opts).snapshot.resources;
}

describe('data stores in infrastructure code', () => {
  it('a plan and a template declaring the same resources give the same verdicts, the expected ones', async () => {
    const plan = await verdicts(['iac', join(DIR, 'plan.json')]);
    const template = await verdicts(['iac', join(DIR, 'template.yaml'), '--account', '123456789012', '--region', 'us-east-1']);
    expect(template).toEqual(plan);
    expect(plan).toEqual({
      'aws-backup-plan-copies-offsite daily': 'FAIL',
      'aws-backup-plan-daily daily': 'PASS',
      'aws-backup-plan-daily weekly': 'FAIL',
      'aws-backup-plan-has-selection daily': 'PASS',
      'aws-backup-plan-has-selection weekly': 'FAIL',
      'aws-backup-plan-retention daily': 'PASS',
      'aws-backup-plan-retention weekly': 'FAIL',
      'aws-backup-vault-lock-compliance-mode main': 'PASS',
      'aws-backup-vault-locked main': 'PASS',
      'aws-backup-vault-locked open': 'FAIL',
      'aws-backup-vault-not-shared-outside-org main': 'PASS',
      'aws-backup-vault-not-shared-outside-org open': 'PASS',
      'aws-backup-vault-policy-not-public main': 'PASS',
      'aws-backup-vault-policy-not-public open': 'FAIL',
      'aws-dynamodb-table-deletion-protection events': 'FAIL',
      'aws-dynamodb-table-deletion-protection sessions': 'PASS',
      'aws-dynamodb-table-in-backup-plan events': 'UNKNOWN',
      'aws-dynamodb-table-in-backup-plan sessions': 'UNKNOWN',
      'aws-dynamodb-table-pitr events': 'FAIL',
      'aws-dynamodb-table-pitr sessions': 'PASS',
      'aws-dynamodb-table-sensitive-kms events': 'FAIL',
      'aws-dynamodb-table-sensitive-kms sessions': 'PASS',
      'aws-efs-backed-up home': 'PASS',
      'aws-efs-backed-up scratch': 'UNKNOWN',
      'aws-efs-encrypted home': 'PASS',
      'aws-efs-encrypted scratch': 'FAIL',
      'aws-efs-policy-not-public home': 'PASS',
      'aws-efs-policy-not-public scratch': 'PASS',
      'aws-rds-cluster-backup-retention reports': 'PASS',
      'aws-rds-cluster-deletion-protection reports': 'FAIL',
      'aws-rds-cluster-iam-auth reports': 'FAIL',
      'aws-rds-cluster-in-backup-plan reports': 'UNKNOWN',
      'aws-rds-cluster-storage-encrypted reports': 'PASS',
      'aws-rds-instance-auto-minor-upgrade legacy': 'FAIL',
      'aws-rds-instance-auto-minor-upgrade orders': 'PASS',
      'aws-rds-instance-auto-minor-upgrade reports-1': 'PASS',
      'aws-rds-instance-backup-retention legacy': 'FAIL',
      'aws-rds-instance-backup-retention orders': 'PASS',
      'aws-rds-instance-deletion-protection legacy': 'FAIL',
      'aws-rds-instance-deletion-protection orders': 'PASS',
      'aws-rds-instance-iam-auth legacy': 'FAIL',
      'aws-rds-instance-iam-auth orders': 'PASS',
      'aws-rds-instance-in-backup-plan legacy': 'UNKNOWN',
      'aws-rds-instance-in-backup-plan orders': 'UNKNOWN',
      'aws-rds-instance-log-exports legacy': 'FAIL',
      'aws-rds-instance-log-exports orders': 'PASS',
      'aws-rds-instance-multi-az orders': 'PASS',
      'aws-rds-instance-not-public legacy': 'FAIL',
      'aws-rds-instance-not-public orders': 'PASS',
      'aws-rds-instance-not-public reports-1': 'PASS',
      'aws-rds-instance-storage-autoscaling legacy': 'FAIL', // max_allocated_storage = 0 turns it off; the template leaves it out
      'aws-rds-instance-storage-autoscaling orders': 'PASS',
      'aws-rds-instance-storage-encrypted legacy': 'FAIL',
      'aws-rds-instance-storage-encrypted orders': 'PASS',
      'aws-rds-instance-storage-encrypted reports-1': 'PASS',
      'aws-s3-bucket-lifecycle-expiration acme-archive': 'PASS',
      'aws-s3-bucket-lifecycle-noncurrent-expiration acme-archive': 'PASS',
      'aws-secretsmanager-secret-not-shared-outside-org api-key': 'PASS',
      'aws-secretsmanager-secret-not-shared-outside-org prod/db': 'PASS',
      'aws-secretsmanager-secret-policy-not-public api-key': 'FAIL',
      'aws-secretsmanager-secret-policy-not-public prod/db': 'PASS',
      'aws-secretsmanager-secret-rotation-enabled api-key': 'FAIL',
      'aws-secretsmanager-secret-rotation-enabled prod/db': 'PASS',
    });
  });

  it('maps Aurora members to their cluster, and global-table replicas to their regions', () => {
    const tf = load(join(DIR, 'plan.json'));
    const member = tf.find((r) => r.name === 'reports-1')!;
    expect(member.properties).toMatchObject({ dbClusterIdentifier: 'reports', storageEncrypted: true, backupRetentionPeriod: 7, deletionProtection: false });
    const dir = tempDir();
    const global = writeTemp(
      dir,
      'global.yaml',
      [
        'Resources:',
        '  Orders:',
        '    Type: AWS::DynamoDB::GlobalTable',
        '    Properties:',
        '      TableName: orders',
        '      SSESpecification: { SSEEnabled: true }',
        '      Replicas:',
        '        - { Region: us-east-1, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true }',
        '        - { Region: eu-west-1 }',
      ].join('\n'),
    );
    const tables = load(global).filter((r) => r.type === 'aws.dynamodb.table');
    expect(tables.map((t) => [t.region, (t.properties as any).pointInTimeRecovery.enabled, (t.properties as any).deletionProtectionEnabled, (t.properties as any).encryption.type])).toEqual([
      ['us-east-1', true, true, 'KMS'],
      ['eu-west-1', false, false, 'KMS'],
    ]);
  });

  it('a value known only after apply is UNKNOWN, not PASS or FAIL', async () => {
    const plan = JSON.parse(readFileSync(join(DIR, 'plan.json'), 'utf8'));
    for (const rc of plan.resource_changes) {
      if (rc.address === 'aws_db_instance.orders') {
        delete rc.change.after.storage_encrypted;
        rc.change.after_unknown.storage_encrypted = true;
      }
      if (rc.address === 'aws_backup_vault_lock_configuration.main') {
        delete rc.change.after.min_retention_days;
        rc.change.after_unknown.min_retention_days = true;
      }
    }
    const file = writeTemp(tempDir(), 'plan.json', JSON.stringify(plan));
    const v = await verdicts(['iac', file]);
    expect(v['aws-rds-instance-storage-encrypted orders']).toBe('UNKNOWN');
    expect(v['aws-backup-vault-lock-compliance-mode main']).toBe('UNKNOWN');
  });

  it('which backup plan assigns a resource is UNKNOWN in code (decided in the live account)', async () => {
    const v = await verdicts(['iac', join(DIR, 'plan.json')]);
    expect(Object.entries(v).filter(([k]) => k.includes('in-backup-plan')).every(([, s]) => s === 'UNKNOWN')).toBe(true);
  });
});

import type { Resource, Snapshot } from '../../../../src/core/types';
import { evaluate } from '../../../../src/engine/evaluate';
import { builtinCatalog, builtinRegistry } from '../../../../src/catalog';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';

/**
 * Databases, backups, secrets and file systems (issue 17) travel from the scenario, over RDS's
 * Query protocol, DynamoDB's JSON 1.0, Secrets Manager's JSON 1.1 and the REST-JSON of Backup and
 * EFS, through the real SDK clients into the snapshot, which validates against the types.
 */

const PROD = '222222222222';
const ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };

let snapshot: Snapshot;
let calls: Record<string, number>;

beforeAll(async () => {
  await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
    ({ snapshot } = await collectSnapshot(fake, ORG));
    calls = fake.countByOperation();
  });
});

const props = (r: Resource): Record<string, any> => r.properties as Record<string, any>;
const ofType = (type: string): Resource[] => snapshot.resources.filter((r) => r.type === type);

describe('RDS', () => {
  test('instances with every setting the rules read, tags included, from one listing per region', () => {
    expect(find(snapshot, 'aws.rds.db-instance', 'orders-db').properties).toEqual({
      dbInstanceIdentifier: 'orders-db',
      arn: `arn:aws:rds:us-east-1:${PROD}:db:orders-db`,
      engine: 'postgres',
      engineVersion: '16.3',
      dbInstanceClass: 'db.t3.medium',
      status: 'available',
      dbClusterIdentifier: null,
      replicaSourceIdentifier: null,
      storageEncrypted: true,
      kmsKeyId: `arn:aws:kms:us-east-1:${PROD}:key/prod-backups`,
      publiclyAccessible: false,
      backupRetentionPeriod: 14,
      deletionProtection: true,
      multiAZ: true,
      maxAllocatedStorage: 500,
      autoMinorVersionUpgrade: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    expect(find(snapshot, 'aws.rds.db-instance', 'orders-db').tags).toEqual({ backup: 'daily', 'data-classification': 'confidential' });
    // RDS leaves MaxAllocatedStorage out when storage autoscaling is off: null, not unknown.
    expect(props(find(snapshot, 'aws.rds.db-instance', 'legacy-mysql'))).toMatchObject({ storageEncrypted: false, kmsKeyId: null, publiclyAccessible: true, backupRetentionPeriod: 0, autoMinorVersionUpgrade: false, maxAllocatedStorage: null });
    expect(find(snapshot, 'aws.rds.db-instance', 'legacy-mysql').unknown).toBeUndefined();
    expect(props(find(snapshot, 'aws.rds.db-instance', 'reports-aurora-1'))).toMatchObject({ dbClusterIdentifier: 'reports-aurora' });
    // Three active accounts: management and production in two regions, the log archive in one.
    expect(calls['rds:DescribeDBInstances']).toBe(5);
  });

  test('Aurora clusters: members, and exposure left to the instances (null)', () => {
    expect(props(find(snapshot, 'aws.rds.db-cluster', 'reports-aurora'))).toMatchObject({
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      storageEncrypted: true,
      publiclyAccessible: null,
      autoMinorVersionUpgrade: null,
      backupRetentionPeriod: 7,
      deletionProtection: false,
      members: ['reports-aurora-1'],
    });
  });

  test('manual snapshots with who may restore them: public, other accounts, nobody', () => {
    const snaps = Object.fromEntries(ofType('aws.rds.snapshot').map((s) => [s.name, props(s)]));
    expect(snaps['orders-before-migration']).toMatchObject({ kind: 'instance', sourceIdentifier: 'orders-db', encrypted: true, restoreAccess: [] });
    expect(snaps['legacy-export']).toMatchObject({ kind: 'instance', encrypted: false, restoreAccess: ['all'] });
    expect(snaps['reports-shared']).toMatchObject({ kind: 'cluster', sourceIdentifier: 'reports-aurora', restoreAccess: ['999988887777', '333333333333'] });
    expect(calls['rds:DescribeDBSnapshotAttributes']).toBe(2);
    expect(calls['rds:DescribeDBClusterSnapshotAttributes']).toBe(1);
  });
});

describe('DynamoDB', () => {
  test('tables: KMS or AWS-owned key, point-in-time recovery, deletion protection, tags', () => {
    const sessions = find(snapshot, 'aws.dynamodb.table', 'sessions');
    expect(sessions.properties).toEqual({
      tableName: 'sessions',
      arn: `arn:aws:dynamodb:us-east-1:${PROD}:table/sessions`,
      status: 'ACTIVE',
      billingMode: 'PAY_PER_REQUEST',
      encryption: { type: 'KMS', kmsKeyArn: `arn:aws:kms:us-east-1:${PROD}:key/prod-backups` },
      deletionProtectionEnabled: true,
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
    });
    expect(sessions.tags).toEqual({ backup: 'daily' });
    const events = find(snapshot, 'aws.dynamodb.table', 'events');
    expect(events.region).toBe('eu-west-1');
    expect(props(events)).toMatchObject({ billingMode: 'PROVISIONED', encryption: { type: 'AWS_OWNED', kmsKeyArn: null }, deletionProtectionEnabled: false, pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: null } });
    expect(calls['dynamodb:DescribeTable']).toBe(2);
  });
});

describe('AWS Backup', () => {
  test('plans with rules (schedule, retention, copies) and selections (ARNs, tag conditions)', () => {
    expect(props(find(snapshot, 'aws.backup.plan', 'daily-35'))).toEqual({
      backupPlanId: 'plan-daily',
      arn: `arn:aws:backup:us-east-1:${PROD}:backup-plan:plan-daily`,
      name: 'daily-35',
      rules: [
        {
          ruleName: 'daily',
          targetVaultName: 'prod-vault',
          scheduleExpression: 'cron(0 5 ? * * *)',
          deleteAfterDays: 35,
          moveToColdStorageAfterDays: null,
          copyActions: [{ destinationVaultArn: 'arn:aws:backup:eu-west-1:333333333333:backup-vault:archive', deleteAfterDays: 90 }],
        },
      ],
      selections: [
        { selectionName: 'tagged', resources: ['*'], notResources: [], listOfTags: [], conditions: [{ operator: 'StringEquals', key: 'backup', value: 'daily' }] },
        { selectionName: 'file-systems', resources: [`arn:aws:elasticfilesystem:us-east-1:${PROD}:file-system/*`], notResources: [], listOfTags: [], conditions: [] },
      ],
    });
    expect(props(find(snapshot, 'aws.backup.plan', 'forgotten')).selections).toEqual([]);
  });

  test('vaults with Vault Lock from the listing, and their access policy', () => {
    expect(props(find(snapshot, 'aws.backup.vault', 'prod-vault'))).toMatchObject({ locked: true, minRetentionDays: 7, maxRetentionDays: 365, lockDate: '2025-06-01T00:00:00Z', recoveryPoints: 120 });
    expect(props(find(snapshot, 'aws.backup.vault', 'Default'))).toMatchObject({ locked: false, minRetentionDays: null, lockDate: null });
    expect(props(find(snapshot, 'aws.backup.vault', 'Default')).policy.Statement[0].Sid).toBe('anyone-copy');
  });

  test('region settings: types opted in and resources with recovery points; one resource per scanned region', () => {
    const region = find(snapshot, 'aws.backup.region', 'AWS Backup us-east-1', PROD);
    expect(props(region).resourceTypeOptIn).toMatchObject({ RDS: true, DynamoDB: true, EFS: true });
    expect(props(region).protectedResources).toEqual([{ resourceArn: `arn:aws:rds:us-east-1:${PROD}:db:orders-db`, resourceType: 'RDS', lastBackupTime: '2026-11-24T05:00:00Z' }]);
    expect(ofType('aws.backup.region')).toHaveLength(5);
  });

  test('restore jobs of the last 100 days, read only where something is protected', () => {
    const region = find(snapshot, 'aws.backup.region', 'AWS Backup us-east-1', PROD);
    const jobs = props(region).restoreJobs as Record<string, unknown>[];
    // The DynamoDB restore of 400 days ago is outside the window the collector asks for.
    expect(jobs.map((j) => [j.resourceType, j.status, j.validationStatus, j.restoreTestingPlanArn])).toEqual([
      ['RDS', 'COMPLETED', 'SUCCESSFUL', `arn:aws:backup:us-east-1:${PROD}:restore-testing-plan:weekly_restore_test-abc123`],
      ['RDS', 'FAILED', null, `arn:aws:backup:us-east-1:${PROD}:restore-testing-plan:weekly_restore_test-abc123`],
    ]);
    const days = (iso: unknown) => (Date.now() - Date.parse(String(iso))) / 86_400_000;
    expect(Math.floor(days(jobs[0].creationDate))).toBe(6); // 6 days before the start of today (UTC)
    expect(Date.parse(String(jobs[0].completionDate)) - Date.parse(String(jobs[0].creationDate))).toBe(3_600_000);
    // Nothing protected in the other regions: no listing there, and nothing claimed.
    expect(calls['backup:ListRestoreJobs']).toBe(1);
    for (const r of ofType('aws.backup.region').filter((x) => x !== region)) {
      expect(props(r).restoreJobs).toBeNull();
      expect(r.unknown).toBeUndefined();
    }
  });
});

describe('Secrets Manager', () => {
  test('rotation, last rotation and access from the listing; the resource policy per secret', () => {
    expect(props(find(snapshot, 'aws.secretsmanager.secret', 'prod/orders-db'))).toMatchObject({
      rotationEnabled: true,
      rotationRules: { automaticallyAfterDays: 30, scheduleExpression: null },
      lastRotatedDate: '2026-11-01T00:00:00Z',
      lastAccessedDate: '2026-11-24T00:00:00Z',
      owningService: null,
    });
    expect(props(find(snapshot, 'aws.secretsmanager.secret', 'legacy/api-key'))).toMatchObject({ rotationEnabled: false, rotationRules: null, lastRotatedDate: null });
    expect(props(find(snapshot, 'aws.secretsmanager.secret', 'legacy/api-key')).policy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::999988887777:root' });
    expect(props(find(snapshot, 'aws.secretsmanager.secret', 'rds!db-1234'))).toMatchObject({ owningService: 'rds', policy: null });
    expect(calls['secretsmanager:GetResourcePolicy']).toBe(3);
  });
});

describe('EFS', () => {
  test('file systems: encryption, automatic backups, file system policy ("none" is a fact)', () => {
    expect(props(find(snapshot, 'aws.efs.file-system', 'shared-home'))).toMatchObject({ fileSystemId: 'fs-0a1b2c3d', encrypted: true, automaticBackups: 'ENABLED' });
    expect(props(find(snapshot, 'aws.efs.file-system', 'shared-home')).policy.Statement[0].Action).toEqual(['elasticfilesystem:ClientMount']);
    const plain = find(snapshot, 'aws.efs.file-system', 'fs-9f8e7d6c');
    expect(props(plain)).toMatchObject({ encrypted: false, kmsKeyId: null, automaticBackups: null, policy: null });
    expect(plain.unknown).toBeUndefined();
  });
});

describe('S3 lifecycle', () => {
  test('rules with expiration, transitions and noncurrent expiration; none is null', () => {
    expect(props(find(snapshot, 'aws.s3.bucket', 'acme-prod-invoices')).lifecycle).toEqual({
      rules: [
        {
          id: 'retain-7y',
          enabled: true,
          appliesToAll: true,
          expirationDays: 2555,
          expirationDate: null,
          transitions: 1,
          noncurrentExpirationDays: 30,
          abortIncompleteMultipartUploadDays: 7,
        },
      ],
    });
    expect(props(find(snapshot, 'aws.s3.bucket', 'acme-prod-public')).lifecycle).toBeNull();
  });
});

describe('from the wire to the verdict', () => {
  test('the rules decide on what was collected: backup plans by tag and ARN, snapshot sharing, secret policies', () => {
    const { results } = evaluate(snapshot, builtinCatalog().loadRules(), builtinRegistry());
    const v = (rule: string, name: string): string | undefined => results.findings.find((f) => f.ruleId === rule && f.resource.name === name)?.status;
    expect(v('aws-rds-instance-in-backup-plan', 'orders-db')).toBe('PASS'); // tag condition backup=daily
    expect(v('aws-rds-instance-in-backup-plan', 'legacy-mysql')).toBe('FAIL');
    expect(v('aws-dynamodb-table-in-backup-plan', 'sessions')).toBe('PASS');
    expect(v('aws-efs-backed-up', 'fs-9f8e7d6c')).toBe('FAIL');
    expect(v('aws-rds-snapshot-not-public', 'legacy-export')).toBe('FAIL');
    expect(v('aws-rds-snapshot-not-shared-outside-org', 'reports-shared')).toBe('FAIL'); // 999988887777 is no member
    expect(v('aws-rds-snapshot-not-public', 'reports-shared')).toBe('PASS');
    expect(v('aws-secretsmanager-secret-not-shared-outside-org', 'legacy/api-key')).toBe('FAIL');
    expect(v('aws-secretsmanager-secret-not-shared-outside-org', 'prod/orders-db')).toBe('PASS');
    expect(v('aws-backup-vault-policy-not-public', 'Default')).toBe('FAIL');
    expect(v('aws-backup-vault-policy-not-public', 'prod-vault')).toBe('PASS');
    expect(v('aws-backup-plan-has-selection', 'forgotten')).toBe('FAIL');
    expect(v('aws-s3-bucket-lifecycle-noncurrent-expiration', 'acme-prod-invoices')).toBe('PASS');
    expect(v('aws-rds-instance-storage-autoscaling', 'orders-db')).toBe('PASS');
    expect(v('aws-rds-instance-storage-autoscaling', 'legacy-mysql')).toBe('FAIL');
    expect(v('aws-rds-instance-storage-autoscaling', 'reports-aurora-1')).toBeUndefined(); // Aurora: not applicable
    // The RDS restore test of 6 days ago counts; the failed one a week before it does not undo it.
    const restored = results.findings.filter((f) => f.ruleId === 'aws-backup-restore-tested');
    expect(restored.map((f) => [f.resource.account, f.resource.region, f.status])).toEqual([[PROD, 'us-east-1', 'PASS']]);
    expect(restored[0].evidence['facts.restoresByType']).toEqual([
      expect.objectContaining({ resourceType: 'RDS', protectedResources: 1, failedRestores: 1, lastRestoreTestingPlan: expect.stringContaining(':restore-testing-plan:weekly_restore_test') }),
    ]);
  });

  test('denied restore jobs make "restored in the last 35 days" UNKNOWN, where something is protected', async () => {
    const faults = [{ op: 'backup:ListRestoreJobs', kind: 'denied' as const }];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot: denied } = await collectSnapshot(fake, ORG);
      expect(denied.coverage.filter((c) => c.operation === 'ListRestoreJobs').map((c) => [c.account, c.region, c.outcome])).toEqual([[PROD, 'us-east-1', 'denied']]);
      const { results } = evaluate(denied, builtinCatalog().loadRules(), builtinRegistry());
      expect(results.findings.filter((f) => f.ruleId === 'aws-backup-restore-tested').map((f) => f.status)).toEqual(['UNKNOWN']);
    });
  });

  test('a denied selection read makes "in a backup plan" UNKNOWN, never FAIL or PASS', async () => {
    const faults = [{ op: 'backup:GetBackupSelection', kind: 'denied' as const, account: PROD }];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot: denied } = await collectSnapshot(fake, ORG);
      const { results } = evaluate(denied, builtinCatalog().loadRules(), builtinRegistry());
      const v = (rule: string, name: string): string | undefined => results.findings.find((f) => f.ruleId === rule && f.resource.name === name)?.status;
      expect(v('aws-rds-instance-in-backup-plan', 'orders-db')).toBe('UNKNOWN');
      expect(v('aws-rds-instance-in-backup-plan', 'legacy-mysql')).toBe('UNKNOWN');
      expect(v('aws-backup-plan-has-selection', 'daily-35')).toBe('UNKNOWN');
    });
  });
});

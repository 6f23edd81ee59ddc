import type { ScenarioAccount } from './scenario';
import type { ScenarioData } from './scenario-data';

/**
 * The data stores, backups and secrets of a synthetic account (issue 17), per region: databases
 * (one an Aurora member), manual snapshots (some shared), tables, backup plans with selections,
 * vaults (one locked), secrets and file systems, with varied settings.
 */
export const DATA_PER_REGION = { dbInstances: 4, tables: 6, secrets: 8, fileSystems: 2 };

export function populateData(account: ScenarioAccount, a: number, regions: string[]): void {
  const id = account.id;
  const data: ScenarioData = { dbInstances: [], dbClusters: [], dbSnapshots: [], tables: [], backupPlans: [], backupVaults: [], backupRegions: [], secrets: [], fileSystems: [] };
  regions.forEach((region, r) => {
    const tag = (n: number): Record<string, string> => (n % 2 === 0 ? { backup: 'daily' } : {});
    for (let i = 0; i < DATA_PER_REGION.dbInstances; i++) {
      data.dbInstances!.push({
        id: `db-${a}-${r}-${i}`,
        region,
        engine: i === 0 ? 'aurora-postgresql' : 'postgres',
        clusterId: i === 0 ? `cluster-${a}-${r}` : null,
        storageEncrypted: i % 3 !== 2,
        publiclyAccessible: i === 3,
        backupRetentionPeriod: i === 2 ? 0 : 7,
        deletionProtection: i % 2 === 0,
        multiAZ: i === 1,
        ...(i === 1 ? { maxAllocatedStorage: 1000 } : {}),
        tags: tag(i),
      });
    }
    data.dbClusters!.push({ id: `cluster-${a}-${r}`, region, storageEncrypted: true, backupRetentionPeriod: 7, members: [`db-${a}-${r}-0`] });
    data.dbSnapshots!.push(
      { id: `snap-${a}-${r}-private`, region, source: `db-${a}-${r}-1`, encrypted: true },
      { id: `snap-${a}-${r}-public`, region, source: `db-${a}-${r}-2`, restore: r === 0 ? ['all'] : [] },
      { id: `csnap-${a}-${r}`, region, cluster: true, source: `cluster-${a}-${r}`, encrypted: true, restore: ['999988887777'] },
    );
    for (let t = 0; t < DATA_PER_REGION.tables; t++) {
      data.tables!.push({ name: `table-${a}-${r}-${t}`, region, pitr: t % 2 === 0, deletionProtection: t % 3 === 0, ...(t % 4 === 0 ? { kmsKeyArn: `arn:aws:kms:${region}:${id}:key/k${r}-1` } : {}), tags: tag(t) });
    }
    data.backupPlans!.push(
      {
        id: `plan-${a}-${r}`,
        name: `daily-${r}`,
        region,
        rules: [{ name: 'daily', vault: `vault-${r}`, schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 35 }],
        selections: [
          { name: 'tagged', resources: ['*'], conditions: [{ operator: 'StringEquals', key: 'backup', value: 'daily' }] },
          { name: 'efs', resources: [`arn:aws:elasticfilesystem:${region}:${id}:file-system/*`] },
        ],
      },
      { id: `plan-${a}-${r}-weekly`, name: `weekly-${r}`, region, rules: [{ name: 'weekly', vault: 'Default', schedule: 'cron(0 5 ? * 1 *)', deleteAfterDays: 3 }], selections: [] },
    );
    data.backupVaults!.push(
      { name: `vault-${r}`, region, lock: r % 2 === 0 ? { minRetentionDays: 7, lockDate: '2025-01-01T00:00:00Z' } : null, recoveryPoints: 100 },
      { name: 'Default', region, policy: a === 0 ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'backup:CopyIntoBackupVault', Resource: '*' }] } : undefined },
    );
    data.backupRegions!.push({
      region,
      protected: [{ arn: `arn:aws:rds:${region}:${id}:db:db-${a}-${r}-2`, type: 'RDS', lastBackupTime: '2026-01-01T00:00:00Z' }],
      restoreJobs: r % 2 === 0 ? [{ type: 'RDS', createdDaysAgo: 3, testingPlan: 'monthly' }] : [],
    });
    for (let s = 0; s < DATA_PER_REGION.secrets; s++) {
      data.secrets!.push({
        name: `app/${a}/${r}/secret-${s}`,
        region,
        rotationEnabled: s % 2 === 0,
        rotationDays: s % 2 === 0 ? 30 : null,
        lastRotatedDate: s % 2 === 0 ? '2025-12-20T00:00:00Z' : null,
        lastAccessedDate: '2025-12-30T00:00:00Z',
        policy: s % 4 === 0 ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] } : undefined,
      });
    }
    for (let f = 0; f < DATA_PER_REGION.fileSystems; f++) {
      data.fileSystems!.push({ id: `fs-${a}${r}${f}`, region, encrypted: f === 0, backupPolicy: f === 0 ? 'ENABLED' : undefined, policy: f === 1 ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount', Resource: '*' }] } : undefined });
    }
  });
  account.data = data;
}

/** The fewest calls that give this data: each listing's pages, plus the per-resource reads the listings lack. */
export function minimumDataCalls(account: ScenarioAccount, regions: string[], add: (op: string, n: number) => void): void {
  const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));
  const d = account.data ?? {};
  for (const region of regions) {
    const here = <T extends { region: string }>(xs: T[] | undefined): T[] => (xs ?? []).filter((x) => x.region === region);
    const snaps = here(d.dbSnapshots);
    add('rds:DescribeDBInstances', pages(here(d.dbInstances).length, 100));
    add('rds:DescribeDBClusters', pages(here(d.dbClusters).length, 100));
    add('rds:DescribeDBSnapshots', pages(snaps.filter((s) => !s.cluster).length, 100));
    add('rds:DescribeDBClusterSnapshots', pages(snaps.filter((s) => s.cluster).length, 100));
    add('rds:DescribeDBSnapshotAttributes', snaps.filter((s) => !s.cluster).length);
    add('rds:DescribeDBClusterSnapshotAttributes', snaps.filter((s) => s.cluster).length);
    const tables = here(d.tables).length;
    add('dynamodb:ListTables', pages(tables, 100));
    for (const op of ['DescribeTable', 'DescribeContinuousBackups', 'ListTagsOfResource']) add(`dynamodb:${op}`, tables);
    const plans = here(d.backupPlans);
    for (const op of ['ListBackupPlans', 'ListBackupVaults', 'DescribeRegionSettings', 'ListProtectedResources']) add(`backup:${op}`, 1);
    // Restore jobs are listed only where AWS Backup protects something.
    const backupRegion = here(d.backupRegions)[0];
    if (backupRegion?.protected?.length) add('backup:ListRestoreJobs', pages(backupRegion.restoreJobs?.length ?? 0, 1000));
    add('backup:GetBackupPlan', plans.length);
    add('backup:ListBackupSelections', plans.length);
    add('backup:GetBackupSelection', plans.reduce((n, p) => n + (p.selections ?? []).length, 0));
    add('backup:GetBackupVaultAccessPolicy', here(d.backupVaults).length);
    const secrets = here(d.secrets).length;
    add('secretsmanager:ListSecrets', pages(secrets, 100));
    add('secretsmanager:GetResourcePolicy', secrets);
    const fs = here(d.fileSystems).length;
    add('efs:DescribeFileSystems', pages(fs, 100));
    add('efs:DescribeBackupPolicy', fs);
    add('efs:DescribeFileSystemPolicy', fs);
  }
}

import {
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type DBSnapshot,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  type DescribeDBClusterSnapshotsCommandOutput,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandOutput,
  DescribeDBInstancesCommand,
  type DescribeDBInstancesCommandOutput,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  type DescribeDBSnapshotsCommandOutput,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { type CallOutcome, ResourceDraft } from '../../../collect/resource-draft';
import { awsRdsDbCluster } from '../types/rds-db-cluster';
import { awsRdsDbInstance } from '../types/rds-db-instance';
import { awsRdsSnapshot } from '../types/rds-snapshot';
import type { AccountContext } from './context';
import { iso, tagsOf } from './resource';

/** The largest page RDS gives (MaxRecords 20–100). */
const PAGE = 100;

/**
 * Sets each listed field from the answer, or marks it unknown when the answer left it out: RDS
 * always sends these, and a default guessed in their place ("not encrypted", "not public") would
 * be a verdict nobody read.
 */
function required(d: ResourceDraft, values: Record<string, unknown>): void {
  for (const [path, v] of Object.entries(values)) {
    if (v === undefined || v === null) d.lose(path);
    else d.properties[path] = v;
  }
}

function instanceDraft(i: DBInstance): ResourceDraft {
  const d = new ResourceDraft(awsRdsDbInstance, {
    dbInstanceIdentifier: i.DBInstanceIdentifier ?? '',
    arn: i.DBInstanceArn ?? '',
    dbClusterIdentifier: i.DBClusterIdentifier ?? null,
    replicaSourceIdentifier: i.ReadReplicaSourceDBInstanceIdentifier ?? i.ReadReplicaSourceDBClusterIdentifier ?? null,
    kmsKeyId: i.KmsKeyId ?? null,
    // RDS leaves MaxAllocatedStorage out when storage autoscaling is off.
    maxAllocatedStorage: i.MaxAllocatedStorage ?? null,
    enabledCloudwatchLogsExports: i.EnabledCloudwatchLogsExports ?? [],
  });
  required(d, {
    engine: i.Engine,
    engineVersion: i.EngineVersion,
    dbInstanceClass: i.DBInstanceClass,
    status: i.DBInstanceStatus,
    storageEncrypted: i.StorageEncrypted,
    publiclyAccessible: i.PubliclyAccessible,
    backupRetentionPeriod: i.BackupRetentionPeriod,
    deletionProtection: i.DeletionProtection,
    multiAZ: i.MultiAZ,
    autoMinorVersionUpgrade: i.AutoMinorVersionUpgrade,
    iamDatabaseAuthenticationEnabled: i.IAMDatabaseAuthenticationEnabled,
  });
  return d;
}

function clusterDraft(c: DBCluster): ResourceDraft {
  const d = new ResourceDraft(awsRdsDbCluster, {
    dbClusterIdentifier: c.DBClusterIdentifier ?? '',
    arn: c.DBClusterArn ?? '',
    engineMode: c.EngineMode ?? null,
    kmsKeyId: c.KmsKeyId ?? null,
    // Aurora leaves these to each instance; Multi-AZ DB clusters carry them.
    publiclyAccessible: c.PubliclyAccessible ?? null,
    autoMinorVersionUpgrade: c.AutoMinorVersionUpgrade ?? null,
    enabledCloudwatchLogsExports: c.EnabledCloudwatchLogsExports ?? [],
    members: (c.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier ?? '').filter(Boolean),
  });
  required(d, {
    engine: c.Engine,
    engineVersion: c.EngineVersion,
    status: c.Status,
    storageEncrypted: c.StorageEncrypted,
    backupRetentionPeriod: c.BackupRetentionPeriod,
    deletionProtection: c.DeletionProtection,
    multiAZ: c.MultiAZ,
    iamDatabaseAuthenticationEnabled: c.IAMDatabaseAuthenticationEnabled,
  });
  return d;
}

/** The `restore` attribute of a snapshot: who may copy or restore it (`all` = public). */
function restoreAccess(d: ResourceDraft, r: CallOutcome<{ AttributeName?: string; AttributeValues?: string[] }[] | undefined>): void {
  if (!d.from(r)) return;
  const attrs = r.value;
  // The answer always lists the restore attribute (empty when not shared); without it nothing says "private".
  const restore = attrs?.find((a) => a.AttributeName === 'restore');
  if (!restore) d.lose('restoreAccess');
  else d.properties.restoreAccess = restore.AttributeValues ?? [];
}

async function collectSnapshots(ctx: AccountContext, region: string, rds: RDSClient): Promise<void> {
  const [db, cluster] = await Promise.all([
    // Manual snapshots only: automated ones cannot be shared, and are the instance's own backups.
    ctx.calls.pages(
      { service: 'rds', operation: 'DescribeDBSnapshots', region },
      (Marker, abortSignal) => rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: PAGE, Marker }), { abortSignal }),
      (p: DescribeDBSnapshotsCommandOutput) => p.Marker,
    ),
    ctx.calls.pages(
      { service: 'rds', operation: 'DescribeDBClusterSnapshots', region },
      (Marker, abortSignal) => rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: PAGE, Marker }), { abortSignal }),
      (p: DescribeDBClusterSnapshotsCommandOutput) => p.Marker,
    ),
  ]);
  const emit = (d: ResourceDraft, arn: string, name: string, tags: Record<string, string> | undefined): Promise<void> =>
    ctx.emit(d.finish({ id: arn, account: ctx.account, region, name, ...(tags ? { tags } : {}) }));
  await Promise.all([
    ...(db.ok ? db.value.flatMap((p) => p.DBSnapshots ?? []) : []).map(async (s: DBSnapshot) => {
      const id = s.DBSnapshotIdentifier ?? '';
      const arn = s.DBSnapshotArn ?? `arn:${ctx.partition}:rds:${region}:${ctx.account}:snapshot:${id}`;
      const d = new ResourceDraft(awsRdsSnapshot, { snapshotIdentifier: id, arn, kind: 'instance', sourceIdentifier: s.DBInstanceIdentifier ?? '', kmsKeyId: s.KmsKeyId ?? null, snapshotCreateTime: iso(s.SnapshotCreateTime), restoreAccess: [] });
      required(d, { engine: s.Engine, encrypted: s.Encrypted });
      const r = await ctx.calls.one({ service: 'rds', operation: 'DescribeDBSnapshotAttributes', region, resourceId: arn }, (abortSignal) =>
        rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }), { abortSignal }),
      );
      restoreAccess(d, r.ok ? { ok: true, value: r.value?.DBSnapshotAttributesResult?.DBSnapshotAttributes } : r);
      await emit(d, arn, id, tagsOf(s.TagList));
    }),
    ...(cluster.ok ? cluster.value.flatMap((p) => p.DBClusterSnapshots ?? []) : []).map(async (s: DBClusterSnapshot) => {
      const id = s.DBClusterSnapshotIdentifier ?? '';
      const arn = s.DBClusterSnapshotArn ?? `arn:${ctx.partition}:rds:${region}:${ctx.account}:cluster-snapshot:${id}`;
      const d = new ResourceDraft(awsRdsSnapshot, { snapshotIdentifier: id, arn, kind: 'cluster', sourceIdentifier: s.DBClusterIdentifier ?? '', kmsKeyId: s.KmsKeyId ?? null, snapshotCreateTime: iso(s.SnapshotCreateTime), restoreAccess: [] });
      required(d, { engine: s.Engine, encrypted: s.StorageEncrypted });
      const r = await ctx.calls.one({ service: 'rds', operation: 'DescribeDBClusterSnapshotAttributes', region, resourceId: arn }, (abortSignal) =>
        rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id }), { abortSignal }),
      );
      restoreAccess(d, r.ok ? { ok: true, value: r.value?.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes } : r);
      await emit(d, arn, id, tagsOf(s.TagList));
    }),
  ]);
}

/**
 * RDS of one region: DB instances and clusters from one listing each (every setting the rules
 * read is in the listing, tags included), and manual snapshots with one attribute call each,
 * the only place their sharing shows.
 */
export async function collectRds(ctx: AccountContext, region: string): Promise<void> {
  const rds = ctx.clients.rds(region);
  await Promise.all([
    ctx.calls
      .pages(
        { service: 'rds', operation: 'DescribeDBInstances', region },
        (Marker, abortSignal) => rds.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE, Marker }), { abortSignal }),
        (p: DescribeDBInstancesCommandOutput) => p.Marker,
      )
      .then(async (r) => {
        if (!r.ok) return;
        for (const i of r.value.flatMap((p) => p.DBInstances ?? [])) {
          const d = instanceDraft(i);
          const arn = String(d.properties.arn) || `arn:${ctx.partition}:rds:${region}:${ctx.account}:db:${String(d.properties.dbInstanceIdentifier)}`;
          d.properties.arn = arn;
          const tags = tagsOf(i.TagList);
          await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: String(d.properties.dbInstanceIdentifier), ...(tags ? { tags } : {}) }));
        }
      }),
    ctx.calls
      .pages(
        { service: 'rds', operation: 'DescribeDBClusters', region },
        (Marker, abortSignal) => rds.send(new DescribeDBClustersCommand({ MaxRecords: PAGE, Marker }), { abortSignal }),
        (p: DescribeDBClustersCommandOutput) => p.Marker,
      )
      .then(async (r) => {
        if (!r.ok) return;
        for (const c of r.value.flatMap((p) => p.DBClusters ?? [])) {
          const d = clusterDraft(c);
          const arn = String(d.properties.arn) || `arn:${ctx.partition}:rds:${region}:${ctx.account}:cluster:${String(d.properties.dbClusterIdentifier)}`;
          d.properties.arn = arn;
          const tags = tagsOf(c.TagList);
          await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: String(d.properties.dbClusterIdentifier), ...(tags ? { tags } : {}) }));
        }
      }),
    collectSnapshots(ctx, region, rds),
  ]);
}

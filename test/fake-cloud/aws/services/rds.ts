import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioDbCluster, ScenarioDbInstance, ScenarioDbSnapshot } from '../scenario-data';
import { el, esc, list, nest } from '../xml';

/** RDS over the Query protocol (2014-10-31): DB instances, clusters, manual snapshots and their attributes. */

const here = <T extends { region: string }>(ctx: Ctx, items: T[] | undefined): T[] => (items ?? []).filter((x) => x.region === ctx.region);
const arn = (ctx: Ctx, kind: string, id: string): string => `arn:aws:rds:${ctx.region}:${ctx.accountId}:${kind}:${id}`;
const tags = (t: Record<string, string> | undefined): string => list('TagList', 'Tag', Object.entries(t ?? {}).map(([k, v]) => el('Key', k) + el('Value', v)));
const strings = (tag: string, values: string[] | undefined): string => list(tag, 'member', (values ?? []).map(esc));

/** One page (MaxRecords, capped by the fake's page size; RDS allows 20–100) and the Marker for the next. */
function paged<T>(ctx: Ctx, op: string, items: readonly T[], set: string, item: string, render: (x: T) => string): string {
  const max = Number(ctx.params.get('MaxRecords') ?? 100);
  if (max < 20 || max > 100) throw new FakeError('InvalidParameterValue', 400, `MaxRecords must be between 20 and 100, got ${max}`);
  const { items: pageItems, next } = page(items, ctx.params.get('Marker'), ctx.fake.pageSize(`rds:${op}`, max, 100));
  return list(set, item, pageItems.map(render)) + el('Marker', next);
}

function instanceXml(ctx: Ctx, i: ScenarioDbInstance): string {
  const encrypted = i.storageEncrypted ?? false;
  return (
    el('DBInstanceIdentifier', i.id) + el('DBInstanceClass', i.instanceClass ?? 'db.t3.medium') + el('Engine', i.engine ?? 'postgres') +
    el('DBInstanceStatus', i.status ?? 'available') + el('BackupRetentionPeriod', i.backupRetentionPeriod ?? 1) +
    el('MultiAZ', i.multiAZ ?? false) + el('EngineVersion', i.engineVersion ?? '16.3') + el('AutoMinorVersionUpgrade', i.autoMinorVersionUpgrade ?? true) +
    el('MaxAllocatedStorage', i.maxAllocatedStorage) + el('ReadReplicaSourceDBInstanceIdentifier', i.replicaSource) + el('PubliclyAccessible', i.publiclyAccessible ?? false) +
    el('StorageEncrypted', encrypted) + el('KmsKeyId', encrypted ? (i.kmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-rds`) : undefined) +
    el('DBClusterIdentifier', i.clusterId) + el('DBInstanceArn', arn(ctx, 'db', i.id)) + el('IAMDatabaseAuthenticationEnabled', i.iamAuth ?? false) +
    strings('EnabledCloudwatchLogsExports', i.logExports) + el('DeletionProtection', i.deletionProtection ?? false) + tags(i.tags)
  );
}

function clusterXml(ctx: Ctx, c: ScenarioDbCluster): string {
  const encrypted = c.storageEncrypted ?? false;
  return (
    el('BackupRetentionPeriod', c.backupRetentionPeriod ?? 1) + el('DBClusterIdentifier', c.id) + el('Status', 'available') +
    el('Engine', c.engine ?? 'aurora-postgresql') + el('EngineVersion', '16.3') + el('EngineMode', c.engineMode ?? 'provisioned') +
    list('DBClusterMembers', 'DBClusterMember', (c.members ?? []).map((m, n) => el('DBInstanceIdentifier', m) + el('IsClusterWriter', n === 0))) +
    el('StorageEncrypted', encrypted) + el('KmsKeyId', encrypted ? (c.kmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-rds`) : undefined) +
    el('DBClusterArn', arn(ctx, 'cluster', c.id)) + el('IAMDatabaseAuthenticationEnabled', c.iamAuth ?? false) +
    strings('EnabledCloudwatchLogsExports', c.logExports) + el('DeletionProtection', c.deletionProtection ?? false) + el('MultiAZ', c.multiAZ ?? false) +
    el('PubliclyAccessible', c.publiclyAccessible) + tags(c.tags)
  );
}

function snapshotXml(ctx: Ctx, s: ScenarioDbSnapshot): string {
  const cluster = s.cluster === true;
  return cluster
    ? el('DBClusterSnapshotIdentifier', s.id) + el('DBClusterIdentifier', s.source) + el('SnapshotCreateTime', s.createTime ?? '2026-01-01T00:00:00Z') +
        el('Engine', s.engine ?? 'aurora-postgresql') + el('Status', 'available') + el('SnapshotType', 'manual') + el('StorageEncrypted', s.encrypted ?? false) +
        el('DBClusterSnapshotArn', arn(ctx, 'cluster-snapshot', s.id))
    : el('DBSnapshotIdentifier', s.id) + el('DBInstanceIdentifier', s.source) + el('SnapshotCreateTime', s.createTime ?? '2026-01-01T00:00:00Z') +
        el('Engine', s.engine ?? 'postgres') + el('Status', 'available') + el('SnapshotType', 'manual') + el('Encrypted', s.encrypted ?? false) +
        el('DBSnapshotArn', arn(ctx, 'snapshot', s.id));
}

function snapshot(ctx: Ctx, cluster: boolean): ScenarioDbSnapshot {
  const id = ctx.params.get(cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier') ?? '';
  const s = here(ctx, ctx.account.data?.dbSnapshots).find((x) => x.id === id && (x.cluster === true) === cluster);
  if (!s) throw new FakeError(cluster ? 'DBClusterSnapshotNotFoundFault' : 'DBSnapshotNotFound', 404, `snapshot ${id} not found`);
  return s;
}

/** The restore attribute (always listed, empty when the snapshot is not shared). */
const restoreXml = (set: string, item: string, s: ScenarioDbSnapshot): string =>
  list(set, item, [el('AttributeName', 'restore') + list('AttributeValues', 'AttributeValue', (s.restore ?? []).map(esc))]);

const manualOnly = (ctx: Ctx): void => {
  if (ctx.params.get('SnapshotType') !== 'manual') throw new FakeError('InvalidParameterCombination', 400, 'the fake serves manual snapshots only: ask with SnapshotType=manual');
};

export const rdsHandlers: Record<string, Handler> = {
  DescribeDBInstances: (ctx) => paged(ctx, 'DescribeDBInstances', here(ctx, ctx.account.data?.dbInstances), 'DBInstances', 'DBInstance', (i) => instanceXml(ctx, i)),
  DescribeDBClusters: (ctx) => paged(ctx, 'DescribeDBClusters', here(ctx, ctx.account.data?.dbClusters), 'DBClusters', 'DBCluster', (c) => clusterXml(ctx, c)),
  DescribeDBSnapshots(ctx) {
    manualOnly(ctx);
    const items = here(ctx, ctx.account.data?.dbSnapshots).filter((s) => !s.cluster);
    return paged(ctx, 'DescribeDBSnapshots', items, 'DBSnapshots', 'DBSnapshot', (s) => snapshotXml(ctx, s));
  },
  DescribeDBClusterSnapshots(ctx) {
    manualOnly(ctx);
    const items = here(ctx, ctx.account.data?.dbSnapshots).filter((s) => s.cluster === true);
    return paged(ctx, 'DescribeDBClusterSnapshots', items, 'DBClusterSnapshots', 'DBClusterSnapshot', (s) => snapshotXml(ctx, s));
  },
  DescribeDBSnapshotAttributes(ctx) {
    const s = snapshot(ctx, false);
    return nest('DBSnapshotAttributesResult', el('DBSnapshotIdentifier', s.id), restoreXml('DBSnapshotAttributes', 'DBSnapshotAttribute', s));
  },
  DescribeDBClusterSnapshotAttributes(ctx) {
    const s = snapshot(ctx, true);
    return nest('DBClusterSnapshotAttributesResult', el('DBClusterSnapshotIdentifier', s.id), restoreXml('DBClusterSnapshotAttributes', 'DBClusterSnapshotAttribute', s));
  },
};

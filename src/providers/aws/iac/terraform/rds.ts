import { awsRdsDbCluster } from '../../types/rds-db-cluster';
import { awsRdsDbInstance } from '../../types/rds-db-instance';
import { awsRdsSnapshot } from '../../types/rds-snapshot';
import type { Draft } from '../../../../iac/draft';
import { bool, int, isUnresolved, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';
import { planArn } from '../arn';

const arnOf = (i: TfInstance): string | Unresolved => planArn(i.address, i.values.arn);

function named(d: Draft, i: TfInstance, idAttr: string): void {
  const arn = arnOf(i);
  d.set('arn', arn);
  if (typeof arn === 'string') d.id = arn;
  const id = str(i.values[idAttr]) ?? new Unresolved(`${i.address} has no ${idAttr}: AWS generates it at apply`);
  d.name = typeof id === 'string' ? id : i.address;
  d.setTerraformTags(i.values.tags_all, i.values.tags);
}

/** Storage autoscaling's upper limit: `max_allocated_storage` unset or 0 turns it off. */
function autoscalingLimit(v: unknown): number | null | Unresolved {
  const n = int(v);
  return typeof n === 'number' && n <= 0 ? null : n;
}

/**
 * `aws_db_instance` with the provider's defaults (storage unencrypted, not public, deletion
 * protection off, Single-AZ, no storage autoscaling, minor upgrades on, IAM auth off; the backup retention AWS picks when
 * none is given is known only after apply), and `aws_rds_cluster_instance` (an Aurora member: its
 * encryption, backups and deletion protection are its cluster's).
 */
export function mapRdsInstances(ctx: TfContext): Draft[] {
  const standalone = ctx.plan.byType('aws_db_instance').map((i) => {
    const v = i.values;
    const d = ctx.draft(awsRdsDbInstance, i);
    named(d, i, 'identifier');
    d.set('dbInstanceIdentifier', str(v.identifier) ?? new Unresolved(`${i.address} identifier is generated at apply`));
    d.set('engine', str(v.engine) ?? new Unresolved(`${i.address}: engine comes from the snapshot or replica source`));
    d.set('dbInstanceClass', str(v.instance_class, ''));
    d.set('dbClusterIdentifier', null);
    d.set('replicaSourceIdentifier', optStr(v.replicate_source_db));
    d.set('storageEncrypted', bool(v.storage_encrypted, false));
    d.setCopied('kmsKeyId', optStr(v.kms_key_id));
    d.set('publiclyAccessible', bool(v.publicly_accessible, false));
    d.set('backupRetentionPeriod', int(v.backup_retention_period) ?? new Unresolved(`${i.address}: backup_retention_period is not set; RDS picks it at apply`));
    d.set('deletionProtection', bool(v.deletion_protection, false));
    d.set('multiAZ', bool(v.multi_az, false));
    d.set('maxAllocatedStorage', autoscalingLimit(v.max_allocated_storage));
    d.set('autoMinorVersionUpgrade', bool(v.auto_minor_version_upgrade, true));
    d.set('iamDatabaseAuthenticationEnabled', bool(v.iam_database_authentication_enabled, false));
    d.set('enabledCloudwatchLogsExports', strList(v.enabled_cloudwatch_logs_exports));
    return d;
  });
  const members = ctx.plan.byType('aws_rds_cluster_instance').map((i) => {
    const v = i.values;
    const d = ctx.draft(awsRdsDbInstance, i);
    named(d, i, 'identifier');
    d.set('dbInstanceIdentifier', str(v.identifier) ?? new Unresolved(`${i.address} identifier is generated at apply`));
    d.set('engine', str(v.engine) ?? new Unresolved(`${i.address}: the engine is the cluster's`));
    d.set('dbInstanceClass', str(v.instance_class, ''));
    const cluster = ctx.link(i, 'cluster_identifier', ['aws_rds_cluster'], (t) => t.values.cluster_identifier);
    const c = cluster.definite ? cluster.targets[0] : undefined;
    d.setCopied('dbClusterIdentifier', str(ctx.value(i, 'cluster_identifier')) ?? new Unresolved(`${i.address}: cluster_identifier is known only after apply`, [], true));
    d.set('replicaSourceIdentifier', null);
    const fromCluster = (what: string, v2: unknown): unknown => (c ? v2 : new Unresolved(`${i.address}: the ${what} is the cluster's, and the cluster is not in this plan`));
    d.set('storageEncrypted', fromCluster('storage encryption', c && bool(c.values.storage_encrypted, false)));
    d.set('kmsKeyId', fromCluster('KMS key', c && optStr(c.values.kms_key_id)));
    d.set('publiclyAccessible', bool(v.publicly_accessible, false));
    d.set('backupRetentionPeriod', fromCluster('backup retention', c && (int(c.values.backup_retention_period) ?? 1)));
    d.set('deletionProtection', fromCluster('deletion protection', c && bool(c.values.deletion_protection, false)));
    d.set('multiAZ', false);
    // Aurora storage grows by itself; an instance has no storage limit of its own.
    d.set('maxAllocatedStorage', null);
    d.set('autoMinorVersionUpgrade', bool(v.auto_minor_version_upgrade, true));
    d.set('iamDatabaseAuthenticationEnabled', fromCluster('IAM authentication setting', c && bool(c.values.iam_database_authentication_enabled, false)));
    d.set('enabledCloudwatchLogsExports', fromCluster('log export', c && strList(c.values.enabled_cloudwatch_logs_exports)));
    return d;
  });
  return [...standalone, ...members];
}

/**
 * `aws_rds_cluster` (Aurora, or a Multi-AZ DB cluster when `db_cluster_instance_class` is set) with
 * the provider's defaults: engine `aurora`, provisioned, unencrypted (serverless v1 is always
 * encrypted), one day of backups, deletion protection and IAM auth off.
 */
export function mapRdsClusters(ctx: TfContext): Draft[] {
  return ctx.plan.byType('aws_rds_cluster').map((i) => {
    const v = i.values;
    const d = ctx.draft(awsRdsDbCluster, i);
    named(d, i, 'cluster_identifier');
    d.set('dbClusterIdentifier', str(v.cluster_identifier) ?? new Unresolved(`${i.address} cluster_identifier is generated at apply`));
    d.set('engine', str(v.engine, 'aurora'));
    const mode = str(v.engine_mode, 'provisioned');
    d.set('engineMode', mode);
    d.set('storageEncrypted', mode === 'serverless' ? true : bool(v.storage_encrypted, false));
    d.setCopied('kmsKeyId', optStr(v.kms_key_id));
    const multiAzCluster = v.db_cluster_instance_class;
    const maz = isUnresolved(multiAzCluster) ? multiAzCluster : typeof multiAzCluster === 'string' && multiAzCluster !== '';
    d.set('publiclyAccessible', isUnresolved(maz) ? maz : maz ? bool(v.publicly_accessible, false) : null);
    d.set('autoMinorVersionUpgrade', isUnresolved(maz) ? maz : maz ? bool(v.auto_minor_version_upgrade, true) : null);
    d.set('backupRetentionPeriod', int(v.backup_retention_period, 1));
    d.set('deletionProtection', bool(v.deletion_protection, false));
    d.set('iamDatabaseAuthenticationEnabled', bool(v.iam_database_authentication_enabled, false));
    d.set('enabledCloudwatchLogsExports', strList(v.enabled_cloudwatch_logs_exports));
    return d;
  });
}

/**
 * `aws_db_snapshot`, `aws_db_snapshot_copy` and `aws_db_cluster_snapshot`: manual snapshots and
 * who they are shared with (`shared_accounts`, "all" for public; none when left out). Encryption
 * is the source's: from the instance or cluster of this plan it was taken of, else known only
 * after apply.
 */
export function mapRdsSnapshots(ctx: TfContext): Draft[] {
  const kinds = [
    { type: 'aws_db_snapshot', kind: 'instance', id: 'db_snapshot_identifier', arn: 'db_snapshot_arn', source: 'db_instance_identifier', sourceTypes: ['aws_db_instance'], sourceId: 'identifier', encrypted: 'storage_encrypted' },
    { type: 'aws_db_snapshot_copy', kind: 'instance', id: 'target_db_snapshot_identifier', arn: 'db_snapshot_arn', source: '', sourceTypes: [], sourceId: '', encrypted: '' },
    { type: 'aws_db_cluster_snapshot', kind: 'cluster', id: 'db_cluster_snapshot_identifier', arn: 'db_cluster_snapshot_arn', source: 'db_cluster_identifier', sourceTypes: ['aws_rds_cluster'], sourceId: 'cluster_identifier', encrypted: 'storage_encrypted' },
  ] as const;
  return kinds.flatMap((k) =>
    ctx.plan.byType(k.type).map((i) => {
      const v = i.values;
      const d = ctx.draft(awsRdsSnapshot, i);
      const id = str(v[k.id]) ?? new Unresolved(`${i.address} ${k.id} is known only after apply`);
      d.set('snapshotIdentifier', id);
      d.name = typeof id === 'string' ? id : i.address;
      const arn = planArn(i.address, v[k.arn], true);
      d.setCopied('arn', arn);
      if (typeof arn === 'string') d.id = arn;
      d.setTerraformTags(v.tags_all, v.tags);
      d.set('kind', k.kind);
      const source = k.source ? ctx.link(i, k.source, [...k.sourceTypes], (t) => t.values[k.sourceId]) : { targets: [], definite: false };
      const fromSource = source.definite && source.targets.length === 1 ? bool(source.targets[0].values[k.encrypted], false) : undefined;
      const own = [bool(v.encrypted), bool(v.storage_encrypted)].find((x) => typeof x === 'boolean');
      d.set('encrypted', own ?? fromSource ?? new Unresolved(`${i.address}: encryption is its source's, known only after apply when the source is not in this plan`));
      d.setCopied('kmsKeyId', optStr(v.kms_key_id));
      d.set('restoreAccess', v.shared_accounts === undefined || v.shared_accounts === null ? [] : strList(v.shared_accounts));
      return d;
    }),
  );
}

import { awsRdsDbCluster } from '../../types/rds-db-cluster';
import { awsRdsDbInstance } from '../../types/rds-db-instance';
import type { Draft } from '../../../../iac/draft';
import { bool, int, isUnresolved, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

const deployed = (r: CfnResource): Unresolved => new Unresolved(`${r.logicalId} ARN is known only after deploy`);

/**
 * `AWS::RDS::DBInstance`: unencrypted, one day of backups, deletion protection and IAM auth off,
 * Single-AZ, no storage autoscaling, minor upgrades on unless the template says otherwise. Whether an instance without
 * `PubliclyAccessible` gets a public address depends on its subnets (unknown). An instance of a
 * cluster (`DBClusterIdentifier`) takes encryption, backups and deletion protection from it.
 */
export function mapRdsInstances(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::RDS::DBInstance').map((i) => {
    const p = i.props;
    const d = ctx.draft(awsRdsDbInstance, i);
    const id = ctx.name(i, 'DBInstanceIdentifier', 'instance identifier');
    d.set('dbInstanceIdentifier', id);
    if (typeof id === 'string') d.name = id;
    d.set('arn', deployed(i));
    d.set('engine', str(p.Engine) ?? new Unresolved(`${i.logicalId}: the engine comes from its snapshot, source or cluster`));
    d.set('dbInstanceClass', str(p.DBInstanceClass, ''));
    const clusterRef = p.DBClusterIdentifier;
    const cluster = clusterRef === undefined ? undefined : ctx.targets(clusterRef, 'AWS::RDS::DBCluster', 'DBClusterIdentifier')[0];
    // A member of a cluster of this template: its identifier, or at least certainly one.
    d.setCopied('dbClusterIdentifier', cluster ? (str(cluster.props.DBClusterIdentifier) ?? new Unresolved(`${cluster.logicalId} identifier is generated at deploy`, [cluster.logicalId], true)) : optStr(clusterRef));
    d.set('replicaSourceIdentifier', optStr(p.SourceDBInstanceIdentifier) ?? optStr(p.SourceDBClusterIdentifier));
    const own = (what: string, v: unknown, fromCluster: (c: CfnResource) => unknown): unknown =>
      clusterRef === undefined ? v : cluster ? fromCluster(cluster) : new Unresolved(`${i.logicalId}: the ${what} is its cluster's, which is not in this template`);
    d.set('storageEncrypted', own('storage encryption', bool(p.StorageEncrypted, false), (c) => bool(c.props.StorageEncrypted, false)));
    d.setCopied('kmsKeyId', own('KMS key', optStr(p.KmsKeyId), (c) => optStr(c.props.KmsKeyId)));
    d.set('publiclyAccessible', bool(p.PubliclyAccessible) ?? new Unresolved(`${i.logicalId} sets no PubliclyAccessible: the default depends on its subnets`));
    d.set('backupRetentionPeriod', own('backup retention', int(p.BackupRetentionPeriod, 1), (c) => int(c.props.BackupRetentionPeriod, 1)));
    d.set('deletionProtection', own('deletion protection', bool(p.DeletionProtection, false), (c) => bool(c.props.DeletionProtection, false)));
    d.set('multiAZ', bool(p.MultiAZ, false));
    // Storage autoscaling: off without MaxAllocatedStorage; a cluster member's storage is the cluster's.
    d.set('maxAllocatedStorage', clusterRef === undefined ? int(p.MaxAllocatedStorage) : null);
    d.set('autoMinorVersionUpgrade', bool(p.AutoMinorVersionUpgrade, true));
    d.set('iamDatabaseAuthenticationEnabled', own('IAM authentication setting', bool(p.EnableIAMDatabaseAuthentication, false), (c) => bool(c.props.EnableIAMDatabaseAuthentication, false)));
    d.set('enabledCloudwatchLogsExports', own('log export', strList(p.EnableCloudwatchLogsExports), (c) => strList(c.props.EnableCloudwatchLogsExports)));
    return d;
  });
}

/** `AWS::RDS::DBCluster` (Aurora, or Multi-AZ when `DBClusterInstanceClass` is set): unencrypted (serverless v1 always encrypted), one day of backups. */
export function mapRdsClusters(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::RDS::DBCluster').map((c) => {
    const p = c.props;
    const d = ctx.draft(awsRdsDbCluster, c);
    const id = ctx.name(c, 'DBClusterIdentifier', 'cluster identifier');
    d.set('dbClusterIdentifier', id);
    if (typeof id === 'string') d.name = id;
    d.set('arn', deployed(c));
    d.set('engine', str(p.Engine) ?? new Unresolved(`${c.logicalId}: the engine comes from its snapshot`));
    const mode = str(p.EngineMode, 'provisioned');
    d.set('engineMode', mode);
    d.set('storageEncrypted', mode === 'serverless' ? true : bool(p.StorageEncrypted, false));
    d.setCopied('kmsKeyId', optStr(p.KmsKeyId));
    const cls = p.DBClusterInstanceClass;
    const maz = isUnresolved(cls) ? cls : typeof cls === 'string' && cls !== '';
    d.set('publiclyAccessible', isUnresolved(maz) ? maz : maz ? (bool(p.PubliclyAccessible) ?? new Unresolved(`${c.logicalId} sets no PubliclyAccessible: the default depends on its subnets`)) : null);
    d.set('autoMinorVersionUpgrade', isUnresolved(maz) ? maz : maz ? bool(p.AutoMinorVersionUpgrade, true) : null);
    d.set('backupRetentionPeriod', int(p.BackupRetentionPeriod, 1));
    d.set('deletionProtection', bool(p.DeletionProtection, false));
    d.set('iamDatabaseAuthenticationEnabled', bool(p.EnableIAMDatabaseAuthentication, false));
    d.set('enabledCloudwatchLogsExports', strList(p.EnableCloudwatchLogsExports));
    return d;
  });
}

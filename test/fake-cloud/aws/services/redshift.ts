import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioRedshiftCluster } from '../scenario-web-analytics';
import { el, esc, list, nest } from '../xml';

/**
 * Redshift over the Query protocol (2012-12-01): the region's provisioned clusters, each
 * cluster's audit logging status, and a parameter group's parameters. A group name starting with
 * `default.` that the scenario does not list is the default group (require_ssl false).
 */

const clusters = (ctx: Ctx): ScenarioRedshiftCluster[] => (ctx.account.webAnalytics?.redshiftClusters ?? []).filter((c) => c.region === ctx.region);
const DEFAULT_GROUP = 'default.redshift-1.0';

/** One page (MaxRecords 20–100, capped by the fake's page size) and the Marker for the next. */
function paged<T>(ctx: Ctx, op: string, items: readonly T[], set: string, item: string, render: (x: T) => string): string {
  const max = Number(ctx.params.get('MaxRecords') ?? 100);
  if (max < 20 || max > 100) throw new FakeError('InvalidParameterValue', 400, `MaxRecords must be between 20 and 100, got ${max}`);
  const { items: pageItems, next } = page(items, ctx.params.get('Marker'), ctx.fake.pageSize(`redshift:${op}`, max, 100));
  return list(set, item, pageItems.map(render)) + el('Marker', next);
}

function clusterXml(ctx: Ctx, c: ScenarioRedshiftCluster): string {
  const encrypted = c.encrypted ?? false;
  return (
    el('ClusterIdentifier', c.id) + el('NodeType', c.nodeType ?? 'ra3.xlplus') + el('ClusterStatus', 'available') + el('ClusterAvailabilityStatus', 'Available') +
    el('MasterUsername', 'admin') + el('DBName', 'analytics') + nest('Endpoint', el('Address', `${c.id}.abc.${ctx.region}.redshift.amazonaws.com`), el('Port', 5439)) +
    el('ClusterCreateTime', '2025-01-01T00:00:00Z') + el('AutomatedSnapshotRetentionPeriod', c.snapshotRetention ?? 1) + el('ManualSnapshotRetentionPeriod', -1) +
    list('ClusterParameterGroups', 'ClusterParameterGroup', [el('ParameterGroupName', c.parameterGroup ?? DEFAULT_GROUP) + el('ParameterApplyStatus', c.parameterApplyStatus ?? 'in-sync')]) +
    el('VpcId', 'vpc-0123') + el('AllowVersionUpgrade', c.allowVersionUpgrade ?? true) + el('NumberOfNodes', 2) + el('PubliclyAccessible', c.publiclyAccessible ?? false) +
    el('Encrypted', encrypted) + el('KmsKeyId', encrypted ? (c.kmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-redshift`) : undefined) +
    el('EnhancedVpcRouting', c.enhancedVpcRouting ?? false) + list('Tags', 'Tag', Object.entries(c.tags ?? {}).map(([k, v]) => el('Key', k) + el('Value', v)))
  );
}

export const redshiftHandlers: Record<string, Handler> = {
  DescribeClusters: (ctx) => paged(ctx, 'DescribeClusters', clusters(ctx), 'Clusters', 'Cluster', (c) => clusterXml(ctx, c)),
  DescribeLoggingStatus(ctx) {
    const id = ctx.params.get('ClusterIdentifier') ?? '';
    ctx.resource = `arn:aws:redshift:${ctx.region}:${ctx.accountId}:cluster:${id}`;
    const c = clusters(ctx).find((x) => x.id === id);
    if (!c) throw new FakeError('ClusterNotFound', 404, `Cluster ${id} not found.`);
    const l = c.logging;
    if (!l) return el('LoggingEnabled', false);
    return (
      el('LoggingEnabled', true) + el('LogDestinationType', l.destination) + (l.destination === 's3' ? el('BucketName', `${c.id}-audit`) + el('S3KeyPrefix', 'redshift/') : '') +
      // The log types are chosen for a CloudWatch destination only; S3 receives all of them.
      (l.destination === 'cloudwatch' ? list('LogExports', 'member', (l.exports ?? ['connectionlog', 'userlog', 'useractivitylog']).map(esc)) : '')
    );
  },
  DescribeClusterParameters(ctx) {
    const name = ctx.params.get('ParameterGroupName') ?? '';
    ctx.resource = `arn:aws:redshift:${ctx.region}:${ctx.accountId}:parametergroup:${name}`;
    const g = (ctx.account.webAnalytics?.redshiftParameterGroups ?? []).find((x) => x.name === name && x.region === ctx.region);
    if (!g && !name.startsWith('default.')) throw new FakeError('ClusterParameterGroupNotFound', 404, `ParameterGroup ${name} not found.`);
    const source = g ? 'user' : 'engine-default';
    const params: [string, string][] = [
      ['auto_analyze', 'true'],
      ['datestyle', 'ISO, MDY'],
      ['enable_user_activity_logging', 'false'],
      ['max_concurrency_scaling_clusters', '1'],
      ['require_ssl', String(g?.requireSsl ?? false)],
      ['search_path', '$user, public'],
      ['statement_timeout', '0'],
      ['use_fips_ssl', 'false'],
    ];
    const render = ([n, v]: [string, string]) => el('ParameterName', n) + el('ParameterValue', v) + el('Source', n === 'require_ssl' ? source : 'engine-default') + el('DataType', 'string') + el('ApplyType', 'static') + el('IsModifiable', true);
    return paged(ctx, 'DescribeClusterParameters', params, 'Parameters', 'Parameter', render);
  },
};

import {
  type Cluster,
  DescribeClusterParametersCommand,
  type DescribeClusterParametersCommandOutput,
  DescribeClustersCommand,
  type DescribeClustersCommandOutput,
  DescribeLoggingStatusCommand,
} from '@aws-sdk/client-redshift';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsRedshiftCluster } from '../types/redshift-cluster';
import type { CallResult } from './calls';
import type { AccountContext } from './context';
import { tagsOf } from './resource';

/** The largest page Redshift gives (MaxRecords 20–100). */
const PAGE = 100;

/** Sets each field from the listing, or marks it unknown when the answer left it out (Redshift always sends these). */
function required(d: ResourceDraft, values: Record<string, unknown>): void {
  for (const [path, v] of Object.entries(values)) {
    if (v === undefined || v === null) d.lose(path);
    else d.properties[path] = v;
  }
}

/** What a parameter group says of require_ssl: the value, or why it is not known. */
type RequireSsl = { value: boolean } | { value: null; why: string };

/**
 * What `require_ssl` says in each parameter group the clusters use: one read per group, however
 * many clusters share it (the default group usually serves them all).
 */
async function requireSslByGroup(ctx: AccountContext, region: string, groups: string[]): Promise<Map<string, RequireSsl>> {
  const rs = ctx.clients.redshift(region);
  const out = new Map<string, RequireSsl>();
  await Promise.all(
    groups.map(async (name) => {
      const r: CallResult<DescribeClusterParametersCommandOutput[]> = await ctx.calls.pages(
        { service: 'redshift', operation: 'DescribeClusterParameters', region, resourceId: `arn:${ctx.partition}:redshift:${region}:${ctx.account}:parametergroup:${name}` },
        (Marker, abortSignal) => rs.send(new DescribeClusterParametersCommand({ ParameterGroupName: name, Marker, MaxRecords: PAGE }), { abortSignal }),
        (p) => p.Marker,
      );
      if (!r.ok) {
        out.set(name, { value: null, why: `redshift:DescribeClusterParameters ${r.outcome} for parameter group ${name} (${r.message})` });
        return;
      }
      const value = r.value.flatMap((p) => p.Parameters ?? []).find((p) => p.ParameterName === 'require_ssl')?.ParameterValue;
      // Every parameter group lists require_ssl: one that does not was not read whole.
      out.set(name, value === undefined ? { value: null, why: `parameter group ${name} lists no require_ssl` } : { value: value.toLowerCase() === 'true' });
    }),
  );
  return out;
}

/**
 * Provisioned Redshift clusters of one region: one listing (encryption, exposure, routing,
 * snapshots and upgrades are in it), then per cluster its audit logging status, and per distinct
 * parameter group whether it requires SSL.
 */
export async function collectRedshift(ctx: AccountContext, region: string): Promise<void> {
  const rs = ctx.clients.redshift(region);
  const list = await ctx.calls.pages(
    { service: 'redshift', operation: 'DescribeClusters', region },
    (Marker, abortSignal) => rs.send(new DescribeClustersCommand({ Marker, MaxRecords: PAGE }), { abortSignal }),
    (p: DescribeClustersCommandOutput) => p.Marker,
  );
  if (!list.ok) return;
  const clusters = list.value.flatMap((p) => p.Clusters ?? []);
  if (clusters.length === 0) return;
  const groupOf = (c: Cluster) => c.ClusterParameterGroups?.[0];
  const ssl = await requireSslByGroup(ctx, region, [...new Set(clusters.map((c) => groupOf(c)?.ParameterGroupName).filter((g): g is string => !!g))]);
  await Promise.all(
    clusters.map(async (c) => {
      const id = c.ClusterIdentifier ?? '';
      const arn = `arn:${ctx.partition}:redshift:${region}:${ctx.account}:cluster:${id}`;
      const logging = await ctx.calls.one({ service: 'redshift', operation: 'DescribeLoggingStatus', region, resourceId: arn }, (abortSignal) =>
        rs.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: id }), { abortSignal }),
      );
      const group = groupOf(c);
      const d = new ResourceDraft(awsRedshiftCluster, {
        clusterIdentifier: id,
        arn,
        nodeType: c.NodeType ?? '',
        status: c.ClusterStatus ?? '',
        kmsKeyId: c.KmsKeyId ?? null,
        parameterGroupName: group?.ParameterGroupName ?? null,
        requireSsl: false,
        auditLogging: { enabled: false, destination: null, logExports: [] },
      });
      required(d, {
        encrypted: c.Encrypted,
        publiclyAccessible: c.PubliclyAccessible,
        enhancedVpcRouting: c.EnhancedVpcRouting,
        automatedSnapshotRetentionPeriod: c.AutomatedSnapshotRetentionPeriod,
        allowVersionUpgrade: c.AllowVersionUpgrade,
      });
      // A parameter change waiting for a reboot is not in effect yet: what the cluster enforces is not known.
      const read = group?.ParameterGroupName ? ssl.get(group.ParameterGroupName) : undefined;
      const status = group?.ParameterApplyStatus ?? 'in-sync';
      if (!read) d.loseBecause('the listing names no parameter group for the cluster', 'requireSsl');
      else if (read.value === null) d.loseBecause(read.why, 'requireSsl');
      else if (status !== 'in-sync') d.loseBecause(`parameter group ${group!.ParameterGroupName} is ${status}: the require_ssl in force is not known until the cluster applies it`, 'requireSsl');
      else d.properties.requireSsl = read.value;
      if (d.from(logging)) {
        const l = logging.value;
        const destination = l?.LoggingEnabled ? (l.LogDestinationType ?? 's3') : null;
        if (l?.LoggingEnabled === undefined) d.lose('auditLogging');
        else if (destination === 'cloudwatch' && !l.LogExports) {
          // Logs sent to CloudWatch always name their types: an answer without them was not read whole.
          ctx.calls.gap({ service: 'redshift', operation: 'DescribeLoggingStatus', region, resourceId: arn }, 'error', 'the answer sends audit logs to CloudWatch Logs but names no log type');
          d.lose('auditLogging');
        } else d.properties.auditLogging = { enabled: l.LoggingEnabled, destination, logExports: l.LogExports ?? [] };
      }
      const tags = tagsOf(c.Tags);
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: id, ...(tags ? { tags } : {}) }));
    }),
  );
}

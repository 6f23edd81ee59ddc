import {
  type DistributionSummary,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  type ListDistributionsCommandOutput,
  type Origin,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeDeliveriesCommand,
  type DescribeDeliveriesCommandOutput,
  DescribeDeliverySourcesCommand,
  type DescribeDeliverySourcesCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsCloudFrontDistribution, cloudFrontOriginKind } from '../types/cloudfront-distribution';
import type { CallResult } from './calls';
import type { AccountContext } from './context';

/** ListDistributions' largest (and default) page. */
const PAGE = 100;
/** DescribeDeliverySources' and DescribeDeliveries' largest page. */
const LOGS_PAGE = 50;

/** An origin as the snapshot holds it. */
function origin(o: Origin): Record<string, unknown> {
  const domain = o.DomainName ?? '';
  return {
    id: o.Id ?? '',
    domainName: domain,
    kind: cloudFrontOriginKind(domain, { s3: !!o.S3OriginConfig, vpc: !!o.VpcOriginConfig }),
    // Both are sent as "" when not set.
    originAccessControlId: o.OriginAccessControlId || null,
    originAccessIdentity: o.S3OriginConfig?.OriginAccessIdentity || null,
    protocolPolicy: o.CustomOriginConfig?.OriginProtocolPolicy ?? null,
    sslProtocols: o.CustomOriginConfig?.OriginSslProtocols?.Items ?? [],
  };
}

/** The viewer certificate; undefined when the summary left it out (it always carries one). */
function viewerCertificate(s: DistributionSummary): Record<string, unknown> | undefined {
  const vc = s.ViewerCertificate;
  if (!vc || !vc.MinimumProtocolVersion) return undefined;
  const source = vc.CloudFrontDefaultCertificate ? 'cloudfront' : vc.ACMCertificateArn ? 'acm' : vc.IAMCertificateId ? 'iam' : (vc.CertificateSource ?? 'cloudfront');
  return { source, minimumProtocolVersion: vc.MinimumProtocolVersion, sslSupportMethod: vc.SSLSupportMethod ?? null };
}

/**
 * Distributions whose access logs go through a CloudWatch Logs delivery (standard logging v2):
 * an ACCESS_LOGS delivery source naming the distribution, with a delivery. Read only when the
 * account has distributions; the deliveries only when a source names one of them.
 */
async function deliveredDistributions(ctx: AccountContext, region: string, arns: Set<string>): Promise<CallResult<Set<string>>> {
  const logs = ctx.clients.logs(region);
  const sources = await ctx.calls.pages(
    { service: 'logs', operation: 'DescribeDeliverySources', region },
    (nextToken, abortSignal) => logs.send(new DescribeDeliverySourcesCommand({ nextToken, limit: LOGS_PAGE }), { abortSignal }),
    (p: DescribeDeliverySourcesCommandOutput) => p.nextToken,
  );
  if (!sources.ok) return sources;
  const byName = new Map<string, string[]>();
  for (const s of sources.value.flatMap((p) => p.deliverySources ?? [])) {
    const named = (s.resourceArns ?? []).filter((a) => arns.has(a));
    if (s.logType === 'ACCESS_LOGS' && s.name && named.length) byName.set(s.name, named);
  }
  if (byName.size === 0) return { ok: true, value: new Set() };
  const deliveries = await ctx.calls.pages(
    { service: 'logs', operation: 'DescribeDeliveries', region },
    (nextToken, abortSignal) => logs.send(new DescribeDeliveriesCommand({ nextToken, limit: LOGS_PAGE }), { abortSignal }),
    (p: DescribeDeliveriesCommandOutput) => p.nextToken,
  );
  if (!deliveries.ok) return deliveries;
  const out = new Set<string>();
  for (const d of deliveries.value.flatMap((p) => p.deliveries ?? [])) for (const a of byName.get(d.deliverySourceName ?? '') ?? []) out.add(a);
  return { ok: true, value: out };
}

/**
 * CloudFront distributions of the account (a global service: read once per account, not per
 * region). The listing carries everything the rules read but the legacy access logging, which only
 * the distribution's configuration holds (one call each); access logs delivered through CloudWatch
 * Logs (standard logging v2) are configured in us-east-1 and read there, one listing for all.
 */
export async function collectCloudFront(ctx: AccountContext): Promise<void> {
  const cf = ctx.clients.cloudfront(ctx.homeRegion);
  const list = await ctx.calls.pages(
    { service: 'cloudfront', operation: 'ListDistributions', region: 'global' },
    (Marker, abortSignal) => cf.send(new ListDistributionsCommand({ Marker, MaxItems: PAGE }), { abortSignal }),
    (p: ListDistributionsCommandOutput) => (p.DistributionList?.IsTruncated ? p.DistributionList.NextMarker : undefined),
  );
  if (!list.ok) return;
  const summaries = list.value.flatMap((p) => p.DistributionList?.Items ?? []);
  if (summaries.length === 0) return;
  const arnOf = (s: DistributionSummary): string => s.ARN ?? `arn:${ctx.partition}:cloudfront::${ctx.account}:distribution/${s.Id ?? ''}`;
  // CloudFront's vended logs live in us-east-1 in the commercial partition; elsewhere in the scan's home region.
  const logsRegion = ctx.partition === 'aws' ? 'us-east-1' : ctx.homeRegion;
  const [delivered, configs] = await Promise.all([
    deliveredDistributions(ctx, logsRegion, new Set(summaries.map(arnOf))),
    Promise.all(
      summaries.map((s) =>
        ctx.calls.one({ service: 'cloudfront', operation: 'GetDistributionConfig', region: 'global', resourceId: arnOf(s) }, (abortSignal) =>
          cf.send(new GetDistributionConfigCommand({ Id: s.Id ?? '' }), { abortSignal }),
        ),
      ),
    ),
  ]);
  for (const [i, s] of summaries.entries()) {
    const config = configs[i];
    const arn = arnOf(s);
    const behaviours = [
      { PathPattern: '*', TargetOriginId: s.DefaultCacheBehavior?.TargetOriginId, ViewerProtocolPolicy: s.DefaultCacheBehavior?.ViewerProtocolPolicy },
      ...(s.CacheBehaviors?.Items ?? []),
    ];
    const d = new ResourceDraft(awsCloudFrontDistribution, {
      id: s.Id ?? '',
      arn,
      domainName: s.DomainName ?? '',
      aliases: s.Aliases?.Items ?? [],
      enabled: s.Enabled === true,
      cacheBehaviors: behaviours.map((b) => ({ pathPattern: b.PathPattern ?? '', targetOriginId: b.TargetOriginId ?? '', viewerProtocolPolicy: b.ViewerProtocolPolicy ?? null })),
      viewerCertificate: viewerCertificate(s) ?? null,
      origins: (s.Origins?.Items ?? []).map(origin),
      webAclId: s.WebACLId || null,
      logging: null,
      standardLogging: delivered.ok ? delivered.value.has(arn) : false,
    });
    // The summary always carries these; one left out is not read, not "allow-all" or "no certificate".
    if (!s.DefaultCacheBehavior?.ViewerProtocolPolicy || behaviours.some((b) => !b.ViewerProtocolPolicy)) d.lose('cacheBehaviors');
    if (d.properties.viewerCertificate === null) d.lose('viewerCertificate');
    if (!s.Origins) d.lose('origins');
    if (s.Enabled === undefined) d.lose('enabled');
    if (s.WebACLId === undefined) d.lose('webAclId');
    d.from(delivered);
    if (d.from(config)) {
      const l = config.value?.DistributionConfig?.Logging;
      d.properties.logging = l?.Enabled ? { bucket: l.Bucket ?? '', prefix: l.Prefix ?? '', includeCookies: l.IncludeCookies === true } : null;
    }
    await ctx.emit(d.finish({ id: arn, account: ctx.account, region: 'global', name: String(s.Id ?? arn) }));
  }
}


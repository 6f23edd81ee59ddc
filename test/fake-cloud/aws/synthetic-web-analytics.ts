import type { ScenarioAccount } from './scenario';
import type { ScenarioWebAnalytics } from './scenario-web-analytics';

/**
 * CloudFront, OpenSearch Service and Redshift of a synthetic account (issue 17): four
 * distributions in every account but the third (which shows what an account without any costs),
 * one with a standard logging v2 delivery; two domains in each of the first two regions; two
 * Redshift clusters in the first region, one on a custom parameter group. Varied settings, so the
 * rules both pass and fail.
 */
export function populateWebAnalytics(account: ScenarioAccount, a: number, regions: string[]): void {
  const w: ScenarioWebAnalytics = { distributions: [], logDeliveries: [], searchDomains: [], redshiftClusters: [], redshiftParameterGroups: [] };
  if (a !== 2) {
    for (let d = 0; d < 4; d++) {
      w.distributions!.push({
        id: `E${a}DIST${d}`,
        viewerProtocolPolicy: d % 2 === 0 ? 'redirect-to-https' : 'allow-all',
        ...(d === 0 ? { certificate: { source: 'acm' as const, minimumProtocolVersion: 'TLSv1.2_2021' }, webAclId: `arn:aws:wafv2:us-east-1:${account.id}:global/webacl/edge/1` } : {}),
        origins:
          d === 3
            ? [{ id: 'site', domainName: `site-${a}.s3-website-us-east-1.amazonaws.com`, custom: { protocolPolicy: 'http-only' as const } }]
            : [{ id: 'assets', domainName: `assets-${a}.s3.us-east-1.amazonaws.com`, s3: {}, ...(d !== 2 ? { oac: `E${a}OAC` } : {}) }],
        ...(d === 1 ? { logging: { bucket: `logs-${a}.s3.amazonaws.com` } } : {}),
      });
    }
    w.logDeliveries!.push({ sourceName: `cf-${a}`, distributions: [`E${a}DIST0`] });
  }
  regions.forEach((region, r) => {
    if (r < 2) {
      w.searchDomains!.push(
        { name: `search-${r}-0`, region, vpcId: 'vpc-1', encryptionAtRest: true, nodeToNodeEncryption: true, enforceHttps: true, tlsSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07', fineGrainedAccessControl: true, logs: ['AUDIT_LOGS'] },
        { name: `search-${r}-1`, region, accessPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: '*' }] } },
      );
    }
    if (r === 0) {
      w.redshiftParameterGroups!.push({ name: 'ssl', region, requireSsl: true });
      w.redshiftClusters!.push(
        { id: `dw-${a}`, region, encrypted: true, snapshotRetention: 7, parameterGroup: 'ssl', logging: { destination: 'cloudwatch' } },
        { id: `dw-${a}-legacy`, region, publiclyAccessible: a === 0 },
      );
    }
  });
  account.webAnalytics = w;
}

/** The fewest calls that give this data: each listing's pages, plus the per-resource reads the listings lack. */
export function minimumWebAnalyticsCalls(account: ScenarioAccount, regions: string[], add: (op: string, n: number) => void): void {
  const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));
  const w = account.webAnalytics ?? {};
  const distributions = w.distributions ?? [];
  // Global: once per account, whatever the regions.
  add('cloudfront:ListDistributions', pages(distributions.length, 100));
  add('cloudfront:GetDistributionConfig', distributions.length);
  if (distributions.length) {
    const ids = new Set(distributions.map((d) => d.id));
    const sources = w.logDeliveries ?? [];
    add('logs:DescribeDeliverySources', pages(sources.length, 50));
    if (sources.some((s) => s.distributions.some((d) => ids.has(d)))) add('logs:DescribeDeliveries', pages(sources.filter((s) => s.delivered !== false).length, 50));
  }
  for (const region of regions) {
    const domains = (w.searchDomains ?? []).filter((d) => d.region === region).length;
    add('es:ListDomainNames', 1);
    add('es:DescribeDomains', Math.ceil(domains / 5));
    const clusters = (w.redshiftClusters ?? []).filter((c) => c.region === region);
    add('redshift:DescribeClusters', pages(clusters.length, 100));
    add('redshift:DescribeLoggingStatus', clusters.length);
    // One page of parameters per distinct group (a group has fewer than 100 parameters).
    add('redshift:DescribeClusterParameters', new Set(clusters.map((c) => c.parameterGroup ?? 'default.redshift-1.0')).size);
  }
}

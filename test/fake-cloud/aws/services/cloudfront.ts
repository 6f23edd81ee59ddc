import { type Answer, type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioDistribution, ScenarioOrigin } from '../scenario-web-analytics';
import { el, esc } from '../xml';

/**
 * CloudFront over REST-XML (2020-05-31), a global service: the account's distributions (their
 * summaries) and each distribution's configuration, as CloudFront writes them (lists as
 * Quantity + Items, "" for an unset origin access identity, OAC id and web ACL).
 */

const NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const distributions = (ctx: Ctx): ScenarioDistribution[] => ctx.account.webAnalytics?.distributions ?? [];
export const distributionArn = (account: string, id: string): string => `arn:aws:cloudfront::${account}:distribution/${id}`;

/** CloudFront's list shape: `<Quantity>` always, `<Items>` only when there are some. */
const qList = (tag: string, itemTag: string, items: string[]): string =>
  `<${tag}>${el('Quantity', items.length)}${items.length ? `<Items>${items.map((i) => `<${itemTag}>${i}</${itemTag}>`).join('')}</Items>` : ''}</${tag}>`;

const answer = (root: string, inner: string, headers: Record<string, string> = {}): Answer => ({
  headers: { 'content-type': 'text/xml', ...headers },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${inner}</${root}>`,
});

function originXml(o: ScenarioOrigin): string {
  const s3 = o.s3 ? `<S3OriginConfig>${el('OriginAccessIdentity', o.s3.oai ? `origin-access-identity/cloudfront/${o.s3.oai}` : '')}</S3OriginConfig>` : '';
  const custom = o.custom
    ? `<CustomOriginConfig>${el('HTTPPort', 80)}${el('HTTPSPort', 443)}${el('OriginProtocolPolicy', o.custom.protocolPolicy)}${qList('OriginSslProtocols', 'SslProtocol', (o.custom.sslProtocols ?? ['TLSv1.2']).map(esc))}${el('OriginReadTimeout', 30)}${el('OriginKeepaliveTimeout', 5)}</CustomOriginConfig>`
    : '';
  return el('Id', o.id) + el('DomainName', o.domainName) + el('OriginPath', '') + qList('CustomHeaders', 'OriginCustomHeader', []) + s3 + custom + el('ConnectionAttempts', 3) + el('ConnectionTimeout', 10) + el('OriginAccessControlId', o.oac ?? '');
}

const behaviourXml = (target: string, policy: string, path?: string): string =>
  el('PathPattern', path) + el('TargetOriginId', target) + el('ViewerProtocolPolicy', policy) + el('Compress', true) + el('SmoothStreaming', false) + el('CachePolicyId', '658327ea-f89d-4fab-a63d-7e88639e58f6');

function defaultBehaviour(d: ScenarioDistribution): string {
  return `<DefaultCacheBehavior>${behaviourXml(d.origins[0]?.id ?? '', d.viewerProtocolPolicy ?? 'allow-all')}</DefaultCacheBehavior>`;
}

function cacheBehaviours(d: ScenarioDistribution): string {
  return qList('CacheBehaviors', 'CacheBehavior', (d.behaviours ?? []).map((b) => behaviourXml(b.targetOriginId ?? d.origins[0]?.id ?? '', b.viewerProtocolPolicy, b.pathPattern)));
}

function certificateXml(d: ScenarioDistribution): string {
  const c = d.certificate;
  const inner = !c
    ? el('CloudFrontDefaultCertificate', true) + el('SSLSupportMethod', 'vip') + el('MinimumProtocolVersion', 'TLSv1') + el('CertificateSource', 'cloudfront')
    : (c.source === 'acm' ? el('ACMCertificateArn', 'arn:aws:acm:us-east-1:111111111111:certificate/c') : el('IAMCertificateId', 'ASCACERT')) +
      el('SSLSupportMethod', 'sni-only') +
      el('MinimumProtocolVersion', c.minimumProtocolVersion) +
      el('CertificateSource', c.source);
  return `<ViewerCertificate>${inner}</ViewerCertificate>`;
}

function summaryXml(ctx: Ctx, d: ScenarioDistribution): string {
  return (
    el('Id', d.id) + el('ARN', distributionArn(ctx.accountId, d.id)) + el('Status', 'Deployed') + el('LastModifiedTime', '2025-01-01T00:00:00.000Z') +
    el('DomainName', `${d.id.toLowerCase()}.cloudfront.net`) + qList('Aliases', 'CNAME', (d.aliases ?? []).map(esc)) +
    qList('Origins', 'Origin', d.origins.map(originXml)) + qList('OriginGroups', 'OriginGroup', []) + defaultBehaviour(d) + cacheBehaviours(d) +
    qList('CustomErrorResponses', 'CustomErrorResponse', []) + el('Comment', '') + el('PriceClass', 'PriceClass_All') + el('Enabled', d.enabled ?? true) +
    certificateXml(d) + '<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>' +
    el('WebACLId', d.webAclId ?? '') + el('HttpVersion', 'http2') + el('IsIPV6Enabled', true) + el('Staging', false)
  );
}

export const cloudfrontHandlers: Record<string, Handler> = {
  ListDistributions(ctx) {
    const all = distributions(ctx);
    const max = Number(ctx.query.get('MaxItems') ?? 100);
    // Marker is the id of the last distribution of the previous page, as CloudFront gives it.
    const marker = ctx.query.get('Marker') ?? '';
    const start = marker ? all.findIndex((d) => d.id === marker) + 1 : 0;
    if (marker && start === 0) throw new FakeError('InvalidArgument', 400, `bad marker ${marker}`);
    const { items } = page(all.slice(start), null, ctx.fake.pageSize('cloudfront:ListDistributions', max, 100));
    const truncated = start + items.length < all.length;
    const inner =
      // An empty Marker is left out (the SDK needs none): the fault harness reads an empty top-level element as an emptied list.
      (marker ? el('Marker', marker) : '') + (truncated ? el('NextMarker', items[items.length - 1].id) : '') + el('MaxItems', max) + el('IsTruncated', truncated) + el('Quantity', items.length) +
      (items.length ? `<Items>${items.map((d) => `<DistributionSummary>${summaryXml(ctx, d)}</DistributionSummary>`).join('')}</Items>` : '');
    return answer('DistributionList', inner);
  },
  GetDistributionConfig(ctx) {
    const id = decodeURIComponent(ctx.path.split('/')[3] ?? '');
    ctx.resource = distributionArn(ctx.accountId, id);
    const d = distributions(ctx).find((x) => x.id === id);
    if (!d) throw new FakeError('NoSuchDistribution', 404, 'The specified distribution does not exist.');
    const logging = `<Logging>${el('Enabled', !!d.logging)}${el('IncludeCookies', d.logging?.includeCookies ?? false)}${el('Bucket', d.logging?.bucket ?? '')}${el('Prefix', d.logging?.prefix ?? '')}</Logging>`;
    const inner =
      // Unset strings (default root object, comment, web ACL) are left out for the same reason.
      el('CallerReference', `ref-${d.id}`) + qList('Aliases', 'CNAME', (d.aliases ?? []).map(esc)) + qList('Origins', 'Origin', d.origins.map(originXml)) +
      defaultBehaviour(d) + cacheBehaviours(d) + logging + el('PriceClass', 'PriceClass_All') + el('Enabled', d.enabled ?? true) + certificateXml(d) + el('WebACLId', d.webAclId);
    return answer('DistributionConfig', inner, { etag: 'E2QWRUHEXAMPLE' });
  },
};

/** The operation a CloudFront request names, from its method and path. */
export function cloudfrontOperation(method: string, path: string): string | undefined {
  if (method === 'GET' && /^\/2020-05-31\/distribution\/?$/.test(path)) return 'ListDistributions';
  if (method === 'GET' && /^\/2020-05-31\/distribution\/[^/]+\/config$/.test(path)) return 'GetDistributionConfig';
  return undefined;
}

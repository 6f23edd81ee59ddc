import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.cloudfront.distribution` — a CloudFront distribution (a global resource, read once per
 * account): how viewers and origins are reached (protocols, TLS, origin access), its WAF web ACL
 * and its access logging. Id: the distribution ARN.
 */
export const awsCloudFrontDistribution: ResourceTypeDef = {
  type: 'aws.cloudfront.distribution',
  provider: 'aws',
  description: 'A CloudFront distribution: viewer protocol per cache behaviour, viewer TLS, origins (access control, protocol), WAF web ACL, access logging.',
  scope: 'global',
  properties: obj({
    id: str('distribution id (E…)'),
    arn: str(),
    domainName: str('the *.cloudfront.net name'),
    aliases: arr(str(), 'alternate domain names (CNAMEs)'),
    enabled: bool(),
    cacheBehaviors: arr(
      obj({
        pathPattern: str('"*" for the default cache behaviour'),
        targetOriginId: str(),
        viewerProtocolPolicy: strEnum(['allow-all', 'https-only', 'redirect-to-https']),
      }),
      'the default cache behaviour first, then the ordered ones',
    ),
    viewerCertificate: obj({
      source: strEnum(['cloudfront', 'acm', 'iam'], 'cloudfront: the default *.cloudfront.net certificate, whose security policy is always TLSv1'),
      minimumProtocolVersion: str('SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016, TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025'),
      sslSupportMethod: nullable(strEnum(['sni-only', 'vip', 'static-ip'])),
    }),
    origins: arr(
      obj({
        id: str(),
        domainName: str(),
        kind: strEnum(['s3', 's3-website', 'custom', 'vpc'], 's3: a bucket REST endpoint; s3-website: a bucket website endpoint (needs a public bucket, HTTP only); vpc: a VPC origin'),
        originAccessControlId: nullable(str(), 'origin access control (OAC); null when none'),
        originAccessIdentity: nullable(str(), 'origin access identity (OAI, legacy); null when none'),
        protocolPolicy: nullable(strEnum(['http-only', 'match-viewer', 'https-only']), 'custom origins: how CloudFront connects; null for S3 and VPC origins'),
        sslProtocols: arr(str(), 'custom origins: SSL/TLS protocols CloudFront may use with the origin (SSLv3, TLSv1, TLSv1.1, TLSv1.2)'),
      }),
    ),
    webAclId: nullable(str(), 'WAF web ACL (a WAFv2 ARN, or a WAF Classic id); null when none'),
    logging: nullable(obj({ bucket: str(), prefix: str(), includeCookies: bool() }), 'standard logging (legacy) to an S3 bucket; null when off'),
    standardLogging: bool('access logs are delivered through a CloudWatch Logs delivery (standard logging v2)'),
  }),
  operations: [
    { op: 'cloudfront:ListDistributions', lists: true },
    { op: 'cloudfront:GetDistributionConfig', paths: ['logging'] },
    { op: 'logs:DescribeDeliverySources', paths: ['standardLogging'] },
    { op: 'logs:DescribeDeliveries', paths: ['standardLogging'] },
  ],
};

const S3_WEBSITE = /\.s3-website[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?$/i;
const S3_REST = /\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/i;

/**
 * What an origin is, from its configuration and domain, for every reader (the collector and the
 * infrastructure-code mappers): a VPC origin, an S3 origin (S3 origin configuration, or a bucket's
 * REST endpoint given as a custom origin), a bucket's website endpoint (a custom origin to
 * CloudFront, but a public bucket), or a custom origin. Null when the domain is not known yet and
 * decides it.
 */
export function cloudFrontOriginKind(domain: string | undefined, config: { s3: boolean; vpc: boolean }): 's3' | 's3-website' | 'custom' | 'vpc' | null {
  if (config.vpc) return 'vpc';
  if (config.s3) return 's3';
  if (domain === undefined) return null;
  if (S3_WEBSITE.test(domain)) return 's3-website';
  return S3_REST.test(domain) ? 's3' : 'custom';
}

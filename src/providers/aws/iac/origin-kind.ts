import { cloudFrontOriginKind } from '../types/cloudfront-distribution';
import { isUnresolved, Unresolved } from '../../../iac/values';

/**
 * A CloudFront origin's kind from infrastructure code. A domain known only at deploy decides
 * nothing, unless the reference names a bucket's website endpoint or its REST domain.
 */
export function originKind(domain: unknown, config: { s3: boolean; vpc: boolean }): string | Unresolved {
  if (isUnresolved(domain)) {
    const known = cloudFrontOriginKind(undefined, config);
    if (known) return known;
    if (domain.refs.some((r) => /(\.|^)website_(endpoint|domain)$/.test(r))) return 's3-website';
    if (domain.refs.some((r) => /\.bucket(_regional)?_domain_name$/.test(r))) return 's3';
    return new Unresolved(`${domain.reason}: whether the origin is a bucket depends on it`, domain.refs);
  }
  return cloudFrontOriginKind(typeof domain === 'string' ? domain : '', config) ?? 'custom';
}

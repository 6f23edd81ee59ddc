import { at, block, bool, findUnresolved, int, isUnresolved, list, str, Unresolved } from '../../../../iac/values';
import type { TfInstance } from '../../../../iac/terraform-plan';

/** One rule as the snapshot holds it (`aws.s3.bucket` lifecycle.rules[]); unknown leaves stay Unresolved. */
type Rule = Record<string, unknown>;

const days = (v: unknown): unknown => {
  const n = int(v);
  return n === 0 ? null : n; // the provider writes 0 for "not set"
};
const date = (v: unknown): unknown => {
  const s = str(v);
  return s === '' ? null : s;
};

/** `aws_s3_bucket_lifecycle_configuration` rules (filter, expiration, transitions, noncurrent expiration). */
export function lifecycleFromConfiguration(c: TfInstance): { rules: Rule[] } | Unresolved {
  const rules = list(c.values, 'rule');
  if (isUnresolved(rules)) return rules;
  return {
    rules: rules.map((r) => {
      const f = block(r, 'filter');
      const prefix = isUnresolved(f) ? f : f === undefined ? str(at(r, 'prefix'), '') : str(at(f, 'prefix'), '');
      const narrowed = f !== undefined && !isUnresolved(f) && (block(f, 'tag') !== undefined || block(f, 'and') !== undefined || Boolean(int(at(f, 'object_size_greater_than'))) || Boolean(int(at(f, 'object_size_less_than'))));
      const exp = block(r, 'expiration');
      const ncv = block(r, 'noncurrent_version_expiration');
      const abort = block(r, 'abort_incomplete_multipart_upload');
      const transitions = list(r, 'transition');
      const status = str(at(r, 'status'));
      return {
        id: str(at(r, 'id')),
        enabled: isUnresolved(status) ? status : status === 'Enabled',
        appliesToAll: isUnresolved(prefix) ? prefix : !narrowed && (prefix === '' || prefix === null),
        expirationDays: days(at(exp, 'days')),
        expirationDate: date(at(exp, 'date')),
        transitions: isUnresolved(transitions) ? transitions : transitions.length,
        noncurrentExpirationDays: days(at(ncv, 'noncurrent_days')),
        abortIncompleteMultipartUploadDays: days(at(abort, 'days_after_initiation')),
      };
    }),
  };
}

/** The legacy inline `lifecycle_rule` blocks of `aws_s3_bucket`. */
export function lifecycleFromBucket(rules: unknown[]): { rules: Rule[] } | Unresolved {
  const u = findUnresolved(rules.map((r) => at(r, 'enabled')));
  if (u) return u;
  return {
    rules: rules.map((r) => {
      const exp = block(r, 'expiration');
      const ncv = block(r, 'noncurrent_version_expiration');
      const transitions = list(r, 'transition');
      const prefix = str(at(r, 'prefix'), '');
      const tags = at(r, 'tags');
      return {
        id: str(at(r, 'id')),
        enabled: bool(at(r, 'enabled'), false),
        appliesToAll: isUnresolved(prefix) ? prefix : prefix === '' && (tags === undefined || tags === null || (typeof tags === 'object' && Object.keys(tags).length === 0)),
        expirationDays: days(at(exp, 'days')),
        expirationDate: date(at(exp, 'date')),
        transitions: isUnresolved(transitions) ? transitions : transitions.length,
        noncurrentExpirationDays: days(at(ncv, 'days')),
        abortIncompleteMultipartUploadDays: days(at(r, 'abort_incomplete_multipart_upload_days')),
      };
    }),
  };
}

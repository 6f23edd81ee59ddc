import { at, int, isUnresolved, list, str, type Unresolved } from '../../../../iac/values';

/**
 * `LifecycleConfiguration` of an `AWS::S3::Bucket` as the snapshot holds it (`lifecycle.rules`);
 * null when the template sets none. Unknown leaves stay Unresolved.
 */
export function cfnLifecycle(config: unknown): { rules: Record<string, unknown>[] } | null | Unresolved {
  if (config === undefined || config === null) return null;
  if (isUnresolved(config)) return config;
  const rules = list(config, 'Rules');
  if (isUnresolved(rules)) return rules;
  return {
    rules: rules.map((r) => {
      const status = str(at(r, 'Status'));
      const prefix = str(at(r, 'Prefix'), '');
      const tagFilters = at(r, 'TagFilters');
      const narrowed = (Array.isArray(tagFilters) && tagFilters.length > 0) || at(r, 'ObjectSizeGreaterThan') !== undefined || at(r, 'ObjectSizeLessThan') !== undefined;
      const transitions = [...(Array.isArray(at(r, 'Transitions')) ? (at(r, 'Transitions') as unknown[]) : []), ...(at(r, 'Transition') !== undefined ? [at(r, 'Transition')] : [])];
      return {
        id: str(at(r, 'Id')),
        enabled: isUnresolved(status) ? status : status === 'Enabled',
        appliesToAll: isUnresolved(prefix) ? prefix : prefix === '' && !narrowed,
        expirationDays: int(at(r, 'ExpirationInDays')),
        expirationDate: str(at(r, 'ExpirationDate')),
        transitions: transitions.length,
        noncurrentExpirationDays: int(at(r, 'NoncurrentVersionExpiration', 'NoncurrentDays')) ?? int(at(r, 'NoncurrentVersionExpirationInDays')),
        abortIncompleteMultipartUploadDays: int(at(r, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation')),
      };
    }),
  };
}

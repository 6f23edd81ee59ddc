import { awsCloudTrailTrail } from '../../types/cloudtrail-trail';
import { type Draft, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { at, bool, isUnresolved, list, str, strList, Unresolved } from '../../../../iac/values';
import type { TfContext } from './context';

/** Field selectors as DescribeTrails/GetEventSelectors return them: only the operators that are set. */
function fieldSelector(fs: unknown): unknown {
  const out: Record<string, unknown> = { field: str(at(fs, 'field')) };
  for (const [tf, key] of [
    ['equals', 'equals'],
    ['starts_with', 'startsWith'],
    ['ends_with', 'endsWith'],
    ['not_equals', 'notEquals'],
    ['not_starts_with', 'notStartsWith'],
    ['not_ends_with', 'notEndsWith'],
  ]) {
    const v = at(fs, tf);
    if (isUnresolved(v) || (Array.isArray(v) && v.length > 0)) out[key] = strList(v);
  }
  return out;
}

/**
 * `aws_cloudtrail` with the provider's defaults: global service events included, single region,
 * no log file validation, no KMS key. Without event selectors a trail logs all management events.
 * Its logging status (`status`) exists only at runtime.
 */
export function mapCloudTrail(ctx: TfContext): Draft[] {
  return ctx.plan.byType('aws_cloudtrail').map((t) => {
    const d = ctx.draft(awsCloudTrailTrail, t);
    const v = t.values;
    const name = str(v.name) ?? new Unresolved(`${t.address} name is not set`);
    d.set('name', name);
    d.name = typeof name === 'string' ? name : t.address;
    const region = d.origin.region;
    const arn =
      typeof v.arn === 'string'
        ? v.arn
        : typeof name === 'string' && ctx.account !== UNKNOWN_ACCOUNT && region !== UNKNOWN_REGION
          ? `arn:${partitionOf(region)}:cloudtrail:${region}:${ctx.account}:trail/${name}`
          : new Unresolved(`${t.address} arn is known only after apply`);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('homeRegion', region === UNKNOWN_REGION ? new Unresolved('the region is not known from the code (pass --region)') : region);
    d.set('isMultiRegionTrail', bool(v.is_multi_region_trail, false));
    d.set('isOrganizationTrail', bool(v.is_organization_trail, false));
    d.set('includeGlobalServiceEvents', bool(v.include_global_service_events, true));
    d.set('logFileValidationEnabled', bool(v.enable_log_file_validation, false));
    // References to a key, topic, log group or role the plan creates are certainly set.
    d.setCopied('kmsKeyId', nonEmpty(str(ctx.value(t, 'kms_key_id'))));
    d.setCopied('s3BucketName', str(ctx.value(t, 's3_bucket_name')) ?? new Unresolved(`${t.address} s3_bucket_name is not set`));
    const prefix = str(v.s3_key_prefix);
    d.set('s3KeyPrefix', prefix === '' ? null : prefix);
    d.setCopied('snsTopicArn', nonEmpty(str(ctx.value(t, 'sns_topic_name'))));
    d.setCopied('cloudWatchLogsLogGroupArn', nonEmpty(str(ctx.value(t, 'cloud_watch_logs_group_arn'))));
    d.setCopied('cloudWatchLogsRoleArn', nonEmpty(str(ctx.value(t, 'cloud_watch_logs_role_arn'))));
    d.set('status', { isLogging: bool(v.enable_logging, true), latestDeliveryError: null, latestDeliveryTime: null, latestCloudWatchLogsDeliveryTime: null });
    const selectors = list(v, 'event_selector');
    const advanced = list(v, 'advanced_event_selector');
    d.set(
      'eventSelectors',
      isUnresolved(selectors)
        ? selectors
        : selectors.map((s) => ({
            readWriteType: str(at(s, 'read_write_type'), 'All'),
            includeManagementEvents: bool(at(s, 'include_management_events'), true),
            dataResources: ((): unknown => {
              const drs = list(s, 'data_resource');
              return isUnresolved(drs) ? drs : drs.map((dr) => ({ type: str(at(dr, 'type')), values: strList(at(dr, 'values')) }));
            })(),
            excludeManagementEventSources: strList(at(s, 'exclude_management_event_sources')),
          })),
    );
    d.set(
      'advancedEventSelectors',
      isUnresolved(advanced)
        ? advanced
        : advanced.map((a) => {
            const fss = list(a, 'field_selector');
            return { name: str(at(a, 'name')), fieldSelectors: isUnresolved(fss) ? fss : fss.map(fieldSelector) };
          }),
    );
    d.set(
      'hasCustomEventSelectors',
      isUnresolved(selectors) || isUnresolved(advanced) ? new Unresolved(`${t.address} event selectors are known only after apply`) : selectors.length + advanced.length > 0,
    );
    d.set('memberAccounts', []);
    return d;
  });
}

function nonEmpty(v: string | null | Unresolved): string | null | Unresolved {
  return v === '' ? null : v;
}

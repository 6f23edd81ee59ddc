import { awsCloudTrailTrail } from '../../types/cloudtrail-trail';
import { type Draft, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { at, bool, isUnresolved, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { CfnContext } from './context';

const SELECTOR_KEYS: [string, string][] = [
  ['Equals', 'equals'],
  ['StartsWith', 'startsWith'],
  ['EndsWith', 'endsWith'],
  ['NotEquals', 'notEquals'],
  ['NotStartsWith', 'notStartsWith'],
  ['NotEndsWith', 'notEndsWith'],
];

/** `AWS::CloudTrail::Trail` (IncludeGlobalServiceEvents defaults to true; `IsLogging` is desired state, the real status is runtime-only). */
export function mapCloudTrail(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::CloudTrail::Trail').map((t) => {
    const d = ctx.draft(awsCloudTrailTrail, t);
    const p = t.props;
    const name = ctx.name(t, 'TrailName', 'trail name');
    d.set('name', name);
    if (typeof name === 'string') d.name = name;
    const arn =
      typeof name === 'string' && ctx.account !== UNKNOWN_ACCOUNT && ctx.region !== UNKNOWN_REGION
        ? `arn:${partitionOf(ctx.region)}:cloudtrail:${ctx.region}:${ctx.account}:trail/${name}`
        : new Unresolved(`${t.logicalId} ARN is known only after deploy`);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.set('homeRegion', ctx.region === UNKNOWN_REGION ? new Unresolved('the region is not known from the template (pass --region)') : ctx.region);
    d.set('isMultiRegionTrail', bool(p.IsMultiRegionTrail, false));
    d.set('isOrganizationTrail', bool(p.IsOrganizationTrail, false));
    d.set('includeGlobalServiceEvents', bool(p.IncludeGlobalServiceEvents, true));
    d.set('logFileValidationEnabled', bool(p.EnableLogFileValidation, false));
    // References to a key, topic, log group or role the template creates are certainly set.
    d.setCopied('kmsKeyId', optStr(p.KMSKeyId));
    d.setCopied('s3BucketName', str(p.S3BucketName) ?? new Unresolved(`${t.logicalId} has no S3BucketName`));
    d.set('s3KeyPrefix', optStr(p.S3KeyPrefix));
    d.setCopied('snsTopicArn', optStr(p.SnsTopicName));
    d.setCopied('cloudWatchLogsLogGroupArn', optStr(p.CloudWatchLogsLogGroupArn));
    d.setCopied('cloudWatchLogsRoleArn', optStr(p.CloudWatchLogsRoleArn));
    d.set('status', { isLogging: bool(p.IsLogging, true), latestDeliveryError: null, latestDeliveryTime: null, latestCloudWatchLogsDeliveryTime: null });
    const sel = list(p, 'EventSelectors');
    const adv = list(p, 'AdvancedEventSelectors');
    d.set(
      'eventSelectors',
      isUnresolved(sel)
        ? sel
        : sel.map((s) => ({
            readWriteType: str(at(s, 'ReadWriteType'), 'All'),
            includeManagementEvents: bool(at(s, 'IncludeManagementEvents'), true),
            dataResources: ((dr) => (isUnresolved(dr) ? dr : dr.map((x) => ({ type: str(at(x, 'Type')), values: strList(at(x, 'Values')) }))))(list(s, 'DataResources')),
            excludeManagementEventSources: strList(at(s, 'ExcludeManagementEventSources')),
          })),
    );
    d.set(
      'advancedEventSelectors',
      isUnresolved(adv)
        ? adv
        : adv.map((a) => {
            const fss = list(a, 'FieldSelectors');
            return {
              name: str(at(a, 'Name')),
              fieldSelectors: isUnresolved(fss)
                ? fss
                : fss.map((fs) => {
                    const o: Record<string, unknown> = { field: str(at(fs, 'Field')) };
                    for (const [k, key] of SELECTOR_KEYS) if (at(fs, k) !== undefined) o[key] = strList(at(fs, k));
                    return o;
                  }),
            };
          }),
    );
    d.set('hasCustomEventSelectors', isUnresolved(sel) || isUnresolved(adv) ? new Unresolved(`${t.logicalId} event selectors are known only at deploy`) : sel.length + adv.length > 0);
    d.set('memberAccounts', []);
    return d;
  });
}

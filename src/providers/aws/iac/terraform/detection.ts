import { awsConfigRecorder } from '../../types/config-recorder';
import { awsGuardDutyDetector } from '../../types/guardduty-detector';
import { awsSecurityHubHub } from '../../types/securityhub-hub';
import type { Draft } from '../../../../iac/draft';
import { at, bool, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { TfContext } from './context';

/**
 * AWS Config (`aws_config_configuration_recorder` with its `_status` and the region's
 * `aws_config_delivery_channel`), GuardDuty (`aws_guardduty_detector`, S3 protection from its
 * `datasources` or an `aws_guardduty_detector_feature`) and Security Hub (`aws_securityhub_account`).
 */
export function mapDetection(ctx: TfContext): Draft[] {
  const out: Draft[] = [];
  const channels = ctx.plan.byType('aws_config_delivery_channel');
  const statuses = ctx.plan.byType('aws_config_configuration_recorder_status');
  for (const r of ctx.plan.byType('aws_config_configuration_recorder')) {
    const d = ctx.draft(awsConfigRecorder, r);
    const v = r.values;
    const name = str(v.name, 'default');
    d.name = typeof name === 'string' ? name : r.address;
    d.set('name', name);
    d.setCopied('roleArn', optStr(v.role_arn));
    const groups = list(v.recording_group);
    const g = Array.isArray(groups) ? groups[0] : groups;
    const all = g === undefined ? true : bool(at(g, 'all_supported'), true);
    d.set('recordingGroup.allSupported', all);
    d.set('recordingGroup.includeGlobalResourceTypes', g === undefined ? false : bool(at(g, 'include_global_resource_types'), false));
    d.set('recordingGroup.resourceTypes', g === undefined ? [] : strList(at(g, 'resource_types') ?? []));
    d.set('recordingGroup.exclusions', g === undefined ? [] : strList(at(g, 'exclusion_by_resource_types', 0, 'resource_types') ?? []));
    d.set('recordingGroup.recordingStrategy', g === undefined ? null : optStr(at(g, 'recording_strategy', 0, 'use_only')));
    // The status resource names its recorder; without one in the plan the recorder is not started.
    const status = statuses.find((s) => s.values.name === name) ?? statuses.find((s) => typeof s.values.name !== 'string');
    const recording = status === undefined ? false : status.values.name === name ? bool(status.values.is_enabled, false) : new Unresolved(`${status.address} may start this recorder`);
    d.set('status', { recording, lastStatus: null, lastErrorCode: null, lastStartTime: null });
    d.set(
      'deliveryChannels',
      channels.map((c) => ({ name: str(c.values.name, 'default'), s3BucketName: optStr(c.values.s3_bucket_name), snsTopicArn: optStr(c.values.sns_topic_arn) })),
    );
    out.push(d);
  }
  const features = ctx.plan.byType('aws_guardduty_detector_feature');
  for (const g of ctx.plan.byType('aws_guardduty_detector')) {
    const d = ctx.draft(awsGuardDutyDetector, g);
    const v = g.values;
    d.name = g.address;
    d.set('detectorId', typeof v.id === 'string' ? v.id : new Unresolved(`${g.address} id is known only after apply`, [], true));
    const enabled = bool(v.enable, true);
    d.set('status', enabled === true ? 'ENABLED' : enabled === false ? 'DISABLED' : enabled);
    d.set('findingPublishingFrequency', optStr(v.finding_publishing_frequency));
    const s3 = bool(at(v.datasources, 0, 's3_logs', 0, 'enable'), null);
    const feats: unknown[] = s3 === null ? [] : [{ name: 'S3_DATA_EVENTS', status: s3 === true ? 'ENABLED' : s3 === false ? 'DISABLED' : s3 }];
    for (const f of features) feats.push({ name: str(f.values.name, ''), status: str(f.values.status, 'ENABLED') });
    d.set('features', feats);
    out.push(d);
  }
  for (const h of ctx.plan.byType('aws_securityhub_account')) {
    const d = ctx.draft(awsSecurityHubHub, h);
    d.name = 'default';
    d.setCopied('hubArn', typeof h.values.arn === 'string' ? h.values.arn : new Unresolved(`${h.address} arn is known only after apply`, [], true));
    d.set('subscribedAt', null);
    d.set('autoEnableControls', bool(h.values.auto_enable_controls, true));
    // Standards are resources of their own, or applied by the delegated administrator: the live hub says.
    out.push(d);
  }
  return out;
}

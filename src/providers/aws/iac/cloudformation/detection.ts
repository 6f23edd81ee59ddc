import { awsConfigRecorder } from '../../types/config-recorder';
import { awsGuardDutyDetector } from '../../types/guardduty-detector';
import { awsSecurityHubHub } from '../../types/securityhub-hub';
import { awsCloudWatchAlarm } from '../../types/cloudwatch-alarm';
import { awsLogsMetricFilter } from '../../types/logs-metric-filter';
import type { Draft } from '../../../../iac/draft';
import { at, bool, int, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { CfnContext } from './context';

/**
 * `AWS::Config::ConfigurationRecorder` (CloudFormation starts it) with the template's
 * `AWS::Config::DeliveryChannel`, `AWS::GuardDuty::Detector`, `AWS::SecurityHub::Hub`,
 * `AWS::Logs::MetricFilter` and `AWS::CloudWatch::Alarm`.
 */
export function mapDetection(ctx: CfnContext): Draft[] {
  const out: Draft[] = [];
  const channels = ctx.ofType('AWS::Config::DeliveryChannel').map((c) => ({ name: str(c.props.Name, 'default'), s3BucketName: optStr(c.props.S3BucketName), snsTopicArn: optStr(c.props.SnsTopicARN) }));
  for (const r of ctx.ofType('AWS::Config::ConfigurationRecorder')) {
    const d = ctx.draft(awsConfigRecorder, r);
    const g = r.props.RecordingGroup;
    d.set('name', str(r.props.Name, 'default'));
    d.setCopied('roleArn', optStr(r.props.RoleARN));
    d.set('recordingGroup.allSupported', g === undefined ? true : bool(at(g, 'AllSupported'), false));
    d.set('recordingGroup.includeGlobalResourceTypes', g === undefined ? false : bool(at(g, 'IncludeGlobalResourceTypes'), false));
    d.set('recordingGroup.resourceTypes', g === undefined ? [] : strList(at(g, 'ResourceTypes') ?? []));
    d.set('recordingGroup.exclusions', g === undefined ? [] : strList(at(g, 'ExclusionByResourceTypes', 'ResourceTypes') ?? []));
    d.set('recordingGroup.recordingStrategy', g === undefined ? null : optStr(at(g, 'RecordingStrategy', 'UseOnly')));
    // CloudFormation starts the recorder once a delivery channel exists.
    d.set('status', { recording: channels.length > 0, lastStatus: null, lastErrorCode: null, lastStartTime: null });
    d.set('deliveryChannels', channels);
    out.push(d);
  }
  for (const g of ctx.ofType('AWS::GuardDuty::Detector')) {
    const d = ctx.draft(awsGuardDutyDetector, g);
    d.set('detectorId', new Unresolved(`${g.logicalId} id is known only after deploy`, [], true));
    const enabled = bool(g.props.Enable, null);
    d.set('status', enabled === true ? 'ENABLED' : enabled === false ? 'DISABLED' : enabled ?? new Unresolved(`${g.logicalId} Enable is not set`));
    d.set('findingPublishingFrequency', optStr(g.props.FindingPublishingFrequency));
    const feats = list(g.props.Features);
    const s3 = bool(at(g.props.DataSources, 'S3Logs', 'Enable'), null);
    d.set('features', [
      ...(s3 === null ? [] : [{ name: 'S3_DATA_EVENTS', status: s3 === true ? 'ENABLED' : s3 === false ? 'DISABLED' : s3 }]),
      ...(Array.isArray(feats) ? feats.map((f) => ({ name: str(at(f, 'Name'), ''), status: str(at(f, 'Status'), 'ENABLED') })) : []),
    ]);
    out.push(d);
  }
  for (const h of ctx.ofType('AWS::SecurityHub::Hub')) {
    const d = ctx.draft(awsSecurityHubHub, h);
    d.setCopied('hubArn', new Unresolved(`${h.logicalId} ARN is known only after deploy`, [], true));
    d.set('subscribedAt', null);
    d.set('autoEnableControls', bool(h.props.AutoEnableControls, true));
    // Standards are resources of their own, or applied by the delegated administrator: the live hub says.
    out.push(d);
  }
  for (const f of ctx.ofType('AWS::Logs::MetricFilter')) {
    const d = ctx.draft(awsLogsMetricFilter, f);
    d.set('filterName', str(f.props.FilterName, f.logicalId));
    d.setCopied('logGroupName', f.props.LogGroupName);
    d.set('filterPattern', str(f.props.FilterPattern, ''));
    const t = list(f.props.MetricTransformations);
    d.set('metricTransformations', Array.isArray(t) ? t.map((m) => ({ metricName: str(at(m, 'MetricName'), ''), metricNamespace: str(at(m, 'MetricNamespace'), '') })) : t);
    out.push(d);
  }
  for (const a of ctx.ofType('AWS::CloudWatch::Alarm')) {
    const d = ctx.draft(awsCloudWatchAlarm, a);
    const p = a.props;
    d.set('alarmName', str(p.AlarmName, a.logicalId));
    d.setCopied('arn', new Unresolved(`${a.logicalId} ARN is known only after deploy`, [], true));
    d.set('metricName', optStr(p.MetricName));
    d.set('namespace', optStr(p.Namespace));
    const dims = list(p.Dimensions);
    d.set('dimensions', Array.isArray(dims) ? dims.map((x) => ({ name: str(at(x, 'Name'), ''), value: str(at(x, 'Value'), '') })) : dims);
    d.set('actionsEnabled', bool(p.ActionsEnabled, true));
    d.set('alarmActions', strList(p.AlarmActions ?? []));
    d.set('threshold', typeof p.Threshold === 'number' ? p.Threshold : null);
    d.set('comparisonOperator', optStr(p.ComparisonOperator));
    d.set('evaluationPeriods', int(p.EvaluationPeriods, null));
    out.push(d);
  }
  return out;
}

import { awsCloudWatchAlarm } from '../../types/cloudwatch-alarm';
import { awsLogsMetricFilter } from '../../types/logs-metric-filter';
import type { Draft } from '../../../../iac/draft';
import { at, bool, int, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { TfContext } from './context';

/** `aws_cloudwatch_log_metric_filter` and `aws_cloudwatch_metric_alarm`: the links of the CIS section 4 chain the code declares. */
export function mapMonitoring(ctx: TfContext): Draft[] {
  const out: Draft[] = [];
  for (const f of ctx.plan.byType('aws_cloudwatch_log_metric_filter')) {
    const d = ctx.draft(awsLogsMetricFilter, f);
    const v = f.values;
    d.name = typeof v.name === 'string' ? v.name : f.address;
    d.set('filterName', str(v.name, f.address));
    d.setCopied('logGroupName', ctx.value(f, 'log_group_name') as unknown);
    d.set('filterPattern', str(v.pattern, ''));
    const t = list(v.metric_transformation);
    d.set('metricTransformations', Array.isArray(t) ? t.map((m) => ({ metricName: str(at(m, 'name'), ''), metricNamespace: str(at(m, 'namespace'), '') })) : t);
    out.push(d);
  }
  for (const a of ctx.plan.byType('aws_cloudwatch_metric_alarm')) {
    const d = ctx.draft(awsCloudWatchAlarm, a);
    const v = a.values;
    d.name = typeof v.alarm_name === 'string' ? v.alarm_name : a.address;
    d.set('alarmName', str(v.alarm_name, a.address));
    const arn = typeof v.arn === 'string' ? v.arn : new Unresolved(`${a.address} arn is known only after apply`, [], true);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.set('metricName', optStr(v.metric_name));
    d.set('namespace', optStr(v.namespace));
    const dims = v.dimensions;
    d.set('dimensions', dims && typeof dims === 'object' && !Array.isArray(dims) ? Object.entries(dims as Record<string, unknown>).map(([name, value]) => ({ name, value: str(value, '') })) : []);
    d.set('actionsEnabled', bool(v.actions_enabled, true));
    // Topic ARNs are often references to topics the plan creates: resolved where the plan can.
    d.set('alarmActions', strList(ctx.value(a, 'alarm_actions') ?? []));
    d.set('threshold', typeof v.threshold === 'number' ? v.threshold : null);
    d.set('comparisonOperator', optStr(v.comparison_operator));
    d.set('evaluationPeriods', int(v.evaluation_periods, null));
    out.push(d);
  }
  return out;
}

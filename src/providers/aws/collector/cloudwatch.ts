import { DescribeMetricFiltersCommand, type DescribeMetricFiltersCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAlarmsCommand, type DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsCloudWatchAlarm } from '../types/cloudwatch-alarm';
import { awsLogsMetricFilter } from '../types/logs-metric-filter';
import type { AccountContext } from './context';

/**
 * CloudWatch Logs metric filters of one region: one listing for every log group (no per-group
 * calls); the CIS monitoring facts join them to trails, alarms and topics.
 */
export async function collectMetricFilters(ctx: AccountContext, region: string): Promise<void> {
  const logs = ctx.clients.logs(region);
  const r = await ctx.calls.pages(
    { service: 'logs', operation: 'DescribeMetricFilters', region },
    (nextToken, abortSignal) => logs.send(new DescribeMetricFiltersCommand({ nextToken, limit: 50 }), { abortSignal }),
    (p: DescribeMetricFiltersCommandOutput) => p.nextToken,
  );
  if (!r.ok) return;
  for (const f of r.value.flatMap((p) => p.metricFilters ?? [])) {
    const group = f.logGroupName ?? '';
    const name = f.filterName ?? '';
    const d = new ResourceDraft(awsLogsMetricFilter, {
      filterName: name,
      logGroupName: group,
      filterPattern: f.filterPattern ?? '',
      metricTransformations: (f.metricTransformations ?? []).map((m) => ({ metricName: m.metricName ?? '', metricNamespace: m.metricNamespace ?? '' })),
    });
    const id = `arn:${ctx.partition}:logs:${region}:${ctx.account}:log-group:${group}:metric-filter/${name}`;
    await ctx.emit(d.finish({ id, account: ctx.account, region, name }));
  }
}

/** Metric alarms of one region, one listing (composite alarms watch no metric and are not asked for). */
export async function collectAlarms(ctx: AccountContext, region: string): Promise<void> {
  const cw = ctx.clients.cloudwatch(region);
  const r = await ctx.calls.pages(
    { service: 'cloudwatch', operation: 'DescribeAlarms', region },
    (NextToken, abortSignal) => cw.send(new DescribeAlarmsCommand({ NextToken, MaxRecords: 100, AlarmTypes: ['MetricAlarm'] }), { abortSignal }),
    (p: DescribeAlarmsCommandOutput) => p.NextToken,
  );
  if (!r.ok) return;
  for (const a of r.value.flatMap((p) => p.MetricAlarms ?? [])) {
    const name = a.AlarmName ?? '';
    const arn = a.AlarmArn ?? `arn:${ctx.partition}:cloudwatch:${region}:${ctx.account}:alarm:${name}`;
    const d = new ResourceDraft(awsCloudWatchAlarm, {
      alarmName: name,
      arn,
      metricName: a.MetricName ?? null,
      namespace: a.Namespace ?? null,
      dimensions: (a.Dimensions ?? []).map((x) => ({ name: x.Name ?? '', value: x.Value ?? '' })),
      // The API's default is true; only an explicit false turns the actions off.
      actionsEnabled: a.ActionsEnabled !== false,
      alarmActions: a.AlarmActions ?? [],
      threshold: a.Threshold ?? null,
      comparisonOperator: a.ComparisonOperator ?? null,
      evaluationPeriods: a.EvaluationPeriods ?? null,
      stateValue: a.StateValue ?? null,
    });
    await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name }));
  }
}

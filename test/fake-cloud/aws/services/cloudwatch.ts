import { type Handler, page } from '../server';

/** CloudWatch over JSON 1.0 (GraniteServiceVersion20100801, the client's protocol since 2025): metric alarms of the region. */
export const cloudwatchHandlers: Record<string, Handler> = {
  DescribeAlarms(ctx) {
    const types: string[] | undefined = ctx.json.AlarmTypes;
    const alarms = (ctx.account.regions.find((r) => r.name === ctx.region)?.alarms ?? []).map((a) => ({
      AlarmName: a.alarmName,
      AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${a.alarmName}`,
      ActionsEnabled: a.actionsEnabled ?? true,
      AlarmActions: a.alarmActions ?? [],
      OKActions: [],
      InsufficientDataActions: [],
      StateValue: a.stateValue ?? 'OK',
      MetricName: a.metricName,
      Namespace: a.namespace,
      Statistic: 'Sum',
      Dimensions: [],
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }));
    const { items, next } = page(alarms, ctx.json.NextToken, ctx.fake.pageSize('cloudwatch:DescribeAlarms', ctx.json.MaxRecords, 100));
    return { MetricAlarms: !types || types.includes('MetricAlarm') ? items : [], CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
  },
};

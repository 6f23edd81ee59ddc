import { type Handler, page } from '../server';

/** CloudWatch Logs over JSON 1.1 (Logs_20140328): the region's metric filters, optionally of one log group. */
export const logsHandlers: Record<string, Handler> = {
  DescribeMetricFilters(ctx) {
    const group: string | undefined = ctx.json.logGroupName;
    const filters = (ctx.account.regions.find((r) => r.name === ctx.region)?.metricFilters ?? [])
      .filter((f) => !group || f.logGroupName === group)
      .map((f) => ({
        filterName: f.filterName,
        filterPattern: f.filterPattern,
        logGroupName: f.logGroupName,
        metricTransformations: [{ metricName: f.metricName, metricNamespace: f.metricNamespace, metricValue: '1' }],
        creationTime: 1_700_000_000_000,
      }));
    const { items, next } = page(filters, ctx.json.nextToken, ctx.fake.pageSize('logs:DescribeMetricFilters', ctx.json.limit, 50));
    return { metricFilters: items, ...(next ? { nextToken: next } : {}) };
  },
};

import { type Handler, page } from '../server';
import { distributionArn } from './cloudfront';

/**
 * CloudWatch Logs over JSON 1.1 (Logs_20140328): the region's metric filters, optionally of one
 * log group; and in us-east-1 the delivery sources and deliveries of CloudFront's standard logging v2.
 */
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
  DescribeDeliverySources(ctx) {
    const here = ctx.region === 'us-east-1' ? (ctx.account.webAnalytics?.logDeliveries ?? []) : [];
    const sources = here.map((d) => ({
      name: d.sourceName,
      arn: `arn:aws:logs:us-east-1:${ctx.accountId}:delivery-source:${d.sourceName}`,
      resourceArns: d.distributions.map((id) => distributionArn(ctx.accountId, id)),
      service: 'cloudfront',
      logType: d.logType ?? 'ACCESS_LOGS',
    }));
    const { items, next } = page(sources, ctx.json.nextToken, ctx.fake.pageSize('logs:DescribeDeliverySources', ctx.json.limit, 50));
    return { deliverySources: items, ...(next ? { nextToken: next } : {}) };
  },
  DescribeDeliveries(ctx) {
    const here = ctx.region === 'us-east-1' ? (ctx.account.webAnalytics?.logDeliveries ?? []).filter((d) => d.delivered !== false) : [];
    const deliveries = here.map((d, i) => ({
      id: `delivery${i}`,
      arn: `arn:aws:logs:us-east-1:${ctx.accountId}:delivery:delivery${i}`,
      deliverySourceName: d.sourceName,
      deliveryDestinationArn: `arn:aws:logs:us-east-1:${ctx.accountId}:delivery-destination:s3`,
      deliveryDestinationType: 'S3',
    }));
    const { items, next } = page(deliveries, ctx.json.nextToken, ctx.fake.pageSize('logs:DescribeDeliveries', ctx.json.limit, 50));
    return { deliveries: items, ...(next ? { nextToken: next } : {}) };
  },
};

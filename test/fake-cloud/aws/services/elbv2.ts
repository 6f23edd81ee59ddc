import { FakeError, type Handler, page } from '../server';
import { el, list } from '../xml';

/** Elastic Load Balancing v2 over the Query protocol (2015-12-01): load balancers, listeners, attributes. */

type Ctx = Parameters<Handler>[0];
const lbs = (ctx: Ctx) => ctx.account.regions.find((r) => r.name === ctx.region)?.loadBalancers ?? [];
const arnOf = (ctx: Ctx, name: string, type = 'application'): string =>
  `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/${type === 'application' ? 'app' : type === 'network' ? 'net' : 'gwy'}/${name}/50dc6c495c0c9188`;

function find(ctx: Ctx) {
  const arn = ctx.params.get('LoadBalancerArn') ?? '';
  ctx.resource = arn;
  const lb = lbs(ctx).find((x) => arnOf(ctx, x.name, x.type) === arn);
  if (!lb) throw new FakeError('LoadBalancerNotFound', 400, `Load balancers '[${arn}]' not found`);
  return { lb, arn };
}

export const elbv2Handlers: Record<string, Handler> = {
  DescribeLoadBalancers(ctx) {
    const items = lbs(ctx).map(
      (lb) =>
        el('LoadBalancerArn', arnOf(ctx, lb.name, lb.type)) +
        el('LoadBalancerName', lb.name) +
        el('Type', lb.type ?? 'application') +
        el('Scheme', lb.scheme ?? 'internet-facing') +
        el('DNSName', `${lb.name}.${ctx.region}.elb.amazonaws.com`) +
        el('VpcId', 'vpc-0123') +
        el('IpAddressType', 'ipv4'),
    );
    const { items: pageItems, next } = page(items, ctx.params.get('Marker'), ctx.fake.pageSize('elasticloadbalancing:DescribeLoadBalancers', Number(ctx.params.get('PageSize') ?? 0), 400));
    return list('LoadBalancers', 'member', pageItems) + el('NextMarker', next);
  },
  DescribeListeners(ctx) {
    const { lb, arn } = find(ctx);
    const items = lb.listeners.map((l, i) => {
      const action = l.redirectToHttps
        ? el('Type', 'redirect') + `<RedirectConfig>${el('Protocol', 'HTTPS') + el('Port', '443') + el('StatusCode', 'HTTP_301')}</RedirectConfig>`
        : el('Type', 'forward') + el('TargetGroupArn', `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/tg/1`);
      return (
        el('ListenerArn', `${arn.replace(':loadbalancer/', ':listener/')}/${i + 1}`) +
        el('LoadBalancerArn', arn) +
        el('Port', l.port) +
        el('Protocol', l.protocol) +
        el('SslPolicy', l.sslPolicy) +
        list('DefaultActions', 'member', [action])
      );
    });
    const { items: pageItems, next } = page(items, ctx.params.get('Marker'), ctx.fake.pageSize('elasticloadbalancing:DescribeListeners', Number(ctx.params.get('PageSize') ?? 0), 400));
    return list('Listeners', 'member', pageItems) + el('NextMarker', next);
  },
  DescribeLoadBalancerAttributes(ctx) {
    const { lb } = find(ctx);
    const attrs: Record<string, string> = {
      'access_logs.s3.enabled': String(lb.accessLogs ?? false),
      'access_logs.s3.bucket': lb.accessLogs ? 'lb-logs' : '',
      'deletion_protection.enabled': String(lb.deletionProtection ?? false),
      ...((lb.type ?? 'application') === 'application' ? { 'routing.http.drop_invalid_header_fields.enabled': String(lb.dropInvalidHeaderFields ?? false), 'idle_timeout.timeout_seconds': '60' } : {}),
    };
    return list('Attributes', 'member', Object.entries(attrs).map(([k, v]) => el('Key', k) + el('Value', v)));
  },
};

import {
  DescribeListenersCommand,
  type DescribeListenersCommandOutput,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  type DescribeLoadBalancersCommandOutput,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsElbv2LoadBalancer } from '../types/elbv2-load-balancer';
import type { AccountContext } from './context';

function listener(l: Listener): Record<string, unknown> {
  const redirect = (l.DefaultActions ?? []).find((a) => a.Type === 'redirect')?.RedirectConfig;
  return {
    arn: l.ListenerArn ?? '',
    port: l.Port ?? null,
    protocol: l.Protocol ?? null,
    sslPolicy: l.SslPolicy ?? null,
    // "#{protocol}" keeps the request's own protocol: that is no redirect to HTTPS.
    redirectsToHttps: redirect?.Protocol === 'HTTPS',
  };
}

/** Load balancers of one region: the listing, then per load balancer its listeners and its attributes (two calls). */
export async function collectElbv2(ctx: AccountContext, region: string): Promise<void> {
  const elb = ctx.clients.elbv2(region);
  const list = await ctx.calls.pages(
    { service: 'elasticloadbalancing', operation: 'DescribeLoadBalancers', region },
    (Marker, abortSignal) => elb.send(new DescribeLoadBalancersCommand({ Marker, PageSize: 400 }), { abortSignal }),
    (p: DescribeLoadBalancersCommandOutput) => p.NextMarker,
  );
  if (!list.ok) return;
  await Promise.all(
    list.value.flatMap((p) => p.LoadBalancers ?? []).map(async (lb) => {
      const arn = lb.LoadBalancerArn ?? '';
      const spec = (operation: string) => ({ service: 'elasticloadbalancing', operation, region, resourceId: arn });
      const [listeners, attrs] = await Promise.all([
        ctx.calls.pages(
          spec('DescribeListeners'),
          (Marker, abortSignal) => elb.send(new DescribeListenersCommand({ LoadBalancerArn: arn, Marker, PageSize: 400 }), { abortSignal }),
          (p: DescribeListenersCommandOutput) => p.NextMarker,
        ),
        ctx.calls.one(spec('DescribeLoadBalancerAttributes'), (abortSignal) => elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }), { abortSignal })),
      ]);
      const a = new Map((attrs.ok ? (attrs.value?.Attributes ?? []) : []).map((x) => [x.Key ?? '', x.Value ?? '']));
      const type = lb.Type ?? 'application';
      const d = new ResourceDraft(awsElbv2LoadBalancer, {
        name: lb.LoadBalancerName ?? arn,
        arn,
        type,
        scheme: lb.Scheme ?? null,
        listeners: listeners.ok ? listeners.value.flatMap((p) => p.Listeners ?? []).map(listener) : [],
        accessLogs: a.get('access_logs.s3.enabled') === 'true',
        deletionProtection: a.get('deletion_protection.enabled') === 'true',
        dropInvalidHeaderFields: type === 'application' ? a.get('routing.http.drop_invalid_header_fields.enabled') === 'true' : null,
      });
      d.from(listeners);
      // ELB always sends these two attributes: one left out is not told.
      if (d.from(attrs) && (!a.has('deletion_protection.enabled') || !a.has('access_logs.s3.enabled'))) d.lose('accessLogs', 'deletionProtection');
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: String(d.properties.name) }));
    }),
  );
}

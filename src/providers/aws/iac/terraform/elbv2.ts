import { awsElbv2LoadBalancer } from '../../types/elbv2-load-balancer';
import type { Draft } from '../../../../iac/draft';
import { at, bool, int, isUnresolved, list, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';

/**
 * `aws_lb` / `aws_alb` with their `aws_lb_listener` / `aws_alb_listener`s. Access logs come from
 * the `access_logs` block; the provider's defaults: deletion protection and header dropping off.
 */
export function mapElbv2(ctx: TfContext): Draft[] {
  const types = ['aws_lb', 'aws_alb'];
  const listeners = [
    new Children(ctx, 'aws_lb_listener', 'load_balancer_arn', types, (t) => t.values.arn),
    new Children(ctx, 'aws_alb_listener', 'load_balancer_arn', types, (t) => t.values.arn),
  ];
  return types.flatMap((type) =>
    ctx.plan.byType(type).map((lb) => {
      const d = ctx.draft(awsElbv2LoadBalancer, lb);
      const v = lb.values;
      d.name = typeof v.name === 'string' ? v.name : lb.address;
      d.set('name', str(v.name, lb.address));
      const arn = typeof v.arn === 'string' ? v.arn : new Unresolved(`${lb.address} arn is known only after apply`, [], true);
      d.setCopied('arn', arn);
      if (typeof arn === 'string') d.id = arn;
      d.setTerraformTags(v.tags_all, v.tags);
      const kind = str(v.load_balancer_type, 'application');
      d.set('type', kind);
      const internal = bool(v.internal, false);
      d.set('scheme', isUnresolved(internal) ? internal : internal ? 'internal' : 'internet-facing');
      const maybe = listeners.map((c) => c.maybeAny(lb)).find((x) => x);
      const all = listeners.flatMap((c) => c.all(lb));
      d.set(
        'listeners',
        maybe
          ? new Unresolved(`${maybe.address} may belong to this load balancer`)
          : all.map((l) => {
              const redirect = list(l.values.default_action);
              const protocol = at(Array.isArray(redirect) ? redirect.find((a) => at(a, 'type') === 'redirect') : undefined, 'redirect', 0, 'protocol');
              return {
                arn: typeof l.values.arn === 'string' ? l.values.arn : `(${l.address})`,
                port: int(l.values.port, null),
                protocol: optStr(l.values.protocol),
                sslPolicy: optStr(l.values.ssl_policy),
                redirectsToHttps: isUnresolved(redirect) ? redirect : protocol === 'HTTPS',
              };
            }),
      );
      d.set('accessLogs', bool(at(v.access_logs, 0, 'enabled'), false));
      d.set('deletionProtection', bool(v.enable_deletion_protection, false));
      d.set('dropInvalidHeaderFields', kind === 'application' ? bool(v.drop_invalid_header_fields, false) : null);
      return d;
    }),
  );
}

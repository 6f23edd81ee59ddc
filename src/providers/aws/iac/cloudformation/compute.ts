import { awsLambdaFunction } from '../../types/lambda-function';
import { awsElbv2LoadBalancer } from '../../types/elbv2-load-balancer';
import type { Draft } from '../../../../iac/draft';
import { at, bool, int, isUnresolved, list, optStr, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

function linked(ctx: CfnContext, children: string, prop: string, target: CfnResource): CfnResource[] {
  return ctx.ofType(children).filter((c) => ctx.targets(c.props[prop], target.type, prop === 'FunctionName' || prop === 'TargetFunctionArn' ? 'FunctionName' : null).includes(target));
}

/** One `AWS::Lambda::Permission` as the statement it adds to the function's policy. */
function statement(p: CfnResource): Record<string, unknown> | Unresolved {
  const principal = p.props.Principal;
  if (typeof principal !== 'string') return new Unresolved(`${p.logicalId} Principal is known only after deploy`);
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [prop, op, key] of [
    ['SourceArn', 'ArnLike', 'AWS:SourceArn'],
    ['SourceAccount', 'StringEquals', 'AWS:SourceAccount'],
    ['PrincipalOrgID', 'StringEquals', 'aws:PrincipalOrgID'],
    ['FunctionUrlAuthType', 'StringEquals', 'lambda:FunctionUrlAuthType'],
  ] as const) {
    const x = p.props[prop];
    if (x === undefined) continue;
    if (typeof x !== 'string') return new Unresolved(`${p.logicalId} ${prop} is known only after deploy`);
    (condition[op] ??= {})[key] = x;
  }
  const who = principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal };
  return { Sid: p.logicalId, Effect: 'Allow', Principal: who, Action: str(p.props.Action, 'lambda:InvokeFunction'), Resource: '*', ...(Object.keys(condition).length ? { Condition: condition } : {}) };
}

/** `AWS::Lambda::Function` with its `AWS::Lambda::Url`s and `AWS::Lambda::Permission`s; `AWS::ElasticLoadBalancingV2::LoadBalancer` with its listeners. */
export function mapCompute(ctx: CfnContext): Draft[] {
  const out: Draft[] = [];
  for (const f of ctx.ofType('AWS::Lambda::Function')) {
    const d = ctx.draft(awsLambdaFunction, f);
    const p = f.props;
    d.set('name', str(p.FunctionName, f.logicalId));
    d.setCopied('arn', new Unresolved(`${f.logicalId} ARN is known only after deploy`, [], true));
    d.set('packageType', str(p.PackageType, 'Zip'));
    d.set('runtime', p.PackageType === 'Image' ? null : optStr(p.Runtime));
    const vars = at(p.Environment, 'Variables');
    d.set('environmentVariableCount', isUnresolved(vars) ? vars : vars && typeof vars === 'object' ? Object.keys(vars).length : 0);
    d.setCopied('kmsKeyArn', optStr(p.KmsKeyArn));
    d.set('urls', linked(ctx, 'AWS::Lambda::Url', 'TargetFunctionArn', f).map((u) => ({ url: `(${u.logicalId})`, authType: str(u.props.AuthType, 'AWS_IAM') })));
    const statements = linked(ctx, 'AWS::Lambda::Permission', 'FunctionName', f).map(statement);
    const unresolved = statements.find((s) => s instanceof Unresolved);
    d.set('policy', unresolved ?? (statements.length ? { Version: '2012-10-17', Statement: statements } : null));
    out.push(d);
  }
  for (const lb of ctx.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const d = ctx.draft(awsElbv2LoadBalancer, lb);
    const p = lb.props;
    d.set('name', str(p.Name, lb.logicalId));
    d.setCopied('arn', new Unresolved(`${lb.logicalId} ARN is known only after deploy`, [], true));
    const kind = str(p.Type, 'application');
    d.set('type', kind);
    d.set('scheme', str(p.Scheme, 'internet-facing'));
    d.set(
      'listeners',
      linked(ctx, 'AWS::ElasticLoadBalancingV2::Listener', 'LoadBalancerArn', lb).map((l) => {
        const actions = list(l.props.DefaultActions);
        const redirect = Array.isArray(actions) ? actions.find((a) => at(a, 'Type') === 'redirect') : undefined;
        return {
          arn: `(${l.logicalId})`,
          port: int(l.props.Port, null),
          protocol: optStr(l.props.Protocol),
          sslPolicy: optStr(l.props.SslPolicy),
          redirectsToHttps: isUnresolved(actions) ? actions : at(redirect, 'RedirectConfig', 'Protocol') === 'HTTPS',
        };
      }),
    );
    const attrs = list(p.LoadBalancerAttributes);
    const attr = (key: string): unknown => (Array.isArray(attrs) ? at(attrs.find((x) => at(x, 'Key') === key), 'Value') : attrs);
    const flag = (key: string): unknown => {
      const v = attr(key);
      return isUnresolved(v) ? v : v === undefined ? false : bool(v, false);
    };
    d.set('accessLogs', flag('access_logs.s3.enabled'));
    d.set('deletionProtection', flag('deletion_protection.enabled'));
    d.set('dropInvalidHeaderFields', kind === 'application' ? flag('routing.http.drop_invalid_header_fields.enabled') : null);
    out.push(d);
  }
  return out;
}

import { awsLambdaFunction } from '../../types/lambda-function';
import type { Draft } from '../../../../iac/draft';
import { at, isUnresolved, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';

/** One `aws_lambda_permission` as the policy statement Lambda's AddPermission writes. */
function statement(p: TfInstance): Record<string, unknown> | Unresolved {
  const v = p.values;
  const principal = v.principal;
  if (typeof principal !== 'string') return new Unresolved(`${p.address} principal is known only after apply`);
  const condition: Record<string, Record<string, unknown>> = {};
  for (const [attr, op, key] of [
    ['source_arn', 'ArnLike', 'AWS:SourceArn'],
    ['source_account', 'StringEquals', 'AWS:SourceAccount'],
    ['principal_org_id', 'StringEquals', 'aws:PrincipalOrgID'],
    ['function_url_auth_type', 'StringEquals', 'lambda:FunctionUrlAuthType'],
  ] as const) {
    const x = v[attr];
    if (x === undefined || x === null || x === '') continue;
    if (typeof x !== 'string') return new Unresolved(`${p.address} ${attr} is known only after apply`);
    (condition[op] ??= {})[key] = x;
  }
  const who = principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal };
  return { Sid: str(v.statement_id, p.address), Effect: 'Allow', Principal: who, Action: str(v.action, 'lambda:InvokeFunction'), Resource: '*', ...(Object.keys(condition).length ? { Condition: condition } : {}) };
}

/**
 * `aws_lambda_function` with its `aws_lambda_function_url`s and `aws_lambda_permission`s (the
 * statements of its resource policy). Environment values are counted, never kept.
 */
export function mapLambda(ctx: TfContext): Draft[] {
  const byName = (t: TfInstance) => t.values.function_name;
  const urls = new Children(ctx, 'aws_lambda_function_url', 'function_name', ['aws_lambda_function'], byName);
  const perms = new Children(ctx, 'aws_lambda_permission', 'function_name', ['aws_lambda_function'], byName);
  return ctx.plan.byType('aws_lambda_function').map((f) => {
    const d = ctx.draft(awsLambdaFunction, f);
    const v = f.values;
    d.name = typeof v.function_name === 'string' ? v.function_name : f.address;
    d.set('name', str(v.function_name, f.address));
    const arn = typeof v.arn === 'string' ? v.arn : new Unresolved(`${f.address} arn is known only after apply`, [], true);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('packageType', str(v.package_type, 'Zip'));
    d.set('runtime', v.package_type === 'Image' ? null : optStr(v.runtime));
    const vars = at(v.environment, 0, 'variables');
    d.set('environmentVariableCount', isUnresolved(vars) ? vars : vars && typeof vars === 'object' ? Object.keys(vars).length : 0);
    d.setCopied('kmsKeyArn', optStr(v.kms_key_arn));
    const maybeUrl = urls.maybeAny(f);
    d.set('urls', maybeUrl ? new Unresolved(`${maybeUrl.address} may belong to this function`) : urls.all(f).map((u) => ({ url: typeof u.values.function_url === 'string' ? u.values.function_url : `(${u.address})`, authType: str(u.values.authorization_type, 'AWS_IAM') })));
    const maybePerm = perms.maybeAny(f);
    const statements = perms.all(f).map(statement);
    const unresolved = statements.find((s) => s instanceof Unresolved);
    d.set('policy', maybePerm ? new Unresolved(`${maybePerm.address} may grant on this function`) : unresolved ?? (statements.length ? { Version: '2012-10-17', Statement: statements } : null));
    return d;
  });
}

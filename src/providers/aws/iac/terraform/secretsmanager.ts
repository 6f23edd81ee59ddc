import { awsSecretsManagerSecret } from '../../types/secretsmanager-secret';
import type { Draft } from '../../../../iac/draft';
import { at, block, int, isUnresolved, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import { planArn } from '../arn';

/**
 * `aws_secretsmanager_secret` with its `aws_secretsmanager_secret_rotation` (rotation on when one
 * exists) and `aws_secretsmanager_secret_policy` (or the secret's own `policy`). When it was last
 * rotated or read exists only in a live account.
 */
export function mapSecrets(ctx: TfContext): Draft[] {
  const byArn = (t: { values: Record<string, unknown> }): unknown => t.values.arn;
  const rotations = new Children(ctx, 'aws_secretsmanager_secret_rotation', 'secret_id', ['aws_secretsmanager_secret'], byArn);
  const policies = new Children(ctx, 'aws_secretsmanager_secret_policy', 'secret_arn', ['aws_secretsmanager_secret'], byArn);
  return ctx.plan.byType('aws_secretsmanager_secret').map((s) => {
    const v = s.values;
    const d = ctx.draft(awsSecretsManagerSecret, s);
    const name = str(v.name) ?? new Unresolved(`${s.address} name is generated at apply`);
    d.set('name', name);
    d.name = typeof name === 'string' ? name : s.address;
    const arn = planArn(s.address, v.arn);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.setCopied('kmsKeyId', optStr(v.kms_key_id));
    const rot = rotations.of(s, 'secret_id');
    if (isUnresolved(rot)) {
      d.set('rotationEnabled', rot);
      d.set('rotationRules', rot);
    } else if (rot) {
      const rules = block(rot.values, 'rotation_rules');
      d.set('rotationEnabled', true);
      d.set('rotationRules', { automaticallyAfterDays: int(at(rules, 'automatically_after_days')), scheduleExpression: optStr(at(rules, 'schedule_expression')) });
    } else {
      d.set('rotationEnabled', ctx.creates(s) ? false : new Unresolved(`${s.address} exists already and this plan does not declare its rotation`));
      d.set('rotationRules', ctx.creates(s) ? null : new Unresolved(`${s.address} exists already and this plan does not declare its rotation`));
    }
    const pol = policies.of(s, 'secret_arn');
    if (isUnresolved(pol)) d.set('policy', pol);
    else if (pol) d.set('policy', ctx.policy(pol, pol.values.policy));
    else if (typeof v.policy === 'string' && v.policy !== '') d.set('policy', ctx.policy(s, v.policy));
    // The inline policy is computed: unknown in a plan that does not set it (as a bucket's policy is).
    else d.set('policy', ctx.creates(s) ? null : new Unresolved(`${s.address} exists already and this plan does not declare its resource policy`));
    return d;
  });
}

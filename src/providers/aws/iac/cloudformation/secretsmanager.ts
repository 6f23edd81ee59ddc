import { awsSecretsManagerSecret } from '../../types/secretsmanager-secret';
import type { Draft } from '../../../../iac/draft';
import { at, int, isUnresolved, optStr, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

/**
 * `AWS::SecretsManager::Secret` with the `RotationSchedule` and `ResourcePolicy` that name it
 * (by `!Ref`, which is the secret's ARN). When it was last rotated or read exists only in a live account.
 */
export function mapSecrets(ctx: CfnContext): Draft[] {
  const linked = (type: string): { of: Map<CfnResource, CfnResource>; unlinked: CfnResource | undefined } => {
    const of = new Map<CfnResource, CfnResource>();
    const all = ctx.ofType(type);
    for (const x of all) for (const s of ctx.targets(x.props.SecretId, 'AWS::SecretsManager::Secret', null)) of.set(s, x);
    return { of, unlinked: all.find((x) => isUnresolved(x.props.SecretId) && x.props.SecretId.refs.length === 0) };
  };
  const rotations = linked('AWS::SecretsManager::RotationSchedule');
  const policies = linked('AWS::SecretsManager::ResourcePolicy');
  return ctx.ofType('AWS::SecretsManager::Secret').map((s) => {
    const p = s.props;
    const d = ctx.draft(awsSecretsManagerSecret, s);
    const name = ctx.name(s, 'Name', 'secret name');
    d.set('name', name);
    if (typeof name === 'string') d.name = name;
    d.set('arn', new Unresolved(`${s.logicalId} ARN is known only after deploy`));
    d.setCopied('kmsKeyId', optStr(p.KmsKeyId));
    const rot = rotations.of.get(s);
    if (rot) {
      const rules = rot.props.RotationRules;
      d.set('rotationEnabled', true);
      d.set('rotationRules', { automaticallyAfterDays: int(at(rules, 'AutomaticallyAfterDays')), scheduleExpression: optStr(at(rules, 'ScheduleExpression')) });
    } else if (rotations.unlinked) {
      const why = new Unresolved(`${rotations.unlinked.logicalId} may rotate this secret: its SecretId is known only at deploy`);
      d.set('rotationEnabled', why);
      d.set('rotationRules', why);
    } else {
      d.set('rotationEnabled', false);
      d.set('rotationRules', null);
    }
    const pol = policies.of.get(s);
    d.set(
      'policy',
      pol ? ctx.policy(pol, pol.props.ResourcePolicy) : policies.unlinked ? new Unresolved(`${policies.unlinked.logicalId} may apply to this secret: its SecretId is known only at deploy`) : null,
    );
    return d;
  });
}

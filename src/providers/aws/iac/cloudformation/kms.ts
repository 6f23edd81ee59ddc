import { awsKmsKey } from '../../types/kms-key';
import { type Draft, UNKNOWN_ACCOUNT } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { defaultKeyPolicy } from '../terraform/kms';
import { bool, int, isUnresolved, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

/** `AWS::KMS::Key` (symmetric ENCRYPT_DECRYPT, rotation off by default) with its `AWS::KMS::Alias` names. */
export function mapKms(ctx: CfnContext): Draft[] {
  const aliasesOf = new Map<CfnResource, CfnResource[]>();
  for (const a of ctx.ofType('AWS::KMS::Alias')) for (const k of ctx.targets(a.props.TargetKeyId, 'AWS::KMS::Key', null)) aliasesOf.set(k, [...(aliasesOf.get(k) ?? []), a]);
  return ctx.ofType('AWS::KMS::Key').map((k) => {
    const d = ctx.draft(awsKmsKey, k);
    const p = k.props;
    d.set('arn', new Unresolved(`${k.logicalId} ARN is known only after deploy`));
    d.set('description', str(p.Description, ''));
    d.set('keyManager', 'CUSTOMER');
    const spec = str(p.KeySpec, 'SYMMETRIC_DEFAULT');
    d.set('keySpec', spec);
    d.set('keyUsage', str(p.KeyUsage, 'ENCRYPT_DECRYPT'));
    d.set('origin', str(p.Origin, 'AWS_KMS'));
    d.set('multiRegion', bool(p.MultiRegion, false));
    const rotation = bool(p.EnableKeyRotation, false);
    const symmetric = isUnresolved(spec) ? spec : spec === 'SYMMETRIC_DEFAULT';
    d.set('rotationEnabled', isUnresolved(symmetric) ? symmetric : symmetric ? rotation : null);
    d.set('rotationPeriodInDays', rotation === true && symmetric === true ? int(p.RotationPeriodInDays, 365) : isUnresolved(rotation) ? rotation : null);
    d.set(
      'policy',
      p.KeyPolicy === undefined
        ? ctx.account === UNKNOWN_ACCOUNT
          ? new Unresolved('default key policy: the account id is not known from the template (pass --account)')
          : defaultKeyPolicy(ctx.account, partitionOf(ctx.region))
        : ctx.policy(k, p.KeyPolicy),
    );
    const names = (aliasesOf.get(k) ?? []).map((a) => str(a.props.AliasName));
    d.set('aliases', names);
    if (typeof names[0] === 'string') d.name = names[0];
    return d;
  });
}

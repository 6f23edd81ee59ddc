import { awsKmsKey } from '../../types/kms-key';
import { type Draft, UNKNOWN_ACCOUNT } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { bool, int, isUnresolved, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';

/** The key policy KMS attaches when none is given ("default key policy": the account's IAM policies decide). */
export function defaultKeyPolicy(account: string, partition: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

/**
 * `aws_kms_key` (customer managed, AWS_KMS origin) with the provider's defaults: symmetric
 * ENCRYPT_DECRYPT key, single region, rotation off (365 days when turned on without a period), the
 * default key policy when none is given; aliases from `aws_kms_alias`.
 */
export function mapKms(ctx: TfContext): Draft[] {
  const aliases = new Children(ctx, 'aws_kms_alias', 'target_key_id', ['aws_kms_key'], (k) => k.values.key_id);
  return ctx.plan.byType('aws_kms_key').map((k) => {
    const d = ctx.draft(awsKmsKey, k);
    const v = k.values;
    const arn = typeof v.arn === 'string' ? v.arn : new Unresolved(`${k.address} arn is known only after apply`);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.name = k.address;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('description', str(v.description, ''));
    d.set('keyManager', 'CUSTOMER');
    const spec = str(v.customer_master_key_spec ?? v.key_spec, 'SYMMETRIC_DEFAULT');
    d.set('keySpec', spec);
    d.set('keyUsage', str(v.key_usage, 'ENCRYPT_DECRYPT'));
    d.set('origin', 'AWS_KMS');
    d.set('multiRegion', bool(v.multi_region, false));
    const rotation = bool(v.enable_key_rotation, false);
    const symmetric = isUnresolved(spec) ? spec : spec === 'SYMMETRIC_DEFAULT';
    d.set('rotationEnabled', isUnresolved(symmetric) ? symmetric : symmetric ? rotation : null);
    d.set('rotationPeriodInDays', rotation === true && symmetric === true ? int(v.rotation_period_in_days, 365) : isUnresolved(rotation) ? rotation : null);
    const policy = v.policy;
    if (policy === undefined || policy === null || policy === '') {
      d.set(
        'policy',
        ctx.account === UNKNOWN_ACCOUNT ? new Unresolved('default key policy: the account id is not known from the code (pass --account)') : defaultKeyPolicy(ctx.account, partitionOf(d.origin.region)),
      );
    } else d.set('policy', ctx.policy(k, policy));
    const names: unknown[] = aliases.all(k).map((a) => str(a.values.name) ?? new Unresolved(`${a.address} name is generated at apply`));
    const maybe = aliases.maybeAny(k);
    d.set('aliases', maybe ? new Unresolved(`${maybe.address} may name this key`) : names);
    if (names.length > 0 && typeof names[0] === 'string') d.name = names[0];
    return d;
  });
}

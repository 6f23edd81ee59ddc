import { awsAccount } from '../../types/account';
import { awsEc2Region } from '../../types/ec2-region';
import { type Draft, UNKNOWN_ACCOUNT } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { bool, int, isUnresolved, str, Unresolved } from '../../../../iac/values';
import type { TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';

/**
 * Account-wide settings: `aws_s3_account_public_access_block` and
 * `aws_iam_account_password_policy` become one `aws.account` (emitted only when the plan declares
 * or deletes one of them; what it does not declare is unknown, what it deletes is gone).
 * `aws_ebs_encryption_by_default` and `aws_ebs_default_kms_key` become the `aws.ec2.region` of
 * their region; deleting `aws_ebs_encryption_by_default` turns the encryption off there.
 */
export function mapAccount(ctx: TfContext): Draft[] {
  const pab = ctx.plan.byType('aws_s3_account_public_access_block');
  const pwd = ctx.plan.byType('aws_iam_account_password_policy');
  // Deleting these resources deletes the setting: after apply there is none.
  const removed = (type: string): TfInstance | undefined => ctx.plan.removed.find((x) => x.type === type);
  const pabRemoved = pab.length === 0 ? removed('aws_s3_account_public_access_block') : undefined;
  const pwdRemoved = pwd.length === 0 ? removed('aws_iam_account_password_policy') : undefined;
  const out: Draft[] = [];
  const first = pab[0] ?? pwd[0] ?? pabRemoved ?? pwdRemoved;
  if (first) {
    const d = ctx.draft(awsAccount, first);
    const undeclared = (what: string): Unresolved => new Unresolved(`this plan does not declare the account's ${what}`);
    d.set('accountId', ctx.account === UNKNOWN_ACCOUNT ? new Unresolved('the account id is not known from the code (pass --account)') : ctx.account);
    if (ctx.account !== UNKNOWN_ACCOUNT) d.id = `arn:${partitionOf(d.origin.region)}:iam::${ctx.account}:root`;
    d.name = ctx.account === UNKNOWN_ACCOUNT ? first.address : ctx.account;
    d.set('partition', partitionOf(d.origin.region));
    const p = pab[pab.length - 1];
    d.set(
      's3PublicAccessBlock',
      p
        ? {
            blockPublicAcls: bool(p.values.block_public_acls, false),
            ignorePublicAcls: bool(p.values.ignore_public_acls, false),
            blockPublicPolicy: bool(p.values.block_public_policy, false),
            restrictPublicBuckets: bool(p.values.restrict_public_buckets, false),
          }
        : pabRemoved
          ? null
          : undeclared('S3 Block Public Access'),
    );
    const w = pwd[pwd.length - 1];
    d.set('passwordPolicy', w ? passwordPolicy(w) : pwdRemoved ? null : undeclared('password policy'));
    out.push(d);
  }

  const byRegion = new Map<string, { enc?: TfInstance; key?: TfInstance }>();
  for (const type of ['aws_ebs_encryption_by_default', 'aws_ebs_default_kms_key']) {
    for (const inst of ctx.plan.byType(type)) {
      const region = ctx.origin(inst).region;
      const e = byRegion.get(region) ?? {};
      if (type === 'aws_ebs_encryption_by_default') e.enc = inst;
      else e.key = inst;
      byRegion.set(region, e);
    }
  }
  // Removing aws_ebs_encryption_by_default turns the encryption off in its region.
  const disabled = new Map<string, TfInstance>();
  for (const inst of ctx.plan.removed) {
    if (inst.type !== 'aws_ebs_encryption_by_default') continue;
    const region = ctx.origin(inst).region;
    if (!byRegion.get(region)?.enc) disabled.set(region, inst);
    if (!byRegion.has(region)) byRegion.set(region, {});
  }
  for (const [region, { enc, key }] of byRegion) {
    const removedEnc = disabled.get(region);
    const d = ctx.draft(awsEc2Region, (enc ?? key ?? removedEnc)!);
    d.name = region;
    if (ctx.account !== UNKNOWN_ACCOUNT) d.id = `arn:${partitionOf(region)}:ec2:${region}:${ctx.account}:region`;
    d.set('regionName', region);
    // aws_ebs_encryption_by_default `enabled` defaults to true.
    d.set(
      'ebsEncryptionByDefault',
      enc ? bool(enc.values.enabled, true) : removedEnc ? false : new Unresolved('this plan does not declare EBS encryption by default for the region'),
    );
    d.set('ebsDefaultKmsKeyId', key ? str(ctx.value(key, 'key_arn')) : new Unresolved('this plan does not declare the default EBS KMS key for the region'));
    out.push(d);
  }
  return out;
}

/** aws_iam_account_password_policy with the provider's defaults (minimum length 6, the rest off). */
function passwordPolicy(w: TfInstance): unknown {
  const v = w.values;
  const maxAge = int(v.max_password_age, 0);
  const reuse = int(v.password_reuse_prevention, 0);
  return {
    minimumPasswordLength: int(v.minimum_password_length, 6),
    requireSymbols: bool(v.require_symbols, false),
    requireNumbers: bool(v.require_numbers, false),
    requireUppercaseCharacters: bool(v.require_uppercase_characters, false),
    requireLowercaseCharacters: bool(v.require_lowercase_characters, false),
    allowUsersToChangePassword: bool(v.allow_users_to_change_password, true),
    expirePasswords: isUnresolved(maxAge) ? maxAge : (maxAge ?? 0) > 0,
    maxPasswordAge: isUnresolved(maxAge) ? maxAge : maxAge ? maxAge : null,
    passwordReusePrevention: isUnresolved(reuse) ? reuse : reuse ? reuse : null,
    hardExpiry: bool(v.hard_expiry, false),
  };
}

import { awsEcrRepository } from '../../types/ecr-repository';
import type { Draft } from '../../../../iac/draft';
import { at, bool, list, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';

/**
 * `aws_ecr_repository` with `aws_ecr_repository_policy`. Registry scanning rules
 * (`aws_ecr_registry_scanning_configuration`) are account-wide: when the plan sets them they are
 * not read here, so the registry's verdict is unknown; otherwise the account may have them.
 */
export function mapEcr(ctx: TfContext): Draft[] {
  const policies = new Children(ctx, 'aws_ecr_repository_policy', 'repository', ['aws_ecr_repository'], (t) => t.values.name);
  return ctx.plan.byType('aws_ecr_repository').map((r) => {
    const d = ctx.draft(awsEcrRepository, r);
    const v = r.values;
    d.name = typeof v.name === 'string' ? v.name : r.address;
    d.set('name', str(v.name, r.address));
    const arn = typeof v.arn === 'string' ? v.arn : new Unresolved(`${r.address} arn is known only after apply`, [], true);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    const scanning = list(v.image_scanning_configuration);
    d.set('scanOnPush', Array.isArray(scanning) ? bool(at(scanning, 0, 'scan_on_push'), false) : scanning);
    d.set('registryScanOnPush', new Unresolved('registry scanning rules are account-wide settings outside this repository'));
    d.set('imageTagMutability', str(v.image_tag_mutability, 'MUTABLE'));
    const enc = list(v.encryption_configuration);
    d.set('encryptionType', Array.isArray(enc) ? (str(at(enc, 0, 'encryption_type'), 'AES256')) : enc);
    d.setCopied('kmsKey', Array.isArray(enc) ? optStr(at(enc, 0, 'kms_key')) : enc);
    const child = policies.of(r, 'policy');
    d.set('policy', child instanceof Unresolved ? child : child ? ctx.policy(child, child.values.policy) : null);
    return d;
  });
}

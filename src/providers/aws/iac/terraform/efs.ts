import { awsEfsFileSystem } from '../../types/efs-file-system';
import type { Draft } from '../../../../iac/draft';
import { at, block, bool, isUnresolved, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import { planArn } from '../arn';

/**
 * `aws_efs_file_system` (unencrypted by default) with its `aws_efs_backup_policy` and
 * `aws_efs_file_system_policy`.
 */
export function mapEfs(ctx: TfContext): Draft[] {
  const byId = (t: { values: Record<string, unknown> }): unknown => t.values.id;
  const backups = new Children(ctx, 'aws_efs_backup_policy', 'file_system_id', ['aws_efs_file_system'], byId);
  const policies = new Children(ctx, 'aws_efs_file_system_policy', 'file_system_id', ['aws_efs_file_system'], byId);
  return ctx.plan.byType('aws_efs_file_system').map((f) => {
    const v = f.values;
    const d = ctx.draft(awsEfsFileSystem, f);
    const id = str(v.id) ?? new Unresolved(`${f.address} id is known only after apply`);
    d.set('fileSystemId', id);
    const arn = planArn(f.address, v.arn);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    const nameTag = at(v.tags, 'Name');
    d.name = typeof nameTag === 'string' ? nameTag : f.address;
    d.set('encrypted', bool(v.encrypted, false));
    d.setCopied('kmsKeyId', optStr(v.kms_key_id));
    const existing = (what: string): Unresolved => new Unresolved(`${f.address} exists already and this plan does not declare its ${what}`);
    const bp = backups.of(f, 'file_system_id');
    if (isUnresolved(bp)) d.set('automaticBackups', bp);
    else if (bp) d.set('automaticBackups', str(at(block(bp.values, 'backup_policy'), 'status')));
    else d.set('automaticBackups', ctx.creates(f) ? null : existing('backup policy'));
    const pol = policies.of(f, 'file_system_id');
    if (isUnresolved(pol)) d.set('policy', pol);
    else if (pol) d.set('policy', ctx.policy(pol, pol.values.policy));
    else d.set('policy', ctx.creates(f) ? null : existing('file system policy'));
    return d;
  });
}

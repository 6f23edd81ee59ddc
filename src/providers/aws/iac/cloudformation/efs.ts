import { awsEfsFileSystem } from '../../types/efs-file-system';
import type { Draft } from '../../../../iac/draft';
import { at, bool, optStr, str, Unresolved } from '../../../../iac/values';
import type { CfnContext } from './context';

/** `AWS::EFS::FileSystem` (unencrypted by default) with its `BackupPolicy` and `FileSystemPolicy`; tags are `FileSystemTags`. */
export function mapEfs(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::EFS::FileSystem').map((f) => {
    const p = f.props;
    const d = ctx.draft(awsEfsFileSystem, f);
    const tags = p.FileSystemTags;
    if (Array.isArray(tags)) for (const t of tags) if (t && typeof t.Key === 'string') d.addTag(t.Key, t.Value);
    if (typeof d.tags?.Name === 'string') d.name = d.tags.Name;
    d.set('fileSystemId', new Unresolved(`${f.logicalId} id is known only after deploy`));
    d.set('arn', new Unresolved(`${f.logicalId} ARN is known only after deploy`));
    d.set('encrypted', bool(p.Encrypted, false));
    d.setCopied('kmsKeyId', optStr(p.KmsKeyId));
    d.set('automaticBackups', p.BackupPolicy === undefined ? null : str(at(p.BackupPolicy, 'Status')));
    d.set('policy', p.FileSystemPolicy === undefined ? null : ctx.policy(f, p.FileSystemPolicy));
    return d;
  });
}

import { DescribeBackupPolicyCommand, DescribeFileSystemPolicyCommand, DescribeFileSystemsCommand, type DescribeFileSystemsCommandOutput } from '@aws-sdk/client-efs';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsEfsFileSystem } from '../types/efs-file-system';
import type { AccountContext } from './context';
import { decodePolicy, tagsOf } from './resource';

/**
 * EFS file systems of one region: the listing carries encryption and tags; the backup policy and
 * the file system policy cost one call each ("PolicyNotFound" means none is set, a fact).
 */
export async function collectEfs(ctx: AccountContext, region: string): Promise<void> {
  const efs = ctx.clients.efs(region);
  const listed = await ctx.calls.pages(
    { service: 'efs', operation: 'DescribeFileSystems', region },
    (Marker, abortSignal) => efs.send(new DescribeFileSystemsCommand({ MaxItems: 100, Marker }), { abortSignal }),
    (p: DescribeFileSystemsCommandOutput) => p.NextMarker,
  );
  if (!listed.ok) return;
  await Promise.all(
    listed.value.flatMap((p) => p.FileSystems ?? []).map(async (f) => {
      const id = f.FileSystemId ?? '';
      const arn = f.FileSystemArn ?? `arn:${ctx.partition}:elasticfilesystem:${region}:${ctx.account}:file-system/${id}`;
      const spec = (operation: string) => ({ service: 'efs', operation, region, resourceId: arn, absent: ['PolicyNotFound'] });
      const d = new ResourceDraft(awsEfsFileSystem, { fileSystemId: id, arn, lifeCycleState: f.LifeCycleState ?? null, encrypted: f.Encrypted ?? null, kmsKeyId: f.KmsKeyId ?? null, automaticBackups: null, policy: null });
      if (f.Encrypted === undefined) d.lose('encrypted');
      if (f.LifeCycleState === undefined) d.lose('lifeCycleState');
      await Promise.all([
        ctx.calls.one(spec('DescribeBackupPolicy'), (abortSignal) => efs.send(new DescribeBackupPolicyCommand({ FileSystemId: id }), { abortSignal })).then((r) => {
          if (!d.from(r)) return;
          if (r.value === null) return; // never set
          const status = r.value?.BackupPolicy?.Status;
          if (status) d.properties.automaticBackups = status;
          else d.lose('automaticBackups');
        }),
        ctx.calls.one(spec('DescribeFileSystemPolicy'), (abortSignal) => efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id }), { abortSignal })).then((r) => {
          if (!d.from(r)) return;
          const doc = decodePolicy(r.value?.Policy);
          if (doc === undefined) d.lose('policy');
          else d.properties.policy = doc;
        }),
      ]);
      const tags = tagsOf(f.Tags);
      const nameTag = tags?.Name;
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: f.Name ?? nameTag ?? id, ...(tags ? { tags } : {}) }));
    }),
  );
}

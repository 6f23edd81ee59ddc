import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioFileSystem } from '../scenario-data';

/** EFS over REST-JSON (`/2015-02-01/file-systems…`): file systems, their backup policy and file system policy. */

const here = (ctx: Ctx): ScenarioFileSystem[] => (ctx.account.data?.fileSystems ?? []).filter((f) => f.region === ctx.region);

/** The EFS operation a request is, from its method and path. */
export function efsOperation(method: string, path: string): string | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/2015-02-01/file-systems') return 'DescribeFileSystems';
  if (/^\/2015-02-01\/file-systems\/[^/]+\/backup-policy$/.test(path)) return 'DescribeBackupPolicy';
  if (/^\/2015-02-01\/file-systems\/[^/]+\/policy$/.test(path)) return 'DescribeFileSystemPolicy';
  return undefined;
}

function fileSystem(ctx: Ctx): ScenarioFileSystem {
  const id = decodeURIComponent(ctx.path.split('/')[3] ?? '');
  const f = here(ctx).find((x) => x.id === id);
  if (!f) throw new FakeError('FileSystemNotFound', 404, `File system '${id}' does not exist.`);
  return f;
}

export const efsHandlers: Record<string, Handler> = {
  DescribeFileSystems(ctx) {
    const all = here(ctx).map((f) => ({
      OwnerId: ctx.accountId,
      CreationToken: f.id,
      FileSystemId: f.id,
      FileSystemArn: `arn:aws:elasticfilesystem:${ctx.region}:${ctx.accountId}:file-system/${f.id}`,
      CreationTime: Date.parse('2025-01-01T00:00:00Z') / 1000,
      LifeCycleState: 'available',
      ...(f.name ? { Name: f.name } : {}),
      NumberOfMountTargets: 1,
      SizeInBytes: { Value: 6144 },
      PerformanceMode: 'generalPurpose',
      Encrypted: f.encrypted ?? false,
      ...(f.encrypted ? { KmsKeyId: f.kmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-efs` } : {}),
      Tags: Object.entries({ ...(f.name ? { Name: f.name } : {}), ...(f.tags ?? {}) }).map(([Key, Value]) => ({ Key, Value })),
    }));
    const { items, next } = page(all, ctx.query.get('Marker'), ctx.fake.pageSize('efs:DescribeFileSystems', Number(ctx.query.get('MaxItems') ?? 0), 100));
    return { FileSystems: items, ...(next ? { NextMarker: next } : {}) };
  },

  DescribeBackupPolicy(ctx) {
    const f = fileSystem(ctx);
    if (!f.backupPolicy) throw new FakeError('PolicyNotFound', 404, 'no backup policy');
    return { BackupPolicy: { Status: f.backupPolicy } };
  },

  DescribeFileSystemPolicy(ctx) {
    const f = fileSystem(ctx);
    if (!f.policy) throw new FakeError('PolicyNotFound', 404, 'no file system policy');
    return { FileSystemId: f.id, Policy: JSON.stringify(f.policy) };
  },
};

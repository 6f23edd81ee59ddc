import type { Bucket, GetBucketsRequest } from '@google-cloud/storage';
import { apiEnabled, noteApi, type ProjectContext } from './context';
import { iso, labelsOf, policyOf, ResourceDraft, seconds } from './resource';

interface BucketMetadata {
  name?: string;
  location?: string;
  storageClass?: string;
  timeCreated?: string;
  labels?: Record<string, string>;
  iamConfiguration?: { uniformBucketLevelAccess?: { enabled?: boolean }; publicAccessPrevention?: string };
  acl?: { entity?: string; role?: string }[];
  defaultObjectAcl?: { entity?: string; role?: string }[];
  encryption?: { defaultKmsKeyName?: string };
  versioning?: { enabled?: boolean };
  retentionPolicy?: { retentionPeriod?: string | number; isLocked?: boolean };
  logging?: { logBucket?: string; logObjectPrefix?: string };
  softDeletePolicy?: { retentionDurationSeconds?: string | number };
}

const ROLES = new Set(['OWNER', 'WRITER', 'READER']);

function aclOf(list: { entity?: string; role?: string }[] | undefined): { entity: string; role: string }[] | undefined {
  if (!list) return undefined;
  if (list.some((e) => !e.entity || !e.role || !ROLES.has(e.role))) return undefined;
  return list.map((e) => ({ entity: e.entity!, role: e.role! }));
}

/** Every bucket of the project (one listing with full projection), then each bucket's IAM policy. */
export async function collectBuckets(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'storage', 'storage', 'ListBuckets')) return;
  const storage = ctx.clients.storage();
  const listed = await ctx.calls.pages(
    { service: 'storage', operation: 'ListBuckets', region: 'global', list: 'items', promise: ['kind'], rawOf: (v) => (v as unknown[])[2] },
    // projection=full (a query parameter the client passes on) returns the ACLs too.
    (pageToken) => storage.getBuckets({ project: ctx.projectId, maxResults: 1000, autoPaginate: false, projection: 'full', ...(pageToken ? { pageToken } : {}) } as GetBucketsRequest),
    (p) => (p[2] as { nextPageToken?: string } | undefined)?.nextPageToken,
  );
  noteApi(ctx, 'storage', listed);
  if (!listed.ok) return;
  const buckets = listed.value.flatMap((p) => (p[0] as Bucket[]) ?? []);
  await Promise.all(buckets.map((b) => collectBucket(ctx, b)));
}

async function collectBucket(ctx: ProjectContext, b: Bucket): Promise<void> {
  const m = (b.metadata ?? {}) as BucketMetadata;
  const name = m.name ?? b.name;
  const id = `//storage.googleapis.com/projects/_/buckets/${name}`;
  const uniform = m.iamConfiguration?.uniformBucketLevelAccess?.enabled === true;
  const d = new ResourceDraft({
    name,
    location: m.location ?? '',
    storageClass: m.storageClass ?? '',
    created: iso(m.timeCreated),
    uniformBucketLevelAccess: uniform,
    publicAccessPrevention: m.iamConfiguration?.publicAccessPrevention === 'enforced' ? 'enforced' : 'inherited',
    acl: [],
    defaultObjectAcl: [],
    iamPolicy: null,
    defaultKmsKeyName: m.encryption?.defaultKmsKeyName ?? null,
    versioning: m.versioning?.enabled === true,
    retentionPolicy: m.retentionPolicy ? { retentionPeriodSeconds: seconds(m.retentionPolicy.retentionPeriod) ?? 0, isLocked: m.retentionPolicy.isLocked === true } : null,
    logging: m.logging?.logBucket ? { logBucket: m.logging.logBucket, logObjectPrefix: m.logging.logObjectPrefix ?? '' } : null,
    softDeleteRetentionSeconds: seconds(m.softDeletePolicy?.retentionDurationSeconds) ?? 0,
  });
  // The listing always says these: one left out is not told, and no default is guessed.
  if (!m.location) d.lose('location');
  if (!m.iamConfiguration) d.lose('uniformBucketLevelAccess', 'publicAccessPrevention');
  if (!uniform) {
    // Without uniform access the ACLs apply; full projection returns them to those allowed to see them.
    const acl = aclOf(m.acl);
    const def = aclOf(m.defaultObjectAcl);
    if (acl) d.properties.acl = acl;
    else d.lose('acl');
    if (def) d.properties.defaultObjectAcl = def;
    else d.lose('defaultObjectAcl');
  }
  const policy = await ctx.calls.one(
    { service: 'storage', operation: 'GetBucketIamPolicy', region: 'global', resourceId: id, promise: ['etag'], rawOf: (v) => (v as unknown[])[0] },
    () => ctx.clients.storage().bucket(name).iam.getPolicy({ requestedPolicyVersion: 3 }),
  );
  if (d.from(policy, 'iamPolicy')) {
    const p = policyOf(policy.value?.[0] as never, false);
    if (p === undefined) d.lose('iamPolicy');
    else d.properties.iamPolicy = p;
  }
  const region = (m.location ?? 'global').toLowerCase();
  const labels = labelsOf(m.labels);
  await ctx.emit(d.finish({ id, type: 'gcp.storage.bucket', account: ctx.projectId, region, name, ...(labels ? { tags: labels } : {}) }));
}

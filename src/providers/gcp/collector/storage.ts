import { ResourceDraft } from '../../../collect/resource-draft';
import { gcpStorageBucket } from '../types/storage';
import { apiEnabled, noteApi, type ProjectContext } from './context';
import { iso, labelsOf, policyCheck, policyOf, seconds } from './resource';

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

interface ListAnswer {
  items?: BucketMetadata[];
  nextPageToken?: string;
  unreachable?: string[];
}

/**
 * Every bucket of the project (one listing with full projection), then each bucket's IAM policy.
 * The listing goes through the client's own request method and we read the JSON ourselves:
 * `getBuckets` maps the answer inside a callback, where a malformed answer (items not a list)
 * throws out of reach of any caller and would end the process.
 */
export async function collectBuckets(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'storage', 'storage', 'ListBuckets')) return;
  const storage = ctx.clients.storage();
  const spec = { service: 'storage', operation: 'ListBuckets', region: 'global', list: 'items', promise: ['kind'], rawOf: (v: unknown) => v };
  const listed = await ctx.calls.pages(
    spec,
    // projection=full returns the ACLs too.
    (pageToken) =>
      new Promise<ListAnswer>((resolve, reject) =>
        storage.request({ uri: '/b', qs: { project: ctx.projectId, maxResults: 1000, projection: 'full', ...(pageToken ? { pageToken } : {}) } }, (err: Error | null, body?: unknown) =>
          err ? reject(err) : resolve((body ?? {}) as ListAnswer),
        ),
      ),
    (p) => (typeof p.nextPageToken === 'string' ? p.nextPageToken : undefined),
  );
  noteApi(ctx, 'storage', listed);
  if (!listed.ok) return;
  const unreachable = listed.value.flatMap((p) => (Array.isArray(p.unreachable) ? p.unreachable : []));
  if (unreachable.length > 0) {
    // Some locations did not answer: the list is not complete, whatever it holds.
    ctx.calls.gap(spec, 'error', `${unreachable.length} bucket(s) unreachable in the listing (${unreachable.slice(0, 3).join(', ')}): the list is incomplete`);
  }
  const buckets = listed.value.flatMap((p) => p.items ?? []);
  await Promise.all(buckets.map((m) => collectBucket(ctx, m)));
}

async function collectBucket(ctx: ProjectContext, m: BucketMetadata): Promise<void> {
  const name = m.name ?? '';
  const id = `//storage.googleapis.com/projects/_/buckets/${name}`;
  const uniform = m.iamConfiguration?.uniformBucketLevelAccess?.enabled === true;
  const d = new ResourceDraft(gcpStorageBucket, {
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
    { service: 'storage', operation: 'GetBucketIamPolicy', region: 'global', resourceId: id, promise: ['etag'], rawOf: (v) => (v as unknown[])[0], check: policyCheck },
    () => ctx.clients.storage().bucket(name).iam.getPolicy({ requestedPolicyVersion: 3 }),
  );
  if (d.from(policy)) {
    const p = policyOf(policy.value?.[0] as never, false);
    if (p === undefined) d.lose('iamPolicy');
    else d.properties.iamPolicy = p;
  }
  const region = (m.location ?? 'global').toLowerCase();
  const labels = labelsOf(m.labels);
  await ctx.emit(d.finish({ id, account: ctx.projectId, region, name, ...(labels ? { tags: labels } : {}) }));
}

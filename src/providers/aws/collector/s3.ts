import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type LifecycleRule,
  type ListBucketsCommandOutput,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsS3Bucket } from '../types/s3-bucket';
import type { AccountContext } from './context';
import { decodePolicy, iso, tagsOf } from './resource';

const pab = (c: PublicAccessBlockConfiguration | undefined): Record<string, boolean> | null =>
  c
    ? {
        blockPublicAcls: c.BlockPublicAcls === true,
        ignorePublicAcls: c.IgnorePublicAcls === true,
        blockPublicPolicy: c.BlockPublicPolicy === true,
        restrictPublicBuckets: c.RestrictPublicBuckets === true,
      }
    : null;

/** LocationConstraint as GetBucketLocation answers it: empty for us-east-1, `EU` for the oldest eu-west-1 buckets. */
export function locationToRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** The account-level Block Public Access (S3 Control), into the account resource. */
export async function collectS3Account(ctx: AccountContext): Promise<void> {
  const r = await ctx.calls.one(
    { service: 's3control', operation: 'GetPublicAccessBlock', region: 'global', absent: ['NoSuchPublicAccessBlockConfiguration'] },
    (abortSignal) => ctx.clients.s3control(ctx.homeRegion).send(new GetAccountPublicAccessBlockCommand({ AccountId: ctx.account }), { abortSignal }),
  );
  if (r.ok) ctx.draft.set('s3PublicAccessBlock', pab(r.value?.PublicAccessBlockConfiguration));
}

/**
 * Lifecycle rules as the snapshot holds them; null when a rule lacks its status (it would read
 * as disabled, or enabled, without anyone having said so).
 */
function lifecycleRules(rules: LifecycleRule[]): Record<string, unknown>[] | null {
  if (rules.some((r) => r.Status !== 'Enabled' && r.Status !== 'Disabled')) return null;
  return rules.map((r) => {
    const f = r.Filter;
    // No filter, an empty filter or an empty prefix: the rule covers every object.
    const appliesToAll = (r.Prefix === undefined || r.Prefix === '') && (!f || ((f.Prefix === undefined || f.Prefix === '') && !f.Tag && !f.And && f.ObjectSizeGreaterThan === undefined && f.ObjectSizeLessThan === undefined));
    return {
      id: r.ID ?? null,
      enabled: r.Status === 'Enabled',
      appliesToAll,
      expirationDays: r.Expiration?.Days ?? null,
      expirationDate: iso(r.Expiration?.Date),
      transitions: (r.Transitions ?? []).length,
      noncurrentExpirationDays: r.NoncurrentVersionExpiration?.NoncurrentDays ?? null,
      abortIncompleteMultipartUploadDays: r.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? null,
    };
  });
}

/** One bucket's settings, each read in the bucket's own region. */
async function collectBucket(ctx: AccountContext, name: string, region: string, creationDate: string | null): Promise<void> {
  const s3 = ctx.clients.s3(region);
  const arn = `arn:${ctx.partition}:s3:::${name}`;
  const spec = (operation: string, absent?: string[]) => ({ service: 's3', operation, region, resourceId: arn, ...(absent ? { absent } : {}) });
  const { calls } = ctx;
  const d = new ResourceDraft(awsS3Bucket, {
    name,
    creationDate,
    publicAccessBlock: null,
    policy: null,
    policyStatus: null,
    acl: null,
    objectOwnership: null,
    encryption: null,
    versioning: null,
    logging: null,
    lifecycle: null,
  });
  if (creationDate === null) d.lose('creationDate');
  let tags: Record<string, string> | undefined;

  await Promise.all([
    calls.one(spec('GetPublicAccessBlock', ['NoSuchPublicAccessBlockConfiguration']), (abortSignal) => s3.send(new GetPublicAccessBlockCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (d.from(r)) d.properties.publicAccessBlock = pab(r.value?.PublicAccessBlockConfiguration);
    }),
    // The policy status only exists when a policy does: skip the call when there is none.
    calls.one(spec('GetBucketPolicy', ['NoSuchBucketPolicy']), (abortSignal) => s3.send(new GetBucketPolicyCommand({ Bucket: name }), { abortSignal })).then(async (r) => {
      if (d.from(r)) {
        const doc = decodePolicy(r.value?.Policy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
        if (r.value === null) return; // no policy: policyStatus stays null
      }
      const st = await calls.one(spec('GetBucketPolicyStatus', ['NoSuchBucketPolicy']), (abortSignal) => s3.send(new GetBucketPolicyStatusCommand({ Bucket: name }), { abortSignal }));
      if (!d.from(st)) return;
      const isPublic = st.value?.PolicyStatus?.IsPublic;
      // No policy (NoSuchBucketPolicy) is null; an answer that does not say is unknown, not "not public".
      if (st.value === null) d.properties.policyStatus = null;
      else if (typeof isPublic === 'boolean') d.properties.policyStatus = { isPublic };
      else d.lose('policyStatus');
    }),
    calls.one(spec('GetBucketAcl'), (abortSignal) => s3.send(new GetBucketAclCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (!d.from(r)) return;
      // A grant without its grantee type or permission, or a group grant without the group's URI,
      // does not say whether it is public: the ACL is unknown rather than read as private.
      const unclear = (r.value?.Grants ?? []).some((g) => !g.Permission || !g.Grantee?.Type || (g.Grantee.Type === 'Group' && !g.Grantee.URI));
      if (unclear) return d.lose('acl');
      d.properties.acl = {
        ownerId: r.value?.Owner?.ID ?? '',
        grants: (r.value?.Grants ?? []).map((g) => ({
          granteeType: g.Grantee?.Type ?? 'CanonicalUser',
          granteeId: g.Grantee?.ID ?? null,
          granteeUri: g.Grantee?.URI ?? null,
          permission: g.Permission ?? 'READ',
        })),
      };
    }),
    calls.one(spec('GetBucketOwnershipControls', ['OwnershipControlsNotFoundError']), (abortSignal) => s3.send(new GetBucketOwnershipControlsCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (d.from(r)) d.properties.objectOwnership = r.value?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null;
    }),
    calls.one(spec('GetBucketEncryption', ['ServerSideEncryptionConfigurationNotFoundError']), (abortSignal) => s3.send(new GetBucketEncryptionCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (!d.from(r)) return;
      const rules = r.value?.ServerSideEncryptionConfiguration?.Rules;
      d.properties.encryption = rules
        ? {
            rules: rules
              .filter((x) => x.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)
              .map((x) => ({
                sseAlgorithm: x.ApplyServerSideEncryptionByDefault!.SSEAlgorithm,
                kmsMasterKeyId: x.ApplyServerSideEncryptionByDefault!.KMSMasterKeyID ?? null,
                bucketKeyEnabled: x.BucketKeyEnabled === true,
              })),
          }
        : null;
    }),
    calls.one(spec('GetBucketVersioning'), (abortSignal) => s3.send(new GetBucketVersioningCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (d.from(r)) d.properties.versioning = { status: r.value?.Status ?? null, mfaDelete: r.value?.MFADelete ?? null };
    }),
    calls.one(spec('GetBucketLogging'), (abortSignal) => s3.send(new GetBucketLoggingCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (!d.from(r)) return;
      const l = r.value?.LoggingEnabled;
      d.properties.logging = l?.TargetBucket ? { targetBucket: l.TargetBucket, targetPrefix: l.TargetPrefix ?? '' } : null;
    }),
    // Retention and disposal evidence (SOC 2 C1.2): none configured is a fact, not a failure.
    calls.one(spec('GetBucketLifecycleConfiguration', ['NoSuchLifecycleConfiguration']), (abortSignal) => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }), { abortSignal })).then((r) => {
      if (!d.from(r)) return;
      if (r.value === null) return;
      const rules = lifecycleRules(r.value?.Rules ?? []);
      if (rules === null) d.lose('lifecycle');
      else d.properties.lifecycle = { rules };
    }),
    calls.one(spec('GetBucketTagging', ['NoSuchTagSet']), (abortSignal) => s3.send(new GetBucketTaggingCommand({ Bucket: name }), { abortSignal })).then((r) => {
      // Tags decide which rules apply (data classification): unreadable tags are listed unknown.
      if (d.from(r)) tags = tagsOf(r.value?.TagSet);
    }),
  ]);
  await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name, ...(tags ? { tags } : {}) }));
}

/** Every bucket of the account that lives in a scanned region. */
export async function collectS3Buckets(ctx: AccountContext): Promise<void> {
  const home = ctx.clients.s3(ctx.homeRegion);
  const listed = await ctx.calls.pages(
    { service: 's3', operation: 'ListBuckets', region: 'global' },
    (ContinuationToken, abortSignal) => home.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken }), { abortSignal }),
    (p: ListBucketsCommandOutput) => p.ContinuationToken,
  );
  if (!listed.ok) return;
  const buckets = listed.value.flatMap((p) => p.Buckets ?? []);
  const scanned = new Set(ctx.regions);
  let skipped = 0;
  await Promise.all(
    buckets.map(async (b) => {
      const name = b.Name ?? '';
      let region = b.BucketRegion;
      if (!region) {
        // Older endpoints and emulators do not return BucketRegion. A failure here hides the
        // bucket's settings, so it is recorded as an incomplete listing (no resourceId).
        const loc = await ctx.calls.one({ service: 's3', operation: 'GetBucketLocation', region: 'global' }, (abortSignal) =>
          home.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal }),
        );
        if (!loc.ok) return;
        region = locationToRegion(loc.value?.LocationConstraint);
      }
      if (!scanned.has(region)) {
        skipped++;
        return;
      }
      await collectBucket(ctx, name, region, iso(b.CreationDate));
    }),
  );
  if (skipped > 0) ctx.log.info({ account: ctx.account, skipped }, 'buckets in regions outside --regions were not scanned');
}

import type { Resource } from '../../../core/types';
import { arr, bool, obj, str } from '../../../core/resource-types/schema-helpers';
import { type MaybeUnknown, or, type Tri, UNKNOWN_VALUE } from '../../../core/tri';
import type { FactContext, FactDef } from '../../../facts/fact-types';

type Flag = 'blockPublicAcls' | 'ignorePublicAcls' | 'blockPublicPolicy' | 'restrictPublicBuckets';
const FLAGS: Flag[] = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'];
type Block = Record<Flag, boolean> | null;

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** The caveat of a verdict on infrastructure code read without the account's Block Public Access. */
export const UNLESS_ACCOUNT_BLOCKS =
  'public unless the account blocks public access: the account-level S3 Block Public Access is not in the code; give the account with --context';
/** The same, for a verdict on the Block Public Access flags themselves. */
export const UNLESS_ACCOUNT_TURNS_ON =
  'off unless the account turns them on: the account-level S3 Block Public Access is not in the code; give the account with --context';

/**
 * True when the bucket is infrastructure code and its account's Block Public Access is not known
 * because the code does not declare it (no account from a runtime snapshot either). The bucket is
 * then judged as the code leaves it — on its own settings — and a verdict that it is public says
 * "unless the account blocks public access": code that makes a bucket public only an account
 * setting outside it can save is a finding, not a pass.
 */
export function accountBlockAssumedOff(bucket: Resource, ctx: FactContext): boolean {
  if (bucket.source.kind === 'runtime') return false;
  const account = ctx.resourcesInAccount('aws.account', bucket.account).find((a) => a.account === bucket.account);
  if (!account) return true;
  return account.source.kind !== 'runtime' && ctx.isUnknown(account, 's3PublicAccessBlock');
}

/** The account's S3 Block Public Access, or UNKNOWN when the account was not (fully) read. */
function accountBlock(bucket: Resource, ctx: FactContext): MaybeUnknown<Block> {
  if (accountBlockAssumedOff(bucket, ctx)) return null;
  const accounts = ctx.resourcesInAccount('aws.account', bucket.account);
  const account = accounts.find((a) => a.account === bucket.account);
  if (!account) return UNKNOWN_VALUE;
  if (ctx.isUnknown(account, 's3PublicAccessBlock')) return UNKNOWN_VALUE;
  return (account.properties.s3PublicAccessBlock as Block) ?? null;
}

/** Why the Block Public Access in force for a bucket is (partly) unknown: which level could not be read. */
export function blockUnknownReasons(bucket: Resource, ctx: FactContext): string[] {
  const out: string[] = [];
  if (ctx.isUnknown(bucket, 'publicAccessBlock')) out.push(ctx.whyUnknown(bucket, 'publicAccessBlock') ?? 'bucket-level Block Public Access could not be read');
  const account = ctx.resourcesInAccount('aws.account', bucket.account).find((a) => a.account === bucket.account);
  if (accountBlockAssumedOff(bucket, ctx)) return out;
  if (!account) out.push(`account ${bucket.account} is not in the snapshot, so its S3 Block Public Access is unknown`);
  else if (ctx.isUnknown(account, 's3PublicAccessBlock')) {
    out.push(ctx.whyUnknown(account, 's3PublicAccessBlock') ?? `account ${bucket.account}: S3 Block Public Access could not be read`);
  }
  return out;
}

/**
 * Each Block Public Access flag in force for a bucket: on when either the bucket's or the
 * account's setting turns it on. A flag is unknown only when neither known level turns it on.
 */
export function effectiveBlock(bucket: Resource, ctx: FactContext): Record<Flag, Tri> {
  const bucketUnknown = ctx.isUnknown(bucket, 'publicAccessBlock');
  const own = bucketUnknown ? UNKNOWN_VALUE : ((bucket.properties.publicAccessBlock as Block) ?? null);
  const acct = accountBlock(bucket, ctx);
  const out = {} as Record<Flag, Tri>;
  for (const f of FLAGS) {
    const a = acct === UNKNOWN_VALUE ? UNKNOWN_VALUE : acct?.[f] === true;
    const b = own === UNKNOWN_VALUE ? UNKNOWN_VALUE : own?.[f] === true;
    out[f] = or(a, b);
  }
  return out;
}

export const s3EffectivePublicAccessBlock: FactDef = {
  type: 'aws.s3.bucket',
  name: 'effectivePublicAccessBlock',
  description: 'Block Public Access flags in force for the bucket: bucket-level OR account-level.',
  schema: obj({ blockPublicAcls: bool(), ignorePublicAcls: bool(), blockPublicPolicy: bool(), restrictPublicBuckets: bool() }),
  dependsOn: ['publicAccessBlock'],
  compute: effectiveBlock,
  unknownReasons: blockUnknownReasons,
  caveats: (bucket, ctx, v) => (Object.values(v as Record<Flag, unknown>).some((f) => f === false) && accountBlockAssumedOff(bucket, ctx) ? [UNLESS_ACCOUNT_TURNS_ON] : []),
};

/**
 * ACL grants that make the bucket public: to AllUsers or AuthenticatedUsers (any AWS account),
 * unless ACLs are disabled (BucketOwnerEnforced) or ignored by IgnorePublicAcls in force.
 */
export const s3PublicAclGrants: FactDef = {
  type: 'aws.s3.bucket',
  name: 'publicAclGrants',
  description: 'ACL grants to AllUsers or AuthenticatedUsers that are in effect (not disabled by object ownership or ignored by Block Public Access).',
  schema: arr(obj({ grantee: str(), permission: str() })),
  dependsOn: ['acl.grants', 'objectOwnership', 'publicAccessBlock'],
  compute(bucket, ctx) {
    const ownershipUnknown = ctx.isUnknown(bucket, 'objectOwnership');
    if (!ownershipUnknown && bucket.properties.objectOwnership === 'BucketOwnerEnforced') return [];
    const ignore = effectiveBlock(bucket, ctx).ignorePublicAcls;
    if (ignore === true) return [];
    // Only the grants decide (the owner's canonical id is unknown before deploy, and irrelevant here).
    if (ctx.isUnknown(bucket, 'acl.grants')) return UNKNOWN_VALUE;
    const acl = bucket.properties.acl as { grants: { granteeUri: string | null; permission: string }[] };
    const grants = acl.grants
      .filter((g) => g.granteeUri === ALL_USERS || g.granteeUri === AUTHENTICATED_USERS)
      .map((g) => ({ grantee: g.granteeUri === ALL_USERS ? 'AllUsers' : 'AuthenticatedUsers', permission: g.permission }));
    if (grants.length === 0) return [];
    // Public grants exist; whether they are in force depends on what we could not read.
    if (ownershipUnknown || ignore === UNKNOWN_VALUE) return UNKNOWN_VALUE;
    return grants;
  },
  caveats: (bucket, ctx, v) => (Array.isArray(v) && v.length > 0 && accountBlockAssumedOff(bucket, ctx) ? [UNLESS_ACCOUNT_BLOCKS] : []),
  unknownReasons(bucket, ctx) {
    const out: string[] = [];
    if (ctx.isUnknown(bucket, 'acl.grants')) out.push(ctx.whyUnknown(bucket, 'acl.grants') ?? 'the bucket ACL could not be read');
    if (ctx.isUnknown(bucket, 'objectOwnership')) out.push(ctx.whyUnknown(bucket, 'objectOwnership') ?? 'object ownership could not be read');
    return [...out, ...blockUnknownReasons(bucket, ctx)];
  },
};


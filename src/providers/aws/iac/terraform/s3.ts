import { awsS3Bucket } from '../../types/s3-bucket';
import type { Draft } from '../../../../iac/draft';
import { cannedAclGrants, type Grant } from '../s3-acl';
import { at, block, bool, isUnresolved, list, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';
import { lifecycleFromBucket, lifecycleFromConfiguration } from './s3-lifecycle';

const SPLIT = [
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_lifecycle_configuration',
] as const;

type Split = (typeof SPLIT)[number];

/**
 * The value to use when neither a split resource nor the bucket itself says: AWS's default for a
 * new bucket, else unknown (`why` says what is not visible).
 */
function fallback(ctx: TfContext, b: TfInstance, what: string, createdDefault: unknown, why: (what: string) => string): unknown {
  if (ctx.creates(b)) return createdDefault;
  return new Unresolved(why(what));
}

/** A bucket attribute (legacy inline configuration, or state read back for an existing bucket), when known and set. */
function own(b: TfInstance, attr: string): unknown {
  const v = b.values[attr];
  if (isUnresolved(v)) return undefined;
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return undefined;
  return v;
}

function grantsFromPolicy(acp: unknown): Grant[] | Unresolved {
  const grants = list(acp, 'grant');
  if (isUnresolved(grants)) return grants;
  const out: Grant[] = [];
  for (const g of grants) {
    const grantee = block(g, 'grantee');
    const type = str(at(grantee, 'type'));
    const permission = str(at(g, 'permission'));
    if (isUnresolved(type) || isUnresolved(permission)) return isUnresolved(type) ? type : (permission as Unresolved);
    const uri = str(at(grantee, 'uri'));
    if (isUnresolved(uri)) return uri;
    const id = str(at(grantee, 'id'));
    out.push({ granteeType: type as Grant['granteeType'], granteeId: isUnresolved(id) ? null : id, granteeUri: uri, permission: permission as Grant['permission'] });
  }
  return out;
}

/**
 * The legacy inline `grant` blocks of aws_s3_bucket: `{type, id, uri, permissions: [...]}`, one
 * grant per permission (what GetBucketAcl returns).
 */
function inlineGrants(blocks: unknown): Grant[] | Unresolved {
  const list_ = list(blocks);
  if (isUnresolved(list_)) return list_;
  const out: Grant[] = [];
  for (const g of list_) {
    const type = str(at(g, 'type'));
    const uri = str(at(g, 'uri'));
    const id = str(at(g, 'id'));
    const perms = list(g, 'permissions');
    for (const v of [type, uri, perms]) if (isUnresolved(v)) return v;
    for (const p of perms as unknown[]) {
      if (isUnresolved(p)) return p;
      out.push({
        granteeType: type as Grant['granteeType'],
        granteeId: id === '' || isUnresolved(id) ? null : id,
        granteeUri: uri === '' ? null : (uri as string | null),
        permission: String(p) as Grant['permission'],
      });
    }
  }
  return out;
}

function aclGrants(aclValue: unknown, acp: unknown, where: string): Grant[] | Unresolved {
  if (acp !== undefined && !isUnresolved(acp) && acp !== null) return grantsFromPolicy(acp);
  const canned = str(aclValue);
  if (isUnresolved(canned)) return canned;
  if (canned === null) return isUnresolved(acp) ? acp : cannedAclGrants('private')!;
  const grants = cannedAclGrants(canned);
  return grants ?? new Unresolved(`${where}: unrecognised canned ACL '${canned}'`);
}

/**
 * `aws_s3_bucket` merged with its split configuration resources into one `aws.s3.bucket`.
 * Defaults for a bucket this plan creates are what S3 applies to every new bucket: Block Public
 * Access all on and ACLs disabled (BucketOwnerEnforced) since April 2023, SSE-S3 default
 * encryption since January 2023, a private ACL, versioning never enabled, no logging, no policy.
 *
 * Split resources that configure a bucket the plan does not declare (an existing bucket named by
 * a literal or a data source) make an `aws.s3.bucket` of their own: what they set is checked,
 * and everything else about that bucket is unknown.
 */
export function mapS3Buckets(ctx: TfContext): Draft[] {
  const nameOf = (t: TfInstance): unknown => t.values.bucket;
  const children = Object.fromEntries(SPLIT.map((type) => [type, new Children(ctx, type, 'bucket', ['aws_s3_bucket'], nameOf)])) as Record<Split, Children>;
  const buckets = ctx.plan.byType('aws_s3_bucket');
  const out: Draft[] = [];
  for (const b of buckets) {
    out.push(bucketDraft(ctx, b, (type) => children[type].of(b, 'bucket'), (what) => `${b.address} exists already and this plan does not declare its ${what}`));
  }
  // Buckets named by split resources only.
  const declared = new Set(buckets.map(nameOf).filter((n): n is string => typeof n === 'string'));
  const external = new Map<string, { at: TfInstance; of: Partial<Record<Split, TfInstance>> }>();
  for (const type of SPLIT) {
    for (const child of ctx.plan.byType(type)) {
      const name = ctx.value(child, 'bucket');
      if (typeof name !== 'string' || name === '' || declared.has(name)) continue;
      if (ctx.plan.resolve(child, ctx.plan.refsOf(child, 'bucket'), ['aws_s3_bucket']).length > 0) continue;
      let e = external.get(name);
      if (!e) external.set(name, (e = { at: child, of: {} }));
      if (child.line < e.at.line) e.at = child;
      e.of[type] = child;
    }
  }
  for (const [name, e] of external) {
    // Stands for the bucket, located at the first resource of the plan that configures it.
    const b: TfInstance = { ...e.at, type: 'aws_s3_bucket', actions: [], values: { bucket: name, region: ctx.origin(e.at).region } };
    const d = bucketDraft(ctx, b, (type) => e.of[type], (what) => `bucket ${name} is not declared in this plan: its ${what} is not visible in it`);
    d.markUnknown('$tags', `bucket ${name} is not declared in this plan: its tags are not visible in it`);
    out.push(d);
  }
  return out;
}

/** One `aws.s3.bucket` from a bucket instance and the split resource of each kind that configures it. */
function bucketDraft(ctx: TfContext, b: TfInstance, of: (type: Split) => TfInstance | Unresolved | undefined, why: (what: string) => string): Draft {
  const d = ctx.draft(awsS3Bucket, b);
  const name = str(b.values.bucket);
  d.set('name', name ?? new Unresolved(`${b.address} bucket name is generated at apply`));
  if (typeof name === 'string') {
    d.id = `arn:aws:s3:::${name}`;
    d.name = name;
  } else {
    d.name = b.address;
  }
  d.setTerraformTags(b.values.tags_all, b.values.tags);

  // Block Public Access
  const pab = of('aws_s3_bucket_public_access_block');
  if (pab === undefined) {
    d.set(
      'publicAccessBlock',
      fallback(ctx, b, 'Block Public Access', { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }, why),
    );
  } else if (isUnresolved(pab)) d.set('publicAccessBlock', pab);
  else {
    const v = pab.values;
    d.set('publicAccessBlock', {
      blockPublicAcls: bool(v.block_public_acls, false),
      ignorePublicAcls: bool(v.ignore_public_acls, false),
      blockPublicPolicy: bool(v.block_public_policy, false),
      restrictPublicBuckets: bool(v.restrict_public_buckets, false),
    });
  }

  // Object ownership
  const oc = of('aws_s3_bucket_ownership_controls');
  if (oc === undefined) d.set('objectOwnership', fallback(ctx, b, 'object ownership', 'BucketOwnerEnforced', why));
  else if (isUnresolved(oc)) d.set('objectOwnership', oc);
  else d.set('objectOwnership', str(at(block(oc.values, 'rule'), 'object_ownership')));

  // ACL
  const aclRes = of('aws_s3_bucket_acl');
  let grants: Grant[] | Unresolved;
  if (isUnresolved(aclRes)) grants = aclRes;
  else if (aclRes) grants = aclGrants(aclRes.values.acl, block(aclRes.values, 'access_control_policy'), aclRes.address);
  else if (own(b, 'grant') !== undefined) grants = inlineGrants(b.values.grant);
  else if (typeof b.values.acl === 'string') grants = aclGrants(b.values.acl, undefined, b.address);
  else grants = ctx.creates(b) ? cannedAclGrants('private')! : new Unresolved(why('ACL'));
  d.set('acl.ownerId', new Unresolved('the canonical id of the bucket owner is not in the code'));
  d.set('acl.grants', grants);

  // Default encryption
  const sse = of('aws_s3_bucket_server_side_encryption_configuration');
  const rulesFrom = (rules: unknown): unknown => {
    const rs = list(rules);
    if (isUnresolved(rs)) return rs;
    return {
      rules: rs.map((r) => {
        const def = block(r, 'apply_server_side_encryption_by_default');
        const key = str(at(def, 'kms_master_key_id'));
        return {
          sseAlgorithm: str(at(def, 'sse_algorithm')),
          kmsMasterKeyId: key === '' ? null : key,
          bucketKeyEnabled: bool(at(r, 'bucket_key_enabled'), false),
        };
      }),
    };
  };
  if (isUnresolved(sse)) d.set('encryption', sse);
  else if (sse) d.set('encryption', rulesFrom(sse.values.rule));
  else if (own(b, 'server_side_encryption_configuration') !== undefined) d.set('encryption', rulesFrom(at(block(b.values, 'server_side_encryption_configuration'), 'rule')));
  else d.set('encryption', fallback(ctx, b, 'default encryption', { rules: [{ sseAlgorithm: 'AES256', kmsMasterKeyId: null, bucketKeyEnabled: false }] }, why));

  // Versioning
  const ver = of('aws_s3_bucket_versioning');
  if (isUnresolved(ver)) d.set('versioning', { status: ver, mfaDelete: ver });
  else if (ver) {
    const vc = block(ver.values, 'versioning_configuration');
    const status = str(at(vc, 'status'));
    const mfa = str(at(vc, 'mfa_delete'));
    d.set('versioning', { status: status === 'Disabled' ? null : status, mfaDelete: mfa });
  } else if (own(b, 'versioning') !== undefined) {
    const v = block(b.values, 'versioning');
    const enabled = bool(at(v, 'enabled'), false);
    const mfa = bool(at(v, 'mfa_delete'), false);
    d.set('versioning', {
      status: isUnresolved(enabled) ? enabled : enabled ? 'Enabled' : ctx.creates(b) ? null : new Unresolved(`${b.address}: versioning was never enabled or is suspended`),
      mfaDelete: isUnresolved(mfa) ? mfa : mfa ? 'Enabled' : enabled ? 'Disabled' : null,
    });
  } else {
    const f = fallback(ctx, b, 'versioning', null, why);
    d.set('versioning', { status: f, mfaDelete: f });
  }
  // Only the root user sets MFA delete, through the API; what a plan says of it is not applied by it.

  // Access logging
  const log = of('aws_s3_bucket_logging');
  const loggingFrom = (v: unknown, target: unknown): unknown => ({ targetBucket: str(target), targetPrefix: str(at(v, 'target_prefix'), '') });
  if (isUnresolved(log)) d.set('logging', log);
  else if (log) {
    const target = str(ctx.value(log, 'target_bucket'));
    d.set('logging', loggingFrom(log.values, target)).setCopied('logging.targetBucket', target);
  } else if (own(b, 'logging') !== undefined) d.set('logging', loggingFrom(block(b.values, 'logging'), at(block(b.values, 'logging'), 'target_bucket')));
  else d.set('logging', fallback(ctx, b, 'access logging', null, why));

  // Lifecycle (retention and disposal)
  const life = of('aws_s3_bucket_lifecycle_configuration');
  if (isUnresolved(life)) d.set('lifecycle', life);
  else if (life) d.set('lifecycle', lifecycleFromConfiguration(life));
  else if (Array.isArray(own(b, 'lifecycle_rule'))) d.set('lifecycle', lifecycleFromBucket(b.values.lifecycle_rule as unknown[]));
  else d.set('lifecycle', fallback(ctx, b, 'lifecycle configuration', null, why));

  // Bucket policy
  const pol = of('aws_s3_bucket_policy');
  if (isUnresolved(pol)) d.set('policy', pol);
  else if (pol) d.set('policy', ctx.policy(pol, pol.values.policy));
  else if (own(b, 'policy') !== undefined) d.set('policy', ctx.policy(b, b.values.policy));
  else d.set('policy', fallback(ctx, b, 'bucket policy', null, why));
  return d;
}

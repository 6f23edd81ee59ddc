import { awsS3Bucket, bucketNameBeforeDeploy } from '../../types/s3-bucket';
import { type Draft } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { cannedAclGrants } from '../s3-acl';
import { at, bool, isUnresolved, list, optStr, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';
import { cfnLifecycle } from './s3-lifecycle';

/**
 * `AWS::S3::Bucket` with its `AWS::S3::BucketPolicy`. A stack always creates its buckets, so what
 * the template leaves out is what S3 gives every new bucket: Block Public Access all on, ACLs
 * disabled (BucketOwnerEnforced), SSE-S3 default encryption, versioning never enabled, no logging.
 */
export function mapS3(ctx: CfnContext): Draft[] {
  const policies = ctx.ofType('AWS::S3::BucketPolicy');
  // Each policy linked to its bucket once: templates may hold tens of thousands of both.
  const policiesOf = new Map<CfnResource, CfnResource[]>();
  for (const bp of policies) for (const b of ctx.targets(bp.props.Bucket, 'AWS::S3::Bucket', 'BucketName')) policiesOf.set(b, [...(policiesOf.get(b) ?? []), bp]);
  const unlinked = policies.find((bp) => isUnresolved(bp.props.Bucket) && bp.props.Bucket.refs.length === 0);
  return [...ctx.ofType('AWS::S3::Bucket').map((b) => {
    const d = ctx.draft(awsS3Bucket, b);
    const p = b.props;
    const name = ctx.name(b, 'BucketName', 'bucket name');
    d.set('name', name);
    if (typeof name === 'string') {
      d.id = `arn:aws:s3:::${name}`;
      d.name = name;
    }
    const pab = p.PublicAccessBlockConfiguration;
    d.set(
      'publicAccessBlock',
      pab === undefined
        ? { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }
        : isUnresolved(pab)
          ? pab
          : {
              blockPublicAcls: bool(at(pab, 'BlockPublicAcls'), false),
              ignorePublicAcls: bool(at(pab, 'IgnorePublicAcls'), false),
              blockPublicPolicy: bool(at(pab, 'BlockPublicPolicy'), false),
              restrictPublicBuckets: bool(at(pab, 'RestrictPublicBuckets'), false),
            },
    );
    d.set('objectOwnership', str(at(p, 'OwnershipControls', 'Rules', 0, 'ObjectOwnership'), 'BucketOwnerEnforced'));
    const canned = str(p.AccessControl, 'Private');
    const kebab = typeof canned === 'string' ? canned.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase() : canned;
    d.set('acl.ownerId', new Unresolved('the canonical id of the bucket owner is not in the template'));
    d.set('acl.grants', typeof kebab === 'string' ? (cannedAclGrants(kebab) ?? new Unresolved(`${b.logicalId}: unrecognised AccessControl '${canned}'`)) : kebab);
    const rules = list(p, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
    d.set(
      'encryption',
      isUnresolved(rules)
        ? rules
        : rules.length === 0
          ? { rules: [{ sseAlgorithm: 'AES256', kmsMasterKeyId: null, bucketKeyEnabled: false }] }
          : {
              rules: rules.map((r) => ({
                sseAlgorithm: str(at(r, 'ServerSideEncryptionByDefault', 'SSEAlgorithm')),
                kmsMasterKeyId: optStr(at(r, 'ServerSideEncryptionByDefault', 'KMSMasterKeyID')),
                bucketKeyEnabled: bool(at(r, 'BucketKeyEnabled'), false),
              })),
            },
    );
    d.set('versioning', { status: str(at(p, 'VersioningConfiguration', 'Status')), mfaDelete: null });
    const logging = p.LoggingConfiguration;
    if (logging === undefined || isUnresolved(logging)) d.set('logging', logging ?? null);
    else {
      // Without DestinationBucketName, logs go to the bucket itself.
      d.set('logging', { targetBucket: null, targetPrefix: str(at(logging, 'LogFilePrefix'), '') });
      d.setCopied('logging.targetBucket', str(at(logging, 'DestinationBucketName')) ?? name);
    }
    d.set('lifecycle', cfnLifecycle(p.LifecycleConfiguration));
    const mine = policiesOf.get(b) ?? [];
    const last = mine[mine.length - 1];
    d.set(
      'policy',
      last
        ? ctx.policy(last, typeof name === 'string' ? last.props.PolicyDocument : ownPolicy(ctx, b, last))
        : unlinked
          ? new Unresolved(`${unlinked.logicalId} may apply to this bucket: its Bucket is known only at deploy`)
          : null,
    );
    return d;
  }), ...externalBuckets(ctx, policies)];
}

/**
 * The policy of a bucket whose name is fixed only at deploy, with its references to that bucket
 * (`!Ref`, `!GetAtt .Arn`, `${Bucket.Arn}/*`) given the placeholder name the facts use for it, so
 * that a policy naming its own bucket (the canonical TLS-only pattern) is seen to.
 */
function ownPolicy(ctx: CfnContext, b: CfnResource, policy: CfnResource): unknown {
  const raw = ctx.raw(policy.logicalId)?.PolicyDocument;
  const placeholder = bucketNameBeforeDeploy(b.logicalId);
  const self = { Ref: placeholder, BucketName: placeholder, Arn: `arn:${partitionOf(ctx.region)}:s3:::${placeholder}` };
  return ctx.resolver.resolveWith(new Map([[b.logicalId, self]]), raw);
}

/**
 * A bucket policy on a bucket the template does not declare (named by a literal or a parameter
 * default): the bucket is checked for its policy, and everything else about it is unknown.
 */
function externalBuckets(ctx: CfnContext, policies: CfnResource[]): Draft[] {
  const external = new Map<string, CfnResource[]>();
  for (const bp of policies) {
    const name = bp.props.Bucket;
    // A name given only at deploy (a parameter without default) may be any bucket, in the template or not.
    const key = typeof name === 'string' ? name : isUnresolved(name) && name.refs.length === 0 ? `\u0000${bp.logicalId}` : undefined;
    if (key === undefined || key === '') continue;
    if (typeof name === 'string' && ctx.targets(name, 'AWS::S3::Bucket', 'BucketName').length > 0) continue;
    external.set(key, [...(external.get(key) ?? []), bp]);
  }
  return [...external].map(([key, bps]) => {
    const at = bps[0];
    const d = ctx.draft(awsS3Bucket, at);
    const name = at.props.Bucket as string | Unresolved;
    const label = typeof name === 'string' ? `bucket ${name}` : `the bucket of ${at.logicalId}`;
    const why = (what: string): Unresolved => new Unresolved(`${label} is not declared in this template: its ${what} is not visible in it`);
    if (typeof name === 'string') {
      d.id = `arn:aws:s3:::${name}`;
      d.name = name;
    } else d.name = key.slice(1);
    d.tags = undefined;
    d.markUnknown('$tags', why('tags').reason);
    d.set('name', name);
    d.set('publicAccessBlock', why('Block Public Access'));
    d.set('objectOwnership', why('object ownership'));
    d.set('acl.ownerId', why('owner'));
    d.set('acl.grants', why('ACL'));
    d.set('encryption', why('default encryption'));
    d.set('versioning', { status: why('versioning'), mfaDelete: null });
    d.set('logging', why('access logging'));
    d.set('lifecycle', why('lifecycle configuration'));
    const last = bps[bps.length - 1];
    d.set('policy', ctx.policy(last, last.props.PolicyDocument));
    return d;
  });
}

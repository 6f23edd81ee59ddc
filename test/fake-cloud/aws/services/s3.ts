import { createHash, randomBytes } from 'node:crypto';
import { type Answer, type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioBucket } from '../scenario';
import { el, list, nest } from '../xml';

/** S3 over REST/XML, path-style (`/{bucket}?acl`): the bucket list and each bucket's settings. */

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const SUBRESOURCES: Record<string, string> = {
  acl: 'GetBucketAcl',
  policy: 'GetBucketPolicy',
  policyStatus: 'GetBucketPolicyStatus',
  publicAccessBlock: 'GetPublicAccessBlock',
  encryption: 'GetBucketEncryption',
  versioning: 'GetBucketVersioning',
  logging: 'GetBucketLogging',
  location: 'GetBucketLocation',
  ownershipControls: 'GetBucketOwnershipControls',
  tagging: 'GetBucketTagging',
  lifecycle: 'GetBucketLifecycleConfiguration',
};

/** The S3 operation a request is, named as in the API reference; anything else is named by method and path. */
export function s3Operation(method: string, url: URL): string {
  const parts = url.pathname.split('/').filter(Boolean);
  if (method === 'GET' && parts.length === 0) return 'ListBuckets';
  if (method === 'GET' && parts.length === 1) {
    for (const [sub, op] of Object.entries(SUBRESOURCES)) if (url.searchParams.has(sub)) return op;
    return url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  }
  if (parts.length >= 2 && method === 'POST' && url.searchParams.has('uploads')) return 'CreateMultipartUpload';
  if (parts.length >= 2 && method === 'PUT' && url.searchParams.has('uploadId')) return 'UploadPart';
  if (parts.length >= 2 && method === 'POST' && url.searchParams.has('uploadId')) return 'CompleteMultipartUpload';
  if (parts.length >= 2 && method === 'DELETE' && url.searchParams.has('uploadId')) return 'AbortMultipartUpload';
  if (parts.length >= 2 && method === 'PUT') return 'PutObject';
  if (parts.length >= 2 && method === 'GET') return 'GetObject';
  return `${method} ${url.pathname}${url.search}`;
}

const xml = (root: string, inner: string): Answer => ({
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${XMLNS}">${inner}</${root}>`,
});

function ownerId(ctx: Ctx): string {
  return `${ctx.accountId}0000canonical`;
}

/** The bucket of a per-bucket call, redirecting when it lives in another region (as S3 does). */
function bucket(ctx: Ctx, allowAnyRegion = false): ScenarioBucket {
  const b = ctx.account.s3?.buckets?.find((x) => x.name === ctx.resource);
  if (!b) throw new FakeError('NoSuchBucket', 404, 'The specified bucket does not exist');
  if (!allowAnyRegion && b.region !== ctx.region) {
    throw new FakeError('PermanentRedirect', 301, 'The bucket you are attempting to access must be addressed using the specified endpoint.', {
      'x-amz-bucket-region': b.region,
    });
  }
  return b;
}

function isPublicPolicy(policy: unknown): boolean {
  const stmts = (policy as { Statement?: unknown[] })?.Statement ?? [];
  return (Array.isArray(stmts) ? stmts : [stmts]).some((s: any) => s?.Effect === 'Allow' && (s.Principal === '*' || s.Principal?.AWS === '*') && !s.Condition);
}

/** An output bucket's objects (see FakeAwsOptions.outputBuckets); NoSuchBucket for any other. */
function outputBucket(ctx: Ctx): { name: string; objects: Map<string, string> } {
  const name = ctx.path.split('/')[1] ?? '';
  if (!(ctx.fake.options.outputBuckets ?? []).includes(name)) throw new FakeError('NoSuchBucket', 404, 'The specified bucket does not exist');
  let objects = ctx.fake.objects.get(name);
  if (!objects) ctx.fake.objects.set(name, (objects = new Map()));
  return { name, objects };
}

const objectKey = (ctx: Ctx): string => decodeURIComponent(ctx.path.split('/').slice(2).join('/'));

/** The smallest part S3 takes in a multipart upload, but for the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

const etagOf = (bytes: Buffer): string => `"${createHash('md5').update(bytes).digest('hex')}"`;

/** A multipart upload of this bucket and key, begun and not yet completed or aborted. */
function pendingUpload(ctx: Ctx): { bucket: string; key: string; parts: Map<number, Buffer> } {
  const { name } = outputBucket(ctx);
  const upload = ctx.fake.uploads.get(ctx.query.get('uploadId') ?? '');
  if (!upload || upload.bucket !== name || upload.key !== objectKey(ctx)) throw new FakeError('NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  return upload;
}

export const s3Handlers: Record<string, Handler> = {
  PutObject(ctx) {
    outputBucket(ctx).objects.set(objectKey(ctx), ctx.body);
    return { headers: { etag: '"fake"' }, body: '' };
  },
  // Multipart uploads as S3 answers them: the object appears only on CompleteMultipartUpload, from
  // the parts it lists (every one uploaded, in order, all but the last of 5 MiB or more).
  CreateMultipartUpload(ctx) {
    const { name } = outputBucket(ctx);
    const id = randomBytes(12).toString('hex');
    ctx.fake.uploads.set(id, { bucket: name, key: objectKey(ctx), parts: new Map() });
    return xml('InitiateMultipartUploadResult', `${el('Bucket', name)}${el('Key', objectKey(ctx))}${el('UploadId', id)}`);
  },
  UploadPart(ctx) {
    const upload = pendingUpload(ctx);
    const n = Number(ctx.query.get('partNumber'));
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new FakeError('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive');
    upload.parts.set(n, ctx.bytes);
    return { headers: { etag: etagOf(ctx.bytes) }, body: '' };
  },
  CompleteMultipartUpload(ctx) {
    const upload = pendingUpload(ctx);
    const listed = [...ctx.body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({ n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]), etag: /<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1]?.replace(/&quot;/g, '"') }));
    if (listed.length === 0) throw new FakeError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
    const bytes: Buffer[] = [];
    listed.forEach(({ n, etag }, i) => {
      if (i > 0 && n <= listed[i - 1].n) throw new FakeError('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.');
      const part = upload.parts.get(n);
      if (!part || etag !== etagOf(part)) throw new FakeError('InvalidPart', 400, 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.');
      if (i < listed.length - 1 && part.length < MIN_PART_BYTES) throw new FakeError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.');
      bytes.push(part);
    });
    outputBucket(ctx).objects.set(upload.key, Buffer.concat(bytes).toString('utf8'));
    ctx.fake.uploads.delete(ctx.query.get('uploadId')!);
    return xml('CompleteMultipartUploadResult', `${el('Bucket', upload.bucket)}${el('Key', upload.key)}${el('ETag', `"fake-${listed.length}"`)}`);
  },
  AbortMultipartUpload(ctx) {
    pendingUpload(ctx);
    ctx.fake.uploads.delete(ctx.query.get('uploadId')!);
    return { status: 204, body: '' };
  },
  GetObject(ctx) {
    const body = outputBucket(ctx).objects.get(objectKey(ctx));
    if (body === undefined) throw new FakeError('NoSuchKey', 404, 'The specified key does not exist.');
    return { headers: { 'content-type': 'application/x-ndjson' }, body };
  },
  ListObjectsV2(ctx) {
    const { name, objects } = outputBucket(ctx);
    const prefix = ctx.query.get('prefix') ?? '';
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    return xml('ListBucketResult', `${el('Name', name)}${el('Prefix', prefix)}${el('KeyCount', String(keys.length))}${el('IsTruncated', 'false')}${keys.map((k) => `<Contents>${el('Key', k)}${el('Size', String(Buffer.byteLength(objects.get(k)!)))}</Contents>`).join('')}`);
  },
  ListBuckets(ctx) {
    const all = ctx.account.s3?.buckets ?? [];
    const size = ctx.fake.pageSize('s3:ListBuckets', Number(ctx.query.get('max-buckets') ?? 0), 10000);
    const { items, next } = page(all, ctx.query.get('continuation-token'), size);
    const buckets = items.map((b) => el('Name', b.name) + el('CreationDate', b.creationDate) + el('BucketRegion', b.region));
    return xml(
      'ListAllMyBucketsResult',
      list('Buckets', 'Bucket', buckets) + nest('Owner', el('ID', ownerId(ctx)), el('DisplayName', 'owner')) + el('ContinuationToken', next),
    );
  },

  GetBucketLocation(ctx) {
    const b = bucket(ctx, true);
    return xml('LocationConstraint', b.region === 'us-east-1' ? '' : b.region);
  },

  GetPublicAccessBlock(ctx) {
    const p = bucket(ctx).publicAccessBlock;
    if (!p) throw new FakeError('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    return xml(
      'PublicAccessBlockConfiguration',
      el('BlockPublicAcls', p.blockPublicAcls) + el('IgnorePublicAcls', p.ignorePublicAcls) + el('BlockPublicPolicy', p.blockPublicPolicy) + el('RestrictPublicBuckets', p.restrictPublicBuckets),
    );
  },

  GetBucketPolicy(ctx) {
    const b = bucket(ctx);
    if (b.policy === undefined || b.policy === null) throw new FakeError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(b.policy) };
  },

  GetBucketPolicyStatus(ctx) {
    const b = bucket(ctx);
    if (b.policy === undefined || b.policy === null) throw new FakeError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return xml('PolicyStatus', el('IsPublic', b.policyIsPublic ?? isPublicPolicy(b.policy)));
  },

  GetBucketAcl(ctx) {
    const b = bucket(ctx);
    const owner = b.acl?.ownerId ?? ownerId(ctx);
    const grants = b.acl?.grants ?? [{ granteeType: 'CanonicalUser' as const, granteeId: owner, permission: 'FULL_CONTROL' as const }];
    const grantXml = grants.map(
      (g) =>
        `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${g.granteeType}">${el('ID', g.granteeId)}${el('URI', g.granteeUri)}</Grantee>` +
        el('Permission', g.permission),
    );
    return xml('AccessControlPolicy', nest('Owner', el('ID', owner), el('DisplayName', 'owner')) + list('AccessControlList', 'Grant', grantXml));
  },

  GetBucketOwnershipControls(ctx) {
    const o = bucket(ctx).objectOwnership;
    if (!o) throw new FakeError('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
    return xml('OwnershipControls', nest('Rule', el('ObjectOwnership', o)));
  },

  GetBucketEncryption(ctx) {
    const e = bucket(ctx).encryption;
    if (!e) throw new FakeError('ServerSideEncryptionConfigurationNotFoundError', 404, 'The server side encryption configuration was not found');
    return xml(
      'ServerSideEncryptionConfiguration',
      e.map((r) => nest('Rule', nest('ApplyServerSideEncryptionByDefault', el('SSEAlgorithm', r.sseAlgorithm), el('KMSMasterKeyID', r.kmsMasterKeyId)), el('BucketKeyEnabled', r.bucketKeyEnabled ?? false))).join(''),
    );
  },

  GetBucketVersioning(ctx) {
    const v = bucket(ctx).versioning;
    return xml('VersioningConfiguration', v ? el('Status', v.status) + el('MfaDelete', v.mfaDelete) : '');
  },

  GetBucketLogging(ctx) {
    const l = bucket(ctx).logging;
    return xml('BucketLoggingStatus', l ? nest('LoggingEnabled', el('TargetBucket', l.targetBucket), el('TargetPrefix', l.targetPrefix)) : '');
  },

  GetBucketLifecycleConfiguration(ctx) {
    const rules = bucket(ctx).lifecycle;
    if (!rules?.length) throw new FakeError('NoSuchLifecycleConfiguration', 404, 'The lifecycle configuration does not exist');
    // Rules are a flattened list of <Rule> elements.
    return xml(
      'LifecycleConfiguration',
      rules
        .map((r) =>
          nest(
            'Rule',
            el('ID', r.id),
            nest('Filter', el('Prefix', r.prefix ?? '')),
            el('Status', r.enabled ? 'Enabled' : 'Disabled'),
            r.transitionDays !== undefined ? nest('Transition', el('Days', r.transitionDays), el('StorageClass', 'GLACIER')) : '',
            r.expirationDays !== undefined ? nest('Expiration', el('Days', r.expirationDays)) : '',
            r.noncurrentDays !== undefined ? nest('NoncurrentVersionExpiration', el('NoncurrentDays', r.noncurrentDays)) : '',
            r.abortMultipartDays !== undefined ? nest('AbortIncompleteMultipartUpload', el('DaysAfterInitiation', r.abortMultipartDays)) : '',
          ),
        )
        .join(''),
    );
  },

  GetBucketTagging(ctx) {
    const t = bucket(ctx).tags;
    if (!t || Object.keys(t).length === 0) throw new FakeError('NoSuchTagSet', 404, 'The TagSet does not exist');
    return xml('Tagging', list('TagSet', 'Tag', Object.entries(t).map(([k, v]) => el('Key', k) + el('Value', v))));
  },
};

import { loadSnapshot } from '../../../src/core/snapshot-loader';
import { ResourceTypeRegistry } from '../../../src/core/resource-types/registry';
import { obj, str } from '../../../src/core/resource-types/schema-helpers';
import { evaluate } from '../../../src/engine/evaluate';
import { NOT_IN_SNAPSHOT_REASON } from '../../../src/engine/snapshot-index';
import { builtinCatalog, builtinRegistry } from '../../../src/catalog';
import { resource, snapshot, tempDir, writeTemp } from '../../helpers';

/**
 * A snapshot written before trustscan read S3 lifecycle rules has buckets without `lifecycle`.
 * It must still load, and the lifecycle rules must say UNKNOWN on it ("not read"), never judge
 * the absence as "no lifecycle rules"; the rules that do not read lifecycle keep their verdicts.
 */

const LIFECYCLE_RULES = ['aws-s3-bucket-lifecycle-expiration', 'aws-s3-bucket-lifecycle-noncurrent-expiration'];

/** A bucket as collectors wrote it before lifecycle was read: every other field, no `lifecycle`. */
const oldBucket = (name: string, versioning: string | null, encrypted: boolean) =>
  resource({
    type: 'aws.s3.bucket',
    id: `arn:aws:s3:::${name}`,
    name,
    tags: { 'data-classification': 'confidential' },
    properties: {
      name,
      creationDate: '2024-01-01T00:00:00Z',
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      policy: null,
      policyStatus: null,
      acl: { ownerId: 'o', grants: [] },
      objectOwnership: 'BucketOwnerEnforced',
      encryption: encrypted ? { rules: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k', bucketKeyEnabled: true }] } : null,
      versioning: { status: versioning, mfaDelete: null },
      logging: null,
    },
  });

describe('a snapshot written before S3 lifecycle was read', () => {
  test('loads, and the lifecycle rules are UNKNOWN on it (not read), while the other rules still decide', async () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'old.json', JSON.stringify(snapshot([oldBucket('records', 'Enabled', true), oldBucket('scratch', 'Suspended', false)])));
    const loaded = await loadSnapshot(file, builtinRegistry());
    const findings = evaluate(loaded, builtinCatalog().loadRules(), builtinRegistry(), { now: new Date('2026-01-01T00:00:00Z') }).results.findings;
    const lifecycle = findings.filter((f) => LIFECYCLE_RULES.includes(f.ruleId));
    expect(lifecycle.map((f) => [f.ruleId, f.resource.name, f.status]).sort()).toEqual([
      ['aws-s3-bucket-lifecycle-expiration', 'records', 'UNKNOWN'],
      ['aws-s3-bucket-lifecycle-expiration', 'scratch', 'UNKNOWN'],
      ['aws-s3-bucket-lifecycle-noncurrent-expiration', 'records', 'UNKNOWN'],
      ['aws-s3-bucket-lifecycle-noncurrent-expiration', 'scratch', 'UNKNOWN'],
    ]);
    for (const f of lifecycle) expect(f.unknownReasons!.join(' ')).toContain(NOT_IN_SNAPSHOT_REASON);
    // What the old snapshot did read still decides: versioning on one bucket, suspended on the other.
    const versioning = findings.filter((f) => f.ruleId === 'aws-s3-bucket-versioning');
    expect(versioning.map((f) => [f.resource.name, f.status]).sort()).toEqual([
      ['records', 'PASS'],
      ['scratch', 'FAIL'],
    ]);
  });

  test('a bucket that says lifecycle: null (read, none configured) still FAILs the retention rule', async () => {
    const bucket = oldBucket('records', 'Enabled', true);
    bucket.properties.lifecycle = null;
    const findings = evaluate(snapshot([bucket]), builtinCatalog().loadRules(), builtinRegistry(), { now: new Date('2026-01-01T00:00:00Z') }).results.findings;
    expect(findings.filter((f) => LIFECYCLE_RULES.includes(f.ruleId)).map((f) => f.status)).toEqual(['FAIL', 'FAIL']);
  });

  test('a property added later must be optional in its type, or old snapshots could not load', () => {
    const def = { type: 'x.thing', provider: 'aws' as const, description: 'x', scope: 'global' as const, operations: [], properties: obj({ a: str(), b: str() }, undefined, ['b']) };
    expect(() => new ResourceTypeRegistry([{ ...def, addedLater: ['b'] }])).not.toThrow();
    expect(() => new ResourceTypeRegistry([{ ...def, addedLater: ['a'] }])).toThrow(/addedLater 'a' must be a top-level property its schema does not require/);
    expect(() => new ResourceTypeRegistry([{ ...def, addedLater: ['c'] }])).toThrow(/addedLater 'c'/);
  });
});

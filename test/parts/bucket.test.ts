import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { MAX_OBJECT_BYTES, MIN_PART_BYTES, partSizeFor, putObjectFile, type UploadSizes } from '../../src/parts/bucket';
import { UsageError } from '../../src/core/errors';
import type { FakeAws, FaultRule } from '../fake-cloud/aws/server';
import { tempDir } from '../helpers';
import { loadScenario, withFake } from '../providers/aws/collector/aws-helpers';

/**
 * Uploads to the user's bucket through the real SDK and @aws-sdk/lib-storage against the loopback
 * S3: one PutObject for a small file, a multipart upload past the threshold (here lowered to
 * S3's 5 MiB minimum part, so a 12 MiB file takes three parts), and on failure mid-way no object
 * and no upload left pending.
 */

const SMALL: UploadSizes = { singleUpTo: MIN_PART_BYTES, partSize: MIN_PART_BYTES };

function client(fake: FakeAws): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: fake.url,
    forcePathStyle: true,
    credentials: { accessKeyId: fake.scenario.callers[0].accessKeyId, secretAccessKey: 'fake-secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

/** About 12 MiB of findings-like lines with multi-byte characters, so parts split inside a character. */
function bigFile(dir: string): { file: string; text: string } {
  const line = `${JSON.stringify({ fingerprint: 'f', title: 'Zugriff für Prüfer — ✓ 检查', resource: { id: 'x'.repeat(60) } })}\n`;
  const text = line.repeat(Math.ceil((12 * 1024 * 1024) / Buffer.byteLength(line)));
  const file = join(dir, 'part.ndjson');
  writeFileSync(file, text);
  return { file, text };
}

const ops = (fake: FakeAws): string[] => fake.calls.map((c) => `${c.operation} ${c.status}`);

async function withBucket(faults: FaultRule[], fn: (fake: FakeAws, s3: S3Client) => Promise<void>): Promise<void> {
  await withFake({ scenario: loadScenario('acme-org'), outputBuckets: ['acme-parts'], faults }, async (fake) => {
    const s3 = client(fake);
    try {
      await fn(fake, s3);
    } finally {
      s3.destroy();
    }
  });
}

describe('putObjectFile', () => {
  it('sends a file up to the threshold in one PutObject', async () => {
    await withBucket([], async (fake, s3) => {
      const file = join(tempDir(), 'small.json');
      writeFileSync(file, '{"schemaVersion":"2.0"}\n');
      await putObjectFile(s3, 'acme-parts', 'run/results.json', file, 'application/json', SMALL);
      expect(ops(fake)).toEqual(['PutObject 200']);
      expect(fake.objects.get('acme-parts')?.get('run/results.json')).toBe('{"schemaVersion":"2.0"}\n');
    });
  });

  it('sends a larger file in a multipart upload: the object appears whole on CompleteMultipartUpload', async () => {
    await withBucket([], async (fake, s3) => {
      const { file, text } = bigFile(tempDir());
      await putObjectFile(s3, 'acme-parts', 'nightly/aws-shard-0-of-2.ndjson', file, 'application/x-ndjson', SMALL);
      expect(ops(fake)).toEqual(['CreateMultipartUpload 200', 'UploadPart 200', 'UploadPart 200', 'UploadPart 200', 'CompleteMultipartUpload 200']);
      expect(fake.objects.get('acme-parts')?.get('nightly/aws-shard-0-of-2.ndjson') === text).toBe(true);
      expect([...fake.uploads.keys()]).toEqual([]);
    });
  });

  it('a part refused mid-way: a clear error naming the object, the upload aborted, no object', async () => {
    // The first part goes through, every later one is refused (AccessDenied is not retried).
    await withBucket([{ op: 's3:UploadPart', kind: 'denied', after: 1 }], async (fake, s3) => {
      const { file } = bigFile(tempDir());
      const err = await putObjectFile(s3, 'acme-parts', 'nightly/aws-shard-1-of-2.ndjson', file, 'application/x-ndjson', SMALL).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^writing s3:\/\/acme-parts\/nightly\/aws-shard-1-of-2\.ndjson failed: AccessDenied \(HTTP 403\)/);
      expect(ops(fake)).toContain('UploadPart 403');
      expect(ops(fake).filter((o) => o.startsWith('AbortMultipartUpload'))).toEqual(['AbortMultipartUpload 204']);
      expect(ops(fake)).not.toContain('CompleteMultipartUpload 200');
      expect(fake.objects.get('acme-parts')?.has('nightly/aws-shard-1-of-2.ndjson') ?? false).toBe(false);
      expect([...fake.uploads.keys()]).toEqual([]);
    });
  });

  it('CompleteMultipartUpload refused: aborted too (the library alone would leave the parts stored)', async () => {
    await withBucket([{ op: 's3:CompleteMultipartUpload', kind: 'denied' }], async (fake, s3) => {
      const { file } = bigFile(tempDir());
      await expect(putObjectFile(s3, 'acme-parts', 'r/findings.ndjson', file, 'application/x-ndjson', SMALL)).rejects.toThrow(/^writing s3:\/\/acme-parts\/r\/findings\.ndjson failed: AccessDenied/);
      expect(ops(fake).slice(-2)).toEqual(['CompleteMultipartUpload 403', 'AbortMultipartUpload 204']);
      expect(fake.objects.get('acme-parts')?.size ?? 0).toBe(0);
      expect([...fake.uploads.keys()]).toEqual([]);
    });
  });

  it('a bucket that does not exist: the error names the object', async () => {
    await withBucket([], async (_fake, s3) => {
      const { file } = bigFile(tempDir());
      await expect(putObjectFile(s3, 'no-such-bucket', 'x/part.ndjson', file, 'application/x-ndjson', SMALL)).rejects.toThrow(/^writing s3:\/\/no-such-bucket\/x\/part\.ndjson failed: NoSuchBucket \(HTTP 404\)/);
    });
  });
});

describe('partSizeFor', () => {
  it('covers every size S3 stores in at most 10,000 parts of whole MiB, never under the minimum', () => {
    const MiB = 1024 ** 2;
    expect(partSizeFor(12 * MiB, 16 * MiB)).toBe(16 * MiB);
    expect(partSizeFor(12 * MiB, 1)).toBe(MIN_PART_BYTES);
    // 10,000 parts of 16 MiB (156.25 GiB) still hold a file; one byte more and the parts grow.
    expect(partSizeFor(10_000 * 16 * MiB, 16 * MiB)).toBe(16 * MiB);
    expect(partSizeFor(10_000 * 16 * MiB + 1, 16 * MiB)).toBe(17 * MiB);
    for (const size of [5 * 1024 ** 3 + 1, 1024 ** 4, MAX_OBJECT_BYTES]) {
      const part = partSizeFor(size, 16 * MiB);
      expect([part % MiB, Math.ceil(size / part) <= 10_000]).toEqual([0, true]);
    }
  });
});

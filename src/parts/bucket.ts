import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { AbortMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { UsageError } from '../core/errors';

/**
 * Objects in the user's own bucket (parts of a sharded scan, results files), through the SDK
 * already used for scanning. This module is the only place trustscan writes to a cloud: the
 * user's output bucket, never a scanned account (the collectors stay read-only; a test checks
 * that no other module builds a write call). It is loaded only when a command names a bucket
 * (`await import`): a command that names none does not load the SDK at all.
 *
 * An object appears whole or not at all: it is first written to a local temporary file, then
 * sent in one PutObject (up to `singleUpTo`), or in a multipart upload, which S3 makes visible
 * only on CompleteMultipartUpload; a failed multipart upload is aborted, so no part is left
 * stored (and billed) either.
 */

/** Largest object S3 stores: 5 TiB. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;
/** Most parts one multipart upload may have. */
const MAX_PARTS = 10_000;
/** Smallest part S3 takes (but the last). */
export const MIN_PART_BYTES = 5 * 1024 ** 2;

/** When an upload is multipart, and in parts of what size. */
export interface UploadSizes {
  /** Files up to this size go in one PutObject, read into memory (at most 5 GiB, S3's limit for one request). */
  singleUpTo: number;
  /** Smallest part of a multipart upload (larger when 10,000 parts of it would not hold the file). */
  partSize: number;
}

/**
 * One PutObject up to 16 MiB, beyond it parts of 16 MiB. Each request's body is in memory, so the
 * SDK can retry it (a streamed body is never retried: one throttled request would fail the run);
 * a failed request costs a part, not the whole object; and the uploader's four parts in flight
 * hold 64 MiB.
 */
export const DEFAULT_UPLOAD_SIZES: UploadSizes = { singleUpTo: 16 * 1024 ** 2, partSize: 16 * 1024 ** 2 };

/** The part size for a file: the smallest whole MiB at or above `min` that 10,000 parts cover it with. */
export function partSizeFor(bytes: number, min: number): number {
  const mib = 1024 ** 2;
  return Math.max(min, MIN_PART_BYTES, Math.ceil(bytes / MAX_PARTS / mib) * mib);
}

export interface BucketSettings {
  env: NodeJS.ProcessEnv;
}

/**
 * A client for the parts bucket: credentials and region from the default chain (environment,
 * profile, web identity as IRSA provides, container and instance roles); TRUSTSCAN_PARTS_ENDPOINT_URL
 * sends it to an S3-compatible server (MinIO, a loopback fake), path-style.
 */
export function bucketClient(settings: BucketSettings): S3Client {
  const endpoint = settings.env.TRUSTSCAN_PARTS_ENDPOINT_URL;
  const region = settings.env.AWS_REGION ?? settings.env.AWS_DEFAULT_REGION;
  return new S3Client({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // A whole file with its length: no streaming checksum trailer, which S3-compatible servers vary on.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function failure(action: string, uri: string, e: unknown): UsageError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return new UsageError(`${action} ${uri} failed: ${err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${(err.message ?? String(e)).split('\n')[0]}`);
}

/**
 * Sends a local file as one object, atomically (visible only once complete): one PutObject for
 * a small file, else a multipart upload, aborted on failure. Every failure is a UsageError naming
 * the object.
 */
export async function putObjectFile(client: S3Client, bucket: string, key: string, file: string, contentType: string, sizes: UploadSizes = DEFAULT_UPLOAD_SIZES): Promise<void> {
  const { size } = await fs.stat(file);
  const uri = `s3://${bucket}/${key}`;
  if (size > MAX_OBJECT_BYTES) throw new UsageError(`${uri}: the file is ${Math.round(size / 1024 ** 4)} TiB, over the 5 TiB S3 stores in one object (a sharded scan: use more shards)`);
  if (size <= sizes.singleUpTo) {
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await fs.readFile(file), ContentType: contentType }));
    } catch (e) {
      throw failure('writing', uri, e);
    }
    return;
  }
  const partSize = partSizeFor(size, sizes.partSize);
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size, ContentType: contentType },
    partSize,
    // Parts in flight are held in memory: four of 16 MiB, fewer when 10,000 parts need larger ones.
    queueSize: Math.max(1, Math.min(4, Math.floor((256 * 1024 ** 2) / partSize))),
    // Aborted here rather than by the library, which leaves the upload pending when CompleteMultipartUpload itself fails.
    leavePartsOnError: true,
  });
  try {
    await upload.done();
  } catch (e) {
    const err = failure('writing', uri, e);
    if (upload.uploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.uploadId }));
      } catch (a) {
        // No object was written either way; the pending upload (invisible, its parts billed) stays
        // until aborted, or removed by a lifecycle rule (AbortIncompleteMultipartUpload): say so.
        const left = failure('aborting the multipart upload of', uri, a);
        throw new UsageError(`${err.message}; ${left.message} (upload id ${upload.uploadId}: its parts stay stored until aborted)`);
      }
    }
    throw err;
  }
}

/** The keys under a prefix that look like parts (.ndjson, .jsonl, .json), sorted. */
export async function listParts(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key && /\.(ndjson|jsonl|json)$/i.test(o.Key) && !o.Key.slice(prefix.length).includes('/')) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw failure('listing', `s3://${bucket}/${prefix}`, e);
  }
  return keys.sort();
}

/** Copies one object into a local file (a merge reads parts twice, by position: it needs them local). */
export async function getObjectFile(client: S3Client, bucket: string, key: string, file: string): Promise<void> {
  const uri = `s3://${bucket}/${key}`;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('empty answer');
    await pipeline(out.Body as Readable, createWriteStream(file));
  } catch (e) {
    throw failure('reading', uri, e);
  }
}

import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../core/errors';

/**
 * Parts in an object-storage bucket, through the SDK already used for scanning. This module is
 * the only place trustscan writes to a cloud: the user's own output bucket, never a scanned
 * account (the collectors stay read-only; a test checks that only this module puts objects).
 *
 * A part appears whole or not at all: it is first written to a local temporary file, then sent
 * in one PutObject, which S3 makes visible only once complete. One PutObject carries up to 5 GB:
 * a larger part needs more shards.
 */

/** Largest object one PutObject can create. */
export const MAX_PART_BYTES = 5 * 1024 ** 3;

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

/** Sends a local file as one object (atomic: visible only once complete). */
export async function putPart(client: S3Client, bucket: string, key: string, file: string): Promise<void> {
  const { size } = await fs.stat(file);
  const uri = `s3://${bucket}/${key}`;
  if (size > MAX_PART_BYTES) throw new UsageError(`${uri}: the part is ${Math.round(size / 1024 ** 3)} GB, over the 5 GB of one upload: use more shards`);
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size, ContentType: 'application/x-ndjson' }));
  } catch (e) {
    throw failure('writing', uri, e);
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
export async function getPart(client: S3Client, bucket: string, key: string, file: string): Promise<void> {
  const uri = `s3://${bucket}/${key}`;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('empty answer');
    await pipeline(out.Body as Readable, createWriteStream(file));
  } catch (e) {
    throw failure('reading', uri, e);
  }
}

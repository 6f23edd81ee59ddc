import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { streamFileAtomic } from '../core/atomic-write';
import { isBucketUri, parseBucketUri, type PartsLocation, partTarget } from './location';

/**
 * Writing a part to, and bringing parts back from, a parts location (see location.ts). Both
 * kinds are atomic: a local part is written to a temporary file in the same folder and renamed;
 * a bucket part is uploaded once complete (see bucket.ts). The SDK is loaded only when a bucket
 * is named: a merge of local parts does not load it.
 */

/** Writes one part, streamed by `write`; returns where it landed. */
export async function writePart(loc: PartsLocation, name: string, write: (out: Writable) => Promise<void>, env: NodeJS.ProcessEnv): Promise<string> {
  const target = partTarget(loc, name);
  if (loc.kind === 'folder') {
    await streamFileAtomic(target, write);
    return target;
  }
  const { bucketClient, putObjectFile } = await import('./bucket');
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-part-'));
  const local = join(dir, name);
  const client = bucketClient({ env });
  try {
    await streamFileAtomic(local, write);
    await putObjectFile(client, loc.bucket, `${loc.prefix}${name}`, local, 'application/x-ndjson');
  } finally {
    client.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return target;
}

/** Local copies of the parts under bucket prefixes; `cleanup` removes them. */
export interface FetchedParts {
  /** Local file → the object it came from (for messages). */
  names: Map<string, string>;
  files: string[];
  cleanup(): Promise<void>;
}

/** Downloads every part under each `s3://…` argument into a temporary folder. */
export async function fetchBucketParts(uris: readonly string[], env: NodeJS.ProcessEnv): Promise<FetchedParts> {
  if (uris.length === 0) return { names: new Map(), files: [], cleanup: async () => undefined };
  const { bucketClient, getObjectFile, listParts } = await import('./bucket');
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-merge-'));
  const names = new Map<string, string>();
  const files: string[] = [];
  const client = bucketClient({ env });
  try {
    for (const [i, uri] of uris.entries()) {
      const { bucket, prefix } = parseBucketUri(uri);
      const keys = await listParts(client, bucket, prefix);
      for (const key of keys) {
        const file = join(dir, `${i}-${basename(key)}`);
        await getObjectFile(client, bucket, key, file);
        names.set(file, `s3://${bucket}/${key}`);
        files.push(file);
      }
    }
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  } finally {
    client.destroy();
  }
  return { names, files, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

export { isBucketUri };

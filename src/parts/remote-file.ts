import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { AtomicFileStream, trackTemporary, untrackTemporary } from '../core/atomic-write';
import { isBucketUri, parseBucketUri, parseObjectUri } from './location';

/**
 * Results files in the user's bucket: `-o s3://bucket/key`, `--format FMT=s3://bucket/key`,
 * `--output-dir s3://bucket/prefix/`, and results read back from one (`--baseline`, `diff`,
 * `controls`). The output pipeline and the commands reach shared storage through this module
 * only; it names no SDK: bucket.ts (and with it the SDK) is loaded when a file is actually sent
 * or fetched, so a run without a bucket starts as fast as before.
 *
 * A file is written whole to a local temporary folder first (in $TMPDIR), then sent in one go
 * (see bucket.ts): the object is the complete file or is not there. The temporary folder is
 * removed once sent, on failure, and when the run is interrupted (SIGINT, SIGTERM, SIGHUP).
 */

/** True when an output or input names an object in a bucket rather than a local path. */
export function isRemotePath(text: string): boolean {
  return isBucketUri(text);
}

/** The object a results file names, checked (a bucket and a key that is not a prefix). */
export function remoteFile(text: string): string {
  return parseObjectUri(text).uri;
}

/** The object a file called `name` is under an --output-dir prefix. */
export function remoteFileIn(dir: string, name: string): string {
  return `${parseBucketUri(dir).uri}${name}`;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.sarif': 'application/sarif+json',
  '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** What a browser or a console opening the object shows it as (the HTML report opens as a page). */
function contentTypeOf(key: string): string {
  return CONTENT_TYPES[extname(key).toLowerCase()] ?? 'text/plain; charset=utf-8';
}

/** A temporary folder of ours, removed on interruption until `release`d. */
function temporaryFolder(): { dir: string; release(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-'));
  trackTemporary(dir);
  return {
    dir,
    release: async () => {
      await fs.rm(dir, { recursive: true, force: true });
      untrackTemporary(dir);
    },
  };
}

/** Sends a local file to the object `uri`. */
async function upload(uri: string, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { bucketClient, putObjectFile } = await import('./bucket');
  const { bucket, key } = parseObjectUri(uri);
  const client = bucketClient({ env });
  try {
    await putObjectFile(client, bucket, key, file, contentTypeOf(key));
  } finally {
    client.destroy();
  }
}

/**
 * A results file streamed to a local temporary file and sent to its object by `commit()`;
 * `abort()` sends nothing. Shaped like AtomicFileStream, which the pipeline uses for local files.
 */
export class RemoteFileStream {
  private constructor(
    readonly file: string,
    private readonly local: AtomicFileStream,
    private readonly folder: { dir: string; release(): Promise<void> },
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get out(): Writable {
    return this.local.out;
  }

  static async open(uri: string, env: NodeJS.ProcessEnv): Promise<RemoteFileStream> {
    const { key } = parseObjectUri(uri);
    const folder = temporaryFolder();
    try {
      return new RemoteFileStream(uri, await AtomicFileStream.open(join(folder.dir, basename(key))), folder, env);
    } catch (e) {
      await folder.release();
      throw e;
    }
  }

  async commit(): Promise<void> {
    try {
      await this.local.commit();
      await upload(this.file, this.local.file, this.env);
    } finally {
      await this.folder.release();
    }
  }

  async abort(): Promise<void> {
    await this.local.abort();
    await this.folder.release();
  }
}

/** A local copy of an object, to read as a file; `cleanup` removes it. */
export interface FetchedFile {
  file: string;
  cleanup(): Promise<void>;
}

/** Copies the object `uri` (a results or findings file) to a local temporary file. */
export async function fetchRemoteFile(uri: string, env: NodeJS.ProcessEnv): Promise<FetchedFile> {
  const { bucket, key } = parseObjectUri(uri);
  const { bucketClient, getObjectFile } = await import('./bucket');
  const folder = temporaryFolder();
  const file = join(folder.dir, basename(key));
  const client = bucketClient({ env });
  try {
    await getObjectFile(client, bucket, key, file);
  } catch (e) {
    await folder.release();
    throw e;
  } finally {
    client.destroy();
  }
  return { file, cleanup: () => folder.release() };
}

/** Runs `read` on a local path for `name`: the path itself, or a temporary copy of the object it names. */
export async function withLocalCopy<T>(name: string, env: NodeJS.ProcessEnv, read: (file: string) => Promise<T>): Promise<T> {
  if (!isRemotePath(name)) return read(name);
  const fetched = await fetchRemoteFile(name, env);
  try {
    return await read(fetched.file);
  } finally {
    await fetched.cleanup();
  }
}

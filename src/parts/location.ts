import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors';

/**
 * Where the parts of a sharded scan go: an object-storage prefix (`s3://bucket/prefix/`) or a
 * local folder (a shared volume). A part's name says what it holds, so a folder of parts can be
 * merged as it is and two workers never write the same name unless they are the same shard.
 */
export type PartsLocation = { kind: 'bucket'; bucket: string; prefix: string; uri: string } | { kind: 'folder'; dir: string };

const BUCKET_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** True for `s3://…`. */
export function isBucketUri(text: string): boolean {
  return text.startsWith('s3://');
}

/** Parses `s3://bucket/prefix/`; the prefix is taken as a folder (a trailing slash is added). */
export function parseBucketUri(text: string): { bucket: string; prefix: string; uri: string } {
  const m = BUCKET_URI.exec(text);
  if (!m) throw new UsageError(`${text}: expected s3://bucket/prefix/ (a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, then an optional prefix)`);
  const raw = m[2] ?? '';
  const prefix = raw === '' || raw.endsWith('/') ? raw : `${raw}/`;
  return { bucket: m[1], prefix, uri: `s3://${m[1]}/${prefix}` };
}

/**
 * Parses `s3://bucket/key`, one object (a results file): a key ending in `/` names a prefix, a
 * folder of files, which is what --output-dir takes.
 */
export function parseObjectUri(text: string): { bucket: string; key: string; uri: string } {
  const m = BUCKET_URI.exec(text);
  if (!m) throw new UsageError(`${text}: expected s3://bucket/key (a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, then the object's key)`);
  const key = m[2] ?? '';
  if (key === '' || key.endsWith('/')) throw new UsageError(`${text} names a prefix (a folder), not a file: name the object (s3://${m[1]}/${key}results.json), or give the prefix to --output-dir`);
  return { bucket: m[1], key, uri: `s3://${m[1]}/${key}` };
}

/**
 * The parts location an output names, or undefined when it names a file: `s3://…`, a path ending
 * in `/`, or an existing folder.
 */
export function partsLocation(output: string, cwd: string): PartsLocation | undefined {
  if (isBucketUri(output)) return { kind: 'bucket', ...parseBucketUri(output) };
  const dir = resolve(cwd, output);
  if (output.endsWith('/')) return { kind: 'folder', dir };
  try {
    if (statSync(dir).isDirectory()) return { kind: 'folder', dir };
  } catch {
    // not there: a file to create
  }
  return undefined;
}

/** What names a shard's files: `shard-3-of-8`. */
export function shardTag(index: number, count: number): string {
  return `shard-${index}-of-${count}`;
}

/** The name of a part: `aws-shard-3-of-8.ndjson`. */
export function partName(provider: string, index: number, count: number): string {
  return `${provider}-${shardTag(index, count)}.ndjson`;
}

/** Where a part lands in a location, for messages. */
export function partTarget(loc: PartsLocation, name: string): string {
  return loc.kind === 'bucket' ? `${loc.uri}${name}` : join(loc.dir, name);
}

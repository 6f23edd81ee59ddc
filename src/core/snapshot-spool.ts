import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileError, InputError, type Problem } from './errors';
import { INPUT_LIMITS, formatSize } from './input-text';
import { parseJson } from './json-text';
import type { ResourceTypeRegistry } from './resource-types/registry';
import { NDJSON_FORMAT } from './snapshot-schema';
import { SnapshotValidator } from './snapshot-validator';
import { snapshotSha256 } from './snapshot-hash';
import { loadSnapshot } from './snapshot-loader';
import { type CoverageEntry, type Resource, type SnapshotMetadata, SNAPSHOT_SCHEMA_VERSION } from './types';

/**
 * Snapshots too large to hold in memory, read in two passes. The first pass (`spoolSnapshot`)
 * validates every record and keeps only where each resource is (file, byte offset, length) and
 * which unit it belongs to; the second loads the resources of a few units at a time by offset.
 * Memory then holds the positions (a few bytes per resource) and one batch of units, not the
 * organization.
 */

/** A growable typed array: positions of millions of resources without millions of objects. */
class Column<T extends Float64Array | Int32Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i];
  }
}

/** Where the resources are: a reference (a number) per resource, loaded on demand. */
export class ResourceSpool {
  private readonly files: string[] = [];
  private readonly fds: (number | null)[] = [];
  private readonly fileOf = new Column((n) => new Int32Array(n));
  private readonly offsetOf = new Column((n) => new Float64Array(n));
  private readonly lengthOf = new Column((n) => new Int32Array(n));
  /** Resources held in memory (read from a one-document snapshot), by reference. */
  private readonly inline = new Map<number, Resource>();
  private buffer = Buffer.alloc(1 << 16);

  get size(): number {
    return this.fileOf.length;
  }

  fileNumber(file: string): number {
    this.files.push(file);
    this.fds.push(null);
    return this.files.length - 1;
  }

  add(file: number, offset: number, length: number): number {
    this.fileOf.push(file);
    this.offsetOf.push(offset);
    this.lengthOf.push(length);
    return this.size - 1;
  }

  addInline(r: Resource): number {
    const ref = this.add(-1, 0, 0);
    this.inline.set(ref, r);
    return ref;
  }

  /** Reads one resource back (a fresh object each time: the caller may keep or drop it). */
  load(ref: number): Resource {
    const f = this.fileOf.get(ref);
    if (f === -1) return this.inline.get(ref)!;
    const length = this.lengthOf.get(ref);
    if (this.buffer.length < length) this.buffer = Buffer.alloc(length);
    let fd = this.fds[f];
    if (fd === null) {
      try {
        fd = openSync(this.files[f], 'r');
      } catch (e) {
        throw fileError(this.files[f], e);
      }
      this.fds[f] = fd;
    }
    const n = readSync(fd, this.buffer, 0, length, this.offsetOf.get(ref));
    if (n !== length) throw InputError.at({ file: this.files[f] }, 'the file changed while it was being read (a part rewritten during the merge?)');
    return (JSON.parse(this.buffer.toString('utf8', 0, length)) as { resource: Resource }).resource;
  }

  close(): void {
    for (const [i, fd] of this.fds.entries()) {
      if (fd !== null) closeSync(fd);
      this.fds[i] = null;
    }
  }
}

/** One spooled snapshot: its metadata and coverage in memory, its resources as references. */
export interface SpooledSnapshot {
  file: string;
  metadata: SnapshotMetadata;
  coverage: CoverageEntry[];
  /** SHA-256 of the file's bytes (of the canonical content for a one-document snapshot). */
  sha256: string;
  /** Resources read (each handed to the visitor with its reference). */
  resources: number;
}

/** Called for each resource while spooling (the resource object may be kept or dropped). */
export type SpoolVisitor = (r: Resource, ref: number) => void;

const MAX_PROBLEMS = 10;

/** Lines of a file with their byte offsets (LF-separated, a trailing CR dropped). */
async function* linesOf(file: string, hash: ReturnType<typeof createHash>): AsyncGenerator<{ text: string; offset: number; length: number; n: number }, void, void> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0;
  let n = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        let end = nl;
        if (end > start && buf[end - 1] === 13) end--;
        n++;
        yield { text: buf.toString('utf8', start, end), offset: carryOffset + start, length: end - start, n };
        start = nl + 1;
      }
      carryOffset += start;
      carry = buf.subarray(start);
      if (carry.length > INPUT_LIMITS.line) throw InputError.at({ file, line: n + 1 }, `a line longer than the ${formatSize(INPUT_LIMITS.line)} limit for one line`);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fileError(file, e);
  }
  if (carry.length) {
    n++;
    yield { text: carry.toString('utf8'), offset: carryOffset, length: carry.length, n };
  }
}

/** True when the file starts with an NDJSON snapshot header (else it is read as one JSON document). */
function startsAsNdjson(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.toString('utf8', 0, n).includes(`"format":"${NDJSON_FORMAT}"`);
  } finally {
    closeSync(fd);
  }
}

/**
 * First pass over one snapshot file: validates it as `loadSnapshot` does, records every resource
 * in `spool` and hands it to `visit`. NDJSON snapshots (what `collect` writes) are read line by
 * line and never held whole; a one-document snapshot is read whole (it is bounded by the
 * document limit anyway) and its resources stay in memory. On an error the references already
 * handed to `visit` stay allocated: the caller forgets them (PartitionBuilder.dropFrom).
 */
export async function spoolSnapshot(file: string, spool: ResourceSpool, registry: ResourceTypeRegistry, visit: SpoolVisitor): Promise<SpooledSnapshot> {
  if (!startsAsNdjson(file)) {
    const snapshot = await loadSnapshot(file, registry);
    for (const r of snapshot.resources) visit(r, spool.addInline(r));
    return { file, metadata: snapshot.metadata, coverage: snapshot.coverage, sha256: snapshotSha256(snapshot), resources: snapshot.resources.length };
  }
  return spoolNdjson(file, spool, registry, visit);
}

async function spoolNdjson(file: string, spool: ResourceSpool, registry: ResourceTypeRegistry, visit: SpoolVisitor): Promise<SpooledSnapshot> {
  const validator = new SnapshotValidator(registry);
  const hash = createHash('sha256');
  const fileNo = spool.fileNumber(file);
  const problems: Problem[] = [];
  const check = (p: Problem[]): void => {
    problems.push(...p);
    if (problems.length >= MAX_PROBLEMS) throw new InputError(problems.slice(0, MAX_PROBLEMS));
  };
  let metadata: Partial<SnapshotMetadata> | undefined;
  const coverage: CoverageEntry[] = [];
  let resources = 0;
  let end: { finishedAt: string; resources: number; coverage: number } | undefined;
  let endLine = 0;
  for await (const { text, offset, length, n } of linesOf(file, hash)) {
    if (text.trim() === '') continue;
    const rec = parseJson(text, file, n) as Record<string, unknown>;
    if (metadata === undefined) {
      if (rec === null || typeof rec !== 'object' || rec.format !== NDJSON_FORMAT) throw InputError.at({ file, line: n }, `first line must be the snapshot header {"format":"${NDJSON_FORMAT}",…}`);
      if (typeof rec.schemaVersion !== 'string' || rec.schemaVersion.split('.')[0] !== SNAPSHOT_SCHEMA_VERSION.split('.')[0]) {
        throw InputError.at({ file, line: n, pointer: '/schemaVersion' }, `unsupported snapshot schema version ${JSON.stringify(rec.schemaVersion)}`);
      }
      check(validator.validateHeader(rec, { file, line: n, pointer: '' }));
      metadata = rec.metadata as Partial<SnapshotMetadata>;
      continue;
    }
    if (end !== undefined) throw InputError.at({ file, line: n }, `data after the end record of line ${endLine}`);
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec) || Object.keys(rec).length !== 1) {
      throw InputError.at({ file, line: n }, 'each line must be {"resource":…}, {"coverage":…} or {"end":…}');
    }
    if ('resource' in rec) {
      const p = validator.validateResource(rec.resource, { file, line: n, pointer: '/resource' });
      if (p.length) check(p);
      else {
        resources++;
        visit(rec.resource as Resource, spool.add(fileNo, offset, length));
      }
    } else if ('coverage' in rec) {
      const p = validator.validateCoverage(rec.coverage, { file, line: n, pointer: '/coverage' });
      if (p.length) check(p);
      else coverage.push(rec.coverage as CoverageEntry);
    } else if ('end' in rec) {
      check(validator.validateTrailer(rec.end, { file, line: n, pointer: '/end' }));
      end = rec.end as typeof end;
      endLine = n;
    } else throw InputError.at({ file, line: n }, `unknown record '${Object.keys(rec)[0]}' (expected resource, coverage or end)`);
  }
  if (problems.length) throw new InputError(problems);
  if (metadata === undefined) throw InputError.at({ file }, 'empty file, expected a snapshot');
  if (end === undefined) throw InputError.at({ file }, 'snapshot stream has no end record: the file is truncated (was the collector interrupted?)');
  if (end.resources !== resources || end.coverage !== coverage.length) {
    throw InputError.at({ file, line: endLine }, `end record promises ${end.resources} resources and ${end.coverage} coverage entries, the stream has ${resources} and ${coverage.length}`);
  }
  return { file, metadata: { ...metadata, finishedAt: end.finishedAt } as SnapshotMetadata, coverage, sha256: hash.digest('hex'), resources };
}

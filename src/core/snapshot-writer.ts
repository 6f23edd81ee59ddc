import type { Writable } from 'node:stream';
import { streamFileAtomic, writeChunk, writeFileAtomic } from './atomic-write';
import { NDJSON_FORMAT } from './snapshot-schema';
import { type CoverageEntry, type Resource, type Snapshot, type SnapshotMetadata, SNAPSHOT_SCHEMA_VERSION } from './types';

/**
 * Writes the NDJSON form record by record (header, resources and coverage in any order, then the
 * end record with counts), respecting backpressure. Collectors use it to stream a snapshot out
 * without building it in memory.
 */
export class NdjsonSnapshotWriter {
  private resources = 0;
  private coverage = 0;

  constructor(private readonly out: Writable) {}

  async header(metadata: Omit<SnapshotMetadata, 'finishedAt'> & { finishedAt?: string }): Promise<void> {
    await writeChunk(this.out, `${JSON.stringify({ format: NDJSON_FORMAT, schemaVersion: SNAPSHOT_SCHEMA_VERSION, metadata })}\n`);
  }

  async resource(r: Resource): Promise<void> {
    this.resources++;
    await writeChunk(this.out, `${JSON.stringify({ resource: r })}\n`);
  }

  async coverageEntry(c: CoverageEntry): Promise<void> {
    this.coverage++;
    await writeChunk(this.out, `${JSON.stringify({ coverage: c })}\n`);
  }

  async end(finishedAt: string): Promise<void> {
    await writeChunk(this.out, `${JSON.stringify({ end: { finishedAt, resources: this.resources, coverage: this.coverage } })}\n`);
  }
}

/** Writes a snapshot in the NDJSON form to a stream. */
export async function writeSnapshotTo(out: Writable, snapshot: Snapshot): Promise<void> {
  const w = new NdjsonSnapshotWriter(out);
  await w.header(snapshot.metadata);
  for (const r of snapshot.resources) await w.resource(r);
  for (const c of snapshot.coverage) await w.coverageEntry(c);
  await w.end(snapshot.metadata.finishedAt);
}

/** Writes a snapshot atomically, as NDJSON when the file name ends in .ndjson/.jsonl, else as one JSON document. */
export async function writeSnapshotFile(file: string, snapshot: Snapshot): Promise<void> {
  if (/\.(ndjson|jsonl)$/i.test(file)) {
    await streamFileAtomic(file, (out) => writeSnapshotTo(out, snapshot));
  } else {
    await writeFileAtomic(file, `${JSON.stringify(snapshot, null, 2)}\n`);
  }
}

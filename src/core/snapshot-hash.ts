import { createHash } from 'node:crypto';
import type { Snapshot } from './types';

/**
 * SHA-256 of a snapshot's content: its metadata, each resource and each coverage entry as JSON,
 * one per line, in snapshot order. The same snapshot read from its JSON or its NDJSON file hashes
 * the same, so results and a history store can name the evidence they were computed from.
 */
export function snapshotSha256(snapshot: Snapshot): string {
  const h = createHash('sha256');
  h.update(`${JSON.stringify({ schemaVersion: snapshot.schemaVersion, metadata: snapshot.metadata })}\n`);
  for (const r of snapshot.resources) h.update(`${JSON.stringify(r)}\n`);
  for (const c of snapshot.coverage) h.update(`${JSON.stringify(c)}\n`);
  return h.digest('hex');
}

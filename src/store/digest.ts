import { createHash } from 'node:crypto';
import { canonicalJson, sha256 } from '../core/hash';

/**
 * The hashes that make recorded history tamper-evident. Each is SHA-256 in hex over text that is
 * documented in docs/evidence.md, so an auditor can recompute any of them with other tools:
 *
 * - leaf: one finding's identity and state, `sha256(canonical JSON of the finding row)`;
 * - findings digest of a run: `sha256` of `"<fingerprint> <leaf>\n"` lines sorted by fingerprint;
 * - changes digest of a run: `sha256` of `"+ <fingerprint> <leaf>\n"` (appeared or changed) and
 *   `"- <fingerprint> <leaf>\n"` (changed or gone) lines, sorted;
 * - controls digest: `sha256` of the canonical JSON of each roll-up row, one per line, sorted;
 * - record digest: `sha256(canonical JSON of the run header)` (the header carries the digests above);
 * - chain hash: `sha256("<previous chain hash>\n<record digest>")`, the first run's previous hash
 *   being GENESIS (or the hash a signed checkpoint left when older runs were pruned).
 */

export const GENESIS = '0'.repeat(64);

/** SHA-256 over lines, sorted first (byte order of the JavaScript strings, which are ASCII here). */
export function digestLines(lines: string[]): string {
  lines.sort();
  // One update per megabyte or so, not per line: the per-call cost dominates for short lines.
  const h = createHash('sha256');
  for (let i = 0; i < lines.length; i += 8192) h.update(`${lines.slice(i, i + 8192).join('\n')}\n`);
  return h.digest('hex');
}

export function leafOf(row: object): string {
  return sha256(canonicalJson(row));
}

export function findingsDigest(leaves: Iterable<{ fingerprint: string; leaf: string }>): string {
  const lines: string[] = [];
  for (const l of leaves) lines.push(`${l.fingerprint} ${l.leaf}`);
  return digestLines(lines);
}

export function changesDigest(opened: Iterable<{ fingerprint: string; leaf: string }>, closed: Iterable<{ fingerprint: string; leaf: string }>): string {
  const lines: string[] = [];
  for (const l of opened) lines.push(`+ ${l.fingerprint} ${l.leaf}`);
  for (const l of closed) lines.push(`- ${l.fingerprint} ${l.leaf}`);
  return digestLines(lines);
}

export function rowsDigest(rows: Iterable<object>): string {
  const lines: string[] = [];
  for (const r of rows) lines.push(canonicalJson(r));
  return digestLines(lines);
}

export function recordDigest(header: object): string {
  return sha256(canonicalJson(header));
}

export function chainHash(prev: string, record: string): string {
  return sha256(`${prev}\n${record}`);
}

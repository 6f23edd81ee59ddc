import { UNKNOWN } from '../core/tri';
import { SET } from './paths';

/** Containers already walked and found free of unknown markers (snapshot values are shared by many findings). */
const clean = new WeakSet<object>();

/** One reference token of a JSON Pointer (RFC 6901): evidence keys are property paths and hold dots. */
function token(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isMarker(v: unknown): boolean {
  return v === UNKNOWN || v === SET;
}

function walk(v: unknown, at: string, out: string[]): unknown {
  if (isMarker(v)) {
    out.push(at);
    return null;
  }
  if (v === null || typeof v !== 'object' || clean.has(v)) return v;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i], `${at}/${i}`, out);
      if (x !== v[i]) (copy ??= v.slice())[i] = x;
    }
    if (copy === undefined) clean.add(v);
    return copy ?? v;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const y = walk(x, `${at}/${token(k)}`, out);
    if (y !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = y;
  }
  if (copy === undefined) clean.add(v);
  return copy ?? v;
}

/**
 * Settles the evidence of one finding: every value that could not be read (a fact's or a path's
 * unknown marker, at any depth) becomes null, and its place is returned as a JSON Pointer into
 * the evidence (`/passwordEnabled`, `/s3BucketName → aws.s3.bucket/0/facts.publicAclGrants`), so that each evidence
 * field keeps one JSON type whatever was readable (a SIEM with a strict mapping indexes it) and
 * what was unknown is listed beside the values. Containers holding a marker are copied, never
 * modified: evidence values are the snapshot's own objects.
 */
export function settleUnknownEvidence(evidence: Record<string, unknown>): string[] {
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    const x = walk(v, `/${token(k)}`, unknown);
    if (x !== v) evidence[k] = x;
  }
  return unknown;
}

import { findUnresolved, isUnresolved, PartialJson, Unresolved } from '../../../iac/values';

/** A policy document that is not valid JSON: bad input, reported with its place. */
export class PolicyError extends Error {}

/**
 * A policy document as the resource type wants it: decoded JSON, or null when there is none.
 * Accepts a JSON string (Terraform `jsonencode(…)`, heredocs, `aws_iam_policy_document.json`) or
 * an object (CloudFormation). A value not known before deploy stays Unresolved.
 *
 * Inside an object, an Unresolved `Resource`/`NotResource` (typically the ARN of a bucket created
 * by the same code) is written as a readable placeholder: what a statement allows, and to whom,
 * does not depend on it. An Unresolved principal, action, effect or condition makes the whole
 * document Unresolved, since it may decide whether the policy is public.
 */
export function policyDocument(v: unknown): Record<string, unknown> | null | Unresolved {
  // JSON encoded from a structure with unknown leaves: decode the structure.
  if (v instanceof PartialJson) v = v.value;
  if (isUnresolved(v)) return v;
  if (v === undefined || v === null || v === '') return null;
  let doc: unknown = v;
  if (typeof v === 'string') {
    try {
      doc = JSON.parse(v);
    } catch (e) {
      throw new PolicyError(`policy is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyError('policy document must be a JSON object');
  const out = withResourcePlaceholders(doc as Record<string, unknown>);
  const u = findUnresolved(out);
  return u ? new Unresolved(`policy document: ${u.reason}`, u.refs) : out;
}

function placeholder(u: Unresolved): string {
  return `\${${u.refs.length ? u.refs.join(',') : 'unresolved'}}`;
}

function withResourcePlaceholders(doc: Record<string, unknown>): Record<string, unknown> {
  const statements = doc.Statement;
  if (!Array.isArray(statements) && (statements === null || typeof statements !== 'object')) return doc;
  const fix = (st: unknown): unknown => {
    if (st === null || typeof st !== 'object' || isUnresolved(st)) return st;
    const out: Record<string, unknown> = { ...(st as Record<string, unknown>) };
    for (const key of ['Resource', 'NotResource']) {
      const r = out[key];
      if (isUnresolved(r)) out[key] = placeholder(r);
      else if (Array.isArray(r)) out[key] = r.map((x) => (isUnresolved(x) ? placeholder(x) : typeof x === 'string' || !findUnresolved(x) ? x : placeholder(findUnresolved(x)!)));
    }
    return out;
  };
  return { ...doc, Statement: Array.isArray(statements) ? statements.map(fix) : fix(statements) };
}

import { type Condition, glob, type Statement } from './iam-policy';

/**
 * Condition evaluation the IAM analysis can do without a request: keys whose value the analysis
 * itself supplies (the service a role is passed to, the policy being attached), and conditions
 * that no request made today can meet.
 */

/**
 * A moment no scan precedes: this analysis was written after it. Used instead of the clock so
 * that re-evaluating a snapshot gives the same answer; a condition that ended before it can no
 * longer be met whenever the scan runs.
 */
export const EARLIEST_SCAN = Date.parse('2025-06-01T00:00:00Z');
/** The longest-lived temporary credentials (GetSessionToken) last 36 hours. */
const LONGEST_SESSION_MS = 36 * 3600 * 1000;

function dateOf(v: string): number | null {
  if (/^\d+$/.test(v)) return Number(v) * 1000; // epoch seconds
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/**
 * True when the condition can never hold for a request made after EARLIEST_SCAN: an upper bound
 * on the current time that has passed, or on the time a session token was issued that only
 * already-expired tokens meet (requests signed with long-term keys carry no aws:TokenIssueTime,
 * so without `IfExists` they fail the condition too).
 */
export function neverMet(c: Condition): boolean {
  if (c.set !== null || c.values.length === 0) return false;
  const before = c.op === 'DateLessThan' || c.op === 'DateLessThanEquals' || c.op === 'NumericLessThan' || c.op === 'NumericLessThanEquals';
  if (!before) return false;
  let limit: number;
  if (c.key === 'aws:currenttime' || c.key === 'aws:epochtime') limit = EARLIEST_SCAN;
  else if (c.key === 'aws:tokenissuetime' && !c.ifExists) limit = EARLIEST_SCAN - LONGEST_SESSION_MS;
  else return false;
  if (c.op.startsWith('Numeric') && c.key !== 'aws:epochtime') return false;
  return c.values.every((v) => {
    const t = dateOf(v);
    return t !== null && t < limit;
  });
}

const never = new WeakMap<Statement, boolean>();
/** A statement whose conditions can never all hold: it neither grants nor denies anything. */
export function statementNeverApplies(s: Statement): boolean {
  let v = never.get(s);
  if (v === undefined) never.set(s, (v = s.conditions.some(neverMet)));
  return v;
}

/**
 * Evaluates a condition on a single known value of its key: true, false, or null for an
 * operator trustscan does not evaluate. `…IfExists` changes nothing here (the key is present).
 */
export function conditionHolds(c: Condition, value: string): boolean | null {
  if (c.set !== null) return null;
  const op = c.op;
  const ignoreCase = op.endsWith('IgnoreCase');
  const base = ignoreCase ? op.slice(0, -'IgnoreCase'.length) : op;
  const v = ignoreCase ? value.toLowerCase() : value;
  const vals = ignoreCase ? c.values.map((x) => x.toLowerCase()) : c.values;
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      return base === 'ArnEquals' ? vals.some((p) => glob(p)(v)) : vals.includes(v);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return base === 'ArnNotEquals' ? !vals.some((p) => glob(p)(v)) : !vals.includes(v);
    case 'StringLike':
    case 'ArnLike':
      return vals.some((p) => glob(p)(v));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !vals.some((p) => glob(p)(v));
    default:
      return null;
  }
}

/** Values the analysis supplies for condition keys (lower-cased keys). */
export type RequestContext = ReadonlyMap<string, string>;

/**
 * Whether the statement's conditions on the supplied keys hold: true, false, or null when one
 * of them uses an operator trustscan does not evaluate.
 */
export function contextHolds(s: Statement, context: RequestContext): boolean | null {
  let out: boolean | null = true;
  for (const c of s.conditions) {
    const value = context.get(c.key);
    if (value === undefined) continue;
    const r = conditionHolds(c, value);
    if (r === false) return false;
    if (r === null) out = null;
  }
  return out;
}

import type { Resource } from '../../../core/types';
import { parsePolicy } from './iam-policy';
import { trustedPrincipals } from './iam-trust';

/**
 * The accounts whose principals a role's trust policy may let in, for bounded-memory evaluation
 * (`evaluationContext.reach`): the escalation graph follows role assumption into the role's
 * account, so evaluating those accounts needs this account's principals. `*` when anyone may be
 * let in or the trust cannot be read (a superset is exact, only larger); nothing for roles only
 * their own account or services can assume.
 */
export function accountsReachingRole(r: Resource): readonly string[] | '*' | undefined {
  if (r.type !== 'aws.iam.role') return undefined;
  const doc = r.properties.assumeRolePolicy;
  if (doc === null || doc === undefined) return r.unknown?.some((p) => p === 'assumeRolePolicy' || p.startsWith('assumeRolePolicy.')) ? '*' : undefined;
  const trust = parsePolicy(doc, `trust policy of ${r.id}`);
  if (trust.problems.length > 0) return '*';
  const { names, anyone } = trustedPrincipals(trust);
  if (anyone) return '*';
  const out = new Set<string>();
  for (const name of names) {
    const account = /^\d{12}$/.test(name) ? name : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(name)?.[1];
    if (account === undefined) return '*';
    if (account !== r.account) out.add(account);
  }
  return out.size > 0 ? [...out] : undefined;
}

/**
 * True when a role is a full administrator by its own policies, whatever else its account holds
 * (`evaluationContext.reach.terminal`): no permissions boundary, nothing unread, no Deny, an
 * unconditional Allow of every action on every resource, and attached policies only AWS-managed
 * ones whose every copy in the organization reads the same. Reaching it is reaching
 * administration of its account, so the rest of that account need not be loaded to say so. A
 * customer-managed policy lives in the role's account: not loaded, so never terminal.
 */
export function roleAdministrativeAlone(r: Resource, find: (type: string, by: string, value: string) => readonly Resource[]): boolean {
  if (r.type !== 'aws.iam.role' || (r.unknown?.length ?? 0) > 0) return false;
  const p = r.properties as { permissionsBoundary?: unknown; inlinePolicies?: unknown; attachedPolicies?: unknown };
  if (p.permissionsBoundary !== null && p.permissionsBoundary !== undefined) return false;
  if (!Array.isArray(p.inlinePolicies) || !Array.isArray(p.attachedPolicies)) return false;
  const docs: unknown[] = p.inlinePolicies.map((i) => (i as { document?: unknown }).document);
  for (const a of p.attachedPolicies) {
    const arn = (a as { policyArn?: unknown }).policyArn;
    if (typeof arn !== 'string' || !/^arn:[^:]+:iam::aws:policy\//.test(arn)) return false;
    const copies = find('aws.iam.policy', 'arn', arn);
    if (copies.length === 0 || copies.some((c) => (c.unknown?.length ?? 0) > 0)) return false;
    const texts = new Set(copies.map((c) => JSON.stringify(c.properties.document)));
    if (texts.size !== 1) return false;
    docs.push(copies[0].properties.document);
  }
  let everything = false;
  for (const doc of docs) {
    const parsed = parsePolicy(doc, `policy of ${r.id}`);
    if (parsed.problems.length > 0) return false;
    for (const s of parsed.statements) {
      if (s.effect !== 'Allow') return false;
      const all = (x: { raw: string[]; negated: boolean } | null): boolean => x !== null && !x.negated && x.raw.includes('*');
      if (all(s.actions) && all(s.resources) && s.conditions.length === 0) everything = true;
    }
  }
  return everything;
}

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

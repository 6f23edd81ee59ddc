import type { Resource } from '../../../core/types';
import { ESCALATION_METHODS } from './iam-escalation';
import { allowsActionName, parsePolicy } from './iam-policy';
import { trustedPrincipals } from './iam-trust';

/** Trusted principals per role: pass 1 asks for them twice (reach.from and reach.names) per role. */
const trusted = new WeakMap<Resource, readonly string[]>();

/** The principals a role's trust names (ARNs, account ids; `*` for anyone or an unreadable trust), for `reach.names`. */
export function principalsTrusted(r: Resource): readonly string[] {
  if (r.type !== 'aws.iam.role') return [];
  let out = trusted.get(r);
  if (!out) trusted.set(r, (out = readTrust(r)));
  return out;
}

function readTrust(r: Resource): readonly string[] {
  const doc = r.properties.assumeRolePolicy;
  if (doc === null || doc === undefined) return r.unknown?.some((p) => p === 'assumeRolePolicy' || p.startsWith('assumeRolePolicy.')) ? ['*'] : [];
  const trust = parsePolicy(doc, `trust policy of ${r.id}`);
  if (trust.problems.length > 0) return ['*'];
  const { names, anyone } = trustedPrincipals(trust);
  return anyone ? ['*', ...names] : names;
}

/**
 * The accounts whose principals a role's trust policy may let in, for bounded-memory evaluation
 * (`evaluationContext.reach`): the escalation graph follows role assumption into the role's
 * account, so evaluating those accounts needs this account's principals. `*` when anyone may be
 * let in or the trust cannot be read (a superset is exact, only larger); nothing for roles only
 * their own account or services can assume.
 */
export function accountsReachingRole(r: Resource): readonly string[] | '*' | undefined {
  const out = new Set<string>();
  for (const name of principalsTrusted(r)) {
    const account = /^\d{12}$/.test(name) ? name : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(name)?.[1];
    if (account === undefined) return '*';
    if (account !== r.account) out.add(account);
  }
  return out.size > 0 ? [...out] : undefined;
}

type Find = (type: string, by: string, value: string) => readonly Resource[];

/** Every action an escalation method needs, lower-cased. */
const ESCALATION_ACTIONS = [...new Set(['sts:assumerole', ...ESCALATION_METHODS.flatMap((m) => m.actions.map((a) => a.toLowerCase()))])];

/** A role's policy documents, its own and attached (by ARN, every copy alike); null when one is not fully known. */
function ownDocuments(r: Resource, find: Find): unknown[] | null {
  if ((r.unknown?.length ?? 0) > 0) return null;
  const p = r.properties as { permissionsBoundary?: unknown; inlinePolicies?: unknown; attachedPolicies?: unknown };
  if (p.permissionsBoundary !== null && p.permissionsBoundary !== undefined) return null;
  if (!Array.isArray(p.inlinePolicies) || !Array.isArray(p.attachedPolicies)) return null;
  const docs: unknown[] = p.inlinePolicies.map((i) => (i as { document?: unknown }).document);
  for (const a of p.attachedPolicies) {
    const arn = (a as { policyArn?: unknown }).policyArn;
    if (typeof arn !== 'string') return null;
    const copies = find('aws.iam.policy', 'arn', arn);
    if (copies.length === 0 || copies.some((c) => (c.unknown?.length ?? 0) > 0)) return null;
    if (new Set(copies.map((c) => JSON.stringify(c.properties.document))).size !== 1) return null;
    docs.push(copies[0].properties.document);
  }
  return docs;
}

/**
 * True when what reaching a role gives is settled by the role alone, whatever its account holds
 * (`evaluationContext.reach.terminal`), so a bounded evaluation loads the role and not its
 * account. Two kinds: a full administrator by its own policies (no boundary, nothing unread, no
 * Deny, an unconditional Allow of every action on every resource: the role AWS Organizations
 * creates in every member), and an inert role (an audit role): its policies allow none of the
 * actions any escalation method needs, not even sts:AssumeRole, and no trust policy of the
 * organization names it, so it leads nowhere. Policies are read by ARN, every copy alike.
 */
export function roleSettledAlone(r: Resource, find: Find, named: (id: string) => boolean): boolean {
  if (r.type !== 'aws.iam.role') return false;
  const docs = ownDocuments(r, find);
  if (docs === null) return false;
  const statements = [];
  for (const doc of docs) {
    const parsed = parsePolicy(doc, `policy of ${r.id}`);
    if (parsed.problems.length > 0) return false;
    statements.push(...parsed.statements);
  }
  const all = (x: { raw: string[]; negated: boolean } | null): boolean => x !== null && !x.negated && x.raw.includes('*');
  const administrator = statements.every((s) => s.effect === 'Allow') && statements.some((s) => all(s.actions) && all(s.resources) && s.conditions.length === 0);
  if (administrator) return true;
  const inert = !statements.some((s) => s.effect === 'Allow' && ESCALATION_ACTIONS.some((a) => allowsActionName(s, a)));
  return inert && !named('*') && typeof r.properties.arn === 'string' && !named(r.properties.arn);
}

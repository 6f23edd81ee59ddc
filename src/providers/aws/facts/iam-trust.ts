import { contextHolds, type RequestContext, statementNeverApplies } from './iam-conditions';
import { allowsActionName, type ParsedPolicy, type Statement } from './iam-policy';

/**
 * Whom a role's trust policy lets call sts:AssumeRole, as the escalation analysis needs it:
 * a given principal of the snapshot, or an AWS service.
 *
 * - A trust policy that names the caller's own ARN, in the role's account, is enough on its own:
 *   within one account a resource-based policy naming the principal grants the call without an
 *   identity policy. Naming the account (`123456789012`, `…:root`) or everyone delegates the
 *   decision to the caller's identity policies, which must then allow sts:AssumeRole on the role.
 *   Across accounts both sides must allow it.
 * - Conditions on the caller's identity (aws:PrincipalArn, aws:PrincipalAccount,
 *   aws:PrincipalType) are evaluated; conditions no request can meet remove the statement; other
 *   session keys (MFA, source IP, sts:ExternalId, which is not a secret) are met by a caller who
 *   wants to; any other key makes the trust uncertain.
 */

const ASSUME = 'sts:assumerole';
/** Keys a caller meets at will (the request's circumstances), besides the aws:* session keys. */
const CALLER_KEYS = new Set(['sts:externalid', 'sts:rolesessionname', 'sts:sourceidentity', 'sts:transitivetagkeys', 'aws:requesttag', 'aws:tagkeys']);
/** Keys of a service's request that pin the calling resource to an account or resource: the service still assumes the role for resources of that account. */
const SERVICE_SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths']);

function keyLevel(key: string, sessionKey: (k: string) => boolean): 0 | 1 {
  // 0: the caller meets it at will; 1: it may restrict the grant
  if (sessionKey(key) || CALLER_KEYS.has(key) || key.startsWith('aws:requesttag/')) return 0;
  return 1;
}

export interface TrustCaller {
  /** The caller's ARN, or null for a policy or group judged on its own (it could be anyone's). */
  arn: string | null;
  account: string;
  /** `User` or `AssumedRole`, for aws:PrincipalType. */
  type: 'User' | 'AssumedRole' | null;
}

/** How the trust lets the caller in: `direct` needs nothing more, `delegated` needs the caller's identity policy too. */
export interface TrustVerdict {
  how: 'direct' | 'delegated';
  /** 2: certainly; 1: under conditions trustscan cannot evaluate. */
  level: 1 | 2;
}

function accountOf(p: string): string | null {
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(p);
  return m ? m[1] : null;
}

function statementLevel(s: Statement, context: RequestContext | null, sessionKey: (k: string) => boolean): 0 | 1 | 2 {
  if (s.conditions.length === 0) return 2;
  if (statementNeverApplies(s)) return 0;
  const holds = context ? contextHolds(s, context) : true;
  if (holds === false) return 0;
  let level: 1 | 2 = holds === null ? 1 : 2;
  for (const c of s.conditions) {
    if (context?.has(c.key)) continue;
    if (keyLevel(c.key, sessionKey) === 1) level = 1;
  }
  return level;
}

/** Whether the trust policy `trust` of a role in `roleAccount` lets `caller` assume it. */
export function trustAdmits(trust: ParsedPolicy, roleAccount: string, caller: TrustCaller, sessionKey: (k: string) => boolean): TrustVerdict | null {
  const context = new Map<string, string>([['aws:principalaccount', caller.account]]);
  if (caller.arn) context.set('aws:principalarn', caller.arn);
  if (caller.type) context.set('aws:principaltype', caller.type);
  let best: TrustVerdict | null = null;
  for (const s of trust.statements) {
    if (s.principals === null || s.notPrincipal || !allowsActionName(s, ASSUME)) continue;
    const p = s.principals;
    const names = p.anyone || p.aws.includes('*');
    const byArn = caller.arn !== null && p.aws.includes(caller.arn);
    const byAccount = p.aws.some((x) => accountOf(x) === caller.account);
    if (!names && !byArn && !byAccount) continue;
    const level = statementLevel(s, context, sessionKey);
    if (level === 0) continue;
    const how: TrustVerdict['how'] = byArn && roleAccount === caller.account ? 'direct' : 'delegated';
    if (s.effect === 'Deny') continue;
    if (!best || level > best.level || (level === best.level && how === 'direct')) best = { how, level };
  }
  if (best === null) return null;
  // An unconditional Deny that reaches the caller closes the door.
  for (const s of trust.statements) {
    if (s.effect !== 'Deny' || s.principals === null || s.notPrincipal || !allowsActionName(s, ASSUME)) continue;
    const p = s.principals;
    const reaches = p.anyone || p.aws.includes('*') || (caller.arn !== null && p.aws.includes(caller.arn)) || p.aws.some((x) => accountOf(x) === caller.account);
    if (reaches && statementLevel(s, context, sessionKey) === 2 && s.conditions.length === 0) return null;
  }
  return best;
}

/** Whether the trust policy lets the AWS service `service` (`lambda.amazonaws.com`) assume the role: 2, 1 (conditions), or 0. */
export function trustAdmitsService(trust: ParsedPolicy, service: string): 0 | 1 | 2 {
  let best: 0 | 1 | 2 = 0;
  for (const s of trust.statements) {
    if (s.effect !== 'Allow' || s.principals === null || s.notPrincipal || !allowsActionName(s, ASSUME)) continue;
    if (!s.principals.service.includes(service)) continue;
    if (statementNeverApplies(s)) continue;
    const level = s.conditions.every((c) => SERVICE_SOURCE_KEYS.has(c.key)) ? 2 : 1;
    if (level > best) best = level;
  }
  return best;
}

/** Service principals a trust policy names in an Allow of sts:AssumeRole. */
export function trustedServices(trust: ParsedPolicy): string[] {
  const out = new Set<string>();
  for (const s of trust.statements) {
    if (s.effect === 'Allow' && s.principals && !s.notPrincipal && allowsActionName(s, ASSUME)) s.principals.service.forEach((x) => out.add(x));
  }
  return [...out];
}

/** ARNs and account ids a trust policy names in an Allow of sts:AssumeRole, and whether it names everyone. */
export function trustedPrincipals(trust: ParsedPolicy): { names: string[]; anyone: boolean } {
  const names = new Set<string>();
  let anyone = false;
  for (const s of trust.statements) {
    if (s.effect !== 'Allow' || !s.principals || s.notPrincipal || !allowsActionName(s, ASSUME)) continue;
    if (s.principals.anyone || s.principals.aws.includes('*')) anyone = true;
    for (const x of s.principals.aws) {
      const acct = accountOf(x);
      names.add(acct ?? x);
    }
  }
  return { names: [...names], anyone };
}

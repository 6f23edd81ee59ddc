import type { Resource } from '../../../core/types';
import { arr, bool, int, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * Who holds the roles that control a subscription — Owner, Contributor, User Access Administrator —
 * at the subscription, above it (management groups, the root scope: inherited down) or below it
 * (resource groups, resources). Computed once per subscription and snapshot, and shared by every
 * rule and fact that asks.
 */

export const ROLE_OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
export const ROLE_CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
export const ROLE_USER_ACCESS_ADMINISTRATOR = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';

const PRIVILEGED: Record<string, string> = {
  [ROLE_OWNER]: 'Owner',
  [ROLE_CONTRIBUTOR]: 'Contributor',
  [ROLE_USER_ACCESS_ADMINISTRATOR]: 'User Access Administrator',
};

export interface Holder {
  role: string;
  principalId: string;
  principalType: string;
  scope: string;
  scopeType: string;
  /** The assignment is made above the subscription and inherited by it. */
  inherited: boolean;
  /** The assignment covers the whole subscription (made at it or above it). */
  wholeSubscription: boolean;
}

export interface PrivilegedRoles {
  holders: Holder[];
  /** Distinct principals holding Owner over the whole subscription. */
  ownerCount: number;
  userAccessAdministratorCount: number;
}

const ROLE_ASSIGNMENT = 'azure.authorization.role-assignment';

/** Per snapshot (its fact context), per subscription: computed once. */
const cache = new WeakMap<FactContext, Map<string, PrivilegedRoles | typeof UNKNOWN_VALUE>>();

function compute(subscription: string, ctx: FactContext): PrivilegedRoles | typeof UNKNOWN_VALUE {
  // A listing that failed may have hidden an Owner: the count is not known.
  if (ctx.listingIncomplete(ROLE_ASSIGNMENT, subscription)) return UNKNOWN_VALUE;
  const holders: Holder[] = [];
  const subScope = `/subscriptions/${subscription}`;
  for (const a of ctx.resourcesInAccount(ROLE_ASSIGNMENT, subscription)) {
    const p = a.properties as { roleDefinitionId?: string; principalId?: string; principalType?: string; scope?: string; scopeType?: string };
    const role = PRIVILEGED[(p.roleDefinitionId ?? '').toLowerCase()];
    if (!role) continue;
    const inherited = p.scopeType === 'root' || p.scopeType === 'managementGroup';
    holders.push({
      role,
      principalId: p.principalId ?? '',
      principalType: p.principalType ?? '',
      scope: p.scope ?? '',
      scopeType: p.scopeType ?? '',
      inherited,
      wholeSubscription: inherited || p.scope === subScope,
    });
  }
  holders.sort((a, b) => (a.role + a.scope + a.principalId < b.role + b.scope + b.principalId ? -1 : 1));
  const distinct = (role: string): number => new Set(holders.filter((h) => h.role === role && h.wholeSubscription).map((h) => h.principalId)).size;
  return { holders, ownerCount: distinct('Owner'), userAccessAdministratorCount: distinct('User Access Administrator') };
}

export function privilegedRolesOf(subscription: string, ctx: FactContext): PrivilegedRoles | typeof UNKNOWN_VALUE {
  let perSnapshot = cache.get(ctx);
  if (!perSnapshot) cache.set(ctx, (perSnapshot = new Map()));
  let v = perSnapshot.get(subscription);
  if (v === undefined) perSnapshot.set(subscription, (v = compute(subscription, ctx)));
  return v;
}

export const subscriptionPrivilegedRoles: FactDef = {
  type: 'azure.subscription',
  name: 'privilegedRoles',
  description:
    'Who holds Owner, Contributor or User Access Administrator on the subscription: at it, inherited from a management group or the root scope, or on a resource group or resource within it; and how many distinct principals are Owner (or User Access Administrator) of the whole subscription.',
  schema: obj({
    holders: arr(
      obj({
        role: str(),
        principalId: str(),
        principalType: str(),
        scope: str(),
        scopeType: str(),
        inherited: bool(),
        wholeSubscription: bool(),
      }),
    ),
    ownerCount: int(),
    userAccessAdministratorCount: int(),
  }),
  dependsOn: [],
  // Infrastructure code declares some of a subscription's assignments, never all of them: who
  // holds a role, and how many, is known only from a live subscription.
  compute: (r: Resource, ctx) => (r.source.kind !== 'runtime' ? UNKNOWN_VALUE : privilegedRolesOf(r.account, ctx)),
  unknownReasons: (r, ctx) =>
    r.source.kind !== 'runtime'
      ? [`infrastructure code declares only some of subscription ${r.account}'s role assignments: those made outside it are not known`]
      : ctx.listingIncomplete(ROLE_ASSIGNMENT, r.account)
        ? [`the role assignments of subscription ${r.account} could not all be listed`]
        : [],
};

/** Scopes at or above a subscription: the root, a management group, a subscription. */
const ADMIN_SCOPE = /^\/$|^\/subscriptions\/[^/]+$|^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/;

export const roleDefinitionAdminScopes: FactDef = {
  type: 'azure.authorization.role-definition',
  name: 'adminScopes',
  description: 'The assignable scopes of the role that are a subscription or above it (the root /, a management group): where a role granting * would be a subscription administrator.',
  schema: arr(str()),
  dependsOn: ['assignableScopes'],
  compute(role, ctx) {
    if (ctx.isUnknown(role, 'assignableScopes')) return UNKNOWN_VALUE;
    return ((role.properties.assignableScopes as string[] | undefined) ?? []).map((s) => s.toLowerCase().replace(/(.)\/+$/, '$1')).filter((s) => ADMIN_SCOPE.test(s));
  },
};

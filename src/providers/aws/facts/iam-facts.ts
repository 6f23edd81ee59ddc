import type { Resource } from '../../../core/types';
import { arr, bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { type Tri, UNKNOWN_VALUE } from '../../../core/tri';
import type { FactContext, FactDef, FactSettings } from '../../../facts/fact-types';
import type { Statement } from './iam-policy';
import { PermissionSet } from './iam-permissions';
import { arnOf, type Gathered, gather, sharedPermissions } from './iam-gather';
import { type Escalation, graphFor, type Potential } from './iam-graph';

/**
 * `facts.permissions` of IAM users, roles, groups and managed policies: what the union of every
 * policy reaching the principal allows — a user's inline and attached policies plus those of its
 * groups, managed policies resolved from the `aws.iam.policy` resources of the snapshot — cut
 * down by its permissions boundary. Service control policies, session policies and resource
 * policies are not considered (SCPs can only take permissions away, so a FAIL may be stricter
 * than AWS, never a PASS looser).
 *
 * Missing inputs (a policy not in the snapshot, a list that could not be read) make the verdicts
 * UNKNOWN, with the reason; the allow-list verdict `privileged` never depends on them.
 */

const allowListMatchers = new Map<string, RegExp>();

/**
 * True when `arn` matches one of the allow-list patterns. Here `*` and `?` never cross a `:`:
 * IAM paths may contain colons, so with IAM-style wildcards a role created at path `/x:role/`
 * would match `arn:aws:iam::*:role/OrganizationAccountAccessRole` and exempt itself.
 */
export function isPrivileged(arn: string, settings: FactSettings): boolean {
  return (settings.privilegedPrincipals ?? []).some((p) => {
    let re = allowListMatchers.get(p);
    if (!re) {
      const body = p.split('').map((c) => (c === '*' ? '[^:]*' : c === '?' ? '[^:]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
      allowListMatchers.set(p, (re = new RegExp(`^${body}$`)));
    }
    return re.test(arn);
  });
}

/** A grant level (0 none, 1 only under conditions not evaluated, 2 certain) as a verdict. */
const tri = (level: number): Tri => (level === 2 ? true : level === 1 ? UNKNOWN_VALUE : false);

/** The parts of the fact that depend only on the policies: shared by every principal holding the same ones. */
interface Analysis {
  fullAdmin: Tri;
  grantsFullAdmin: Tri;
  fullAdminConditions: string[];
  serviceWildcards: { service: string; conditions: string[]; granted: Tri }[];
  /** Grants that depend on conditions trustscan does not evaluate, in words. */
  conditional: string[];
}

function escalationValue(found: Escalation[]) {
  return found.map((e) => ({
    method: e.method,
    description: e.description,
    actions: e.actions,
    sources: e.sources,
    conditions: e.conditions,
    granted: tri(e.level),
    target: e.target,
    path: e.path,
  }));
}

function potentialValue(found: Potential[]) {
  return found.map((p) => ({ method: p.method, description: p.description, actions: p.actions, sources: p.sources, conditions: p.conditions, reason: p.reason }));
}

/** Analyses shared by principals with the same policies (every member of a group, say), per evaluation. */
const shared = new WeakMap<FactContext, Map<string, Analysis>>();

function analyse(g: Gathered, ctx: FactContext): Analysis {
  const { key, set } = sharedPermissions(g, ctx);
  let cache = shared.get(ctx);
  if (!cache) shared.set(ctx, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const admin = set.everything(null);
  // What CIS 1.16 audits: an Allow of every action on every resource, whatever a Deny then takes away.
  const allows = (xs: readonly Statement[] | null): Statement[] | null => (xs === null ? null : xs.filter((s) => s.effect === 'Allow'));
  const granted = new PermissionSet(allows(set.identity)!, allows(set.boundary)).everything(null);
  const wildcards = set
    .wildcardCandidates()
    .map((service) => ({ service, grant: set.everything(service) }))
    .filter((w) => w.grant.level > 0);
  const conditional: string[] = [];
  if (admin.level === 1) conditional.push(`full access is granted only under conditions trustscan does not evaluate (${[...admin.conditions].join(', ')})`);
  for (const w of wildcards) {
    if (w.grant.level === 1) conditional.push(`${w.service}:* is granted only under conditions trustscan does not evaluate (${[...w.grant.conditions].join(', ')})`);
  }
  const a: Analysis = {
    fullAdmin: tri(admin.level),
    grantsFullAdmin: tri(granted.level),
    fullAdminConditions: admin.level > 0 ? [...admin.conditions].sort() : [],
    serviceWildcards: wildcards.map((w) => ({ service: w.service, conditions: [...w.grant.conditions].sort(), granted: tri(w.grant.level) })),
    conditional,
  };
  cache.set(key, a);
  return a;
}

interface Computed {
  value: Record<string, unknown>;
  reasons: string[];
}
/** Per evaluation (keyed by its context, so nothing outlives it), per resource. */
const computed = new WeakMap<FactContext, WeakMap<Resource, Computed>>();

function compute(r: Resource, ctx: FactContext): Computed {
  let perCtx = computed.get(ctx);
  if (!perCtx) computed.set(ctx, (perCtx = new WeakMap()));
  const hit = perCtx.get(r);
  if (hit) return hit;
  const g = gather(r, ctx);
  const privileged = isPrivileged(arnOf(r, ctx), ctx.settings);
  let c: Computed;
  if (g.problems.length) {
    c = {
      value: {
        fullAdmin: UNKNOWN_VALUE,
        grantsFullAdmin: UNKNOWN_VALUE,
        fullAdminConditions: [],
        serviceWildcards: UNKNOWN_VALUE,
        privilegeEscalation: UNKNOWN_VALUE,
        potentialEscalation: UNKNOWN_VALUE,
        privileged,
        policies: g.labels,
      },
      reasons: g.problems,
    };
  } else {
    const a = analyse(g, ctx);
    const graph = graphFor(ctx, r.account);
    const node = graph.node(r);
    const through = graph.through(node);
    const escalation = [...graph.directOf(node), ...through.escalations];
    const reasons = [...a.conditional];
    for (const e of escalation) if (e.level === 1) reasons.push(`privilege escalation '${e.method}': ${e.reason ?? 'uncertain'}`);
    c = {
      value: {
        fullAdmin: a.fullAdmin,
        grantsFullAdmin: a.grantsFullAdmin,
        fullAdminConditions: a.fullAdminConditions,
        serviceWildcards: a.serviceWildcards,
        privilegeEscalation: escalationValue(escalation),
        potentialEscalation: potentialValue(through.potential),
        privileged,
        policies: g.labels,
      },
      reasons,
    };
  }
  perCtx.set(r, c);
  return c;
}

const permissionsSchema = obj({
  fullAdmin: bool('every action on every resource is allowed (possibly only in sessions meeting fullAdminConditions)'),
  grantsFullAdmin: bool('an Allow grants every action on every resource before any Deny is applied (what CIS 1.16 audits); a Deny of a few actions leaves this true'),
  fullAdminConditions: arr(str(), 'condition keys the full access depends on; empty when unconditional'),
  serviceWildcards: arr(
    obj({ service: str(), conditions: arr(str()), granted: bool() }),
    'services whose every action (svc:*) is allowed on every resource',
  ),
  privilegeEscalation: arr(
    obj({
      method: str('escalation method id'),
      description: str(),
      actions: arr(str()),
      sources: arr(str(), 'policies granting the actions'),
      conditions: arr(str(), 'condition keys the grant depends on'),
      granted: bool('true when it escalates; unknown when only under conditions trustscan cannot evaluate, or when whether its target is more privileged is unknown'),
      target: nullable(str(), 'the principal or resource the method acts on (a role passed or assumed, a user, a policy), when there is one'),
      path: arr(str(), 'principal → method → target → … → what is reached (full administrator, or a method that raises its own permissions)'),
    }),
    'privilege-escalation methods the union of the policies allows: on the principal itself, or through a more privileged principal of the snapshot',
  ),
  potentialEscalation: arr(
    obj({
      method: str('escalation method id'),
      description: str(),
      actions: arr(str()),
      sources: arr(str(), 'policies granting the actions'),
      conditions: arr(str(), 'condition keys the grant depends on'),
      reason: str('why it is only potential: no more privileged target in the snapshot, or targets trustscan does not collect'),
    }),
    'methods (pass-role, code update, credentials of others) whose actions are granted but that reach nothing more privileged that the snapshot shows',
  ),
  privileged: bool('the ARN matches the privileged-principal allow-list (--privileged)'),
  policies: arr(str(), 'policies evaluated'),
});

function permissionsFact(type: string, description: string, dependsOn: string[]): FactDef {
  return {
    type,
    name: 'permissions',
    description,
    schema: permissionsSchema,
    dependsOn,
    compute: (r, ctx) => compute(r, ctx).value,
    unknownReasons: (r, ctx) => compute(r, ctx).reasons,
  };
}

export const iamUserPermissions = permissionsFact(
  'aws.iam.user',
  "What the user may do: its own inline and attached policies plus its groups' policies, within its permissions boundary.",
  ['inlinePolicies', 'attachedPolicies', 'groups', 'permissionsBoundary'],
);
export const iamRolePermissions = permissionsFact(
  'aws.iam.role',
  'What the role may do: its inline and attached policies, within its permissions boundary.',
  ['inlinePolicies', 'attachedPolicies', 'permissionsBoundary'],
);
export const iamGroupPermissions = permissionsFact('aws.iam.group', "What the group's members receive from it: its inline and attached policies.", ['inlinePolicies', 'attachedPolicies']);
export const iamPolicyPermissions = permissionsFact('aws.iam.policy', 'What the policy document allows on its own, whoever it is attached to.', ['document']);

import type { Resource } from '../../../core/types';
import { arr, bool, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, type FactSettings, UNKNOWN_VALUE } from '../../../facts/fact-types';
import { type ParsedPolicy, parsePolicy, type Statement } from './iam-policy';
import { ESCALATION_METHODS, type PrincipalKind } from './iam-escalation';
import { escalations, type EscalationFinding, PermissionSet } from './iam-permissions';

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

interface Gathered {
  identity: ParsedPolicy[];
  labels: string[];
  boundary: ParsedPolicy | null;
  hasBoundary: boolean;
  problems: string[];
}

function whyMissing(ctx: FactContext, r: Resource, path: string, what: string): string {
  return ctx.whyUnknown(r, path) ?? `${what} could not be read`;
}

function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4];
}

/** A managed policy by ARN (the owner's account first; AWS-managed ones from any account), else by unique name. */
function findPolicy(ctx: FactContext, account: string, arn: string | null, name: string): Resource | null {
  if (arn !== null) {
    const byArn = ctx.resourcesWhere('aws.iam.policy', 'arn', arn);
    return byArn.find((p) => p.account === account) ?? byArn[0] ?? null;
  }
  const byName = ctx.resourcesWhere('aws.iam.policy', 'policyName', name).filter((p) => p.account === account && p.properties.awsManaged !== true);
  return byName.length === 1 ? byName[0] : null;
}

function missingPolicy(ctx: FactContext, account: string, arn: string | null, name: string): string {
  const owner = arn ? accountOfArn(arn) : account;
  const where = owner === 'aws' ? account : (owner ?? account);
  const listing = ctx.listingIncomplete('aws.iam.policy', where) ? ' (and the listing of aws.iam.policy is incomplete there)' : '';
  return `managed policy ${arn ?? `'${name}'`} is not in the snapshot${listing}`;
}

function addDocument(g: Gathered, doc: unknown, label: string): void {
  const p = parsePolicy(doc, label);
  g.identity.push(p);
  g.labels.push(label);
  g.problems.push(...p.problems);
}

/** Adds the inline and attached policies of a user, group or role. */
function addOwnPolicies(g: Gathered, owner: Resource, ctx: FactContext, ownerLabel: string): void {
  if (ctx.isUnknown(owner, 'inlinePolicies')) g.problems.push(whyMissing(ctx, owner, 'inlinePolicies', `inline policies of ${ownerLabel}`));
  else {
    const inline = (owner.properties.inlinePolicies as { policyName: string; document: unknown }[] | undefined) ?? [];
    inline.forEach((p, i) => {
      const label = `inline policy '${p.policyName}' of ${ownerLabel}`;
      if (ctx.isUnknown(owner, `inlinePolicies.${i}.document`)) g.problems.push(whyMissing(ctx, owner, `inlinePolicies.${i}.document`, label));
      else addDocument(g, p.document, label);
    });
  }
  if (ctx.isUnknown(owner, 'attachedPolicies')) {
    g.problems.push(whyMissing(ctx, owner, 'attachedPolicies', `attached policies of ${ownerLabel}`));
    return;
  }
  const attached = (owner.properties.attachedPolicies as { policyName: string; policyArn: string }[] | undefined) ?? [];
  attached.forEach((a, i) => {
    const arn = ctx.isUnknown(owner, `attachedPolicies.${i}.policyArn`) ? null : a.policyArn;
    const policy = findPolicy(ctx, owner.account, arn, a.policyName);
    if (!policy) g.problems.push(missingPolicy(ctx, owner.account, arn, a.policyName));
    else if (ctx.isUnknown(policy, 'document')) g.problems.push(whyMissing(ctx, policy, 'document', `document of ${arn ?? a.policyName}`));
    else addDocument(g, policy.properties.document, arn ?? String(policy.properties.arn ?? a.policyName));
  });
}

function addBoundary(g: Gathered, owner: Resource, ctx: FactContext): void {
  if (ctx.isUnknown(owner, 'permissionsBoundary')) {
    g.problems.push(whyMissing(ctx, owner, 'permissionsBoundary', 'permissions boundary'));
    return;
  }
  const b = owner.properties.permissionsBoundary as { arn: string } | null | undefined;
  if (!b) return;
  g.hasBoundary = true;
  const policy = findPolicy(ctx, owner.account, b.arn, '');
  if (!policy) g.problems.push(`permissions boundary: ${missingPolicy(ctx, owner.account, b.arn, '')}`);
  else if (ctx.isUnknown(policy, 'document')) g.problems.push(whyMissing(ctx, policy, 'document', `document of ${b.arn}`));
  else {
    g.boundary = parsePolicy(policy.properties.document, `permissions boundary ${b.arn}`);
    g.problems.push(...g.boundary.problems);
  }
}

function newGathered(): Gathered {
  return { identity: [], labels: [], boundary: null, hasBoundary: false, problems: [] };
}

function gather(r: Resource, ctx: FactContext): Gathered {
  const g = newGathered();
  const p = r.properties;
  switch (r.type) {
    case 'aws.iam.user': {
      addOwnPolicies(g, r, ctx, `user ${String(p.userName ?? r.name ?? r.id)}`);
      if (ctx.isUnknown(r, 'groups')) g.problems.push(whyMissing(ctx, r, 'groups', 'group memberships'));
      else {
        for (const name of (p.groups as string[] | undefined) ?? []) {
          const group = ctx.resourcesWhere('aws.iam.group', 'groupName', name).find((x) => x.account === r.account);
          if (!group) {
            const listing = ctx.listingIncomplete('aws.iam.group', r.account) ? ' (and the group listing is incomplete)' : '';
            g.problems.push(`group '${name}' is not in the snapshot${listing}`);
          } else addOwnPolicies(g, group, ctx, `group ${name}`);
        }
      }
      addBoundary(g, r, ctx);
      break;
    }
    case 'aws.iam.role':
      addOwnPolicies(g, r, ctx, `role ${String(p.roleName ?? r.name ?? r.id)}`);
      addBoundary(g, r, ctx);
      break;
    case 'aws.iam.group':
      addOwnPolicies(g, r, ctx, `group ${String(p.groupName ?? r.name ?? r.id)}`);
      break;
    default: // aws.iam.policy: its own document
      if (ctx.isUnknown(r, 'document')) g.problems.push(whyMissing(ctx, r, 'document', 'policy document'));
      else addDocument(g, p.document, String(p.arn ?? r.id));
  }
  return g;
}

function kindOf(r: Resource): PrincipalKind | 'any' {
  return r.type === 'aws.iam.role' ? 'role' : r.type === 'aws.iam.policy' ? 'any' : 'user';
}

function arnOf(r: Resource): string {
  return typeof r.properties.arn === 'string' ? r.properties.arn : r.id;
}

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

const tri = (level: number): boolean | typeof UNKNOWN_VALUE => (level === 2 ? true : level === 1 ? UNKNOWN_VALUE : false);

/** The parts of the fact that depend only on the policies: shared by every principal holding the same ones. */
interface Analysis {
  fullAdmin: boolean | typeof UNKNOWN_VALUE;
  grantsFullAdmin: boolean | typeof UNKNOWN_VALUE;
  fullAdminConditions: string[];
  serviceWildcards: { service: string; conditions: string[]; granted: boolean | typeof UNKNOWN_VALUE }[];
  privilegeEscalation: ReturnType<typeof escalationValue>;
  /** A method that only works on others is granted: re-check it without the caller's own ARN. */
  selfSensitive: boolean;
  /** Grants that depend on conditions trustscan does not evaluate, in words. */
  conditional: string[];
}

const policyIds = new WeakMap<ParsedPolicy, number>();
let nextPolicyId = 1;
function idOf(p: ParsedPolicy): number {
  let id = policyIds.get(p);
  if (id === undefined) policyIds.set(p, (id = nextPolicyId++));
  return id;
}

function statementsOf(g: Gathered): PermissionSet {
  const statements: Statement[] = [];
  for (const p of g.identity) statements.push(...p.statements);
  return new PermissionSet(statements, g.boundary ? g.boundary.statements : null);
}

function escalationValue(found: EscalationFinding[]) {
  return found.map((e) => ({
    method: e.method,
    description: e.description,
    actions: e.actions,
    sources: e.sources,
    conditions: e.conditions,
    granted: tri(e.level),
  }));
}

const ON_OTHERS = new Set(ESCALATION_METHODS.filter((m) => m.onOthers).map((m) => m.id));

/** Analyses shared by principals with the same policies (every member of a group, say), per evaluation. */
const shared = new WeakMap<FactContext, Map<string, Analysis>>();

function analyse(g: Gathered, kind: PrincipalKind | 'any', ctx: FactContext): Analysis {
  const key = `${kind}|${g.boundary ? idOf(g.boundary) : g.hasBoundary ? 'b' : ''}|${g.identity.map(idOf).join(',')}`;
  let cache = shared.get(ctx);
  if (!cache) shared.set(ctx, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const set = statementsOf(g);
  const admin = set.everything(null);
  // What CIS 1.16 audits: an Allow of every action on every resource, whatever a Deny then takes away.
  const allows = (xs: readonly Statement[] | null): Statement[] | null => (xs === null ? null : xs.filter((s) => s.effect === 'Allow'));
  const granted = new PermissionSet(allows(set.identity)!, allows(set.boundary)).everything(null);
  const wildcards = set
    .wildcardCandidates()
    .map((service) => ({ service, grant: set.everything(service) }))
    .filter((w) => w.grant.level > 0);
  const escalation = escalations(set, kind, { hasBoundary: g.hasBoundary, selfArn: null });
  const conditional: string[] = [];
  if (admin.level === 1) conditional.push(`full access is granted only under conditions trustscan does not evaluate (${[...admin.conditions].join(', ')})`);
  for (const e of escalation) {
    if (e.level === 1) conditional.push(`privilege escalation '${e.method}' is granted only under conditions trustscan does not evaluate (${e.conditions.join(', ')})`);
  }
  for (const w of wildcards) {
    if (w.grant.level === 1) conditional.push(`${w.service}:* is granted only under conditions trustscan does not evaluate (${[...w.grant.conditions].join(', ')})`);
  }
  const a: Analysis = {
    fullAdmin: tri(admin.level),
    grantsFullAdmin: tri(granted.level),
    fullAdminConditions: admin.level > 0 ? [...admin.conditions].sort() : [],
    serviceWildcards: wildcards.map((w) => ({ service: w.service, conditions: [...w.grant.conditions].sort(), granted: tri(w.grant.level) })),
    privilegeEscalation: escalationValue(escalation),
    selfSensitive: escalation.some((e) => ON_OTHERS.has(e.method)),
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
  const privileged = isPrivileged(arnOf(r), ctx.settings);
  let c: Computed;
  if (g.problems.length) {
    c = {
      value: { fullAdmin: UNKNOWN_VALUE, grantsFullAdmin: UNKNOWN_VALUE, fullAdminConditions: [], serviceWildcards: UNKNOWN_VALUE, privilegeEscalation: UNKNOWN_VALUE, privileged, policies: g.labels },
      reasons: g.problems,
    };
  } else {
    const a = analyse(g, kindOf(r), ctx);
    // Grants on "other" users that name the caller's own ARN do not count: re-check just those principals.
    const privilegeEscalation =
      a.selfSensitive && r.type === 'aws.iam.user' ? escalationValue(escalations(statementsOf(g), 'user', { hasBoundary: g.hasBoundary, selfArn: arnOf(r) })) : a.privilegeEscalation;
    c = {
      value: {
        fullAdmin: a.fullAdmin,
        grantsFullAdmin: a.grantsFullAdmin,
        fullAdminConditions: a.fullAdminConditions,
        serviceWildcards: a.serviceWildcards,
        privilegeEscalation,
        privileged,
        policies: g.labels,
      },
      reasons: a.conditional,
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
      granted: bool('true when usable; unknown when only granted under conditions trustscan cannot evaluate'),
    }),
    'privilege-escalation methods the union of the policies allows',
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

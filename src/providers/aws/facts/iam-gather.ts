import type { Resource } from '../../../core/types';
import type { FactContext } from '../../../facts/fact-types';
import { type ParsedPolicy, parsePolicy, type Statement } from './iam-policy';
import { type Grant, PermissionSet } from './iam-permissions';

/**
 * The policies that reach an IAM principal, gathered from the snapshot: a user's inline and
 * attached policies plus those of its groups, a role's, a group's, or a managed policy's own
 * document, and the permissions boundary. Managed policies are looked up among the
 * `aws.iam.policy` resources by ARN; whatever is missing is a problem that makes verdicts UNKNOWN.
 */

export interface Gathered {
  identity: ParsedPolicy[];
  labels: string[];
  boundary: ParsedPolicy | null;
  hasBoundary: boolean;
  problems: string[];
  /** ARNs of the managed policies attached to the principal or its groups, and of its boundary. */
  managedArns: string[];
  /** ARNs of the user's groups. */
  groupArns: string[];
}

function whyMissing(ctx: FactContext, r: Resource, path: string, what: string): string {
  return ctx.whyUnknown(r, path) ?? `${what} could not be read`;
}

export function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4];
}

/** A managed policy by ARN (the owner's account first; AWS-managed ones from any account), else by unique name. */
function findPolicy(ctx: FactContext, account: string, arn: string | null, name: string): Resource | null {
  if (arn !== null) {
    const byArn = ctx.resourcesWhere('aws.iam.policy', 'arn', arn);
    return byArn.find((p) => p.account === account) ?? byArn[0] ?? null;
  }
  const byName = ctx.resourcesWhereInAccount('aws.iam.policy', 'policyName', name, account).filter((p) => p.properties.awsManaged !== true);
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
    if (policy) g.managedArns.push(String(policy.properties.arn ?? arn ?? ''));
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
  g.managedArns.push(b.arn);
  const policy = findPolicy(ctx, owner.account, b.arn, '');
  if (!policy) g.problems.push(`permissions boundary: ${missingPolicy(ctx, owner.account, b.arn, '')}`);
  else if (ctx.isUnknown(policy, 'document')) g.problems.push(whyMissing(ctx, policy, 'document', `document of ${b.arn}`));
  else {
    g.boundary = parsePolicy(policy.properties.document, `permissions boundary ${b.arn}`);
    g.problems.push(...g.boundary.problems);
  }
}

function newGathered(): Gathered {
  return { identity: [], labels: [], boundary: null, hasBoundary: false, problems: [], managedArns: [], groupArns: [] };
}

/** Per evaluation (keyed by its context, so nothing outlives it): the facts and the escalation graph both need a principal's policies. */
const gatheredIn = new WeakMap<FactContext, WeakMap<Resource, Gathered>>();

export function gather(r: Resource, ctx: FactContext): Gathered {
  let perCtx = gatheredIn.get(ctx);
  if (!perCtx) gatheredIn.set(ctx, (perCtx = new WeakMap()));
  let g = perCtx.get(r);
  if (!g) perCtx.set(r, (g = gatherNow(r, ctx)));
  return g;
}

function gatherNow(r: Resource, ctx: FactContext): Gathered {
  const g = newGathered();
  const p = r.properties;
  switch (r.type) {
    case 'aws.iam.user': {
      addOwnPolicies(g, r, ctx, `user ${String(p.userName ?? r.name ?? r.id)}`);
      if (ctx.isUnknown(r, 'groups')) g.problems.push(whyMissing(ctx, r, 'groups', 'group memberships'));
      else {
        for (const name of (p.groups as string[] | undefined) ?? []) {
          const group = ctx.resourcesWhereInAccount('aws.iam.group', 'groupName', name, r.account)[0];
          if (!group) {
            const listing = ctx.listingIncomplete('aws.iam.group', r.account) ? ' (and the group listing is incomplete)' : '';
            g.problems.push(`group '${name}' is not in the snapshot${listing}`);
          } else {
            addOwnPolicies(g, group, ctx, `group ${name}`);
            g.groupArns.push(arnOf(group));
          }
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

export function kindOf(r: Resource): 'user' | 'role' | 'any' {
  return r.type === 'aws.iam.role' ? 'role' : r.type === 'aws.iam.policy' ? 'any' : 'user';
}

const KIND_PATH: Record<string, [string, string]> = {
  'aws.iam.user': ['user', 'userName'],
  'aws.iam.role': ['role', 'roleName'],
  'aws.iam.group': ['group', 'groupName'],
  'aws.iam.policy': ['policy', 'policyName'],
};

/**
 * The resource's ARN: its `arn` property when known, else built from its path and name (in
 * infrastructure code the ARN is known only after apply, the name and path are not).
 */
export function arnOf(r: Resource, ctx?: FactContext): string {
  const arn = r.properties.arn;
  if (typeof arn === 'string' && arn !== '' && !(ctx && ctx.isUnknown(r, 'arn'))) return arn;
  const kp = KIND_PATH[r.type];
  const name = kp ? r.properties[kp[1]] : undefined;
  if (!kp || typeof name !== 'string') return r.id;
  const path = typeof r.properties.path === 'string' ? r.properties.path : '/';
  return `arn:${partitionOf(r)}:iam::${r.account}:${kp[0]}${path}${name}`;
}

/** The partition of a resource, from its id or ARN (`aws` when neither says). */
export function partitionOf(r: Resource): string {
  const m = /^arn:([^:]+):/.exec(typeof r.properties.arn === 'string' ? r.properties.arn : r.id);
  return m ? m[1] : 'aws';
}

const docIds = new WeakMap<object, number>();
let nextDocId = 1;
function docId(o: object): number {
  let id = docIds.get(o);
  if (id === undefined) docIds.set(o, (id = nextDocId++));
  return id;
}

/** What identifies a principal's permissions: its parsed policies (shared by every principal holding the same ones). */
export function policiesKey(g: Gathered): string {
  return `${g.boundary ? docId(g.boundary) : g.hasBoundary ? 'b' : ''}|${g.identity.map(docId).join(',')}`;
}

/** The statements of a gathered principal, ready to query. */
export function statementsOf(g: Gathered): PermissionSet {
  const statements: Statement[] = [];
  for (const p of g.identity) statements.push(...p.statements);
  return new PermissionSet(statements, g.boundary ? g.boundary.statements : null);
}

export interface SharedPermissions {
  key: string;
  set: PermissionSet;
  /** Memoised grants of the set, for whoever holds it (see the escalation graph). */
  grants: Map<string, Grant>;
}

const sharedIn = new WeakMap<FactContext, Map<string, SharedPermissions>>();

/** The permission set of a principal whose policies were all read, shared per evaluation by every principal holding the same policies. */
export function sharedPermissions(g: Gathered, ctx: FactContext): SharedPermissions {
  let perCtx = sharedIn.get(ctx);
  if (!perCtx) sharedIn.set(ctx, (perCtx = new Map()));
  const key = policiesKey(g);
  let s = perCtx.get(key);
  if (!s) perCtx.set(key, (s = { key, set: statementsOf(g), grants: new Map() }));
  return s;
}

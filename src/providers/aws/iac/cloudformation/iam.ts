import { awsIamGroup } from '../../types/iam-group';
import { awsIamPolicy } from '../../types/iam-policy';
import { awsIamRole } from '../../types/iam-role';
import { awsIamUser } from '../../types/iam-user';
import type { Draft } from '../../../../iac/draft';
import { at, int, isUnresolved, list, str, strList, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

const KINDS = { user: ['AWS::IAM::User', 'UserName', 'Users'], group: ['AWS::IAM::Group', 'GroupName', 'Groups'], role: ['AWS::IAM::Role', 'RoleName', 'Roles'] } as const;
type Kind = keyof typeof KINDS;

/**
 * IAM principals and managed policies of a template. Attachments come from the principals' own
 * `ManagedPolicyArns` and `Policies`, from `AWS::IAM::ManagedPolicy` and `AWS::IAM::Policy`
 * (`Users`/`Groups`/`Roles`) and `AWS::IAM::RolePolicy`/`UserPolicy`/`GroupPolicy`, memberships from `Groups` and `AWS::IAM::UserToGroupAddition`.
 */
export function mapIam(ctx: CfnContext): Draft[] {
  const attached = new Map<CfnResource, unknown[]>();
  const inline = new Map<CfnResource, unknown[]>();
  const members = new Map<CfnResource, unknown[]>();
  const groupsOf = new Map<CfnResource, unknown[]>();
  const maybe = new Map<CfnResource, string>();
  /** A policy given to a principal named only at deploy may be given to any principal of the kind. */
  const maybeAll: Partial<Record<Kind, string>> = {};
  const push = (m: Map<CfnResource, unknown[]>, k: CfnResource, v: unknown): void => {
    const l = m.get(k) ?? [];
    l.push(v);
    m.set(k, l);
  };
  /** Principals the template does not declare but configures (existing ones, named by a literal). */
  const externals = new Map<string, ExternalPrincipal>();
  const externalOf = (kind: Kind, name: string, from: CfnResource, unknownName?: Unresolved): ExternalPrincipal => {
    const key = unknownName ? `${kind} \u0000${from.logicalId} ${externals.size}` : `${kind} ${name}`;
    let e = externals.get(key);
    if (!e) externals.set(key, (e = { kind, name, unknownName, at: from, attached: [], inline: [], groups: [], keys: [] }));
    return e;
  };
  const principals = (kind: Kind, v: unknown, from: CfnResource, onExternal?: (e: ExternalPrincipal) => void): CfnResource[] => {
    const [type, nameProp] = KINDS[kind];
    // A value that is not a list (a template the deploy would reject) names principals unknown, never none.
    const l = list(v);
    const items = isUnresolved(l) ? [l] : l;
    const out: CfnResource[] = [];
    for (const item of items) {
      const hit = ctx.targets(item, type, nameProp);
      // Named only at deploy (a parameter without default, a reference to nothing declared): the
      // grant is kept, on a principal whose name is unknown, and may be to any declared one.
      if (hit.length === 0 && isUnresolved(item) && item.refs.filter((r) => ctx.get(r)).length === 0) {
        maybeAll[kind] ??= `${from.logicalId} may attach a policy to this ${kind}: the ${kind} it names is known only at deploy (${item.reason})`;
        if (onExternal) onExternal(externalOf(kind, `named by ${from.logicalId}`, from, item));
      }
      if (hit.length === 0 && typeof item === 'string' && item !== '' && onExternal) onExternal(externalOf(kind, item, from));
      out.push(...hit);
    }
    return out;
  };
  const policyArn = (p: CfnResource): string | Unresolved => {
    const name = p.props.ManagedPolicyName;
    const arn = typeof name === 'string' ? ctx.resolver.ref(p.logicalId) : new Unresolved(`${p.logicalId} ARN is known only after deploy`, [p.logicalId]);
    return typeof arn === 'string' ? arn : isUnresolved(arn) ? arn : String(arn);
  };
  const managed = ctx.ofType('AWS::IAM::ManagedPolicy');
  const managedByArn = new Map<string, CfnResource>();
  for (const mp of managed) {
    const arn = policyArn(mp);
    if (typeof arn === 'string') managedByArn.set(arn, mp);
  }
  const managedNamed = (a: unknown): CfnResource[] =>
    isUnresolved(a) ? a.refs.map((id) => ctx.get(id)).filter((m): m is CfnResource => m?.type === 'AWS::IAM::ManagedPolicy') : typeof a === 'string' && managedByArn.has(a) ? [managedByArn.get(a)!] : [];
  const attachedTo = new Map<CfnResource, { users: unknown[]; groups: unknown[]; roles: unknown[] }>();
  for (const mp of managed) {
    const to = { users: [] as unknown[], groups: [] as unknown[], roles: [] as unknown[] };
    for (const kind of ['user', 'group', 'role'] as Kind[]) {
      const onExternal = (e: ExternalPrincipal): void => {
        e.attached.push({ policyName: mp.props.ManagedPolicyName ?? new Unresolved(`${mp.logicalId} name is generated at deploy`), policyArn: policyArn(mp) });
        to[`${kind}s`].push(e.unknownName ?? e.name);
      };
      for (const pr of principals(kind, mp.props[KINDS[kind][2]], mp, onExternal)) {
        push(attached, pr, { policyName: mp.props.ManagedPolicyName ?? new Unresolved(`${mp.logicalId} name is generated at deploy`), policyArn: policyArn(mp) });
        to[`${kind}s`].push(ctx.name(pr, KINDS[kind][1], `${kind} name`));
      }
    }
    attachedTo.set(mp, to);
  }
  // A principal's own ManagedPolicyArns attach the managed policies of this template they name.
  for (const kind of ['user', 'group', 'role'] as Kind[]) {
    for (const pr of ctx.ofType(KINDS[kind][0])) {
      const arns = list(pr.props, 'ManagedPolicyArns');
      if (isUnresolved(arns)) continue;
      for (const a of arns) for (const mp of managedNamed(a)) attachedTo.get(mp)![`${kind}s`].push(ctx.name(pr, KINDS[kind][1], `${kind} name`));
    }
  }
  for (const ip of ctx.ofType('AWS::IAM::Policy')) {
    for (const kind of ['user', 'group', 'role'] as Kind[]) {
      const policy = (): unknown => ({ policyName: str(ip.props.PolicyName), document: ctx.policy(ip, ip.props.PolicyDocument) });
      for (const pr of principals(kind, ip.props[KINDS[kind][2]], ip, (e) => e.inline.push(policy()))) push(inline, pr, policy());
    }
  }
  // The one-principal inline policy types (AWS::IAM::RolePolicy, ::UserPolicy, ::GroupPolicy).
  for (const [type, kind, prop] of [
    ['AWS::IAM::RolePolicy', 'role', 'RoleName'],
    ['AWS::IAM::UserPolicy', 'user', 'UserName'],
    ['AWS::IAM::GroupPolicy', 'group', 'GroupName'],
  ] as const) {
    for (const ip of ctx.ofType(type)) {
      const policy = (): unknown => ({ policyName: str(ip.props.PolicyName), document: ctx.policy(ip, ip.props.PolicyDocument) });
      for (const pr of principals(kind, [ip.props[prop]], ip, (e) => e.inline.push(policy()))) push(inline, pr, policy());
    }
  }
  for (const add of ctx.ofType('AWS::IAM::UserToGroupAddition')) {
    const users = strList(add.props.Users);
    for (const g of principals('group', [add.props.GroupName], add)) {
      if (isUnresolved(users)) push(members, g, users);
      else for (const u of users) push(members, g, u);
    }
    if (!isUnresolved(users)) for (const u of principals('user', add.props.Users, add, (e) => e.groups.push(add.props.GroupName))) push(groupsOf, u, add.props.GroupName);
  }
  for (const u of ctx.ofType('AWS::IAM::User')) {
    const gs = list(u.props, 'Groups');
    if (isUnresolved(gs)) push(groupsOf, u, gs);
    else
      for (const g of gs) {
        push(groupsOf, u, g);
        for (const gr of ctx.targets(g, 'AWS::IAM::Group', 'GroupName')) push(members, gr, ctx.name(u, 'UserName', 'user name'));
      }
  }

  const own = (r: CfnResource, d: Draft): void => {
    const arns = list(r.props, 'ManagedPolicyArns');
    const att: unknown[] = isUnresolved(arns) ? [arns] : arns.map((a) => (typeof a === 'string' ? { policyName: a.slice(a.lastIndexOf('/') + 1), policyArn: a } : { policyName: a, policyArn: a }));
    // A ManagedPolicyArns entry that is a Ref to a managed policy of this template names it.
    for (const a of att) {
      const x = a as { policyName: unknown };
      if (isUnresolved(x.policyName)) {
        const mp = managedNamed(x.policyName)[0];
        if (mp && typeof mp.props.ManagedPolicyName === 'string') x.policyName = mp.props.ManagedPolicyName;
      }
    }
    const pols = list(r.props, 'Policies');
    const inl: unknown[] = isUnresolved(pols) ? [pols] : pols.map((p) => ({ policyName: str(at(p, 'PolicyName')), document: ctx.policy(r, at(p, 'PolicyDocument')) }));
    const m = maybe.get(r) ?? maybeAll[kindOf(r.type)];
    d.set('attachedPolicies', m ? new Unresolved(m) : [...att, ...(attached.get(r) ?? [])]);
    d.set('inlinePolicies', m ? new Unresolved(m) : [...inl, ...(inline.get(r) ?? [])]);
  };
  const identity = (d: Draft, r: CfnResource, kind: Kind | 'policy', nameProp: string): void => {
    const name = ctx.name(r, nameProp, `${kind} name`);
    d.set(nameProp === 'ManagedPolicyName' ? 'policyName' : `${kind}Name`, name);
    d.set('path', str(r.props.Path, '/'));
    const arn = typeof name === 'string' ? ctx.resolver.iamArn(r.logicalId, { Type: r.type, Properties: r.props }, name) : new Unresolved(`${r.logicalId} ARN is known only after deploy`);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    // Without a name (generated at deploy) it keeps its logical id: its ARN is not known either.
    if (typeof name === 'string' && name !== '') d.name = name;
  };
  const boundary = (r: CfnResource): unknown => {
    const b = r.props.PermissionsBoundary;
    return b === undefined ? null : isUnresolved(b) ? b : { type: 'PermissionsBoundaryPolicy', arn: String(b) };
  };

  const out: Draft[] = [];
  const keysOf = new Map<CfnResource, CfnResource[]>();
  for (const k of ctx.ofType('AWS::IAM::AccessKey')) {
    for (const u of principals('user', [k.props.UserName], k, (e) => e.keys.push(k))) keysOf.set(u, [...(keysOf.get(u) ?? []), k]);
  }
  for (const u of ctx.ofType('AWS::IAM::User')) {
    const d = ctx.draft(awsIamUser, u);
    identity(d, u, 'user', 'UserName');
    d.set('passwordEnabled', u.props.LoginProfile !== undefined);
    const keys = keysOf.get(u) ?? [];
    d.set(
      'accessKeys',
      keys.map((k, i) => ({ slot: i + 1, active: ((s) => (isUnresolved(s) ? s : s === 'Active'))(str(k.props.Status, 'Active')), lastRotated: null, lastUsedDate: null, lastUsedService: null })),
    );
    d.set('groups', groupsOf.get(u) ?? []);
    own(u, d);
    d.set('permissionsBoundary', boundary(u));
    out.push(d);
  }
  for (const g of ctx.ofType('AWS::IAM::Group')) {
    const d = ctx.draft(awsIamGroup, g);
    identity(d, g, 'group', 'GroupName');
    d.set('members', members.get(g) ?? []);
    own(g, d);
    out.push(d);
  }
  for (const r of ctx.ofType('AWS::IAM::Role')) {
    const d = ctx.draft(awsIamRole, r);
    identity(d, r, 'role', 'RoleName');
    const path = r.props.Path;
    d.set('serviceLinked', typeof path === 'string' && path.startsWith('/aws-service-role/'));
    d.set('assumeRolePolicy', ctx.policy(r, r.props.AssumeRolePolicyDocument));
    d.set('maxSessionDuration', int(r.props.MaxSessionDuration, 3600));
    own(r, d);
    d.set('permissionsBoundary', boundary(r));
    out.push(d);
  }
  for (const p of managed) {
    const d = ctx.draft(awsIamPolicy, p);
    identity(d, p, 'policy', 'ManagedPolicyName');
    d.set('awsManaged', false);
    d.set('document', ctx.policy(p, p.props.PolicyDocument));
    const to = attachedTo.get(p)!;
    d.set('attachedTo', to);
    d.set('attachmentCount', to.users.length + to.groups.length + to.roles.length);
    out.push(d);
  }
  out.push(...[...externals.values()].map((e) => externalPrincipal(ctx, e)));
  return out;
}

const kindOf = (type: string): Kind => (type === 'AWS::IAM::User' ? 'user' : type === 'AWS::IAM::Group' ? 'group' : 'role');

interface ExternalPrincipal {
  kind: Kind;
  name: string;
  /** Why the name is not known (the principal is named only at deploy). */
  unknownName?: Unresolved;
  at: CfnResource;
  attached: unknown[];
  inline: unknown[];
  groups: unknown[];
  keys: CfnResource[];
}

/**
 * A user, group or role the template does not declare but gives policies, access keys or group
 * memberships: what the template adds, every list also holding an unknown element for what the
 * principal may have already.
 */
function externalPrincipal(ctx: CfnContext, e: ExternalPrincipal): Draft {
  const d = ctx.draft(e.kind === 'user' ? awsIamUser : e.kind === 'group' ? awsIamGroup : awsIamRole, e.at);
  const why = (what: string): Unresolved => new Unresolved(`${e.kind} ${e.name} is not declared in this template: ${what} not visible in it`);
  const more = (declared: unknown[], what: string): unknown[] => [...declared, why(`its other ${what} are`)];
  d.id = `${d.origin.source.kind}:${d.origin.source.file}#${e.kind}/${e.unknownName ? `${e.at.logicalId}:${e.name}` : e.name}`;
  d.name = e.unknownName ? `${e.kind} ${e.name}` : e.name;
  d.tags = undefined;
  d.markUnknown('$tags', why('its tags are').reason);
  d.set(`${e.kind}Name`, e.unknownName ?? e.name);
  d.set('path', why('its path is'));
  d.set('arn', why('its path, and so its ARN, is'));
  d.set('attachedPolicies', more(e.attached, 'attached policies'));
  d.set('inlinePolicies', more(e.inline, 'inline policies'));
  if (e.kind === 'group') {
    d.set('members', [why('its members are')]);
    return d;
  }
  d.set('permissionsBoundary', why('its permissions boundary is'));
  if (e.kind === 'role') {
    d.set('serviceLinked', why('its path is'));
    d.set('assumeRolePolicy', why('its trust policy is'));
    d.set('maxSessionDuration', why('its maximum session duration is'));
    return d;
  }
  d.set('passwordEnabled', why('its console password is'));
  const keys = e.keys.map((k) => ({ slot: why('its key slots are'), active: ((s) => (isUnresolved(s) ? s : s === 'Active'))(str(k.props.Status, 'Active')), lastRotated: null, lastUsedDate: null, lastUsedService: null }));
  d.set('accessKeys', more(keys, 'access keys'));
  d.set('groups', more(e.groups, 'group memberships'));
  return d;
}

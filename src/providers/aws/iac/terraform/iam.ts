import { awsIamGroup } from '../../types/iam-group';
import { awsIamPolicy } from '../../types/iam-policy';
import { awsIamRole } from '../../types/iam-role';
import { awsIamUser } from '../../types/iam-user';
import { type Draft } from '../../../../iac/draft';
import { iamArn } from '../arn';
import { at, bool, int, isUnresolved, list, str, strList, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';

type Principal = 'user' | 'group' | 'role';

interface Attached {
  policyName: string | Unresolved;
  policyArn: string | Unresolved;
}

/** Name of a managed policy from its ARN (`arn:aws:iam::aws:policy/ReadOnlyAccess` → ReadOnlyAccess). */
function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * IAM users, groups, roles and managed policies with their attachments, inline policies, group
 * memberships, console passwords (login profiles) and access keys gathered from the resources
 * that declare them. For a principal that already exists, what other code or the console
 * attached is not in the plan: those lists are unknown unless the principal is created here.
 */
export function mapIam(ctx: TfContext): Draft[] {
  const plan = ctx.plan;
  const nameOf = (t: TfInstance): unknown => t.values.name;
  const arnOf = (t: TfInstance): unknown => {
    const v = t.values.arn;
    if (typeof v === 'string') return v;
    const derived = typeof t.values.name === 'string' ? iamArn(ctx.origin(t), 'policy', typeof t.values.path === 'string' ? t.values.path : '/', t.values.name) : v;
    return derived;
  };
  const principalTypes: Record<Principal, string> = { user: 'aws_iam_user', group: 'aws_iam_group', role: 'aws_iam_role' };

  // Attachments: principal instance → managed policies.
  const attached = new Map<TfInstance, Attached[]>();
  const attachedTo = new Map<TfInstance, { users: unknown[]; groups: unknown[]; roles: unknown[] }>();
  const maybe = new Map<TfInstance, string>();
  const policyFor = (att: TfInstance): Attached & { inst?: TfInstance } => {
    const v = ctx.value(att, 'policy_arn');
    if (typeof v === 'string') {
      const inst = plan.byType('aws_iam_policy').find((p) => arnOf(p) === v);
      return { policyName: inst && typeof inst.values.name === 'string' ? inst.values.name : policyNameOf(v), policyArn: v, inst };
    }
    const pol = plan.resolve(att, isUnresolved(v) ? v : [], ['aws_iam_policy']);
    const inst = pol.length === 1 ? pol[0] : undefined;
    const unknown = isUnresolved(v) ? v : new Unresolved(`${att.address} policy_arn is not set`);
    const name = inst && typeof inst.values.name === 'string' ? inst.values.name : unknown;
    return { policyName: name, policyArn: unknown, inst };
  };
  const addAttachment = (principal: TfInstance, kind: Principal, pol: Attached & { inst?: TfInstance }): void => {
    const list = attached.get(principal) ?? [];
    list.push({ policyName: pol.policyName, policyArn: pol.policyArn });
    attached.set(principal, list);
    if (pol.inst) {
      const n = principal.values.name;
      attachedToAlso(pol.inst, kind, typeof n === 'string' ? n : new Unresolved(`${principal.address} name is generated at apply`));
    }
  };
  const countUnknown = new Map<TfInstance, Unresolved>();
  /** Records that `policy` is attached to a principal of `kind` (its name, or why it is not known). */
  const attachedToAlso = (policy: TfInstance | undefined, kind: Principal, name: unknown): void => {
    if (!policy) return;
    const to = attachedTo.get(policy) ?? { users: [], groups: [], roles: [] };
    to[`${kind}s`].push(name);
    attachedTo.set(policy, to);
  };
  const principalsFor = (att: TfInstance, attr: string, kind: Principal): TfInstance[] => {
    const { targets, definite } = ctx.link(att, attr, [principalTypes[kind]], nameOf);
    if (!definite) for (const t of targets) maybe.set(t, `${att.address} may attach a policy to this ${kind}`);
    return definite ? targets : [];
  };
  /** The attachment's principal is in the plan, but could not be pinned to one: the policy is still attached. */
  const unpinned = (att: TfInstance, attr: string, kind: Principal): boolean => {
    const { targets, definite } = ctx.link(att, attr, [principalTypes[kind]], nameOf);
    return !definite && targets.length > 0;
  };
  for (const kind of ['user', 'group', 'role'] as Principal[]) {
    for (const att of plan.byType(`aws_iam_${kind}_policy_attachment`)) {
      const pol = policyFor(att);
      for (const p of principalsFor(att, kind, kind)) addAttachment(p, kind, pol);
      if (unpinned(att, kind, kind)) attachedToAlso(pol.inst, kind, new Unresolved(`${att.address} attaches it to a ${kind} that could not be pinned`));
    }
  }
  // aws_iam_policy_attachment: exclusive attachment to lists of users, groups and roles.
  for (const att of plan.byType('aws_iam_policy_attachment')) {
    const pol = policyFor(att);
    for (const kind of ['user', 'group', 'role'] as Principal[]) {
      const names = strList(att.values[`${kind}s`]);
      if (isUnresolved(names)) {
        for (const t of plan.resolve(att, names, [principalTypes[kind]])) maybe.set(t, `${att.address} may attach a policy to this ${kind}`);
        // Attached to a list of principals not known before apply: how many is not known either.
        attachedToAlso(pol.inst, kind, names);
        if (pol.inst) countUnknown.set(pol.inst, names);
        continue;
      }
      for (const n of names) for (const p of plan.byType(principalTypes[kind]).filter((x) => x.values.name === n)) addAttachment(p, kind, pol);
    }
  }

  // Inline policies: aws_iam_{user,group,role}_policy.
  const inline = new Map<TfInstance, { policyName: unknown; document: unknown }[]>();
  for (const kind of ['user', 'group', 'role'] as Principal[]) {
    for (const ip of plan.byType(`aws_iam_${kind}_policy`)) {
      const { targets, definite } = ctx.link(ip, kind, [principalTypes[kind]], nameOf);
      for (const t of targets) {
        if (!definite) {
          maybe.set(t, `${ip.address} may add an inline policy to this ${kind}`);
          continue;
        }
        const list = inline.get(t) ?? [];
        list.push({ policyName: str(ip.values.name) ?? new Unresolved(`${ip.address} name is generated at apply`), document: ctx.policy(ip, ip.values.policy) });
        inline.set(t, list);
      }
    }
  }

  // Group memberships.
  const groupsOfUser = new Map<TfInstance, unknown[]>();
  const membersOfGroup = new Map<TfInstance, unknown[]>();
  const push = <K>(m: Map<K, unknown[]>, k: K, v: unknown): void => {
    const l = m.get(k) ?? [];
    l.push(v);
    m.set(k, l);
  };
  for (const gm of plan.byType('aws_iam_group_membership')) {
    const users = strList(gm.values.users);
    for (const g of ctx.link(gm, 'group', ['aws_iam_group'], nameOf).targets) {
      const gname = g.values.name;
      if (isUnresolved(users)) {
        push(membersOfGroup, g, users);
        continue;
      }
      for (const u of users) {
        push(membersOfGroup, g, u);
        for (const ui of plan.byType('aws_iam_user').filter((x) => x.values.name === u)) push(groupsOfUser, ui, gname);
      }
    }
  }
  for (const ugm of plan.byType('aws_iam_user_group_membership')) {
    const groups = strList(ugm.values.groups);
    for (const u of ctx.link(ugm, 'user', ['aws_iam_user'], nameOf).targets) {
      if (isUnresolved(groups)) {
        push(groupsOfUser, u, groups);
        continue;
      }
      for (const g of groups) {
        push(groupsOfUser, u, g);
        for (const gi of plan.byType('aws_iam_group').filter((x) => x.values.name === g)) push(membersOfGroup, gi, u.values.name);
      }
    }
  }

  const notDeclared = (inst: TfInstance, what: string): Unresolved =>
    new Unresolved(`${inst.address} exists already: ${what} made outside this plan are not visible in it`);
  /** A relationship list: as declared when the principal is created here, else unknown. */
  const relation = (inst: TfInstance, declared: unknown[], what: string): unknown => {
    const m = maybe.get(inst);
    if (m) return new Unresolved(m);
    return ctx.creates(inst) ? declared : notDeclared(inst, what);
  };
  const boundary = (inst: TfInstance): unknown => {
    const b = ctx.value(inst, 'permissions_boundary');
    if (b === null || b === undefined || b === '') return null;
    return isUnresolved(b) ? b : { type: 'PermissionsBoundaryPolicy', arn: String(b) };
  };
  const common = (d: Draft, inst: TfInstance, kind: Principal | 'policy', nameKey: string): void => {
    const name = str(inst.values.name) ?? new Unresolved(`${inst.address} name is generated at apply`);
    const path = str(inst.values.path, '/');
    d.set(nameKey, name).set('path', path);
    const arn = typeof inst.values.arn === 'string' ? inst.values.arn : typeof name === 'string' && typeof path === 'string' ? iamArn(d.origin, kind, path, name) : new Unresolved(`${inst.address} arn is known only after apply`);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    // Without a name known before apply: its ARN when the plan knows it (an existing resource), else its address.
    d.name = typeof name === 'string' && name !== '' ? name : typeof arn === 'string' ? arn : inst.address;
    d.setTerraformTags(inst.values.tags_all, inst.values.tags);
  };

  const loginProfiles = new Children(ctx, 'aws_iam_user_login_profile', 'user', ['aws_iam_user'], nameOf);
  const accessKeys = new Children(ctx, 'aws_iam_access_key', 'user', ['aws_iam_user'], nameOf);
  const out: Draft[] = [];
  for (const u of plan.byType('aws_iam_user')) {
    const d = ctx.draft(awsIamUser, u);
    common(d, u, 'user', 'userName');
    const profiles = loginProfiles.all(u);
    // A login profile or key whose user could not be pinned may be this user's.
    const maybeProfile = loginProfiles.maybeAny(u);
    const maybeKey = accessKeys.maybeAny(u);
    d.set(
      'passwordEnabled',
      profiles.length > 0 ? true : maybeProfile ? new Unresolved(`${maybeProfile.address} may give this user a console password`) : ctx.creates(u) ? false : notDeclared(u, 'console passwords'),
    );
    const keys = accessKeys.all(u);
    const keyList = keys.map((k, i) => ({
      slot: i + 1,
      active: mapStatus(k.values.status),
      lastRotated: null,
      lastUsedDate: null,
      lastUsedService: null,
    }));
    d.set('accessKeys', maybeKey ? new Unresolved(`${maybeKey.address} may create an access key for this user`) : relation(u, keyList, 'access keys'));
    d.set('groups', relation(u, groupsOfUser.get(u) ?? [], 'group memberships'));
    d.set('attachedPolicies', relation(u, attached.get(u) ?? [], 'policy attachments'));
    d.set('inlinePolicies', relation(u, inline.get(u) ?? [], 'inline policies'));
    d.set('permissionsBoundary', boundary(u));
    out.push(d);
  }
  for (const g of plan.byType('aws_iam_group')) {
    const d = ctx.draft(awsIamGroup, g);
    common(d, g, 'group', 'groupName');
    d.set('members', relation(g, membersOfGroup.get(g) ?? [], 'memberships'));
    d.set('attachedPolicies', relation(g, attached.get(g) ?? [], 'policy attachments'));
    d.set('inlinePolicies', relation(g, inline.get(g) ?? [], 'inline policies'));
    out.push(d);
  }
  for (const r of plan.byType('aws_iam_role')) {
    const d = ctx.draft(awsIamRole, r);
    common(d, r, 'role', 'roleName');
    const path = r.values.path;
    d.set('serviceLinked', typeof path === 'string' ? path.startsWith('/aws-service-role/') : false);
    d.set('assumeRolePolicy', ctx.policy(r, r.values.assume_role_policy));
    d.set('maxSessionDuration', int(r.values.max_session_duration, 3600));
    // managed_policy_arns and inline_policy blocks, when set, are the exclusive lists (deprecated in provider v6).
    const managed = r.values.managed_policy_arns;
    const declaredAttached: unknown[] = [...(attached.get(r) ?? [])];
    let exclusive = false;
    // Computed when not configured: a created role then has only what is declared elsewhere.
    if (isUnresolved(managed)) {
      if (!ctx.creates(r)) declaredAttached.push(managed);
    }
    else if (Array.isArray(managed) && managed.length > 0) {
      exclusive = true;
      for (const a of managed) {
        declaredAttached.push(isUnresolved(a) ? { policyName: a, policyArn: a } : { policyName: policyNameOf(String(a)), policyArn: String(a) });
        // The plan's policies it names are attached to this role.
        const named = isUnresolved(a) ? plan.resolve(r, a, ['aws_iam_policy']) : plan.byType('aws_iam_policy').filter((p) => arnOf(p) === a);
        const roleName = typeof r.values.name === 'string' ? r.values.name : new Unresolved(`${r.address} name is generated at apply`);
        for (const p of named) {
          const to = attachedTo.get(p) ?? { users: [], groups: [], roles: [] };
          if (!to.roles.includes(roleName)) to.roles.push(roleName);
          attachedTo.set(p, to);
        }
      }
    }
    const inl = list(r.values, 'inline_policy');
    const declaredInline: unknown[] = [...(inline.get(r) ?? [])];
    if (isUnresolved(inl)) {
      if (!ctx.creates(r)) declaredInline.push(inl);
    }
    else
      for (const ip of inl) {
        const name = str(at(ip, 'name'));
        if (name === null || name === '') continue;
        declaredInline.push({ policyName: name, document: ctx.policy(r, at(ip, 'policy')) });
      }
    const attachedValue = relation(r, declaredAttached, 'policy attachments');
    d.set('attachedPolicies', exclusive && !maybe.has(r) ? declaredAttached : attachedValue);
    d.set('inlinePolicies', relation(r, declaredInline, 'inline policies'));
    d.set('permissionsBoundary', boundary(r));
    out.push(d);
  }
  // Principals the plan does not declare; their attachments count for the plan's policies too.
  const externals = externalPrincipals(ctx, policyFor, attachedTo);
  for (const p of plan.byType('aws_iam_policy')) {
    const d = ctx.draft(awsIamPolicy, p);
    common(d, p, 'policy', 'policyName');
    d.set('awsManaged', false);
    d.set('document', ctx.policy(p, p.values.policy));
    const to = attachedTo.get(p) ?? { users: [], groups: [], roles: [] };
    d.set('attachedTo', ctx.creates(p) ? to : { users: notDeclared(p, 'attachments'), groups: notDeclared(p, 'attachments'), roles: notDeclared(p, 'attachments') });
    d.set('attachmentCount', ctx.creates(p) ? (countUnknown.get(p) ?? to.users.length + to.groups.length + to.roles.length) : notDeclared(p, 'attachments'));
    out.push(d);
  }
  out.push(...externals);
  return out;
}

interface External {
  kind: Principal;
  name: string;
  at: TfInstance;
  attached: Attached[];
  inline: { policyName: unknown; document: unknown }[];
  groups: unknown[];
  members: unknown[];
  keys: TfInstance[];
  loginProfile: boolean;
}

/**
 * Users, groups and roles the plan does not declare but attaches policies to, gives inline
 * policies, access keys, console passwords or group memberships (an existing principal named by
 * a literal or a data source). Each becomes a resource of its own holding what the plan adds,
 * every list also holding an unknown element for what it may already have.
 */
function externalPrincipals(
  ctx: TfContext,
  policyFor: (att: TfInstance) => Attached & { inst?: TfInstance },
  attachedTo: Map<TfInstance, { users: unknown[]; groups: unknown[]; roles: unknown[] }>,
): Draft[] {
  const plan = ctx.plan;
  const types: Record<Principal, string> = { user: 'aws_iam_user', group: 'aws_iam_group', role: 'aws_iam_role' };
  const externals = new Map<string, External>();
  /** The external principal `child.values[attr]` names, when it names one the plan does not declare. */
  const external = (child: TfInstance, attr: string, kind: Principal, name: unknown = ctx.value(child, attr)): External | undefined => {
    if (typeof name !== 'string' || name === '') return undefined;
    if (plan.byType(types[kind]).some((p) => p.values.name === name)) return undefined;
    if (attr && plan.resolve(child, plan.refsOf(child, attr), [types[kind]]).length > 0) return undefined;
    const key = `${kind} ${name}`;
    let e = externals.get(key);
    if (!e) externals.set(key, (e = { kind, name, at: child, attached: [], inline: [], groups: [], members: [], keys: [], loginProfile: false }));
    if (child.line < e.at.line) e.at = child;
    return e;
  };
  const attach = (e: External | undefined, att: TfInstance): void => {
    if (!e) return;
    const { policyName, policyArn, inst } = policyFor(att);
    e.attached.push({ policyName, policyArn });
    if (inst) {
      const to = attachedTo.get(inst) ?? { users: [], groups: [], roles: [] };
      to[`${e.kind}s`].push(e.name);
      attachedTo.set(inst, to);
    }
  };
  for (const kind of ['user', 'group', 'role'] as Principal[]) {
    for (const att of plan.byType(`aws_iam_${kind}_policy_attachment`)) attach(external(att, kind, kind), att);
    for (const ip of plan.byType(`aws_iam_${kind}_policy`)) {
      external(ip, kind, kind)?.inline.push({ policyName: str(ip.values.name) ?? new Unresolved(`${ip.address} name is generated at apply`), document: ctx.policy(ip, ip.values.policy) });
    }
  }
  for (const att of plan.byType('aws_iam_policy_attachment')) {
    for (const kind of ['user', 'group', 'role'] as Principal[]) {
      const names = strList(att.values[`${kind}s`]);
      if (!isUnresolved(names)) for (const n of names) attach(external(att, '', kind, n), att);
    }
  }
  for (const k of plan.byType('aws_iam_access_key')) external(k, 'user', 'user')?.keys.push(k);
  for (const lp of plan.byType('aws_iam_user_login_profile')) {
    const e = external(lp, 'user', 'user');
    if (e) e.loginProfile = true;
  }
  for (const ugm of plan.byType('aws_iam_user_group_membership')) {
    const groups = strList(ugm.values.groups);
    external(ugm, 'user', 'user')?.groups.push(...(isUnresolved(groups) ? [groups] : groups));
  }
  for (const gm of plan.byType('aws_iam_group_membership')) {
    const users = strList(gm.values.users);
    external(gm, 'group', 'group')?.members.push(...(isUnresolved(users) ? [users] : users));
    if (!isUnresolved(users)) for (const u of users) external(gm, '', 'user', u)?.groups.push(ctx.value(gm, 'group'));
  }

  return [...externals.values()].map((e) => {
    const def = e.kind === 'user' ? awsIamUser : e.kind === 'group' ? awsIamGroup : awsIamRole;
    const d = ctx.draft(def, e.at);
    const why = (what: string): Unresolved => new Unresolved(`${e.kind} ${e.name} is not declared in this plan: ${what} not visible in it`);
    /** What the plan adds, and what the principal may have already. */
    const more = (declared: unknown[], what: string): unknown[] => [...declared, why(`its other ${what} are`)];
    d.id = `${d.origin.source.kind}:${d.origin.source.file}#${e.kind}/${e.name}`;
    d.name = e.name;
    d.markUnknown('$tags', why('its tags are').reason);
    d.set(`${e.kind}Name`, e.name);
    d.set('path', why('its path is'));
    d.set('arn', why('its path, and so its ARN, is'));
    d.set('attachedPolicies', more(e.attached, 'attached policies'));
    d.set('inlinePolicies', more(e.inline, 'inline policies'));
    if (e.kind === 'group') {
      d.set('members', more(e.members, 'members'));
      return d;
    }
    d.set('permissionsBoundary', why('its permissions boundary is'));
    if (e.kind === 'role') {
      d.set('serviceLinked', why('its path is'));
      d.set('assumeRolePolicy', why('its trust policy is'));
      d.set('maxSessionDuration', why('its maximum session duration is'));
      return d;
    }
    d.set('passwordEnabled', e.loginProfile ? true : why('its console password is'));
    // Which slot a new key takes depends on the keys the user has already.
    const keys = e.keys.map((k) => ({ slot: why('its key slots are'), active: mapStatus(k.values.status), lastRotated: null, lastUsedDate: null, lastUsedService: null }));
    d.set('accessKeys', more(keys, 'access keys'));
    d.set('groups', more(e.groups, 'group memberships'));
    return d;
  });
}

/** aws_iam_access_key `status`: Active unless Inactive (the provider's default is Active). */
function mapStatus(v: unknown): boolean | Unresolved | null {
  const s = str(v, 'Active');
  return isUnresolved(s) ? s : bool(s === 'Active');
}

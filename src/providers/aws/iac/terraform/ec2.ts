import { awsEc2SecurityGroup } from '../../types/ec2-security-group';
import { canonicalJson } from '../../../../core/hash';
import { type Draft, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { emptyPermission, normalizeProtocol, portRangeProblem, type Permission } from '../sg-permission';
import { at, isUnresolved, list, str, strList, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import { mapPrefixLists, prefixListIds, prefixListRef } from './prefix-list';
import type { TfInstance } from '../../../../iac/terraform-plan';

/**
 * An inline `ingress`/`egress` block of group `inst`, or the `aws_security_group_rule` `inst`
 * (whose `source_security_group_id` the provider computes when the configuration leaves it out).
 */
function fromClassic(v: unknown, selfGroup: unknown, ctx: TfContext, inst: TfInstance): Permission {
  const p = emptyPermission(normalizeProtocol(at(v, 'protocol')), at(v, 'from_port'), at(v, 'to_port'));
  const description = str(at(v, 'description'));
  const desc = description === '' ? null : description;
  const v4 = strList(at(v, 'cidr_blocks'));
  const v6 = strList(at(v, 'ipv6_cidr_blocks'));
  const sgs = strList(at(v, 'security_groups'));
  p.ipv4Ranges = isUnresolved(v4) ? [v4] : v4.map((cidr) => ({ cidr, description: desc }));
  p.ipv6Ranges = isUnresolved(v6) ? [v6] : v6.map((cidr) => ({ cidr, description: desc }));
  p.prefixListIds = prefixListIds(ctx, inst, at(v, 'prefix_list_ids'));
  p.referencedGroups = isUnresolved(sgs) ? [sgs] : sgs.map((groupId) => ({ groupId, userId: null }));
  const source = at(v, 'source_security_group_id');
  // Left out of the configuration, it is known after apply but names no group (a CIDR rule).
  const computed = isUnresolved(source) && inst.type === 'aws_security_group_rule' && ctx.plan.configures(inst, 'source_security_group_id') === false;
  if (source !== undefined && source !== null && source !== '' && !computed) p.referencedGroups.push({ groupId: str(source), userId: null });
  if (at(v, 'self') === true) p.referencedGroups.push({ groupId: selfGroup, userId: null });
  return p;
}

/** An `aws_vpc_security_group_{ingress,egress}_rule`: one source per resource. */
function fromVpcRule(r: TfInstance, ctx: TfContext): Permission {
  const v = r.values;
  const p = emptyPermission(normalizeProtocol(v.ip_protocol), v.from_port, v.to_port);
  const desc = str(v.description);
  const description = desc === '' ? null : desc;
  if (v.cidr_ipv4) p.ipv4Ranges.push({ cidr: str(v.cidr_ipv4), description });
  if (v.cidr_ipv6) p.ipv6Ranges.push({ cidr: str(v.cidr_ipv6), description });
  if (v.prefix_list_id) p.prefixListIds.push(str(prefixListRef(ctx, r, v.prefix_list_id)));
  if (v.referenced_security_group_id) p.referencedGroups.push({ groupId: str(ctx.value(r, 'referenced_security_group_id')), userId: null });
  return p;
}

/**
 * `aws_security_group` with its inline rules plus `aws_security_group_rule` and
 * `aws_vpc_security_group_{ingress,egress}_rule`, and the managed prefix lists their rules may
 * refer to. The provider removes AWS's default allow-all egress rule from the groups it creates,
 * so a created group has only the egress it declares.
 */
export function mapSecurityGroups(ctx: TfContext): Draft[] {
  const idOf = (g: TfInstance): unknown => g.values.id;
  const classic = new Children(ctx, 'aws_security_group_rule', 'security_group_id', ['aws_security_group'], idOf);
  const vpcIn = new Children(ctx, 'aws_vpc_security_group_ingress_rule', 'security_group_id', ['aws_security_group'], idOf);
  const vpcOut = new Children(ctx, 'aws_vpc_security_group_egress_rule', 'security_group_id', ['aws_security_group'], idOf);
  const checkPorts = (inst: TfInstance, v: unknown, protocol: string): void => {
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return;
    const x = v as Record<string, unknown>;
    const why = portRangeProblem(x[protocol], x.from_port, x.to_port, ['from_port', 'to_port']);
    if (why) ctx.problems.push({ file: ctx.file, line: inst.line, message: `${inst.address}: ${why}` });
  };
  for (const g of ctx.plan.byType('aws_security_group')) {
    for (const dir of ['ingress', 'egress']) {
      const l = list(g.values, dir);
      if (!isUnresolved(l)) for (const x of l) checkPorts(g, x, 'protocol');
    }
  }
  for (const r of ctx.plan.byType('aws_security_group_rule')) checkPorts(r, r.values, 'protocol');
  for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) for (const r of ctx.plan.byType(type)) checkPorts(r, r.values, 'ip_protocol');
  return [...ctx.plan.byType('aws_security_group').map((g) => {
    const d = ctx.draft(awsEc2SecurityGroup, g);
    const v = g.values;
    const name = str(v.name) ?? new Unresolved(`${g.address} name is generated at apply`);
    d.set('groupName', isUnresolved(name) ? new Unresolved(`${g.address} name is generated at apply (name_prefix)`) : name);
    // The default group is aws_default_security_group's; a generated name is never "default".
    d.set('defaultGroup', name === 'default');
    d.name = typeof name === 'string' ? name : g.address;
    if (typeof v.arn === 'string') d.id = v.arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('description', str(v.description, 'Managed by Terraform'));
    d.set('vpcId', str(v.vpc_id));
    const selfId = typeof v.id === 'string' ? v.id : new Unresolved(`${g.address} id is known only after apply`);
    for (const dir of ['ingress', 'egress'] as const) {
      const inline = list(v, dir);
      // A created group whose configuration sets no inline rules reports them as known after
      // apply: it has none of its own. Rules set but unknown (dynamic blocks over a value known
      // only after apply) are one unknown rule; the rules of other resources stay known.
      const none = isUnresolved(inline) && ctx.creates(g) && ctx.plan.configures(g, dir) === false;
      const perms: unknown[] = isUnresolved(inline) ? (none ? [] : [inline]) : inline.map((x) => fromClassic(x, selfId, ctx, g));
      for (const r of classic.all(g)) if (r.values.type === dir) perms.push(fromClassic(r.values, selfId, ctx, r));
      for (const r of (dir === 'ingress' ? vpcIn : vpcOut).all(g)) perms.push(fromVpcRule(r, ctx));
      const maybe = [classic.maybeAny(g), (dir === 'ingress' ? vpcIn : vpcOut).maybeAny(g)].find((x) => x !== undefined);
      const seen = new Set<string>();
      const unique = perms.filter((p) => {
        if (isUnresolved(p)) return true;
        const key = canonicalJson(p);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      d.set(dir, maybe ? new Unresolved(`${maybe.address} may add rules to this group`) : unique);
    }
    return d;
  }), ...externalGroups(ctx), ...mapPrefixLists(ctx)];
}

/**
 * Rule resources on a security group the plan does not declare (an existing group named by its
 * id): the group is checked for the rules they add, among others the plan does not show.
 */
function externalGroups(ctx: TfContext): Draft[] {
  const declared = ctx.plan.byType('aws_security_group');
  const known = new Set(declared.map((g) => g.values.id).filter((id): id is string => typeof id === 'string'));
  const external = new Map<string, { at: TfInstance; ingress: Permission[]; egress: Permission[] }>();
  for (const type of ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
    for (const r of ctx.plan.byType(type)) {
      const id = ctx.value(r, 'security_group_id');
      if (typeof id !== 'string' || id === '' || known.has(id)) continue;
      if (ctx.plan.resolve(r, ctx.plan.refsOf(r, 'security_group_id'), ['aws_security_group']).length > 0) continue;
      const dir = type === 'aws_security_group_rule' ? r.values.type : type.endsWith('ingress_rule') ? 'ingress' : 'egress';
      if (dir !== 'ingress' && dir !== 'egress') continue;
      let e = external.get(id);
      if (!e) external.set(id, (e = { at: r, ingress: [], egress: [] }));
      if (r.line < e.at.line) e.at = r;
      e[dir].push(type === 'aws_security_group_rule' ? fromClassic(r.values, id, ctx, r) : fromVpcRule(r, ctx));
    }
  }
  return [...external].map(([id, e]) => {
    const d = ctx.draft(awsEc2SecurityGroup, e.at);
    const why = (what: string): Unresolved => new Unresolved(`security group ${id} is not declared in this plan: its ${what} are not visible in it`);
    const { account, region } = d.origin;
    if (account !== UNKNOWN_ACCOUNT && region !== UNKNOWN_REGION) d.id = `arn:${partitionOf(region)}:ec2:${region}:${account}:security-group/${id}`;
    d.name = id;
    d.markUnknown('$tags', why('tags').reason);
    d.set('groupName', new Unresolved(`security group ${id} is not declared in this plan: its name is not visible in it`));
    d.set('defaultGroup', new Unresolved(`security group ${id} is not declared in this plan: whether it is its VPC's default group is not visible in it`));
    d.set('description', new Unresolved(`security group ${id} is not declared in this plan: its description is not visible in it`));
    d.set('vpcId', new Unresolved(`security group ${id} is not declared in this plan: its VPC is not visible in it`));
    // The rules the plan adds, and the group's others (which the plan does not show).
    d.set('ingress', [...e.ingress, why('other inbound rules')]);
    d.set('egress', [...e.egress, why('other outbound rules')]);
    return d;
  });
}

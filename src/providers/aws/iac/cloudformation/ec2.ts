import { awsEc2SecurityGroup } from '../../types/ec2-security-group';
import { type Draft, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { emptyPermission, normalizeProtocol, portRangeProblem, type Permission } from '../sg-permission';
import { isUnresolved, list, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';
import { mapPrefixLists, prefixListRef } from './prefix-list';

function permission(ctx: CfnContext, v: Record<string, unknown>, egress: boolean): Permission {
  const p = emptyPermission(normalizeProtocol(v.IpProtocol), v.FromPort, v.ToPort);
  const description = str(v.Description);
  if (v.CidrIp !== undefined) p.ipv4Ranges.push({ cidr: str(v.CidrIp), description });
  if (v.CidrIpv6 !== undefined) p.ipv6Ranges.push({ cidr: str(v.CidrIpv6), description });
  const pl = egress ? v.DestinationPrefixListId : v.SourcePrefixListId;
  if (pl !== undefined) p.prefixListIds.push(str(prefixListRef(ctx, pl)));
  const sg = egress ? v.DestinationSecurityGroupId : (v.SourceSecurityGroupId ?? v.SourceSecurityGroupName);
  if (sg !== undefined) p.referencedGroups.push({ groupId: str(sg), userId: str(v.SourceSecurityGroupOwnerId) });
  return p;
}

/**
 * Why an inline rule list is not one CloudFormation deploys (a string or a mapping where the
 * list goes, an entry that is not a rule), or undefined. Read as it is, it would be a group with
 * no rules, and every rule about open ports would pass on it.
 */
function ruleListProblem(v: unknown): string | undefined {
  if (v === undefined || v === null || isUnresolved(v)) return undefined;
  if (!Array.isArray(v)) return `must be a list of rules (it is ${typeof v === 'object' ? 'a mapping' : `the ${typeof v} ${JSON.stringify(v)}`})`;
  const i = v.findIndex((x) => x === null || typeof x !== 'object' || Array.isArray(x));
  return i < 0 ? undefined : `item ${i + 1} must be a rule (a mapping with IpProtocol), not ${v[i] === null ? 'null' : Array.isArray(v[i]) ? 'a list' : JSON.stringify(v[i])}`;
}

/**
 * `AWS::EC2::SecurityGroup` with `AWS::EC2::SecurityGroupIngress`/`Egress`, and the managed prefix
 * lists (`AWS::EC2::PrefixList`) their rules may refer to. Without `SecurityGroupEgress` a VPC
 * group keeps AWS's default rule allowing all outbound traffic.
 */
export function mapSecurityGroups(ctx: CfnContext): Draft[] {
  const ingress = ctx.ofType('AWS::EC2::SecurityGroupIngress');
  const egress = ctx.ofType('AWS::EC2::SecurityGroupEgress');
  // Each rule resource linked to its group once; one whose group is known only at deploy may be any group's.
  const link = (rules: CfnResource[]): { of: Map<CfnResource, CfnResource[]>; maybe: string | undefined } => {
    const of = new Map<CfnResource, CfnResource[]>();
    let maybe: string | undefined;
    for (const r of rules) {
      const gid = r.props.GroupId ?? r.props.GroupName;
      const hit = ctx.targets(gid, 'AWS::EC2::SecurityGroup', 'GroupName');
      for (const g of hit) of.set(g, [...(of.get(g) ?? []), r]);
      if (hit.length === 0 && isUnresolved(gid) && gid.refs.length === 0) maybe ??= r.logicalId;
    }
    return { of, maybe };
  };
  const linked = { ingress: link(ingress), egress: link(egress) };
  const checkPorts = (r: CfnResource, v: unknown): void => {
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return;
    const x = v as Record<string, unknown>;
    const why = portRangeProblem(x.IpProtocol, x.FromPort, x.ToPort, ['FromPort', 'ToPort']);
    if (why) ctx.problems.push({ file: ctx.template.file, line: r.line, message: `${r.logicalId}: ${why}` });
  };
  for (const r of [...ingress, ...egress]) checkPorts(r, r.props);
  for (const g of ctx.ofType('AWS::EC2::SecurityGroup')) {
    for (const prop of ['SecurityGroupIngress', 'SecurityGroupEgress']) {
      const shape = ruleListProblem(g.props[prop]);
      if (shape) ctx.problems.push({ file: ctx.template.file, line: g.line, message: `${g.logicalId}: ${prop} ${shape}` });
      const l = list(g.props, prop);
      if (!isUnresolved(l)) for (const x of l) checkPorts(g, x);
    }
  }
  return [...ctx.ofType('AWS::EC2::SecurityGroup').map((g) => {
    const d = ctx.draft(awsEc2SecurityGroup, g);
    const p = g.props;
    const name = ctx.name(g, 'GroupName', 'group name');
    d.set('groupName', name);
    // A template creates its groups; a VPC's default group is made with the VPC, never by a template.
    d.set('defaultGroup', false);
    if (typeof name === 'string') d.name = name;
    d.set('description', str(p.GroupDescription, ''));
    d.set('vpcId', str(p.VpcId));
    for (const [dir, prop] of [
      ['ingress', 'SecurityGroupIngress'],
      ['egress', 'SecurityGroupEgress'],
    ] as const) {
      const own = list(p, prop);
      // A rule under a condition decided at deploy (Fn::If) is one unknown rule; the others stay known.
      const perms: unknown[] = isUnresolved(own) ? [] : own.map((x) => (isUnresolved(x) ? x : permission(ctx, x as Record<string, unknown>, dir === 'egress')));
      if (dir === 'egress' && !isUnresolved(own) && own.length === 0 && p.SecurityGroupEgress === undefined) {
        perms.push({ ...emptyPermission('-1', null, null), ipv4Ranges: [{ cidr: '0.0.0.0/0', description: null }] });
      }
      for (const r of linked[dir].of.get(g) ?? []) perms.push(permission(ctx, r.props, dir === 'egress'));
      const maybe = linked[dir].maybe;
      d.set(dir, maybe ? new Unresolved(`${maybe} may add rules to this group: its GroupId is known only at deploy`) : isUnresolved(own) ? own : perms);
    }
    return d;
  }), ...externalGroups(ctx, ingress, egress), ...mapPrefixLists(ctx)];
}

/**
 * SecurityGroupIngress/Egress on a group the template does not declare (an existing group named
 * by its id or name): the group is checked for the rules they add, among others it does not show.
 */
function externalGroups(ctx: CfnContext, ingress: CfnResource[], egress: CfnResource[]): Draft[] {
  const external = new Map<string, { at: CfnResource; ingress: Permission[]; egress: Permission[] }>();
  for (const [dir, rules] of [
    ['ingress', ingress],
    ['egress', egress],
  ] as const) {
    for (const r of rules) {
      const gid = r.props.GroupId ?? r.props.GroupName;
      if (typeof gid !== 'string' || gid === '' || ctx.targets(gid, 'AWS::EC2::SecurityGroup', 'GroupName').length > 0) continue;
      let e = external.get(gid);
      if (!e) external.set(gid, (e = { at: r, ingress: [], egress: [] }));
      e[dir].push(permission(ctx, r.props, dir === 'egress'));
    }
  }
  return [...external].map(([gid, e]) => {
    const d = ctx.draft(awsEc2SecurityGroup, e.at);
    const why = (what: string): Unresolved => new Unresolved(`security group ${gid} is not declared in this template: its ${what} are not visible in it`);
    const { account, region } = d.origin;
    if (gid.startsWith('sg-') && account !== UNKNOWN_ACCOUNT && region !== UNKNOWN_REGION) d.id = `arn:${partitionOf(region)}:ec2:${region}:${account}:security-group/${gid}`;
    d.name = gid;
    d.markUnknown('$tags', why('tags').reason);
    d.set('groupName', gid.startsWith('sg-') ? new Unresolved(`security group ${gid} is not declared in this template: its name is not visible in it`) : gid);
    d.set('defaultGroup', gid.startsWith('sg-') ? new Unresolved(`security group ${gid} is not declared in this template: whether it is its VPC's default group is not visible in it`) : gid === 'default');
    d.set('description', new Unresolved(`security group ${gid} is not declared in this template: its description is not visible in it`));
    d.set('vpcId', new Unresolved(`security group ${gid} is not declared in this template: its VPC is not visible in it`));
    d.set('ingress', [...e.ingress, why('other inbound rules')]);
    d.set('egress', [...e.egress, why('other outbound rules')]);
    return d;
  });
}

import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioInstance, ScenarioPermission, ScenarioRegion } from '../scenario';
import { el, list, nest } from '../xml';

/** EC2 over the EC2 Query protocol: regions, EBS encryption defaults, security groups, instances, VPCs, flow logs and network ACLs. */

function region(ctx: Ctx): ScenarioRegion {
  return ctx.account.regions.find((r) => r.name === ctx.region)!;
}

function permissions(tag: string, perms: ScenarioPermission[] | undefined): string {
  return list(
    tag,
    'item',
    (perms ?? []).map(
      (p) =>
        el('ipProtocol', p.ipProtocol) + el('fromPort', p.fromPort) + el('toPort', p.toPort) +
        list('groups', 'item', (p.referencedGroups ?? []).map((g) => el('groupId', g.groupId) + el('userId', g.userId))) +
        list('ipRanges', 'item', (p.ipv4Ranges ?? []).map((r) => el('cidrIp', r.cidr) + el('description', r.description))) +
        list('ipv6Ranges', 'item', (p.ipv6Ranges ?? []).map((r) => el('cidrIpv6', r.cidr) + el('description', r.description))) +
        list('prefixListIds', 'item', (p.prefixListIds ?? []).map((id) => el('prefixListId', id))),
    ),
  );
}

function tagSet(tags: Record<string, string> | undefined): string {
  return tags ? list('tagSet', 'item', Object.entries(tags).map(([k, v]) => el('key', k) + el('value', v))) : '';
}

/** One page of a region's `items` (the client's MaxResults, capped by the fake's page size), as `<set>` items and a nextToken. */
function paged<T>(ctx: Ctx, op: string, items: readonly T[], set: string, item: (x: T) => string): string {
  const size = ctx.fake.pageSize(`ec2:${op}`, Number(ctx.params.get('MaxResults') ?? 0), 1000);
  const { items: pageItems, next } = page(items, ctx.params.get('NextToken'), size);
  return list(set, 'item', pageItems.map(item)) + el('nextToken', next);
}

const STATE_CODES: Record<ScenarioInstance['state'], number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

function instanceXml(i: ScenarioInstance): string {
  const mo = i.metadataOptions;
  return (
    el('instanceId', i.instanceId) + el('imageId', 'ami-0fake') + nest('instanceState', el('code', STATE_CODES[i.state]), el('name', i.state)) +
    el('instanceType', 't3.micro') + el('launchTime', '2025-01-01T00:00:00.000Z') + el('vpcId', i.vpcId) +
    (i.iamInstanceProfileArn ? nest('iamInstanceProfile', el('arn', i.iamInstanceProfileArn), el('id', 'AIPAFAKE')) : '') +
    (mo ? nest('metadataOptions', el('state', 'applied'), el('httpTokens', mo.httpTokens), el('httpPutResponseHopLimit', 2), el('httpEndpoint', mo.httpEndpoint)) : '') +
    tagSet(i.tags)
  );
}

/** Instances grouped into reservations, in scenario order (instances without a reservation id get their own). */
function reservations(instances: ScenarioInstance[]): { id: string; instances: ScenarioInstance[] }[] {
  const out: { id: string; instances: ScenarioInstance[] }[] = [];
  for (const i of instances) {
    const id = i.reservationId ?? `r-${i.instanceId.slice(2)}`;
    const last = out[out.length - 1];
    if (last?.id === id) last.instances.push(i);
    else out.push({ id, instances: [i] });
  }
  return out;
}

export const ec2Handlers: Record<string, Handler> = {
  DescribeRegions(ctx) {
    const all = ctx.params.get('AllRegions') === 'true';
    const regions = ctx.account.regions.filter((r) => all || r.optInStatus !== 'not-opted-in');
    return list(
      'regionInfo',
      'item',
      regions.map((r) => el('regionName', r.name) + el('regionEndpoint', `ec2.${r.name}.amazonaws.com`) + el('optInStatus', r.optInStatus ?? 'opt-in-not-required')),
    );
  },

  GetEbsEncryptionByDefault(ctx) {
    return el('ebsEncryptionByDefault', region(ctx).ebsEncryptionByDefault ?? false) + el('sseType', 'sse-ebs');
  },

  GetEbsDefaultKmsKeyId(ctx) {
    return el('kmsKeyId', region(ctx).ebsDefaultKmsKeyId ?? 'alias/aws/ebs');
  },

  DescribeSecurityGroups(ctx) {
    return paged(
      ctx,
      'DescribeSecurityGroups',
      region(ctx).securityGroups ?? [],
      'securityGroupInfo',
      (g) =>
        el('ownerId', ctx.accountId) + el('groupId', g.groupId) + el('groupName', g.groupName) + el('groupDescription', g.description) +
        el('vpcId', g.vpcId) + permissions('ipPermissions', g.ingress) + permissions('ipPermissionsEgress', g.egress) + tagSet(g.tags) +
        el('securityGroupArn', `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${g.groupId}`),
    );
  },

  /** Pages count reservations (a page of one holds every instance launched together). */
  DescribeInstances(ctx) {
    return paged(
      ctx,
      'DescribeInstances',
      reservations(region(ctx).instances ?? []),
      'reservationSet',
      (r) => el('reservationId', r.id) + el('ownerId', ctx.accountId) + '<groupSet/>' + list('instancesSet', 'item', r.instances.map(instanceXml)),
    );
  },

  /** Filtered by the PrefixListId.N parameters when given, as the client sends them. */
  DescribeManagedPrefixLists(ctx) {
    const wanted = [...ctx.params.entries()].filter(([k]) => /^PrefixListId\.\d+$/.test(k)).map(([, v]) => v);
    const lists = (region(ctx).prefixLists ?? []).filter((l) => wanted.length === 0 || wanted.includes(l.prefixListId));
    return paged(ctx, 'DescribeManagedPrefixLists', lists, 'prefixListSet', (l) =>
      el('prefixListId', l.prefixListId) + el('addressFamily', l.addressFamily ?? 'IPv4') + el('state', 'create-complete') +
      el('prefixListArn', `arn:aws:ec2:${ctx.region}:${l.ownerId ?? ctx.accountId}:prefix-list/${l.prefixListId}`) + el('prefixListName', l.name) +
      el('maxEntries', Math.max(l.entries.length, 1)) + el('version', 1) + el('ownerId', l.ownerId ?? ctx.accountId),
    );
  },

  GetManagedPrefixListEntries(ctx) {
    const l = (region(ctx).prefixLists ?? []).find((x) => x.prefixListId === ctx.params.get('PrefixListId'));
    if (!l) throw new FakeError('InvalidPrefixListID.NotFound', 400, `The prefix list ID '${ctx.params.get('PrefixListId')}' does not exist`);
    return paged(ctx, 'GetManagedPrefixListEntries', l.entries, 'entrySet', (e) => el('cidr', e.cidr) + el('description', e.description));
  },

  DescribeVpcs(ctx) {
    return paged(
      ctx,
      'DescribeVpcs',
      region(ctx).vpcs ?? [],
      'vpcSet',
      (v) =>
        el('vpcId', v.vpcId) + el('ownerId', ctx.accountId) + el('state', 'available') + el('cidrBlock', v.cidrBlock) +
        el('dhcpOptionsId', 'dopt-fake') + el('instanceTenancy', 'default') + el('isDefault', v.isDefault ?? false) + tagSet(v.tags),
    );
  },

  DescribeFlowLogs(ctx) {
    return paged(
      ctx,
      'DescribeFlowLogs',
      region(ctx).flowLogs ?? [],
      'flowLogSet',
      (f) =>
        el('creationTime', '2025-01-01T00:00:00.000Z') + el('flowLogId', f.flowLogId) + el('flowLogStatus', f.flowLogStatus ?? 'ACTIVE') +
        el('resourceId', f.resourceId) + el('trafficType', f.trafficType) + el('logDestinationType', f.logDestinationType ?? 'cloud-watch-logs') +
        el('deliverLogsStatus', f.deliverLogsStatus) + el('maxAggregationInterval', 600),
    );
  },

  DescribeNetworkAcls(ctx) {
    return paged(
      ctx,
      'DescribeNetworkAcls',
      region(ctx).networkAcls ?? [],
      'networkAclSet',
      (a) =>
        el('networkAclId', a.networkAclId) + el('vpcId', a.vpcId) + el('default', a.isDefault ?? false) + el('ownerId', ctx.accountId) +
        list(
          'entrySet',
          'item',
          a.entries.map(
            (e) =>
              el('ruleNumber', e.ruleNumber) + el('protocol', e.protocol) + el('ruleAction', e.ruleAction) + el('egress', e.egress) +
              el('cidrBlock', e.cidrBlock) + el('ipv6CidrBlock', e.ipv6CidrBlock) + (e.portRange ? nest('portRange', el('from', e.portRange.from), el('to', e.portRange.to)) : ''),
          ),
        ) +
        '<associationSet/>' + tagSet(a.tags),
    );
  },
};

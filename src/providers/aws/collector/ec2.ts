import {
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkAclsCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  type FlowLog,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  GetManagedPrefixListEntriesCommand,
  type Instance,
  type IpPermission,
  type NetworkAcl,
  type SecurityGroup,
  type Tag,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { type CallOutcome, ResourceDraft } from '../../../collect/resource-draft';
import type { AccountContext } from './context';
import type { AccountCalls } from './calls';
import type { AwsClients } from './clients';
import { tagsOf } from './resource';
import { awsEc2Instance } from '../types/ec2-instance';
import { awsEc2NetworkAcl } from '../types/ec2-network-acl';
import { awsEc2PrefixList } from '../types/ec2-prefix-list';
import { awsEc2Region } from '../types/ec2-region';
import { awsEc2SecurityGroup } from '../types/ec2-security-group';
import { awsEc2Vpc } from '../types/ec2-vpc';
import { AWS_TYPES } from '../types/index';

/** The largest page every EC2 Describe* listing allows. */
const PAGE = 1000;

/** Every regional resource type: a failed DescribeRegions leaves all their listings incomplete. */
export const REGIONAL_TYPES = AWS_TYPES.filter((t) => t.provider === 'aws' && t.scope === 'regional').map((t) => t.type);

export interface RegionInfo {
  name: string;
  optInStatus: string;
}

/** Regions of the account with their opt-in status (all of them, so a disabled one can be named). */
export async function describeRegions(calls: AccountCalls, clients: AwsClients, homeRegion: string, affects: string[] | undefined): Promise<RegionInfo[] | null> {
  const r = await calls.one({ service: 'ec2', operation: 'DescribeRegions', region: 'global', ...(affects ? { affects } : {}) }, (abortSignal) =>
    clients.ec2(homeRegion).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal }),
  );
  if (!r.ok) return null;
  return (r.value?.Regions ?? []).map((x) => ({ name: x.RegionName ?? '', optInStatus: x.OptInStatus ?? 'opt-in-not-required' }));
}

function permissions(list: IpPermission[] | undefined): Record<string, unknown>[] {
  return (list ?? []).map((p) => ({
    ipProtocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort ?? null,
    toPort: p.ToPort ?? null,
    ipv4Ranges: (p.IpRanges ?? []).map((r) => ({ cidr: r.CidrIp ?? '', description: r.Description ?? null })),
    ipv6Ranges: (p.Ipv6Ranges ?? []).map((r) => ({ cidr: r.CidrIpv6 ?? '', description: r.Description ?? null })),
    prefixListIds: (p.PrefixListIds ?? []).map((x) => x.PrefixListId ?? ''),
    referencedGroups: (p.UserIdGroupPairs ?? []).map((g) => ({ groupId: g.GroupId ?? '', userId: g.UserId ?? null })),
  }));
}

/** True when every rule says what it allows from where (AWS always sends these). */
function complete(list: IpPermission[] | undefined): boolean {
  return (list ?? []).every(
    (p) =>
      p.IpProtocol !== undefined &&
      (p.IpRanges ?? []).every((r) => !!r.CidrIp) &&
      (p.Ipv6Ranges ?? []).every((r) => !!r.CidrIpv6) &&
      (p.PrefixListIds ?? []).every((x) => !!x.PrefixListId) &&
      (p.UserIdGroupPairs ?? []).every((x) => !!x.GroupId),
  );
}

/** One paginated EC2 Describe* listing of a region; a failure on any page fails the whole listing. */
function describeAll<T extends { NextToken?: string }>(ctx: AccountContext, region: string, operation: string, send: (token: string | undefined, signal: AbortSignal) => Promise<T>) {
  return ctx.calls.pages({ service: 'ec2', operation, region }, send, (p: T) => p.NextToken);
}

/** Emits an EC2 resource with its ARN (`arn:…:ec2:<region>:<account>:<kind>/<id>`), named by its Name tag unless `name` is given. */
function emitEc2(ctx: AccountContext, region: string, kind: string, id: string, d: ResourceDraft, list: Tag[] | undefined, name?: string): Promise<void> {
  const tags = tagsOf(list);
  return ctx.emit(
    d.finish({
      id: `arn:${ctx.partition}:ec2:${region}:${ctx.account}:${kind}/${id}`,
      account: ctx.account,
      region,
      name: name ?? tags?.Name ?? id,
      ...(tags ? { tags } : {}),
    }),
  );
}

function instanceDraft(i: Instance): ResourceDraft {
  const mo = i.MetadataOptions;
  const d = new ResourceDraft(awsEc2Instance, {
    instanceId: i.InstanceId ?? '',
    state: i.State?.Name ?? null,
    iamInstanceProfileArn: i.IamInstanceProfile?.Arn ?? null,
    metadataOptions: mo?.HttpTokens && mo.HttpEndpoint ? { httpTokens: mo.HttpTokens, httpEndpoint: mo.HttpEndpoint } : null,
    vpcId: i.VpcId ?? null,
  });
  // AWS always returns both; an endpoint that leaves them out has not told us, so no default is guessed.
  if (!i.State?.Name) d.lose('state');
  if (d.properties.metadataOptions === null) d.lose('metadataOptions');
  return d;
}

function flowLogsOf(d: ResourceDraft, logs: FlowLog[]): Record<string, unknown>[] {
  return logs.map((f, i) => {
    // Required for VPC flow logs; left unknown rather than guessed when an endpoint omits it.
    if (!f.TrafficType) d.unknown.add(`flowLogs.${i}.trafficType`);
    return {
      flowLogId: f.FlowLogId ?? '',
      flowLogStatus: f.FlowLogStatus ?? '',
      trafficType: f.TrafficType ?? null,
      logDestinationType: f.LogDestinationType ?? 'cloud-watch-logs',
      deliverLogsStatus: f.DeliverLogsStatus ?? null,
    };
  });
}

function vpcDraft(v: Vpc, logs: CallOutcome<FlowLog[]>): ResourceDraft {
  const d = new ResourceDraft(awsEc2Vpc, { vpcId: v.VpcId ?? '', isDefault: v.IsDefault === true, cidrBlock: v.CidrBlock ?? '', flowLogs: [] });
  if (d.from(logs)) d.properties.flowLogs = flowLogsOf(d, logs.value);
  return d;
}

function networkAclDraft(a: NetworkAcl): ResourceDraft {
  const entries = a.Entries ?? [];
  const d = new ResourceDraft(awsEc2NetworkAcl, {
    networkAclId: a.NetworkAclId ?? '',
    vpcId: a.VpcId ?? '',
    isDefault: a.IsDefault === true,
    entries: entries.map((e) => ({
      ruleNumber: e.RuleNumber ?? 0,
      egress: e.Egress === true,
      protocol: e.Protocol ?? '-1',
      ruleAction: e.RuleAction ?? 'deny',
      cidrBlock: e.CidrBlock ?? null,
      ipv6CidrBlock: e.Ipv6CidrBlock ?? null,
      portRange: e.PortRange?.From !== undefined && e.PortRange.To !== undefined ? { from: e.PortRange.From, to: e.PortRange.To } : null,
    })),
  });
  // Entries are evaluated in order, first match wins: one entry without its number, protocol or
  // action (AWS always sends them) leaves the whole list undecidable, so none is guessed.
  if (entries.some((e) => e.RuleNumber === undefined || !e.Protocol || !e.RuleAction)) d.lose('entries');
  return d;
}

/**
 * VPCs with their flow logs: DescribeFlowLogs (every flow log of the region, attached to the VPC
 * it belongs to) only when there is a VPC to attach them to. A failed flow-log listing leaves
 * every VPC's `flowLogs` unknown.
 */
async function collectVpcs(ctx: AccountContext, region: string): Promise<void> {
  const ec2 = ctx.clients.ec2(region);
  const vpcs = await describeAll(ctx, region, 'DescribeVpcs', (NextToken, abortSignal) => ec2.send(new DescribeVpcsCommand({ MaxResults: PAGE, NextToken }), { abortSignal }));
  if (!vpcs.ok) return;
  const list = vpcs.value.flatMap((p) => p.Vpcs ?? []);
  if (list.length === 0) return;
  const logs = await describeAll(ctx, region, 'DescribeFlowLogs', (NextToken, abortSignal) => ec2.send(new DescribeFlowLogsCommand({ MaxResults: PAGE, NextToken }), { abortSignal }));
  const byResource = new Map<string, FlowLog[]>();
  if (logs.ok) {
    for (const f of logs.value.flatMap((p) => p.FlowLogs ?? [])) {
      if (f.ResourceId) byResource.set(f.ResourceId, [...(byResource.get(f.ResourceId) ?? []), f]);
    }
  }
  for (const v of list) {
    const id = v.VpcId ?? '';
    await emitEc2(ctx, region, 'vpc', id, vpcDraft(v, logs.ok ? { ok: true, value: byResource.get(id) ?? [] } : logs), v.Tags);
  }
}

/** DescribeManagedPrefixLists takes at most this many ids per call. */
const PREFIX_LIST_BATCH = 100;

/**
 * The managed prefix lists the region's security groups refer to, with their entries: one
 * DescribeManagedPrefixLists per 100 referenced lists, one GetManagedPrefixListEntries (paged)
 * per list, and nothing at all when no rule refers to a list. A list that is not returned (not
 * shared with the account any more) or whose entries cannot be read stays unknown to the rules.
 */
async function collectPrefixLists(ctx: AccountContext, region: string, groups: SecurityGroup[]): Promise<void> {
  const ids = new Set<string>();
  for (const g of groups) {
    for (const p of [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])]) for (const x of p.PrefixListIds ?? []) if (x.PrefixListId) ids.add(x.PrefixListId);
  }
  if (ids.size === 0) return;
  const ec2 = ctx.clients.ec2(region);
  const all = [...ids].sort();
  for (let i = 0; i < all.length; i += PREFIX_LIST_BATCH) {
    const batch = all.slice(i, i + PREFIX_LIST_BATCH);
    const described = await describeAll(ctx, region, 'DescribeManagedPrefixLists', (NextToken, abortSignal) =>
      ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: batch, NextToken }), { abortSignal }),
    );
    if (!described.ok) continue; // the coverage entry makes the listing a gap
    for (const pl of described.value.flatMap((p) => p.PrefixLists ?? [])) {
      const id = pl.PrefixListId ?? '';
      const entries = await ctx.calls.pages(
        { service: 'ec2', operation: 'GetManagedPrefixListEntries', region, resourceId: id },
        (NextToken, abortSignal) => ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, MaxResults: 100, NextToken }), { abortSignal }),
        (p) => p.NextToken,
      );
      const d = new ResourceDraft(awsEc2PrefixList, { prefixListId: id, prefixListName: pl.PrefixListName ?? null, ownerId: pl.OwnerId ?? null, addressFamily: pl.AddressFamily ?? null, entries: [] });
      if (d.from(entries)) {
        const list = entries.value.flatMap((p) => p.Entries ?? []);
        // An entry without its CIDR would read as "matches nothing": the list is not known.
        if (list.some((e) => !e.Cidr)) d.lose('entries');
        else d.properties.entries = list.map((e) => ({ cidr: e.Cidr!, description: e.Description ?? null }));
      }
      await emitEc2(ctx, region, 'prefix-list', id, d, pl.Tags, pl.PrefixListName ?? id);
    }
  }
}

/** EBS encryption defaults (as the `aws.ec2.region` resource), security groups, instances, VPCs and network ACLs of one region. */
export async function collectEc2(ctx: AccountContext, region: string, optInStatus: string | null): Promise<void> {
  const ec2 = ctx.clients.ec2(region);
  const d = new ResourceDraft(awsEc2Region, { regionName: region, optInStatus, ebsEncryptionByDefault: null, ebsDefaultKmsKeyId: null });
  if (optInStatus === null) d.loseOperation('ec2:DescribeRegions'); // it failed: the region's opt-in is not known
  await Promise.all([
    ctx.calls.one({ service: 'ec2', operation: 'GetEbsEncryptionByDefault', region }, (abortSignal) => ec2.send(new GetEbsEncryptionByDefaultCommand({}), { abortSignal })).then((r) => {
      if (d.from(r)) d.properties.ebsEncryptionByDefault = r.value?.EbsEncryptionByDefault === true;
    }),
    ctx.calls.one({ service: 'ec2', operation: 'GetEbsDefaultKmsKeyId', region }, (abortSignal) => ec2.send(new GetEbsDefaultKmsKeyIdCommand({}), { abortSignal })).then((r) => {
      if (d.from(r)) d.properties.ebsDefaultKmsKeyId = r.value?.KmsKeyId ?? null;
    }),
    describeAll(ctx, region, 'DescribeSecurityGroups', (NextToken, abortSignal) => ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: PAGE, NextToken }), { abortSignal })).then(async (r) => {
      if (!r.ok) return;
      const groups = r.value.flatMap((p) => p.SecurityGroups ?? []);
      await collectPrefixLists(ctx, region, groups);
      for (const g of groups) {
        const id = g.GroupId ?? '';
        const sg = new ResourceDraft(awsEc2SecurityGroup, {
          groupId: id,
          groupName: g.GroupName ?? '',
          description: g.Description ?? '',
          vpcId: g.VpcId ?? null,
          ingress: permissions(g.IpPermissions),
          egress: permissions(g.IpPermissionsEgress),
        });
        // A range or referenced group without its CIDR or id would match nothing: the rules are not known.
        if (!complete(g.IpPermissions)) sg.lose('ingress');
        if (!complete(g.IpPermissionsEgress)) sg.lose('egress');
        await emitEc2(ctx, region, 'security-group', id, sg, g.Tags, g.GroupName ?? id);
      }
    }),
    describeAll(ctx, region, 'DescribeInstances', (NextToken, abortSignal) => ec2.send(new DescribeInstancesCommand({ MaxResults: PAGE, NextToken }), { abortSignal })).then(async (r) => {
      if (!r.ok) return;
      for (const i of r.value.flatMap((p) => p.Reservations ?? []).flatMap((res) => res.Instances ?? [])) {
        await emitEc2(ctx, region, 'instance', i.InstanceId ?? '', instanceDraft(i), i.Tags);
      }
    }),
    collectVpcs(ctx, region),
    describeAll(ctx, region, 'DescribeNetworkAcls', (NextToken, abortSignal) => ec2.send(new DescribeNetworkAclsCommand({ MaxResults: PAGE, NextToken }), { abortSignal })).then(async (r) => {
      if (!r.ok) return;
      for (const a of r.value.flatMap((p) => p.NetworkAcls ?? [])) {
        await emitEc2(ctx, region, 'network-acl', a.NetworkAclId ?? '', networkAclDraft(a), a.Tags);
      }
    }),
  ]);
  await ctx.emit(d.finish({ id: `arn:${ctx.partition}:ec2:${region}:${ctx.account}:region`, account: ctx.account, region }));
}

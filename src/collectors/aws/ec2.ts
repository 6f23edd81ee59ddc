import {
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandOutput,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { BUILTIN_TYPES } from '../../core/resource-types/index';
import type { AccountContext } from './context';
import type { AccountCalls } from './calls';
import type { AwsClients } from './clients';
import { ResourceDraft, tagsOf } from './resource';

/** Every regional resource type: a failed DescribeRegions leaves all their listings incomplete. */
export const REGIONAL_TYPES = BUILTIN_TYPES.filter((t) => t.provider === 'aws' && t.scope === 'regional').map((t) => t.type);

export interface RegionInfo {
  name: string;
  optInStatus: string;
}

/** Regions of the account with their opt-in status (all of them, so a disabled one can be named). */
export async function describeRegions(calls: AccountCalls, clients: AwsClients, homeRegion: string, affects: string[] | undefined): Promise<RegionInfo[] | null> {
  const r = await calls.one({ service: 'ec2', operation: 'DescribeRegions', region: 'global', ...(affects ? { affects } : {}) }, () =>
    clients.ec2(homeRegion).send(new DescribeRegionsCommand({ AllRegions: true })),
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

/** EBS encryption defaults (as the `aws.ec2.region` resource) and security groups of one region. */
export async function collectEc2(ctx: AccountContext, region: string, optInStatus: string | null): Promise<void> {
  const ec2 = ctx.clients.ec2(region);
  const d = new ResourceDraft({ regionName: region, optInStatus, ebsEncryptionByDefault: null, ebsDefaultKmsKeyId: null });
  if (optInStatus === null) d.lose('optInStatus'); // DescribeRegions failed
  await Promise.all([
    ctx.calls.one({ service: 'ec2', operation: 'GetEbsEncryptionByDefault', region }, () => ec2.send(new GetEbsEncryptionByDefaultCommand({}))).then((r) => {
      if (d.from(r, 'ebsEncryptionByDefault')) d.properties.ebsEncryptionByDefault = r.value?.EbsEncryptionByDefault === true;
    }),
    ctx.calls.one({ service: 'ec2', operation: 'GetEbsDefaultKmsKeyId', region }, () => ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).then((r) => {
      if (d.from(r, 'ebsDefaultKmsKeyId')) d.properties.ebsDefaultKmsKeyId = r.value?.KmsKeyId ?? null;
    }),
    ctx.calls
      .pages(
        { service: 'ec2', operation: 'DescribeSecurityGroups', region },
        (NextToken) => ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 1000, NextToken })),
        (p: DescribeSecurityGroupsCommandOutput) => p.NextToken,
      )
      .then(async (r) => {
        if (!r.ok) return;
        for (const g of r.value.flatMap((p) => p.SecurityGroups ?? [])) {
          const id = g.GroupId ?? '';
          const sg = new ResourceDraft({
            groupId: id,
            groupName: g.GroupName ?? '',
            description: g.Description ?? '',
            vpcId: g.VpcId ?? null,
            ingress: permissions(g.IpPermissions),
            egress: permissions(g.IpPermissionsEgress),
          });
          const tags = tagsOf(g.Tags);
          await ctx.emit(
            sg.finish({
              id: `arn:${ctx.partition}:ec2:${region}:${ctx.account}:security-group/${id}`,
              type: 'aws.ec2.security-group',
              account: ctx.account,
              region,
              name: g.GroupName ?? id,
              ...(tags ? { tags } : {}),
            }),
          );
        }
      }),
  ]);
  await ctx.emit(d.finish({ id: `arn:${ctx.partition}:ec2:${region}:${ctx.account}:region`, type: 'aws.ec2.region', account: ctx.account, region }));
}

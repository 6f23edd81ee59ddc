import { type Ctx, type Handler, page } from '../server';
import type { ScenarioPermission, ScenarioRegion } from '../scenario';
import { el, list } from '../xml';

/** EC2 over the EC2 Query protocol: regions, EBS encryption defaults and security groups. */

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
    const groups = region(ctx).securityGroups ?? [];
    const size = ctx.fake.pageSize('ec2:DescribeSecurityGroups', Number(ctx.params.get('MaxResults') ?? 0), 1000);
    const { items, next } = page(groups, ctx.params.get('NextToken'), size);
    return (
      list(
        'securityGroupInfo',
        'item',
        items.map(
          (g) =>
            el('ownerId', ctx.accountId) + el('groupId', g.groupId) + el('groupName', g.groupName) + el('groupDescription', g.description) +
            el('vpcId', g.vpcId) + permissions('ipPermissions', g.ingress) + permissions('ipPermissionsEgress', g.egress) +
            (g.tags ? list('tagSet', 'item', Object.entries(g.tags).map(([k, v]) => el('key', k) + el('value', v))) : '') +
            el('securityGroupArn', `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${g.groupId}`),
        ),
      ) + el('nextToken', next)
    );
  },
};

import type { Scenario, ScenarioAccount, ScenarioBucket, ScenarioRegion } from './scenario';
import { minimumDataCalls, populateData } from './synthetic-data';
import { minimumWebAnalyticsCalls, populateWebAnalytics } from './synthetic-web-analytics';

/** Services populated beside the core ones: each fills an account and counts the calls its data needs. */
const POPULATIONS: { populate(account: ScenarioAccount, a: number, regions: string[]): void; minimum(account: ScenarioAccount, regions: string[], add: (op: string, n: number) => void): void }[] = [
  { populate: populateData, minimum: minimumDataCalls },
  { populate: populateWebAnalytics, minimum: minimumWebAnalyticsCalls },
];
import { detectMinimumCalls, detectPopulation } from './synthetic-detect';

/** Size of a synthetic organization for the benchmark. */
export interface SyntheticSize {
  accounts: number;
  regions: number;
  bucketsPerAccount: number;
  /** Users + groups + roles per account (managed policies come on top, one per 10 principals). */
  principalsPerAccount: number;
  keysPerRegion: number;
  securityGroupsPerRegion: number;
  instancesPerRegion: number;
  /** VPCs in every region but the last (left without a VPC, as hardened accounts do), each with two network ACLs. */
  vpcsPerRegion: number;
  serverCertificatesPerAccount: number;
}

export const BENCH_SIZE: SyntheticSize = {
  accounts: 3,
  regions: 4,
  bucketsPerAccount: 500,
  principalsPerAccount: 300,
  keysPerRegion: 5,
  securityGroupsPerRegion: 10,
  instancesPerRegion: 40,
  vpcsPerRegion: 3,
  serverCertificatesPerAccount: 4,
};

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];
const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] };

const WORLD_ALLOW = { egress: false, protocol: '-1', ruleAction: 'allow' as const, cidrBlock: '0.0.0.0/0' };
const WORLD_DENY = { ruleNumber: 32767, egress: false, protocol: '-1', ruleAction: 'deny' as const, cidrBlock: '0.0.0.0/0' };

/** Instances, VPCs (flow logs on two in three), network ACLs and analyzers of region `r` of the `a`-th account. */
function networkOf(size: SyntheticSize, a: number, account: string, r: number, regions: number): Partial<ScenarioRegion> {
  const vpcs = r < regions - 1 ? size.vpcsPerRegion : 0;
  const vpcId = (v: number): string => `vpc-${a}${r}${String(v).padStart(8, '0')}`;
  return {
    instances: Array.from({ length: size.instancesPerRegion }, (_, i) => ({
      instanceId: `i-${a}${r}${String(i).padStart(14, '0')}`,
      // Instances launched in pairs share a reservation.
      reservationId: `r-${a}${r}${String(Math.floor(i / 2)).padStart(14, '0')}`,
      state: i % 10 === 9 ? ('stopped' as const) : ('running' as const),
      vpcId: vpcs ? vpcId(i % vpcs) : null,
      iamInstanceProfileArn: i % 4 === 0 ? null : `arn:aws:iam::${account}:instance-profile/app-${i % 3}`,
      metadataOptions: { httpTokens: i % 3 === 0 ? ('optional' as const) : ('required' as const), httpEndpoint: 'enabled' as const },
      tags: { Name: `app-${i}` },
    })),
    vpcs: Array.from({ length: vpcs }, (_, v) => ({ vpcId: vpcId(v), cidrBlock: `10.${v}.0.0/16`, isDefault: v === 0 })),
    flowLogs: Array.from({ length: vpcs }, (_, v) => v)
      .filter((v) => v % 3 !== 2)
      .map((v) => ({ flowLogId: `fl-${a}${r}${v}`, resourceId: vpcId(v), trafficType: v % 2 === 0 ? ('ALL' as const) : ('REJECT' as const), logDestinationType: 's3' as const })),
    networkAcls: Array.from({ length: vpcs * 2 }, (_, n) => ({
      networkAclId: `acl-${a}${r}${String(n).padStart(8, '0')}`,
      vpcId: vpcId(Math.floor(n / 2)),
      isDefault: n % 2 === 0,
      entries: n % 2 === 0 ? [{ ruleNumber: 100, ...WORLD_ALLOW }, WORLD_DENY] : [{ ruleNumber: 100, ...WORLD_ALLOW, protocol: '6', portRange: { from: 443, to: 443 } }, WORLD_DENY],
    })),
    analyzers: [
      ...(a === 0 ? [{ name: 'org-external-access', type: 'ORGANIZATION' as const, createdAt: '2024-01-01T00:00:00Z' }] : []),
      ...(r % 2 === 0 ? [{ name: 'account-unused-access', type: 'ACCOUNT_UNUSED_ACCESS' as const, createdAt: '2024-01-01T00:00:00Z' }] : []),
    ],
  };
}

/** A deterministic organization of `size`, with varied settings (a third of buckets have a policy, some are public, …). */
export function syntheticScenario(size: SyntheticSize = BENCH_SIZE): Scenario {
  const ids = Array.from({ length: size.accounts }, (_, i) => String(100000000000 + i * 111111111));
  const regions = REGIONS.slice(0, size.regions);
  const accounts: ScenarioAccount[] = ids.map((id, a) => {
    const users = Math.floor(size.principalsPerAccount / 2);
    const roles = Math.floor(size.principalsPerAccount / 3);
    const groups = size.principalsPerAccount - users - roles;
    const policies = Math.ceil(size.principalsPerAccount / 10);
    const buckets: ScenarioBucket[] = Array.from({ length: size.bucketsPerAccount }, (_, b) => ({
      name: `bench-${a}-bucket-${b}`,
      region: regions[b % regions.length],
      creationDate: '2024-01-01T00:00:00Z',
      ...(b % 4 === 0 ? { tags: { 'data-classification': b % 8 === 0 ? 'confidential' : 'internal' } } : {}),
      publicAccessBlock: b % 5 === 0 ? null : { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      policy: b % 3 === 0 ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: b % 30 === 0 ? '*' : { AWS: `arn:aws:iam::${id}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::bench-${a}-bucket-${b}/*` }] } : null,
      objectOwnership: b % 2 === 0 ? 'BucketOwnerEnforced' : 'ObjectWriter',
      encryption: [{ sseAlgorithm: b % 7 === 0 ? 'aws:kms' : 'AES256', kmsMasterKeyId: b % 7 === 0 ? `arn:aws:kms:${regions[0]}:${id}:key/k0` : null, bucketKeyEnabled: b % 7 === 0 }],
      versioning: { status: b % 2 === 0 ? 'Enabled' : null, mfaDelete: b % 2 === 0 ? 'Disabled' : null },
      logging: b % 3 === 1 ? { targetBucket: `bench-${a}-bucket-0`, targetPrefix: `logs/${b}/` } : null,
    }));
    return {
      id,
      name: `bench-account-${a}`,
      scannerRoles: [{ name: 'TrustScanAudit' }],
      regions: regions.map((name, r) => ({
        name,
        ebsEncryptionByDefault: r % 2 === 0,
        securityGroups: Array.from({ length: size.securityGroupsPerRegion }, (_, g) => ({
          groupId: `sg-${a}${r}${String(g).padStart(14, '0')}`,
          groupName: `sg-${g}`,
          description: 'bench',
          vpcId: 'vpc-1',
          ingress: [{ ipProtocol: 'tcp', fromPort: g % 3 === 0 ? 22 : 443, toPort: g % 3 === 0 ? 22 : 443, ipv4Ranges: [{ cidr: g % 6 === 0 ? '0.0.0.0/0' : '10.0.0.0/8' }] }],
          egress: [{ ipProtocol: '-1', ipv4Ranges: [{ cidr: '0.0.0.0/0' }] }],
        })),
        ...networkOf(size, a, id, r, regions.length),
        ...detectPopulation(a, id, r),
      })),
      iam: {
        users: Array.from({ length: users }, (_, u) => ({
          name: `user-${u}`,
          createDate: '2024-01-01T00:00:00Z',
          groups: [`group-${u % Math.max(1, groups)}`],
          attachedPolicies: [`arn:aws:iam::${id}:policy/policy-${u % policies}`],
          inlinePolicies: u % 5 === 0 ? [{ name: 'inline', document: DOC }] : [],
          ...(u % 2 === 0 ? { password: { lastUsed: '2026-01-01T00:00:00Z', lastChanged: '2025-06-01T00:00:00Z' }, mfaActive: u % 4 === 0 } : {}),
          accessKeys: u % 3 === 0 ? [{ active: true, lastRotated: '2025-01-01T00:00:00Z', lastUsedDate: '2026-01-01T00:00:00Z', lastUsedService: 's3' }] : [],
        })),
        groups: Array.from({ length: groups }, (_, g) => ({ name: `group-${g}`, createDate: '2024-01-01T00:00:00Z', attachedPolicies: [`arn:aws:iam::${id}:policy/policy-${g % policies}`] })),
        roles: Array.from({ length: roles }, (_, r) => ({
          name: `role-${r}`,
          createDate: '2024-01-01T00:00:00Z',
          assumeRolePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          attachedPolicies: [`arn:aws:iam::${id}:policy/policy-${r % policies}`],
          inlinePolicies: [{ name: 'logs', document: DOC }],
        })),
        policies: Array.from({ length: policies }, (_, p) => ({ name: `policy-${p}`, document: DOC, createDate: '2024-01-01T00:00:00Z', updateDate: '2025-01-01T00:00:00Z' })),
        passwordPolicy: null,
        root: { mfaEnabled: true, virtualMfa: a % 2 === 0 },
        serverCertificates: Array.from({ length: size.serverCertificatesPerAccount }, (_, c) => ({
          name: `cert-${c}`,
          uploadDate: '2024-01-01T00:00:00Z',
          expiration: c % 2 === 0 ? '2025-01-01T00:00:00Z' : '2030-01-01T00:00:00Z',
        })),
      },
      s3: { publicAccessBlock: a === 0 ? { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } : null, buckets },
      trails: [
        ...(a === 0 ? [{ name: 'org-trail', homeRegion: regions[0], isMultiRegionTrail: true, isOrganizationTrail: true, logFileValidationEnabled: true, s3BucketName: `bench-0-bucket-0` }] : []),
        { name: `local-trail-${a}`, homeRegion: regions[regions.length - 1], s3BucketName: `bench-${a}-bucket-1` },
      ],
      kmsKeys: regions.flatMap((region, r) =>
        Array.from({ length: size.keysPerRegion }, (_, k) => ({
          id: `k${r}-${k}`,
          region,
          creationDate: '2024-01-01T00:00:00Z',
          rotationEnabled: k % 2 === 0,
          policy: DOC,
          aliases: k === 0 ? [`alias/aws/s3`] : [`alias/key-${r}-${k}`],
          ...(k === 0 ? { keyManager: 'AWS' as const } : {}),
        })),
      ),
    };
  });
  accounts.forEach((account, a) => POPULATIONS.forEach((p) => p.populate(account, a, regions)));
  return {
    name: `synthetic-${size.accounts}x${size.regions}`,
    callers: [{ accessKeyId: 'AKIAFAKEBENCHMARK001', account: ids[0], userName: 'scanner' }],
    organization: { id: 'o-bench', managementAccount: ids[0] },
    accounts,
  };
}

/**
 * The fewest API calls that give the data the collector emits for `scenario`, with every page as
 * large as the API allows and the credential report already generated.
 */
export function minimumCalls(scenario: Scenario, regionCount: number): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (op: string, n: number): void => {
    if (n > 0) out[op] = (out[op] ?? 0) + n;
  };
  /** Requests a listing of `n` items takes with pages of at most `size` (an empty listing is one request). */
  const pages = (n: number, size = 1000): number => Math.max(1, Math.ceil(n / size));
  const caller = scenario.callers[0].account;
  add('sts:GetCallerIdentity', 1);
  if (scenario.organization) add('organizations:ListAccounts', Math.ceil(scenario.accounts.length / 20));
  for (const a of scenario.accounts) {
    const iam = a.iam ?? {};
    if (a.id !== caller) add('sts:AssumeRole', 1);
    for (const op of ['ec2:DescribeRegions', 'organizations:DescribeOrganization', 'iam:GenerateCredentialReport', 'iam:GetCredentialReport', 'iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary', 'iam:ListVirtualMFADevices', 'iam:ListAccountAliases', 's3control:GetPublicAccessBlock']) add(op, 1);
    const entities = (iam.users?.length ?? 0) + (iam.groups?.length ?? 0) + (iam.roles?.length ?? 0) + (iam.policies?.length ?? 0);
    add('iam:GetAccountAuthorizationDetails', pages(entities));
    add('iam:ListRoles', pages(iam.roles?.length ?? 0));
    add('iam:ListServerCertificates', pages(iam.serverCertificates?.length ?? 0));
    const buckets = a.s3?.buckets ?? [];
    add('s3:ListBuckets', pages(buckets.length));
    for (const op of ['GetPublicAccessBlock', 'GetBucketPolicy', 'GetBucketAcl', 'GetBucketOwnershipControls', 'GetBucketEncryption', 'GetBucketVersioning', 'GetBucketLogging', 'GetBucketTagging', 'GetBucketLifecycleConfiguration']) add(`s3:${op}`, buckets.length);
    add('s3:GetBucketPolicyStatus', buckets.filter((b) => b.policy).length);
    const regions = a.regions.filter((r) => r.optInStatus !== 'not-opted-in').slice(0, regionCount);
    for (const r of regions) {
      for (const op of ['cloudtrail:DescribeTrails', 'kms:ListKeys', 'kms:ListAliases', 'ec2:GetEbsEncryptionByDefault', 'ec2:GetEbsDefaultKmsKeyId', 'ec2:DescribeSecurityGroups']) add(op, 1);
      const keys = (a.kmsKeys ?? []).filter((k) => k.region === r.name && k.keyManager !== 'AWS');
      add('kms:DescribeKey', keys.length);
      add('kms:GetKeyPolicy', keys.length);
      add('kms:GetKeyRotationStatus', keys.filter((k) => (k.keySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' && !(k.keyState ?? '').startsWith('Pending')).length);
      // DescribeInstances pages count reservations in the fake; flow logs are only listed where there is a VPC.
      add('ec2:DescribeInstances', pages(new Set((r.instances ?? []).map((i) => i.reservationId ?? i.instanceId)).size));
      add('ec2:DescribeVpcs', pages(r.vpcs?.length ?? 0));
      if (r.vpcs?.length) add('ec2:DescribeFlowLogs', pages(r.flowLogs?.length ?? 0));
      add('ec2:DescribeNetworkAcls', pages(r.networkAcls?.length ?? 0));
      add('access-analyzer:ListAnalyzers', pages(r.analyzers?.length ?? 0, 100));
      detectMinimumCalls(r, add, pages);
    }
    for (const p of POPULATIONS) p.minimum(a, regions.map((r) => r.name), add);
    add('cloudtrail:GetTrailStatus', (a.trails ?? []).length);
    add('cloudtrail:GetEventSelectors', (a.trails ?? []).length);
  }
  return out;
}

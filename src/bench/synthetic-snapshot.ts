import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { NdjsonSnapshotWriter } from '../core/snapshot-writer';
import type { CoverageEntry, Resource } from '../core/types';

/**
 * Deterministic synthetic AWS resources for benchmarks: a realistic mix of types whose
 * properties vary (so rules take different branches) and satisfy the registered schemas.
 */

/** Small seeded PRNG (mulberry32): the same seed gives the same snapshot. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const DAY = 86_400_000;

/** How many of each type one synthetic account holds (about 5,000 resources). */
export const PER_ACCOUNT = { user: 1500, group: 100, role: 800, policy: 400, bucket: 1700, trail: 3, key: 300, securityGroup: 190, region: 5 };
export const RESOURCES_PER_ACCOUNT = 1 + Object.values(PER_ACCOUNT).reduce((a, b) => a + b, 0);

/** Generates the resources of one account, calling `emit` for each (no array is built). */
export function generateAccount(index: number, scanTime: number, emit: (r: Resource) => void): void {
  const rnd = prng(index + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number): boolean => rnd() < p;
  const daysAgo = (max: number): string => new Date(scanTime - Math.floor(rnd() * max) * DAY).toISOString();
  const account = String(100000000000 + index);
  const base = (type: string, id: string, region: string, name?: string): Omit<Resource, 'properties'> => ({
    id,
    type,
    provider: 'aws',
    account,
    region,
    ...(name ? { name } : {}),
    source: { kind: 'runtime' },
  });
  const pab = () => ({ blockPublicAcls: chance(0.9), ignorePublicAcls: chance(0.9), blockPublicPolicy: chance(0.9), restrictPublicBuckets: chance(0.9) });
  const policies = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ policyName: `p${i}`, policyArn: `arn:aws:iam::${account}:policy/p${Math.floor(rnd() * PER_ACCOUNT.policy)}` }));
  const doc = (admin: boolean) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: admin ? '*' : ['s3:GetObject', 's3:ListBucket'], Resource: admin ? '*' : `arn:aws:s3:::bucket-${account}-${Math.floor(rnd() * 100)}/*` }],
  });

  emit({
    ...base('aws.account', `arn:aws:iam::${account}:root`, 'global', `account-${index}`),
    // scanned from a member account: the organization's member list is not readable
    unknown: ['organizationAccounts'],
    properties: {
      accountId: account,
      alias: `account-${index}`,
      partition: 'aws',
      organizationId: 'o-bench',
      organizationManagementAccount: '100000000000',
      organizationAccounts: null,
      passwordPolicy: chance(0.8)
        ? {
            minimumPasswordLength: pick([8, 12, 14, 16]),
            requireSymbols: true,
            requireNumbers: true,
            requireUppercaseCharacters: true,
            requireLowercaseCharacters: true,
            allowUsersToChangePassword: true,
            expirePasswords: false,
            maxPasswordAge: null,
            passwordReusePrevention: pick([null, 5, 24]),
            hardExpiry: null,
          }
        : null,
      root: {
        mfaEnabled: chance(0.9),
        virtualMfa: chance(0.5),
        accessKeysPresent: chance(0.1),
        accessKeys: [],
        passwordLastUsed: chance(0.5) ? daysAgo(200) : null,
        signingCertificatesActive: false,
      },
      s3PublicAccessBlock: chance(0.7) ? pab() : null,
      enabledRegions: REGIONS,
    },
  });
  for (let i = 0; i < PER_ACCOUNT.user; i++) {
    const name = `user-${i}`;
    const keys = Array.from({ length: pick([0, 1, 1, 2]) }, (_, k) => ({
      slot: k + 1,
      active: chance(0.8),
      lastRotated: daysAgo(400),
      lastUsedDate: chance(0.7) ? daysAgo(100) : null,
      lastUsedService: chance(0.7) ? 's3' : null,
    }));
    const console = chance(0.6);
    emit({
      ...base('aws.iam.user', `arn:aws:iam::${account}:user/${name}`, 'global', name),
      properties: {
        userName: name,
        userId: `AIDA${account}${i}`,
        arn: `arn:aws:iam::${account}:user/${name}`,
        path: '/',
        createDate: daysAgo(1500),
        passwordEnabled: console,
        passwordLastUsed: console && chance(0.8) ? daysAgo(120) : null,
        passwordLastChanged: console ? daysAgo(400) : null,
        mfaActive: chance(0.8),
        accessKeys: keys,
        groups: [`group-${Math.floor(rnd() * PER_ACCOUNT.group)}`],
        attachedPolicies: chance(0.2) ? policies(1) : [],
        inlinePolicies: chance(0.05) ? [{ policyName: 'inline', document: doc(chance(0.1)) }] : [],
        permissionsBoundary: null,
      },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.group; i++) {
    const name = `group-${i}`;
    emit({
      ...base('aws.iam.group', `arn:aws:iam::${account}:group/${name}`, 'global', name),
      properties: { groupName: name, groupId: `AGPA${account}${i}`, arn: `arn:aws:iam::${account}:group/${name}`, path: '/', createDate: daysAgo(1500), members: [], attachedPolicies: policies(2), inlinePolicies: [] },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.role; i++) {
    const name = `role-${i}`;
    emit({
      ...base('aws.iam.role', `arn:aws:iam::${account}:role/${name}`, 'global', name),
      properties: {
        roleName: name,
        roleId: `AROA${account}${i}`,
        arn: `arn:aws:iam::${account}:role/${name}`,
        path: '/',
        createDate: daysAgo(1500),
        serviceLinked: chance(0.1),
        assumeRolePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        maxSessionDuration: 3600,
        lastUsed: chance(0.7) ? { date: daysAgo(90), region: pick(REGIONS) } : null,
        attachedPolicies: policies(2),
        inlinePolicies: [],
        permissionsBoundary: null,
      },
    });
  }
  // BENCH_ORG_ROLE=1: every account but the first has the role Organizations creates, trusting the
  // first (the management account), so evaluating the first reaches every account.
  if (index === 0 && process.env.BENCH_ORG_ROLE) {
    // The AWS-managed policy it attaches, listed (as attached) in the management account.
    const arn = 'arn:aws:iam::aws:policy/AdministratorAccess';
    emit({
      ...base('aws.iam.policy', arn, 'global', 'AdministratorAccess'),
      properties: {
        policyName: 'AdministratorAccess', policyId: 'ANPAIWMBCKSKIEE64ZLYK', arn, path: '/', awsManaged: true, defaultVersionId: 'v1',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        attachmentCount: 1, attachedTo: { users: [], groups: [], roles: [] }, createDate: '2015-02-06T18:39:46Z', updateDate: '2015-02-06T18:39:46Z',
      },
    });
  }
  if (index > 0 && process.env.BENCH_ORG_ROLE) {
    const name = 'OrganizationAccountAccessRole';
    emit({
      ...base('aws.iam.role', `arn:aws:iam::${account}:role/${name}`, 'global', name),
      properties: {
        roleName: name, roleId: `AROA${account}org`, arn: `arn:aws:iam::${account}:role/${name}`, path: '/', createDate: daysAgo(1500), serviceLinked: false,
        assumeRolePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::100000000000:root' }, Action: 'sts:AssumeRole' }] },
        maxSessionDuration: 3600, lastUsed: null, attachedPolicies: [{ policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }], inlinePolicies: [], permissionsBoundary: null,
      },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.policy; i++) {
    const name = `p${i}`;
    emit({
      ...base('aws.iam.policy', `arn:aws:iam::${account}:policy/${name}`, 'global', name),
      properties: {
        policyName: name,
        policyId: `ANPA${account}${i}`,
        arn: `arn:aws:iam::${account}:policy/${name}`,
        path: '/',
        awsManaged: false,
        defaultVersionId: 'v1',
        document: doc(chance(0.02)),
        attachmentCount: 1,
        attachedTo: { users: [], groups: [], roles: [] },
        createDate: daysAgo(1500),
        updateDate: daysAgo(300),
      },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.bucket; i++) {
    const name = `bucket-${account}-${i}`;
    const region = pick(REGIONS);
    const publicAcl = chance(0.02);
    emit({
      ...base('aws.s3.bucket', `arn:aws:s3:::${name}`, region, name),
      ...(chance(0.3) ? { tags: { 'data-classification': pick(['public', 'internal', 'confidential', 'restricted']) } } : {}),
      properties: {
        name,
        creationDate: daysAgo(2000),
        publicAccessBlock: chance(0.6) ? pab() : null,
        policy: chance(0.3) ? doc(false) : null,
        policyStatus: null,
        acl: {
          ownerId: `owner-${account}`,
          grants: publicAcl ? [{ granteeType: 'Group', granteeId: null, granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' }] : [],
        },
        objectOwnership: pick(['BucketOwnerEnforced', 'BucketOwnerEnforced', 'ObjectWriter', null]),
        encryption: { rules: [{ sseAlgorithm: pick(['AES256', 'AES256', 'aws:kms']), kmsMasterKeyId: null, bucketKeyEnabled: false }] },
        versioning: { status: pick(['Enabled', 'Suspended', null]), mfaDelete: null },
        logging: chance(0.4) ? { targetBucket: `logs-${account}`, targetPrefix: `${name}/` } : null,
      },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.trail; i++) {
    const region = REGIONS[i % REGIONS.length];
    const arn = `arn:aws:cloudtrail:${region}:${account}:trail/trail-${i}`;
    emit({
      ...base('aws.cloudtrail.trail', arn, region, `trail-${i}`),
      properties: {
        name: `trail-${i}`,
        arn,
        homeRegion: region,
        isMultiRegionTrail: i === 0,
        isOrganizationTrail: false,
        includeGlobalServiceEvents: i === 0,
        logFileValidationEnabled: chance(0.7),
        kmsKeyId: chance(0.5) ? `arn:aws:kms:${region}:${account}:key/k0` : null,
        s3BucketName: `bucket-${account}-${i}`,
        s3KeyPrefix: null,
        snsTopicArn: null,
        cloudWatchLogsLogGroupArn: null,
        cloudWatchLogsRoleArn: null,
        status: { isLogging: chance(0.9), latestDeliveryError: null, latestDeliveryTime: daysAgo(1), latestCloudWatchLogsDeliveryTime: null },
        hasCustomEventSelectors: false,
        eventSelectors: [],
        advancedEventSelectors: [],
        memberAccounts: [],
      },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.key; i++) {
    const region = pick(REGIONS);
    const arn = `arn:aws:kms:${region}:${account}:key/k${i}`;
    emit({
      ...base('aws.kms.key', arn, region, `key-${i}`),
      properties: {
        keyId: `k${i}`,
        arn,
        description: `key ${i}`,
        keyManager: 'CUSTOMER',
        keyState: 'Enabled',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        origin: 'AWS_KMS',
        multiRegion: false,
        creationDate: daysAgo(1000),
        rotationEnabled: chance(0.6),
        rotationPeriodInDays: 365,
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] },
        aliases: [],
      },
    });
  }
  for (let i = 0; i < PER_ACCOUNT.securityGroup; i++) {
    const region = pick(REGIONS);
    const open = chance(0.05);
    emit({
      ...base('aws.ec2.security-group', `arn:aws:ec2:${region}:${account}:security-group/sg-${i}`, region, `sg-${i}`),
      properties: {
        groupId: `sg-${i}`,
        groupName: `sg-${i}`,
        description: 'bench',
        vpcId: 'vpc-1',
        ingress: [
          {
            ipProtocol: 'tcp',
            fromPort: open ? 22 : 443,
            toPort: open ? 22 : 443,
            ipv4Ranges: [{ cidr: open ? '0.0.0.0/0' : '10.0.0.0/8', description: null }],
            ipv6Ranges: [],
            prefixListIds: [],
            referencedGroups: [],
          },
        ],
        egress: [],
      },
    });
  }
  for (const region of REGIONS) {
    emit({
      ...base('aws.ec2.region', `arn:aws:ec2:${region}:${account}:region`, region, region),
      properties: { regionName: region, optInStatus: 'opt-in-not-required', ebsEncryptionByDefault: chance(0.5), ebsDefaultKmsKeyId: null },
    });
  }
}

/**
 * Writes `target` synthetic resources (whole accounts of `generateAccount`, the last one cut) as
 * an NDJSON snapshot, with one denied call per account so the coverage path is exercised too.
 */
export async function writeSyntheticSnapshot(file: string, target: number, scanTime: number): Promise<{ resources: number; accounts: number }> {
  const accounts = Math.ceil(target / RESOURCES_PER_ACCOUNT);
  const out = createWriteStream(file);
  const w = new NdjsonSnapshotWriter(out);
  await w.header({
    tool: { name: 'trustscan-bench', version: '1' },
    startedAt: new Date(scanTime).toISOString(),
    providers: ['aws'],
    accounts: Array.from({ length: accounts }, (_, i) => ({ provider: 'aws' as const, id: String(100000000000 + i) })),
  });
  let written = 0;
  for (let a = 0; a < accounts && written < target; a++) {
    const batch: Resource[] = [];
    generateAccount(a, scanTime, (r) => batch.push(r));
    for (const r of batch.slice(0, target - written)) await w.resource(r);
    written += Math.min(batch.length, target - written);
    const c: CoverageEntry = { provider: 'aws', account: String(100000000000 + a), region: 'eu-west-1', service: 's3', operation: 'GetBucketLogging', outcome: 'denied', message: 'AccessDenied' };
    await w.coverageEntry(c);
  }
  await w.end(new Date(scanTime + 600_000).toISOString());
  out.end();
  await finished(out);
  return { resources: written, accounts };
}

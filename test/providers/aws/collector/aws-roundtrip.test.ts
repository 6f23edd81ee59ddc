import type { Resource, Snapshot } from '../../../../src/core/types';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';

/**
 * Every service's settings travel from a scenario, over the real wire protocols and the real SDK
 * clients, into the snapshot — and every resource validates against its registered type.
 */

const MGMT = '111111111111';
const PROD = '222222222222';
const ARCHIVE = '333333333333';
const ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };

let snapshot: Snapshot;
let calls: Record<string, number>;

beforeAll(async () => {
  await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
    ({ snapshot } = await collectSnapshot(fake, ORG));
    calls = fake.countByOperation();
  });
});

const props = (r: Resource): Record<string, any> => r.properties as Record<string, any>;

describe('accounts and metadata', () => {
  test('the snapshot names who collected it: the caller ARN and the role assumed in each account, no secret', () => {
    const caller = snapshot.metadata.collectedBy;
    expect(caller).toEqual([{ provider: 'aws', principal: expect.stringMatching(/^arn:aws:(sts|iam)::111111111111:/), via: 'role TrustScanAudit assumed in each account' }]);
    expect(JSON.stringify(snapshot.metadata)).not.toMatch(/AKIA|ASIA|SecretAccessKey|SessionToken/);
  });

  test('every active organization account is scanned; the suspended one is not', () => {
    expect(snapshot.metadata.accounts.map((a) => [a.id, a.name])).toEqual([
      [MGMT, 'acme-management'],
      [PROD, 'acme-production'],
      [ARCHIVE, 'acme-log-archive'],
    ]);
    expect(snapshot.resources.some((r) => r.account === '444444444444')).toBe(false);
    expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
  });

  test('aws.account holds the account-wide settings', () => {
    const mgmt = find(snapshot, 'aws.account', 'acme-management');
    expect(mgmt.id).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(mgmt.region).toBe('global');
    expect(mgmt.unknown).toBeUndefined();
    expect(mgmt.properties).toEqual({
      accountId: MGMT,
      alias: 'acme-management',
      partition: 'aws',
      organizationId: 'o-acme12345',
      organizationManagementAccount: '111111111111',
      organizationAccounts: ['111111111111', '222222222222', '333333333333', '444444444444'],
      passwordPolicy: {
        minimumPasswordLength: 16,
        requireSymbols: true,
        requireNumbers: true,
        requireUppercaseCharacters: true,
        requireLowercaseCharacters: true,
        allowUsersToChangePassword: true,
        expirePasswords: false,
        maxPasswordAge: null,
        passwordReusePrevention: 24,
        hardExpiry: false,
      },
      root: { mfaEnabled: true, virtualMfa: false, accessKeysPresent: false, accessKeys: [], passwordLastUsed: '2026-03-02T10:15:00Z', signingCertificatesActive: false },
      s3PublicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      enabledRegions: ['us-east-1', 'eu-west-1'],
    });
    const prod = find(snapshot, 'aws.account', 'acme-production');
    expect(props(prod).alias).toBeNull();
    expect(props(prod).passwordPolicy).toBeNull(); // none configured: a fact for rules to judge
    expect(props(prod).s3PublicAccessBlock).toBeNull();
    expect(props(prod).root).toEqual({
      mfaEnabled: true,
      virtualMfa: true,
      accessKeysPresent: true,
      accessKeys: [{ slot: 1, active: true, lastRotated: '2021-01-01T00:00:00Z', lastUsedDate: '2026-10-10T10:10:00Z' }],
      passwordLastUsed: null,
      signingCertificatesActive: false,
    });
    const archive = find(snapshot, 'aws.account', 'acme-log-archive');
    expect(props(archive).root.mfaEnabled).toBe(false);
    expect(props(archive).root.virtualMfa).toBeNull();
  });
});

describe('IAM', () => {
  test('users carry authorization details and credential report fields', () => {
    const alice = find(snapshot, 'aws.iam.user', 'alice');
    expect(alice.properties).toMatchObject({
      userName: 'alice',
      arn: `arn:aws:iam::${MGMT}:user/alice`,
      path: '/',
      createDate: '2023-01-10T08:00:00Z',
      passwordEnabled: true,
      passwordLastUsed: '2026-06-01T09:00:00Z',
      passwordLastChanged: '2026-05-01T08:00:00Z',
      mfaActive: true,
      accessKeys: [],
      groups: ['admins'],
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
    });
    expect(alice.tags).toEqual({ team: 'security' });
    const ci = find(snapshot, 'aws.iam.user', 'ci-deployer');
    expect(ci.id).toBe(`arn:aws:iam::${MGMT}:user/automation/ci-deployer`);
    expect(props(ci).passwordEnabled).toBe(false);
    expect(props(ci).accessKeys).toEqual([
      { slot: 1, active: true, lastRotated: '2025-12-01T10:00:00Z', lastUsedDate: '2026-11-24T23:10:00Z', lastUsedService: 'sts' },
      { slot: 2, active: false, lastRotated: '2024-01-01T00:00:00Z', lastUsedDate: null, lastUsedService: null },
    ]);
    expect(props(ci).attachedPolicies).toEqual([{ policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    expect(props(ci).permissionsBoundary).toEqual({ type: 'Policy', arn: `arn:aws:iam::${MGMT}:policy/boundary-deployers` });
  });

  test('URL-encoded policy documents decode exactly, reserved characters included', () => {
    const scenario = loadScenario('acme-org');
    const ci = find(snapshot, 'aws.iam.user', 'ci-deployer');
    const expected = scenario.accounts[0].iam!.users!.find((u) => u.name === 'ci-deployer')!.inlinePolicies![0];
    expect(props(ci).inlinePolicies).toEqual([{ policyName: 'deploy-artifacts', document: expected.document }]);
    expect(JSON.stringify(props(ci).inlinePolicies[0].document)).toContain('builds/a b+c/%25&=?#');
    const group = find(snapshot, 'aws.iam.group', 'admins');
    expect(props(group).inlinePolicies[0].document.Statement).toEqual({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
    const role = find(snapshot, 'aws.iam.role', 'OrganizationAccountAccessRole');
    expect(props(role).assumeRolePolicy.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${MGMT}:root` });
  });

  test('credential report special values: N/A, not_supported, no_information; a name with a comma', () => {
    const bob = find(snapshot, 'aws.iam.user', 'bob,the.builder');
    expect(props(bob)).toMatchObject({ passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: '2024-03-03T03:05:00Z', mfaActive: false, accessKeys: [] });
    const old = find(snapshot, 'aws.iam.user', 'old-key-never-used');
    expect(props(old)).toMatchObject({ passwordEnabled: false, passwordLastUsed: null, passwordLastChanged: null });
    expect(props(old).accessKeys).toEqual([{ slot: 1, active: true, lastRotated: '2022-02-02T00:00:00Z', lastUsedDate: null, lastUsedService: null }]);
    // The root row: password_enabled is not_supported, which is not "false" for a user.
    expect(props(find(snapshot, 'aws.account', 'acme-management')).root.passwordLastUsed).toBe('2026-03-02T10:15:00Z');
  });

  test('groups, roles and managed policies', () => {
    expect(props(find(snapshot, 'aws.iam.group', 'admins'))).toMatchObject({ members: ['alice'], path: '/', createDate: '2023-02-01T09:00:00Z' });
    const scanner = find(snapshot, 'aws.iam.role', 'TrustScanAudit', MGMT);
    expect(props(scanner)).toMatchObject({ maxSessionDuration: 7200, serviceLinked: false, lastUsed: { date: '2026-11-25T02:00:00Z', region: 'us-east-1' } });
    const support = find(snapshot, 'aws.iam.role', 'AWSServiceRoleForSupport');
    expect(props(support)).toMatchObject({ serviceLinked: true, lastUsed: null, maxSessionDuration: 3600, path: '/aws-service-role/support.amazonaws.com/' });
    const admin = find(snapshot, 'aws.iam.policy', 'AdministratorAccess', MGMT);
    expect(admin.id).toBe(`arn:aws:iam::aws:policy/AdministratorAccess#${MGMT}`);
    expect(props(admin)).toMatchObject({
      awsManaged: true,
      attachmentCount: 3,
      attachedTo: { users: ['ci-deployer'], groups: ['admins'], roles: ['OrganizationAccountAccessRole'] },
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    const boundary = find(snapshot, 'aws.iam.policy', 'boundary-deployers');
    expect(boundary.id).toBe(`arn:aws:iam::${MGMT}:policy/boundary-deployers`);
    expect(props(boundary)).toMatchObject({ awsManaged: false, defaultVersionId: 'v3', attachmentCount: 0 });
    // One AWS-managed SecurityAudit per account: ids stay unique across the organization.
    expect(snapshot.resources.filter((r) => r.name === 'SecurityAudit').map((r) => r.account).sort()).toEqual([MGMT, PROD, ARCHIVE]);
  });

  test('one authorization-details call family and one credential report per account, not calls per user', () => {
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(3);
    expect(calls['iam:GetCredentialReport']).toBe(3);
    expect(calls['iam:ListUsers']).toBeUndefined();
    expect(calls['iam:ListAttachedUserPolicies']).toBeUndefined();
  });
});

describe('S3', () => {
  test('bucket settings, each read in the bucket region', () => {
    const trail = find(snapshot, 'aws.s3.bucket', 'acme-org-trail-logs');
    expect(trail).toMatchObject({ id: 'arn:aws:s3:::acme-org-trail-logs', region: 'us-east-1', account: MGMT, tags: { 'data-classification': 'confidential' } });
    expect(trail.properties).toEqual({
      name: 'acme-org-trail-logs',
      creationDate: '2023-01-20T00:00:00Z',
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      policy: loadScenario('acme-org').accounts[0].s3!.buckets![0].policy,
      policyStatus: { isPublic: false },
      acl: { ownerId: `${MGMT}0000canonical`, grants: [{ granteeType: 'CanonicalUser', granteeId: `${MGMT}0000canonical`, granteeUri: null, permission: 'FULL_CONTROL' }] },
      objectOwnership: 'BucketOwnerEnforced',
      encryption: { rules: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:us-east-1:${MGMT}:key/org-cloudtrail`, bucketKeyEnabled: true }] },
      versioning: { status: 'Enabled', mfaDelete: 'Disabled' },
      logging: { targetBucket: 'acme-access-logs', targetPrefix: 'trail/' },
      lifecycle: null,
    });
    const logs = find(snapshot, 'aws.s3.bucket', 'acme-access-logs');
    expect(logs.region).toBe('eu-west-1');
    expect(logs.tags).toBeUndefined();
    expect(logs.properties).toMatchObject({
      publicAccessBlock: null,
      policy: null,
      policyStatus: null,
      objectOwnership: 'BucketOwnerPreferred',
      encryption: { rules: [{ sseAlgorithm: 'AES256', kmsMasterKeyId: null, bucketKeyEnabled: false }] },
      versioning: { status: null, mfaDelete: null },
      logging: null,
    });
    expect(props(logs).acl.grants[1]).toEqual({ granteeType: 'Group', granteeId: null, granteeUri: 'http://acs.amazonaws.com/groups/s3/LogDelivery', permission: 'WRITE' });
    const pub = find(snapshot, 'aws.s3.bucket', 'acme-prod-public');
    expect(props(pub).policyStatus).toEqual({ isPublic: true });
    expect(props(pub).acl.grants).toEqual([{ granteeType: 'Group', granteeId: null, granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' }]);
    expect(props(find(snapshot, 'aws.s3.bucket', 'acme-prod-invoices')).versioning).toEqual({ status: 'Enabled', mfaDelete: 'Enabled' });
  });

  test('no policy status call for buckets without a policy', () => {
    expect(calls['s3:GetBucketPolicy']).toBe(4);
    expect(calls['s3:GetBucketPolicyStatus']).toBe(2);
  });
});

describe('CloudTrail', () => {
  test('the organization trail appears once, owned by its home account, listing member accounts', () => {
    const trails = snapshot.resources.filter((r) => r.type === 'aws.cloudtrail.trail').sort((a, b) => a.name!.localeCompare(b.name!));
    expect(trails.map((t) => [t.name, t.account, t.region])).toEqual([
      ['acme-org-trail', MGMT, 'us-east-1'],
      ['mgmt-eu-trail', MGMT, 'eu-west-1'],
    ]);
    const org = trails[0];
    expect(org.properties).toEqual({
      name: 'acme-org-trail',
      arn: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/acme-org-trail`,
      homeRegion: 'us-east-1',
      isMultiRegionTrail: true,
      isOrganizationTrail: true,
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: true,
      kmsKeyId: `arn:aws:kms:us-east-1:${MGMT}:key/org-cloudtrail`,
      s3BucketName: 'acme-org-trail-logs',
      s3KeyPrefix: 'org',
      snsTopicArn: null,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MGMT}:log-group:org-trail:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${MGMT}:role/CloudTrailToLogs`,
      status: { isLogging: true, latestDeliveryError: null, latestDeliveryTime: '2026-11-25T01:59:00Z', latestCloudWatchLogsDeliveryTime: '2026-11-25T01:58:00Z' },
      hasCustomEventSelectors: true,
      eventSelectors: [
        { readWriteType: 'All', includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }], excludeManagementEventSources: ['kms.amazonaws.com'] },
      ],
      advancedEventSelectors: [],
      memberAccounts: [PROD, ARCHIVE],
    });
    // Status and selectors read once per trail, however many regions and accounts list it.
    expect(calls['cloudtrail:GetTrailStatus']).toBe(2);
    expect(calls['cloudtrail:GetEventSelectors']).toBe(2);
    expect(calls['cloudtrail:DescribeTrails']).toBe(5); // one per account and region
  });

  test('advanced event selectors and a delivery error', () => {
    const eu = find(snapshot, 'aws.cloudtrail.trail', 'mgmt-eu-trail');
    expect(props(eu)).toMatchObject({
      isMultiRegionTrail: false,
      snsTopicArn: `arn:aws:sns:eu-west-1:${MGMT}:trail-notify`,
      status: { isLogging: false, latestDeliveryError: 'AccessDenied', latestDeliveryTime: null, latestCloudWatchLogsDeliveryTime: null },
      eventSelectors: [],
      advancedEventSelectors: [
        { name: 'writes only', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }, { field: 'readOnly', equals: ['false'] }] },
      ],
      memberAccounts: [],
    });
  });
});

describe('KMS', () => {
  test('customer-managed keys with state, rotation and policy; AWS-managed keys skipped', () => {
    const keys = snapshot.resources.filter((r) => r.type === 'aws.kms.key');
    expect(keys.map((k) => k.name).sort()).toEqual(['alias/org-cloudtrail', 'alias/prod-backups', 'retired-key', 'signing-key']);
    expect(find(snapshot, 'aws.kms.key', 'alias/org-cloudtrail').properties).toEqual({
      keyId: 'org-cloudtrail',
      arn: `arn:aws:kms:us-east-1:${MGMT}:key/org-cloudtrail`,
      description: 'CloudTrail log encryption',
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      multiRegion: false,
      creationDate: '2023-01-20T00:00:00Z',
      rotationEnabled: true,
      rotationPeriodInDays: 365,
      policy: loadScenario('acme-org').accounts[0].kmsKeys![0].policy,
      aliases: ['alias/org-cloudtrail'],
    });
    expect(props(find(snapshot, 'aws.kms.key', 'signing-key'))).toMatchObject({ keySpec: 'RSA_2048', rotationEnabled: null, aliases: [] });
    expect(props(find(snapshot, 'aws.kms.key', 'retired-key'))).toMatchObject({ keyState: 'PendingDeletion', rotationEnabled: null });
    expect(props(find(snapshot, 'aws.kms.key', 'alias/prod-backups'))).toMatchObject({ rotationEnabled: false, rotationPeriodInDays: null, aliases: ['alias/prod-backups', 'alias/backups'] });
    expect(calls['kms:DescribeKey']).toBe(4); // not for the AWS-managed key
    expect(calls['kms:GetKeyRotationStatus']).toBe(2); // only where rotation applies
  });
});

describe('EC2', () => {
  test('regions with EBS defaults; the opt-in region that is not enabled is not scanned', () => {
    const regions = snapshot.resources.filter((r) => r.type === 'aws.ec2.region' && r.account === MGMT);
    expect(regions.map((r) => r.properties)).toEqual(
      expect.arrayContaining([
        { regionName: 'us-east-1', optInStatus: 'opt-in-not-required', ebsEncryptionByDefault: true, ebsDefaultKmsKeyId: `arn:aws:kms:us-east-1:${MGMT}:key/mgmt-ebs` },
        { regionName: 'eu-west-1', optInStatus: 'opt-in-not-required', ebsEncryptionByDefault: false, ebsDefaultKmsKeyId: 'alias/aws/ebs' },
      ]),
    );
    expect(regions).toHaveLength(2);
  });

  test('security groups and their ingress rules', () => {
    const sg = find(snapshot, 'aws.ec2.security-group', 'bastion-ssh');
    expect(sg).toMatchObject({ id: `arn:aws:ec2:us-east-1:${MGMT}:security-group/sg-0123456789abcdef0`, tags: { team: 'platform', Name: 'bastion' } });
    expect(sg.properties).toEqual({
      groupId: 'sg-0123456789abcdef0',
      groupName: 'bastion-ssh',
      description: 'SSH from anywhere',
      vpcId: 'vpc-0a1b2c3d',
      ingress: [
        { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [{ cidr: '0.0.0.0/0', description: 'anywhere' }], ipv6Ranges: [{ cidr: '::/0', description: null }], prefixListIds: [], referencedGroups: [] },
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipv4Ranges: [], ipv6Ranges: [], prefixListIds: ['pl-0123abcd'], referencedGroups: [] },
      ],
      egress: [{ ipProtocol: '-1', fromPort: null, toPort: null, ipv4Ranges: [{ cidr: '0.0.0.0/0', description: null }], ipv6Ranges: [], prefixListIds: [], referencedGroups: [] }],
    });
    const def = snapshot.resources.find((r) => r.type === 'aws.ec2.security-group' && r.properties.groupId === 'sg-0000000000000mgm1')!;
    expect(props(def).ingress[0].referencedGroups).toEqual([{ groupId: 'sg-0000000000000mgm1', userId: null }]);
  });
});

describe('EC2 instances, VPCs with flow logs, network ACLs', () => {
  const mgmtEast = loadScenario('acme-org').accounts[0].regions[0];

  test('instances: state, instance profile, metadata options; instances of one reservation are all read', () => {
    const instances = snapshot.resources.filter((r) => r.type === 'aws.ec2.instance');
    expect(instances.map((i) => [i.account, i.name]).sort()).toEqual([
      [MGMT, 'app-1'],
      [MGMT, 'app-2'],
      [MGMT, 'bastion'],
      [MGMT, 'i-0old000000000001'], // no Name tag: named by its id
      [PROD, 'prod-worker'],
    ]);
    for (const s of mgmtEast.instances!) {
      const i = instances.find((x) => x.properties.instanceId === s.instanceId)!;
      expect(i.id).toBe(`arn:aws:ec2:us-east-1:${MGMT}:instance/${s.instanceId}`);
      expect(i.region).toBe('us-east-1');
      expect(i.tags).toEqual(s.tags);
      expect(i.unknown).toBeUndefined();
      expect(i.properties).toEqual({
        instanceId: s.instanceId,
        state: s.state,
        iamInstanceProfileArn: s.iamInstanceProfileArn ?? null,
        metadataOptions: s.metadataOptions,
        vpcId: s.vpcId ?? null,
      });
    }
  });

  test('VPCs carry the flow logs whose resource they are; a subnet flow log belongs to no VPC', () => {
    const app = find(snapshot, 'aws.ec2.vpc', 'app');
    expect(app).toMatchObject({ id: `arn:aws:ec2:us-east-1:${MGMT}:vpc/vpc-0app0001`, tags: { Name: 'app' } });
    expect(app.properties).toEqual({
      vpcId: 'vpc-0app0001',
      isDefault: false,
      cidrBlock: '10.20.0.0/16',
      flowLogs: [{ flowLogId: 'fl-0app00000001', flowLogStatus: 'ACTIVE', trafficType: 'ACCEPT', logDestinationType: 'cloud-watch-logs', deliverLogsStatus: 'FAILED' }],
    });
    expect(find(snapshot, 'aws.ec2.vpc', 'vpc-0a1b2c3d', MGMT).properties).toEqual({
      vpcId: 'vpc-0a1b2c3d',
      isDefault: true,
      cidrBlock: '172.31.0.0/16',
      flowLogs: [{ flowLogId: 'fl-0default0001', flowLogStatus: 'ACTIVE', trafficType: 'ALL', logDestinationType: 's3', deliverLogsStatus: 'SUCCESS' }],
    });
    expect(props(find(snapshot, 'aws.ec2.vpc', 'vpc-0a1b2c3d', PROD)).flowLogs).toEqual([]);
    const all = snapshot.resources.filter((r) => r.type === 'aws.ec2.vpc');
    expect(all).toHaveLength(3);
    expect(all.flatMap((v) => props(v).flowLogs.map((f: { flowLogId: string }) => f.flowLogId))).not.toContain('fl-0subnet00001');
  });

  test('network ACLs with every entry: rule numbers, direction, protocol, IPv4 or IPv6 range, port range', () => {
    const app = find(snapshot, 'aws.ec2.network-acl', 'app-subnets');
    const s = mgmtEast.networkAcls![1];
    expect(app).toMatchObject({ id: `arn:aws:ec2:us-east-1:${MGMT}:network-acl/${s.networkAclId}`, tags: s.tags });
    expect(app.properties).toEqual({
      networkAclId: s.networkAclId,
      vpcId: s.vpcId,
      isDefault: false,
      entries: s.entries.map((e) => ({ ipv6CidrBlock: null, cidrBlock: null, portRange: null, ...e })),
    });
    const def = find(snapshot, 'aws.ec2.network-acl', 'acl-0default0001');
    expect(props(def).isDefault).toBe(true);
    expect(props(def).entries).toContainEqual({ ruleNumber: 101, egress: false, protocol: '-1', ruleAction: 'allow', cidrBlock: null, ipv6CidrBlock: '::/0', portRange: null });
    expect(props(def).entries.filter((e: { egress: boolean }) => e.egress)).toHaveLength(2);
  });

  test('one listing call per region; flow logs are only listed where there is a VPC', () => {
    for (const op of ['ec2:DescribeInstances', 'ec2:DescribeVpcs', 'ec2:DescribeNetworkAcls']) expect([op, calls[op]]).toEqual([op, 5]);
    expect(calls['ec2:DescribeFlowLogs']).toBe(2); // management and production us-east-1
  });
});

describe('IAM Access Analyzer', () => {
  test('analyzers of every type, in their region; organization analyzers list the other accounts of the organization', () => {
    const analyzers = snapshot.resources.filter((r) => r.type === 'aws.accessanalyzer.analyzer');
    expect(analyzers.map((a) => [a.account, a.region, a.name, props(a).type]).sort()).toEqual([
      [MGMT, 'eu-west-1', 'mgmt-eu-unused', 'ACCOUNT_UNUSED_ACCESS'],
      [MGMT, 'us-east-1', 'acme-org-analyzer', 'ORGANIZATION'],
      [MGMT, 'us-east-1', 'acme-unused-access', 'ORGANIZATION_UNUSED_ACCESS'],
      [PROD, 'eu-west-1', 'prod-eu', 'ACCOUNT'],
    ]);
    const org = find(snapshot, 'aws.accessanalyzer.analyzer', 'acme-org-analyzer');
    expect(org).toMatchObject({ id: `arn:aws:access-analyzer:us-east-1:${MGMT}:analyzer/acme-org-analyzer`, tags: { owner: 'security' } });
    expect(org.unknown).toBeUndefined();
    expect(org.properties).toEqual({
      name: 'acme-org-analyzer',
      arn: `arn:aws:access-analyzer:us-east-1:${MGMT}:analyzer/acme-org-analyzer`,
      type: 'ORGANIZATION',
      status: 'ACTIVE',
      memberAccounts: [PROD, ARCHIVE],
    });
    expect(props(find(snapshot, 'aws.accessanalyzer.analyzer', 'prod-eu'))).toEqual({
      name: 'prod-eu',
      arn: `arn:aws:access-analyzer:eu-west-1:${PROD}:analyzer/prod-eu`,
      type: 'ACCOUNT',
      status: 'ACTIVE',
      memberAccounts: [],
    });
    expect(calls['access-analyzer:ListAnalyzers']).toBe(5); // every scanned region of every account
  });
});

describe('IAM server certificates', () => {
  test('each certificate with its path, dates and ARN, from one listing per account', () => {
    const certs = loadScenario('acme-org').accounts[0].iam!.serverCertificates!;
    const found = snapshot.resources.filter((r) => r.type === 'aws.iam.server-certificate');
    expect(found.map((c) => [c.account, c.region, c.name]).sort()).toEqual([
      [MGMT, 'global', 'cdn-2035'],
      [MGMT, 'global', 'legacy-web-2024'],
    ]);
    for (const s of certs) {
      const c = find(snapshot, 'aws.iam.server-certificate', s.name);
      expect(c.id).toBe(`arn:aws:iam::${MGMT}:server-certificate${s.path}${s.name}`);
      expect(c.properties).toEqual({
        serverCertificateName: s.name,
        serverCertificateId: expect.stringMatching(/^ASCA[A-Z0-9]{17}$/),
        arn: c.id,
        path: s.path,
        uploadDate: s.uploadDate,
        expiration: s.expiration,
      });
    }
    expect(calls['iam:ListServerCertificates']).toBe(3);
  });
});

import type { Resource, Snapshot } from '../../../../src/core/types';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../../../../src/engine/rule-loader';
import { join } from 'node:path';
import { ROOT } from '../../../helpers';
import { minimumCalls, syntheticScenario } from '../../../fake-cloud/aws/synthetic';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';

const ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };
const READ_ONLY = /^(List|Get|Describe)[A-Z]/;
/**
 * The only calls that are not List/Get/Describe, and why each is unavoidable:
 * - iam:GenerateCredentialReport asks IAM to (re)build the credential report; it changes no
 *   configuration, and GetCredentialReport has nothing to return without it.
 * - sts:AssumeRole obtains read credentials in each scanned account.
 * - sts:GetCallerIdentity is read-only despite its name (it needs no permission at all).
 */
const ALLOWED_OTHERS = new Set(['iam:GenerateCredentialReport', 'sts:AssumeRole', 'sts:GetCallerIdentity']);

const withoutVolatile = (s: Snapshot): Resource[] => [...s.resources].sort((a, b) => `${a.type}${a.id}`.localeCompare(`${b.type}${b.id}`));

function rules(...files: string[]) {
  const dirs = files.length ? files.map((f) => join(ROOT, 'rules', f)) : resolveRuleDirs(undefined);
  return loadRulesOrThrow(dirs, builtinRegistry(), builtinFacts());
}

describe('pagination', () => {
  test('pages of one item give the same snapshot, and every paginated operation really paged', async () => {
    const full = await withFake({ scenario: loadScenario('acme-org') }, (fake) => collectSnapshot(fake, ORG));
    await withFake({ scenario: loadScenario('acme-org'), pageSize: 1 }, async (fake) => {
      const paged = await collectSnapshot(fake, ORG);
      expect(withoutVolatile(paged.snapshot)).toEqual(withoutVolatile(full.snapshot));
      const count = fake.countByOperation();
      // With one item per page, each listing takes more requests than there are listings.
      for (const op of ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles', 'iam:ListVirtualMFADevices', 's3:ListBuckets', 'kms:ListKeys', 'kms:ListAliases', 'ec2:DescribeSecurityGroups', 'organizations:ListAccounts']) {
        expect([op, count[op]]).toEqual([op, expect.any(Number)]);
      }
      // The new listings, one item per page (an empty listing is still one call): every item of
      // every page reached the snapshot, as the equality above shows.
      expect({
        'ec2:DescribeInstances': count['ec2:DescribeInstances'],
        'ec2:DescribeVpcs': count['ec2:DescribeVpcs'],
        'ec2:DescribeFlowLogs': count['ec2:DescribeFlowLogs'],
        'ec2:DescribeNetworkAcls': count['ec2:DescribeNetworkAcls'],
        'access-analyzer:ListAnalyzers': count['access-analyzer:ListAnalyzers'],
        'iam:ListServerCertificates': count['iam:ListServerCertificates'],
      }).toEqual({
        'ec2:DescribeInstances': 3 + 4, // three reservations (two instances share one) in management us-east-1, one page elsewhere
        'ec2:DescribeVpcs': 2 + 4,
        'ec2:DescribeFlowLogs': 3 + 1, // only the two regions with a VPC
        'ec2:DescribeNetworkAcls': 2 + 4,
        'access-analyzer:ListAnalyzers': 2 + 4,
        'iam:ListServerCertificates': 2 + 2,
      });
      expect(full.snapshot.resources.filter((r) => r.type === 'aws.ec2.instance')).toHaveLength(5);
      // One entity per page: 11 (management) + 3 (production) + 2 (log archive) users, groups, roles and policies.
      expect(count['iam:GetAccountAuthorizationDetails']).toBe(16);
      expect(count['organizations:ListAccounts']).toBe(4);
      expect(count['s3:ListBuckets']).toBe(2 + 2 + 1); // two buckets, two buckets, none
      expect(count['kms:ListKeys']).toBeGreaterThan(5);
      expect(count['ec2:DescribeSecurityGroups']).toBeGreaterThan(5);
      // The coverage counts every page.
      const gaad = paged.snapshot.coverage.filter((c) => c.operation === 'GetAccountAuthorizationDetails');
      expect(gaad.reduce((n, c) => n + (c.calls ?? 0), 0)).toBe(count['iam:GetAccountAuthorizationDetails']);
    });
  });
});

describe('throttling and server errors', () => {
  test('throttled and 5xx calls are retried and then succeed: nothing is unknown', async () => {
    const faults = [
      { op: 'iam:GetAccountAuthorizationDetails', kind: 'throttled' as const, times: 2 },
      { op: 's3:GetBucketAcl', kind: 'throttled' as const, times: 2, resource: 'acme-prod-public' },
      { op: 'cloudtrail:DescribeTrails', kind: 'throttled' as const, times: 1 },
      { op: 'kms:ListKeys', kind: 'server' as const, times: 1 },
      { op: 'ec2:DescribeSecurityGroups', kind: 'server' as const, times: 2 },
      { op: 'access-analyzer:ListAnalyzers', kind: 'throttled' as const, times: 2, account: '111111111111', region: 'us-east-1' },
      { op: 'ec2:DescribeFlowLogs', kind: 'throttled' as const, times: 1 },
      { op: 'iam:ListServerCertificates', kind: 'server' as const, times: 1 },
    ];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ORG);
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      expect(snapshot.resources.filter((r) => r.unknown)).toEqual([]);
      expect(find(snapshot, 'aws.s3.bucket', 'acme-prod-public').properties.acl).toBeTruthy();
      const acl = fake.calls.filter((c) => c.operation === 'GetBucketAcl' && c.resource === 'acme-prod-public');
      expect(acl.map((c) => [c.status, c.attempt])).toEqual([
        [503, 'attempt=1; max=4'],
        [503, 'attempt=2; max=4'],
        [200, 'attempt=3; max=4'],
      ]);
      const gaad = snapshot.coverage.filter((c) => c.operation === 'GetAccountAuthorizationDetails');
      expect(gaad.reduce((n, c) => n + (c.calls ?? 0), 0)).toBe(3 + 2);
      // Access Analyzer answers 429 ThrottlingException (REST-JSON, error type in a header): retried too.
      const aa = fake.calls.filter((c) => c.service === 'access-analyzer' && c.account === '111111111111' && c.region === 'us-east-1');
      expect(aa.map((c) => c.status)).toEqual([429, 429, 200]);
      expect(find(snapshot, 'aws.accessanalyzer.analyzer', 'acme-org-analyzer').properties.memberAccounts).toEqual(['222222222222', '333333333333']);
    });
  });

  test('throttling that outlives the retries becomes unknown paths, with the attempts in the message', async () => {
    const faults = [{ op: 'iam:GetAccountSummary', kind: 'throttled' as const, account: '222222222222' }];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ORG);
      const gap = snapshot.coverage.filter((c) => c.outcome !== 'ok');
      expect(gap).toEqual([
        expect.objectContaining({ account: '222222222222', service: 'iam', operation: 'GetAccountSummary', outcome: 'throttled', calls: 4, message: expect.stringMatching(/^Throttling: .*gave up after 4 attempts/) }),
      ]);
      const prod = find(snapshot, 'aws.account', 'acme-production');
      expect(prod.unknown).toEqual(['root.accessKeysPresent', 'root.mfaEnabled']);
      expect((prod.properties.root as Record<string, unknown>).mfaEnabled).toBeNull();
      // The engine turns it into UNKNOWN for the root MFA rule of that account only.
      const { results } = evaluate(snapshot, rules('aws/iam/aws-iam-root-mfa.yaml'), builtinRegistry());
      expect(results.findings.map((f) => [f.resource.account, f.status])).toEqual([
        ['111111111111', 'PASS'],
        ['222222222222', 'UNKNOWN'],
        ['333333333333', 'FAIL'],
      ]);
    });
  });
});

describe('denied reads', () => {
  const denyAclAndPolicy = (bucket: string) => [
    { op: 's3:GetBucketAcl', kind: 'denied' as const, resource: bucket },
    { op: 's3:GetBucketPolicy', kind: 'denied' as const, resource: bucket },
  ];

  test('GetBucketAcl and GetBucketPolicy denied: the public-bucket rule is UNKNOWN and SOC 2 does not say PASS', async () => {
    const only = rules('aws/s3/aws-s3-bucket-no-public-acl.yaml');
    // Control: with everything readable, the rule passes for both buckets and its criteria pass.
    const clean = await withFake({ scenario: loadScenario('single-account-buckets') }, (fake) => collectSnapshot(fake));
    const before = evaluate(clean.snapshot, only, builtinRegistry()).results;
    expect(before.findings.map((f) => [f.resource.name, f.status])).toEqual([['enforced', 'PASS'], ['private-data', 'PASS']]);
    expect(before.frameworks.soc2.controls.filter((c) => ['CC6.1', 'C1.1'].includes(c.id)).map((c) => c.status)).toEqual(['PASS', 'PASS']);

    const faults = [...denyAclAndPolicy('private-data'), ...denyAclAndPolicy('enforced')];
    await withFake({ scenario: loadScenario('single-account-buckets'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const priv = find(snapshot, 'aws.s3.bucket', 'private-data');
      expect(priv.unknown).toEqual(['acl', 'policy']);
      expect(priv.properties.acl).toBeNull();
      // The policy status is still read when the policy itself is denied.
      expect(priv.properties.policyStatus).toEqual({ isPublic: false });
      expect(snapshot.coverage.filter((c) => c.outcome === 'denied').map((c) => [c.operation, c.resourceId, c.region])).toEqual([
        ['GetBucketAcl', 'arn:aws:s3:::enforced', 'us-east-1'],
        ['GetBucketAcl', 'arn:aws:s3:::private-data', 'us-east-1'],
        ['GetBucketPolicy', 'arn:aws:s3:::enforced', 'us-east-1'],
        ['GetBucketPolicy', 'arn:aws:s3:::private-data', 'us-east-1'],
      ]);
      const after = evaluate(snapshot, only, builtinRegistry()).results;
      // ACLs are disabled on 'enforced', so its verdict does not depend on the denied read.
      expect(after.findings.map((f) => [f.resource.name, f.status])).toEqual([['enforced', 'PASS'], ['private-data', 'UNKNOWN']]);
      expect(after.findings[1].unknownReasons!.join(' ')).toMatch(/s3:GetBucketAcl denied/);
      expect(after.frameworks.soc2.controls.filter((c) => ['CC6.1', 'C1.1'].includes(c.id)).map((c) => c.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
      expect(after.scan.complete).toBe(false);
      // With the whole rule pack, no criterion fed by that rule reads PASS either.
      const all = evaluate(snapshot, rules(), builtinRegistry()).results;
      expect(all.findings.find((f) => f.ruleId === 'aws-s3-bucket-no-public-acl' && f.resource.name === 'private-data')!.status).toBe('UNKNOWN');
      for (const id of ['CC6.1', 'C1.1']) expect(all.frameworks.soc2.controls.find((c) => c.id === id)!.status).not.toBe('PASS');
    });
  });

  test('a denied listing is an unknown marker for the type, never an empty list', async () => {
    const faults = [
      { op: 's3:ListBuckets', kind: 'denied' as const, account: '222222222222' },
      { op: 'ec2:DescribeSecurityGroups', kind: 'opt-in' as const, account: '111111111111', region: 'eu-west-1' },
    ];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ORG);
      expect(snapshot.resources.some((r) => r.type === 'aws.s3.bucket' && r.account === '222222222222')).toBe(false);
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok').map((c) => [c.account, c.region, c.operation, c.outcome])).toEqual([
        ['111111111111', 'eu-west-1', 'DescribeSecurityGroups', 'not-enabled'],
        ['222222222222', 'global', 'ListBuckets', 'denied'],
      ]);
      const { results } = evaluate(snapshot, rules('aws/s3/aws-s3-bucket-versioning.yaml'), builtinRegistry());
      const prod = results.findings.filter((f) => f.resource.account === '222222222222');
      expect(prod.map((f) => f.status)).toEqual(['UNKNOWN']);
      expect(prod[0].unknownReasons!.join(' ')).toMatch(/s3:ListBuckets denied/);
    });
  });

  test("the organization's member list is read once from the caller; denied, it is unknown, never an empty organization", async () => {
    const scan = { accounts: ['222222222222'], roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, scan);
      const prod = snapshot.resources.find((r) => r.type === 'aws.account')!;
      expect(prod.properties.organizationAccounts).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
      expect(fake.calls.filter((c) => c.operation === 'ListAccounts').map((c) => c.account)).toEqual(['111111111111']);
    });
    await withFake({ scenario: loadScenario('acme-org'), faults: [{ op: 'organizations:ListAccounts', kind: 'denied' as const }] }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, scan);
      const prod = snapshot.resources.find((r) => r.type === 'aws.account')!;
      expect(prod.unknown).toContain('organizationAccounts');
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok').map((c) => [c.account, c.operation, c.outcome])).toEqual([['111111111111', 'ListAccounts', 'denied']]);
    });
  });

  test('an account whose role cannot be assumed is recorded with affects *, and the others complete', async () => {
    const faults = [{ op: 'sts:AssumeRole', kind: 'denied' as const, resource: 'arn:aws:iam::333333333333:role/TrustScanAudit' }];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot, collection } = await collectSnapshot(fake, ORG);
      expect(collection.stats.unreadableAccounts).toEqual(['333333333333']);
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([
        expect.objectContaining({ account: '333333333333', region: 'global', service: 'sts', operation: 'AssumeRole', outcome: 'denied', affects: ['*'] }),
      ]);
      expect(snapshot.resources.some((r) => r.account === '333333333333')).toBe(false);
      expect(snapshot.metadata.accounts.map((a) => a.id)).toContain('333333333333');
      // The other accounts are complete; the organization trail still lists only the accounts that saw it.
      expect(find(snapshot, 'aws.account', 'acme-production').unknown).toBeUndefined();
      expect(find(snapshot, 'aws.cloudtrail.trail', 'acme-org-trail').properties.memberAccounts).toEqual(['222222222222']);
      // Nothing was called with the unreadable account's identity.
      expect(fake.calls.filter((c) => c.account === '333333333333')).toEqual([]);
      const { results } = evaluate(snapshot, rules('aws/iam/aws-iam-root-mfa.yaml'), builtinRegistry());
      expect(results.findings.map((f) => [f.resource.account, f.status])).toEqual([
        ['111111111111', 'PASS'],
        ['222222222222', 'PASS'],
        ['333333333333', 'UNKNOWN'],
      ]);
    });
  });

  test('a wrong external id fails AssumeRole for the account that requires one', async () => {
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const { collection } = await collectSnapshot(fake, { ...ORG, externalId: 'wrong' });
      expect(collection.stats.unreadableAccounts).toEqual(['222222222222']);
    });
  });
});

describe('call accounting', () => {
  test("a synthetic organization takes exactly the benchmark's theoretical minimum of calls, operation by operation", async () => {
    const size = { accounts: 2, regions: 3, bucketsPerAccount: 12, principalsPerAccount: 20, keysPerRegion: 3, securityGroupsPerRegion: 2, instancesPerRegion: 5, vpcsPerRegion: 2, serverCertificatesPerAccount: 2 };
    const scenario = syntheticScenario(size);
    // A credential report already generated: the minimum counts no STARTED answers.
    await withFake({ scenario, credentialReportPolls: 0 }, async (fake) => {
      const { snapshot, collection } = await collectSnapshot(fake, { org: true, roleName: 'TrustScanAudit' });
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      expect(collection.stats.callsByOperation).toEqual(minimumCalls(scenario, size.regions));
      expect(fake.countByOperation()).toEqual(minimumCalls(scenario, size.regions));
      // The last region has no VPC, so no flow-log listing there.
      expect(fake.calls.filter((c) => c.operation === 'DescribeFlowLogs').map((c) => c.region).sort()).toEqual(['eu-west-1', 'eu-west-1', 'us-east-1', 'us-east-1']);
      const count = (type: string) => snapshot.resources.filter((r) => r.type === type).length;
      expect([count('aws.ec2.instance'), count('aws.ec2.vpc'), count('aws.ec2.network-acl'), count('aws.iam.server-certificate')]).toEqual([2 * 3 * 5, 2 * 2 * 2, 2 * 2 * 2 * 2, 2 * 2]);
    });
  });
});

describe('read-only', () => {
  test("the fake's log shows only List/Get/Describe calls, plus the three documented exceptions", async () => {
    await withFake({ scenario: loadScenario('acme-org'), credentialReportPolls: 2 }, async (fake) => {
      await collectSnapshot(fake, ORG);
      const ops = [...new Set(fake.calls.map((c) => `${c.service}:${c.operation}`))].sort();
      const writes = ops.filter((op) => !READ_ONLY.test(op.split(':')[1]) && !ALLOWED_OTHERS.has(op));
      expect(writes).toEqual([]);
      expect(fake.calls.every((c) => c.method === 'GET' || c.method === 'POST')).toBe(true);
      expect(fake.calls.filter((c) => c.service === 's3' || c.service === 's3control').every((c) => c.method === 'GET')).toBe(true);
      expect(ops).toEqual(expect.arrayContaining([...ALLOWED_OTHERS]));
      // The listings behind the instance, VPC, network ACL, analyzer and server-certificate rules are in the log, and read-only.
      expect(ops).toEqual(
        expect.arrayContaining(['ec2:DescribeInstances', 'ec2:DescribeVpcs', 'ec2:DescribeFlowLogs', 'ec2:DescribeNetworkAcls', 'access-analyzer:ListAnalyzers', 'iam:ListServerCertificates']),
      );
      // The detection, monitoring and edge services of issue 17, every one of them read-only.
      expect(ops).toEqual(
        expect.arrayContaining([
          'config:DescribeConfigurationRecorders',
          'config:DescribeConfigurationRecorderStatus',
          'config:DescribeDeliveryChannels',
          'guardduty:ListDetectors',
          'securityhub:DescribeHub',
          'securityhub:GetEnabledStandards',
          'macie2:GetMacieSession',
          'logs:DescribeMetricFilters',
          'cloudwatch:DescribeAlarms',
          'sns:ListTopics',
          'sqs:ListQueues',
          'ecr:DescribeRepositories',
          'ecr:GetRegistryScanningConfiguration',
          'elasticloadbalancing:DescribeLoadBalancers',
          'lambda:ListFunctions',
        ]),
      );
      // GetEnabledStandards is a read sent as POST /standards/get (its filters travel in the body); every other call of these services is a GET.
      expect(fake.calls.filter((c) => ['guardduty', 'securityhub', 'macie2', 'lambda'].includes(c.service) && c.operation !== 'GetEnabledStandards').every((c) => c.method === 'GET')).toBe(true);
      expect(fake.calls.filter((c) => c.operation === 'GetEnabledStandards').every((c) => c.service === 'securityhub' && c.method === 'POST')).toBe(true);
      expect(fake.calls.filter((c) => c.service === 'access-analyzer').every((c) => c.method === 'GET')).toBe(true);
      // Databases, backups, secrets and file systems: every listing and per-resource read is in the log, and read-only.
      expect(ops).toEqual(
        expect.arrayContaining([
          'rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBSnapshotAttributes', 'rds:DescribeDBClusterSnapshotAttributes',
          'dynamodb:ListTables', 'dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:ListTagsOfResource',
          'backup:ListBackupPlans', 'backup:GetBackupPlan', 'backup:ListBackupSelections', 'backup:GetBackupSelection', 'backup:ListBackupVaults', 'backup:GetBackupVaultAccessPolicy', 'backup:DescribeRegionSettings', 'backup:ListProtectedResources', 'backup:ListRestoreJobs',
          'secretsmanager:ListSecrets', 'secretsmanager:GetResourcePolicy',
          'efs:DescribeFileSystems', 'efs:DescribeBackupPolicy', 'efs:DescribeFileSystemPolicy',
          's3:GetBucketLifecycleConfiguration',
        ]),
      );
      expect(fake.calls.filter((c) => c.service === 'backup' || c.service === 'efs').every((c) => c.method === 'GET')).toBe(true);
      // CloudFront (global), OpenSearch Service and Redshift: every listing and per-resource read is in the log, and read-only.
      expect(ops).toEqual(
        expect.arrayContaining([
          'cloudfront:ListDistributions', 'cloudfront:GetDistributionConfig', 'logs:DescribeDeliverySources', 'logs:DescribeDeliveries',
          'es:ListDomainNames', 'es:DescribeDomains',
          'redshift:DescribeClusters', 'redshift:DescribeLoggingStatus', 'redshift:DescribeClusterParameters',
        ]),
      );
      expect(fake.calls.filter((c) => c.service === 'cloudfront').every((c) => c.method === 'GET')).toBe(true);
      // DescribeDomains is a POST that only reads (its body names the domains): nothing else of OpenSearch is called.
      expect([...new Set(fake.calls.filter((c) => c.service === 'es').map((c) => `${c.method} ${c.operation}`))].sort()).toEqual(['GET ListDomainNames', 'POST DescribeDomains']);
      // Polling: two STARTED answers, then COMPLETE, per account.
      expect(fake.countByOperation()['iam:GenerateCredentialReport']).toBe(9);
    });
  });
});

describe('custom endpoints', () => {
  test('AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> route every client, path-style S3 and S3 Control included', async () => {
    await withFake({ scenario: loadScenario('single-account-buckets') }, async (fake) => {
      const viaEnv = await collectSnapshot(fake, { endpointUrl: undefined, env: { AWS_ENDPOINT_URL: fake.url } });
      expect(viaEnv.snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      expect(viaEnv.snapshot.resources.find((r) => r.type === 'aws.account')!.properties.s3PublicAccessBlock).toBeNull();
      expect(viaEnv.snapshot.resources.filter((r) => r.type === 'aws.s3.bucket')).toHaveLength(2);
      // A per-service variable wins over the general one.
      const perService = await collectSnapshot(fake, {
        endpointUrl: undefined,
        env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_STS: fake.url, AWS_ENDPOINT_URL_S3: fake.url, AWS_ENDPOINT_URL_S3_CONTROL: fake.url, AWS_ENDPOINT_URL_IAM: fake.url, AWS_ENDPOINT_URL_EC2: fake.url, AWS_ENDPOINT_URL_KMS: fake.url, AWS_ENDPOINT_URL_CLOUDTRAIL: fake.url, AWS_ENDPOINT_URL_ORGANIZATIONS: fake.url, AWS_ENDPOINT_URL_ACCESSANALYZER: fake.url, AWS_ENDPOINT_URL_RDS: fake.url, AWS_ENDPOINT_URL_DYNAMODB: fake.url, AWS_ENDPOINT_URL_BACKUP: fake.url, AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url, AWS_ENDPOINT_URL_EFS: fake.url, ...Object.fromEntries(['CONFIG_SERVICE', 'GUARDDUTY', 'SECURITYHUB', 'MACIE2', 'CLOUDWATCH_LOGS', 'CLOUDWATCH', 'SNS', 'SQS', 'ECR', 'ELASTIC_LOAD_BALANCING_V2', 'LAMBDA', 'CLOUDFRONT', 'OPENSEARCH', 'REDSHIFT'].map((s) => [`AWS_ENDPOINT_URL_${s}`, fake.url])) },
      });
      expect(perService.snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      expect(fake.calls.filter((c) => c.service === 'access-analyzer')).toHaveLength(2);
    });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCatalog } from '../../src/catalog';
import { canonicalJson } from '../../src/core/hash';
import type { CoverageEntry, Finding, Resource, Results, Snapshot } from '../../src/core/types';
import { generateAccount, prng } from '../../src/bench/synthetic-snapshot';
import { evaluate } from '../../src/engine/evaluate';
import { partitionSnapshot } from '../../src/engine/partition-builder';
import { contextPlan, PartitionedEvaluation } from '../../src/engine/partitioned';
import { ROOT } from '../helpers';

/**
 * Bounded-memory evaluation (unit by unit, with the organization's context from a first pass)
 * must give exactly the verdicts of evaluating the whole snapshot at once: compared finding by
 * finding (status, message, evidence, reasons), with the roll-ups and per-unit completeness.
 */

const catalog = builtinCatalog();
const rules = catalog.loadRules();
const plan = contextPlan(rules, catalog.registry, catalog.providers.flatMap((p) => (p.evaluationContext ? [p.evaluationContext] : [])));

function runWhole(s: Snapshot): Results {
  return evaluate(s, rules, catalog.registry, { frameworks: catalog.frameworks, runId: 'x' }).results;
}

function runPartitioned(s: Snapshot, batchResources: number, p = plan): Results {
  const e = new PartitionedEvaluation(partitionSnapshot(s, p, catalog.registry), rules, catalog.registry, p, { frameworks: catalog.frameworks, runId: 'x', batchResources });
  for (const batch of e.batches()) void batch;
  return e.finish().results;
}

const byFingerprint = (fs: Finding[]): Map<string, string> => new Map(fs.map((f) => [`${f.fingerprint}`, canonicalJson(f)]));

function expectSameVerdicts(s: Snapshot, batchResources: number): { findings: number; differences: string[] } {
  const whole = runWhole(s);
  const parts = runPartitioned(s, batchResources);
  const a = byFingerprint(whole.findings);
  const b = byFingerprint(parts.findings);
  // No fingerprint twice (placeholders and resources alike): the maps lose nothing.
  expect(a.size).toBe(whole.findings.length);
  expect(b.size).toBe(parts.findings.length);
  const differences: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) differences.push(`${k}\n whole: ${v}\n parts: ${b.get(k) ?? '(absent)'}`);
  for (const k of b.keys()) if (!a.has(k)) differences.push(`${k} only in the partitioned run: ${b.get(k)}`);
  expect(differences.slice(0, 3)).toEqual([]);
  expect(parts.summary).toEqual(whole.summary);
  expect(parts.frameworks).toEqual(whole.frameworks);
  expect(parts.scan.accounts).toEqual(whole.scan.accounts);
  expect(parts.scan.complete).toBe(whole.scan.complete);
  expect(parts.scan.resources).toBe(whole.scan.resources);
  expect(canonicalJson(parts.scan.gaps)).toBe(canonicalJson(whole.scan.gaps));
  return { findings: whole.findings.length, differences };
}

const SCAN_TIME = Date.parse('2026-11-25T02:00:00Z');

/**
 * A synthetic organization with what crosses accounts: an organization trail in the management
 * account writing to a bucket of a log-archive account and encrypted with a key of a security
 * account, an organization analyzer, an AWS-managed policy listed in one account and attached in
 * others, a failed trail listing in the management account, an account that could not be read
 * at all, and a denied bucket read. `thin` keeps one resource in `thin` of each account (speed).
 */
function syntheticOrganization(seed: number, accounts: number, thin: number): Snapshot {
  const rnd = prng(seed);
  const resources: Resource[] = [];
  const ids: string[] = [];
  for (let a = 0; a < accounts; a++) {
    let i = 0;
    generateAccount(seed * 100 + a, SCAN_TIME, (r) => {
      if (r.type !== 'aws.account' && r.type !== 'aws.cloudtrail.trail' && i++ % thin !== 0) return;
      resources.push(r);
    });
    ids.push(resources[resources.length - 1].account);
  }
  const accountIds = [...new Set(resources.map((r) => r.account))].sort();
  const [management, logArchive, security] = accountIds;
  // Every account in one organization run from the first.
  for (const r of resources) {
    if (r.type !== 'aws.account') continue;
    r.properties.organizationManagementAccount = management;
  }
  const keyArn = `arn:aws:kms:us-east-1:${security}:key/org-trail-key`;
  const bucketName = `org-trail-logs-${seed}`;
  const base = { provider: 'aws', source: { kind: 'runtime' as const } };
  resources.push({
    ...base,
    id: keyArn,
    type: 'aws.kms.key',
    account: security,
    region: 'us-east-1',
    properties: {
      keyId: 'org-trail-key', arn: keyArn, description: 'trail key', keyManager: 'CUSTOMER', keyState: rnd() < 0.5 ? 'Enabled' : 'Disabled', keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', multiRegion: false, creationDate: '2024-01-01T00:00:00Z', rotationEnabled: true, rotationPeriodInDays: 365,
      policy: { Version: '2012-10-17', Statement: [] }, aliases: [],
    },
  });
  const logBucket = resources.find((r) => r.type === 'aws.s3.bucket' && r.account === logArchive)!;
  const bucket: Resource = JSON.parse(JSON.stringify(logBucket));
  bucket.id = `arn:aws:s3:::${bucketName}`;
  bucket.name = bucketName;
  bucket.properties.name = bucketName;
  bucket.properties.arn = bucket.id;
  bucket.properties.logging = rnd() < 0.5 ? null : { targetBucket: 'x', targetPrefix: 'y/' };
  resources.push(bucket);
  const trailArn = `arn:aws:cloudtrail:us-east-1:${management}:trail/org`;
  const trail = resources.find((r) => r.type === 'aws.cloudtrail.trail')!;
  resources.push({
    ...base,
    id: trailArn,
    type: 'aws.cloudtrail.trail',
    account: management,
    region: 'us-east-1',
    name: 'org',
    properties: { ...trail.properties, name: 'org', arn: trailArn, isMultiRegionTrail: true, isOrganizationTrail: true, includeGlobalServiceEvents: true, kmsKeyId: keyArn, s3BucketName: bucketName, memberAccounts: accountIds.slice(1, -1) },
  });
  const analyzerArn = `arn:aws:access-analyzer:us-east-1:${management}:analyzer/org`;
  resources.push({
    ...base,
    id: analyzerArn,
    type: 'aws.accessanalyzer.analyzer',
    account: management,
    region: 'us-east-1',
    name: 'org',
    properties: { name: 'org', arn: analyzerArn, type: 'ORGANIZATION', status: 'ACTIVE', memberAccounts: accountIds.slice(1, 3) },
  });
  // An AWS-managed policy listed in one account only, attached to principals everywhere.
  const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
  const policy = resources.find((r) => r.type === 'aws.iam.policy' && r.account === logArchive)!;
  resources.push({
    ...JSON.parse(JSON.stringify(policy)),
    id: admin,
    name: 'AdministratorAccess',
    properties: { ...policy.properties, arn: admin, policyName: 'AdministratorAccess', awsManaged: true, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
  });
  for (const r of resources) {
    if ((r.type === 'aws.iam.role' || r.type === 'aws.iam.user') && rnd() < 0.3 && Array.isArray(r.properties.attachedPolicies)) {
      (r.properties.attachedPolicies as unknown[]).push({ policyName: 'AdministratorAccess', policyArn: admin });
    }
  }
  // A privilege escalation across accounts: a user of one account may assume, and rewrite, a role
  // of another that trusts its account (found only with the other account's roles at hand).
  const [, , , hopAccount, adminAccount] = accountIds;
  const someUser = resources.find((r) => r.type === 'aws.iam.user')!;
  const someRole = resources.find((r) => r.type === 'aws.iam.role')!;
  // A user of `account` whose one inline policy allows `action` on everything.
  const user = (account: string, name: string, action: string | string[]): Resource => {
    const arn = `arn:aws:iam::${account}:user/${name}`;
    return {
      ...JSON.parse(JSON.stringify(someUser)),
      id: arn,
      account,
      name,
      properties: {
        ...someUser.properties, userName: name, arn, attachedPolicies: [], groups: [], permissionsBoundary: null,
        inlinePolicies: [{ policyName: name, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } }],
      },
    };
  };
  // A role of `account` that `trusted` may assume, with these inline and attached policies.
  const role = (account: string, name: string, trusted: string, inline: unknown[], attached: unknown[] = [], permissionsBoundary: unknown = null): Resource => {
    const arn = `arn:aws:iam::${account}:role/${name}`;
    return {
      ...JSON.parse(JSON.stringify(someRole)),
      id: arn,
      account,
      name,
      properties: {
        ...someRole.properties, roleName: name, arn, path: '/', serviceLinked: false, permissionsBoundary, inlinePolicies: inline, attachedPolicies: attached,
        assumeRolePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole' }] },
      },
    };
  };
  const everything = { policyName: 'all', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  resources.push(user(hopAccount, 'hopper', ['sts:AssumeRole', 'iam:PutRolePolicy']));
  // A boundary: not administrator by its own policies alone, so its account is reached whole.
  resources.push(role(adminAccount, 'break-glass', `arn:aws:iam::${hopAccount}:root`, [everything], [{ policyName: 'AdministratorAccess', policyArn: admin }], { type: 'Policy', arn: admin }));
  // The break-glass role also serves an instance of its account: escalation through the instance
  // (a command run on it) is found only by looking the instance up by its profile.
  const profile = `arn:aws:iam::${adminAccount}:instance-profile/break-glass`;
  (resources[resources.length - 1].properties as Record<string, unknown>).instanceProfiles = [profile];
  resources.push({
    ...base,
    id: `arn:aws:ec2:us-east-1:${adminAccount}:instance/i-0breakglass`,
    type: 'aws.ec2.instance',
    account: adminAccount,
    region: 'us-east-1',
    name: 'i-0breakglass',
    properties: { instanceId: 'i-0breakglass', state: 'running', iamInstanceProfileArn: profile, metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' }, vpcId: null },
  });
  resources.push(user(adminAccount, 'operator', 'ssm:SendCommand'));
  resources.push(user(management, 'deployer', 'sts:AssumeRole'), user(security, 'auditor', 'sts:AssumeRole'));
  // An audit role in every member, trusting the security account: it reads, so it leads nowhere
  // and is reached alone — except in the log archive, where another role trusts it by ARN.
  const reads = [{ policyName: 'reads', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 's3:GetBucketPolicy'], Resource: '*' }] } }];
  for (const account of accountIds.filter((a) => a !== security)) resources.push(role(account, 'audit', `arn:aws:iam::${security}:root`, reads));
  resources.push(role(logArchive, 'audit-admin', `arn:aws:iam::${logArchive}:role/audit`, [everything]));
  // The role AWS Organizations creates in every member, trusting the management account: an
  // administrator by its own policy, reached alone (its account is not loaded for it).
  for (const account of accountIds.slice(1)) resources.push(role(account, 'OrganizationAccountAccessRole', `arn:aws:iam::${management}:root`, [], [{ policyName: 'AdministratorAccess', policyArn: admin }]));
  const unread = String(900000000000 + seed);
  const coverage: CoverageEntry[] = [
    { provider: 'aws', account: management, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', outcome: 'denied', message: 'AccessDenied' },
    { provider: 'aws', account: unread, region: 'global', service: 'sts', operation: 'AssumeRole', outcome: 'denied', message: 'AccessDenied', affects: ['*'] },
    { provider: 'aws', account: logArchive, region: 'us-east-1', service: 's3', operation: 'GetBucketAcl', outcome: 'denied', message: 'AccessDenied', resourceId: bucket.id },
    { provider: 'aws', account: security, region: 'global', service: 'iam', operation: 'ListPolicies', outcome: 'throttled', message: 'Throttling' },
  ];
  // Collection order interleaves accounts.
  for (let i = resources.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [resources[i], resources[j]] = [resources[j], resources[i]];
  }
  return {
    schemaVersion: '1.0',
    metadata: {
      tool: { name: 'trustscan', version: 'test' },
      startedAt: new Date(SCAN_TIME).toISOString(),
      finishedAt: new Date(SCAN_TIME).toISOString(),
      providers: ['aws'],
      accounts: [...accountIds, unread].map((id) => ({ provider: 'aws', id })),
    },
    resources,
    coverage,
  };
}

describe('bounded-memory evaluation gives the verdicts of whole-snapshot evaluation', () => {
  const demos = ['snapshot.json', 'gcp-organization.json', 'azure-snapshot.json'];
  test.each(demos)('demo %s, one unit per batch and all units in one', (name) => {
    const s = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', name), 'utf8')) as Snapshot;
    const one = expectSameVerdicts(s, 1);
    expect(one.findings).toBeGreaterThan(20);
    expectSameVerdicts(s, 1_000_000);
  });

  test.each([1, 2, 3])('synthetic organization %i (cross-account trail, key, bucket, analyzer, managed policy, gaps)', (seed) => {
    const s = syntheticOrganization(seed, 5, 40);
    const r = expectSameVerdicts(s, 1);
    expect(r.findings).toBeGreaterThan(500);
    // The escalation across accounts is found (in both: expectSameVerdicts compared them).
    const hop = runWhole(s).findings.find((f) => f.ruleId === 'aws-iam-user-no-privilege-escalation' && f.resource.id.endsWith(':user/hopper'));
    expect(hop?.status).toBe('FAIL');
    expect(JSON.stringify(hop?.evidence)).toContain('break-glass');
    // A management user who may assume any role becomes administrator of the members.
    const deployer = runWhole(s).findings.find((f) => f.ruleId === 'aws-iam-user-no-privilege-escalation' && f.resource.id.endsWith(':user/deployer'));
    expect(deployer?.status).toBe('FAIL');
    expect(JSON.stringify(deployer?.evidence)).toContain('OrganizationAccountAccessRole');
    // The auditor reaches the log archive's administrator through its audit role.
    const auditor = runWhole(s).findings.find((f) => f.ruleId === 'aws-iam-user-no-privilege-escalation' && f.resource.id.endsWith(':user/auditor'));
    expect(auditor?.status).toBe('FAIL');
    expect(JSON.stringify(auditor?.evidence)).toContain('audit-admin');
    const operator = runWhole(s).findings.find((f) => f.ruleId === 'aws-iam-user-no-privilege-escalation' && f.resource.id.endsWith(':user/operator'));
    expect(operator?.status).toBe('FAIL');
    expect(JSON.stringify(operator?.evidence)).toContain('ssm-send-command');
    expectSameVerdicts(s, 300);
  });

  test('the comparison can fail: without the cross-unit context, verdicts of the synthetic organization differ', () => {
    const s = syntheticOrganization(1, 5, 40);
    const whole = byFingerprint(runWhole(s).findings);
    const without = (types: string[]): typeof plan => ({ ...plan, keep: new Set([...plan.keep].filter((t) => !types.includes(t))) });
    for (const blind of [
      { ...plan, keep: new Set(['aws.account']) },
      without(['aws.cloudtrail.trail']),
      // Principals of the accounts a batch reaches, but not who reaches whom: the escalation into another account is missed.
      { ...plan, reach: { ...plan.reach!, from: new Map() } },
      { ...plan, lookups: new Map([...plan.lookups].filter(([t]) => t !== 'aws.kms.key')) },
      { ...plan, lookups: new Map([...plan.lookups].filter(([t]) => t !== 'aws.s3.bucket')) },
    ]) {
      // A plan that misses context either differs or stops on the undeclared read: never agrees by luck.
      let differs: boolean;
      try {
        const parts = byFingerprint(runPartitioned(s, 1, blind).findings);
        differs = [...whole].filter(([k, v]) => parts.get(k) !== v).length > 0;
      } catch (e) {
        differs = /outside its batch|without declaring it/.test((e as Error).message);
      }
      expect(differs).toBe(true);
    }
  });

  test('a fact that reads another unit by a path the plan does not know stops the evaluation, naming it', () => {
    const s = syntheticOrganization(2, 5, 40);
    const noReach = { keep: plan.keep, lookups: plan.lookups };
    expect(() => runPartitioned(s, 1, noReach)).toThrow(/a fact read aws\.iam\.\w+ of account \d{12}, outside its batch.*declare the look-up/);
    const noInstanceLookup = { ...plan, lookups: new Map([...plan.lookups].filter(([t]) => t !== 'aws.ec2.instance')) };
    expect(() => runPartitioned(s, 1, noInstanceLookup)).toThrow(/looked up aws\.ec2\.instance by iamInstanceProfileArn across accounts without declaring it/);
  });

  test('a batch loads the principals of only the accounts a role trust reaches from it', () => {
    const s = syntheticOrganization(1, 5, 40);
    const org = partitionSnapshot(s, plan, catalog.registry);
    const reached = [...org.reach!.from].map(([from, to]) => [from.split('\u0000')[1], [...to].map((u) => u.split('\u0000')[1])]);
    const accountIds = [...new Set(s.resources.map((r) => r.account))].sort();
    const [management, logArchive, security] = accountIds;
    // The break-glass role of the fifth account trusts the fourth; the log archive's audit role is
    // named by another role's trust, so it leads on: the security account reaches that account whole.
    expect(new Map(reached as [string, string[]][])).toEqual(new Map([[accountIds[3], [accountIds[4]]], [security, [logArchive]]]));
    expect(org.reach!.all.size).toBe(0);
    // Each member's OrganizationAccountAccessRole is reached from the management account alone, the other audit roles from the security account.
    const alone = new Map([...org.reach!.terminalFrom].map(([from, refs]) => [from.split('\u0000')[1], refs.map((ref) => org.load(ref).id).sort()]));
    expect(alone).toEqual(
      new Map([
        [management, accountIds.slice(1).map((a) => `arn:aws:iam::${a}:role/OrganizationAccountAccessRole`)],
        [security, accountIds.filter((a) => a !== security && a !== logArchive).map((a) => `arn:aws:iam::${a}:role/audit`)],
      ]),
    );
  });

  test('the context plan keeps what crosses units and looks up what rules relate to', () => {
    expect([...plan.keep]).toEqual(expect.arrayContaining(['aws.account', 'aws.cloudtrail.trail', 'aws.accessanalyzer.analyzer', 'gcp.project', 'gcp.folder', 'azure.subscription']));
    expect(plan.lookups.get('aws.s3.bucket')).toEqual(['name']);
    expect(plan.lookups.get('aws.kms.key')).toEqual(['arn']);
  });
});

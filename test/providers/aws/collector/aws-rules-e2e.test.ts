import { join } from 'node:path';
import type { Results, Snapshot } from '../../../../src/core/types';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../../../src/engine/rule-loader';
import type { ScenarioAclEntry } from '../../../fake-cloud/aws/scenario';
import type { FaultRule } from '../../../fake-cloud/aws/server';
import { ROOT } from '../../../helpers';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';

/**
 * The rules on instances, VPCs, network ACLs, Access Analyzer and IAM server certificates, run on
 * what the collector read through the real SDK clients: they pass and fail where the scenario says
 * they should, and a read that was denied (or throttled to the end) makes them UNKNOWN — in the
 * findings and in the SOC 2 roll-up — never PASS.
 */

const MGMT = '111111111111';
const PROD = '222222222222';
const ARCHIVE = '333333333333';
const ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };
const NOW = new Date('2026-11-26T00:00:00Z');

const RULES = {
  imdsv2: 'aws/ec2/aws-ec2-instance-imdsv2.yaml',
  profile: 'aws/ec2/aws-ec2-instance-profile.yaml',
  flowLogs: 'aws/ec2/aws-ec2-vpc-flow-logs.yaml',
  nacl: 'aws/ec2/aws-ec2-nacl-no-admin-ports.yaml',
  analyzer: 'aws/iam/aws-iam-access-analyzer-enabled.yaml',
  certificate: 'aws/iam/aws-iam-server-certificate-not-expired.yaml',
  trail: 'aws/cloudtrail/aws-cloudtrail-multi-region-logging.yaml',
};
const NEW_TYPE_RULES = [RULES.imdsv2, RULES.profile, RULES.flowLogs, RULES.nacl, RULES.analyzer, RULES.certificate];

const loadRules = (files: string[]) => loadRulesOrThrow(files.map((f) => join(ROOT, 'rules', f)), builtinRegistry(), builtinFacts());
const run = (snapshot: Snapshot, ...files: string[]): Results => evaluate(snapshot, loadRules(files), builtinRegistry(), { now: NOW }).results;

/** [rule, account, region, resource name (or id), status], sorted. */
const verdicts = (r: Results): string[][] =>
  r.findings.map((f) => [f.ruleId, f.resource.account, f.resource.region, f.resource.name ?? f.resource.id, f.status]).sort((a, b) => a.join().localeCompare(b.join()));

/** The SOC 2 criteria the given rules feed, with their roll-up status. */
function criteria(r: Results, files: string[]): Record<string, string> {
  const ids = new Set(loadRules(files).flatMap((rule) => rule.def.soc2.map((c) => c.id)));
  return Object.fromEntries(r.frameworks.soc2.controls.filter((c) => ids.has(c.id)).map((c) => [c.id, c.status]));
}

describe('rules on the collected organization', () => {
  let snapshot: Snapshot;
  beforeAll(async () => {
    ({ snapshot } = await withFake({ scenario: loadScenario('acme-org') }, (fake) => collectSnapshot(fake, ORG)));
  });

  test('instances: IMDSv2 and instance role, terminated instances out of scope', () => {
    expect(verdicts(run(snapshot, RULES.imdsv2, RULES.profile))).toEqual([
      ['aws-ec2-instance-imdsv2', MGMT, 'us-east-1', 'app-1', 'PASS'],
      ['aws-ec2-instance-imdsv2', MGMT, 'us-east-1', 'app-2', 'PASS'], // metadata service turned off
      ['aws-ec2-instance-imdsv2', MGMT, 'us-east-1', 'bastion', 'FAIL'],
      ['aws-ec2-instance-imdsv2', PROD, 'us-east-1', 'prod-worker', 'PASS'],
      ['aws-ec2-instance-profile', MGMT, 'us-east-1', 'app-1', 'PASS'],
      ['aws-ec2-instance-profile', MGMT, 'us-east-1', 'app-2', 'PASS'],
      ['aws-ec2-instance-profile', MGMT, 'us-east-1', 'bastion', 'FAIL'],
      ['aws-ec2-instance-profile', PROD, 'us-east-1', 'prod-worker', 'FAIL'],
    ]);
  });

  test('flow logs: an active ALL log passes, accept-only and none fail; a subnet flow log does not count for its VPC', () => {
    expect(verdicts(run(snapshot, RULES.flowLogs))).toEqual([
      ['aws-ec2-vpc-flow-logs', MGMT, 'us-east-1', 'app', 'FAIL'],
      ['aws-ec2-vpc-flow-logs', MGMT, 'us-east-1', 'vpc-0a1b2c3d', 'PASS'],
      ['aws-ec2-vpc-flow-logs', PROD, 'us-east-1', 'vpc-0a1b2c3d', 'FAIL'],
    ]);
  });

  test('network ACLs: allow-all (IPv4 and IPv6) fails, lower-numbered denies close SSH and RDP', () => {
    const r = run(snapshot, RULES.nacl);
    expect(verdicts(r)).toEqual([
      ['aws-ec2-nacl-no-admin-ports', MGMT, 'us-east-1', 'acl-0default0001', 'FAIL'],
      ['aws-ec2-nacl-no-admin-ports', MGMT, 'us-east-1', 'app-subnets', 'PASS'],
      ['aws-ec2-nacl-no-admin-ports', PROD, 'us-east-1', 'acl-0prod0000001', 'PASS'],
    ]);
    const open = r.findings.find((f) => f.status === 'FAIL')!;
    expect(open.evidence['facts.publicAdminIngress']).toEqual(
      expect.arrayContaining([
        { port: 22, protocol: 'tcp', source: '0.0.0.0/0', ruleNumber: 100 },
        { port: 3389, protocol: 'tcp', source: '::/0', ruleNumber: 101 },
      ]),
    );
  });

  test('Access Analyzer: the management account’s organization analyzer covers every member in its region', () => {
    expect(verdicts(run(snapshot, RULES.analyzer))).toEqual([
      ['aws-iam-access-analyzer-enabled', MGMT, 'eu-west-1', `arn:aws:ec2:eu-west-1:${MGMT}:region`, 'FAIL'], // unused-access analyzer only
      ['aws-iam-access-analyzer-enabled', MGMT, 'us-east-1', `arn:aws:ec2:us-east-1:${MGMT}:region`, 'PASS'],
      ['aws-iam-access-analyzer-enabled', PROD, 'eu-west-1', `arn:aws:ec2:eu-west-1:${PROD}:region`, 'PASS'], // its own account analyzer
      ['aws-iam-access-analyzer-enabled', PROD, 'us-east-1', `arn:aws:ec2:us-east-1:${PROD}:region`, 'PASS'], // the organization analyzer
      ['aws-iam-access-analyzer-enabled', ARCHIVE, 'us-east-1', `arn:aws:ec2:us-east-1:${ARCHIVE}:region`, 'PASS'], // the organization analyzer too
    ]);
  });

  test('server certificates: the expired one fails', () => {
    expect(verdicts(run(snapshot, RULES.certificate))).toEqual([
      ['aws-iam-server-certificate-not-expired', MGMT, 'global', 'cdn-2035', 'PASS'],
      ['aws-iam-server-certificate-not-expired', MGMT, 'global', 'legacy-web-2024', 'FAIL'],
    ]);
  });
});

describe('denied and throttled reads make the rules on the new types UNKNOWN, never PASS', () => {
  const scan = (faults: FaultRule[]) => withFake({ scenario: loadScenario('single-account-buckets'), faults }, (fake) => collectSnapshot(fake));

  test('control: everything readable, every rule passes, and so does every criterion they feed', async () => {
    const { snapshot } = await scan([]);
    const r = run(snapshot, ...NEW_TYPE_RULES);
    expect(r.findings).toHaveLength(6);
    expect(r.findings.every((f) => f.status === 'PASS')).toBe(true);
    const c = criteria(r, NEW_TYPE_RULES);
    expect(Object.keys(c).sort()).toEqual(['CC3.2', 'CC6.1', 'CC6.2', 'CC6.6', 'CC6.7', 'CC6.8', 'CC7.1', 'CC7.2', 'CC7.3']);
    expect(Object.values(c).every((s) => s === 'PASS')).toBe(true);
    expect(r.scan.complete).toBe(true);
  });

  test('instances, flow logs, network ACLs, analyzers and server certificates denied: every finding UNKNOWN with its reason', async () => {
    const faults: FaultRule[] = [
      { op: 'ec2:DescribeInstances', kind: 'denied' },
      { op: 'ec2:DescribeFlowLogs', kind: 'denied' },
      { op: 'ec2:DescribeNetworkAcls', kind: 'denied' },
      { op: 'access-analyzer:ListAnalyzers', kind: 'denied' },
      { op: 'iam:ListServerCertificates', kind: 'denied' },
    ];
    const { snapshot } = await scan(faults);
    expect(snapshot.coverage.filter((c) => c.outcome !== 'ok').map((c) => [c.service, c.operation, c.region, c.outcome])).toEqual([
      ['iam', 'ListServerCertificates', 'global', 'denied'],
      ['access-analyzer', 'ListAnalyzers', 'us-east-1', 'denied'],
      ['ec2', 'DescribeFlowLogs', 'us-east-1', 'denied'],
      ['ec2', 'DescribeInstances', 'us-east-1', 'denied'],
      ['ec2', 'DescribeNetworkAcls', 'us-east-1', 'denied'],
    ]);
    // Denied listings leave no resource behind (an unknown marker, not an empty list); the VPC is
    // still there, its flow logs unknown.
    for (const type of ['aws.ec2.instance', 'aws.ec2.network-acl', 'aws.accessanalyzer.analyzer', 'aws.iam.server-certificate']) {
      expect([type, snapshot.resources.filter((x) => x.type === type)]).toEqual([type, []]);
    }
    const vpc = find(snapshot, 'aws.ec2.vpc', 'vpc-0sing0001');
    expect(vpc.unknown).toEqual(['flowLogs']);
    expect(vpc.properties.flowLogs).toBeNull();

    const r = run(snapshot, ...NEW_TYPE_RULES);
    const reasons = Object.fromEntries(r.findings.map((f) => [f.ruleId, f.unknownReasons?.join(' ') ?? '']));
    expect(r.findings.map((f) => [f.ruleId, f.status]).sort()).toEqual([
      ['aws-ec2-instance-imdsv2', 'UNKNOWN'],
      ['aws-ec2-instance-profile', 'UNKNOWN'],
      ['aws-ec2-nacl-no-admin-ports', 'UNKNOWN'],
      ['aws-ec2-vpc-flow-logs', 'UNKNOWN'],
      ['aws-iam-access-analyzer-enabled', 'UNKNOWN'],
      ['aws-iam-server-certificate-not-expired', 'UNKNOWN'],
    ]);
    expect(reasons).toEqual({
      'aws-ec2-instance-imdsv2': expect.stringMatching(/ec2:DescribeInstances denied/),
      'aws-ec2-instance-profile': expect.stringMatching(/ec2:DescribeInstances denied/),
      'aws-ec2-nacl-no-admin-ports': expect.stringMatching(/ec2:DescribeNetworkAcls denied/),
      'aws-ec2-vpc-flow-logs': expect.stringMatching(/ec2:DescribeFlowLogs denied/),
      'aws-iam-access-analyzer-enabled': expect.stringMatching(/access-analyzer:ListAnalyzers denied/),
      'aws-iam-server-certificate-not-expired': expect.stringMatching(/iam:ListServerCertificates denied/),
    });
    const c = criteria(r, NEW_TYPE_RULES);
    expect(Object.values(c).every((s) => s === 'UNKNOWN')).toBe(true);
    expect(r.scan.complete).toBe(false);
    // With the whole rule pack, no criterion these rules feed reads PASS.
    const all = evaluate(snapshot, loadRulesOrThrow([join(ROOT, 'rules')], builtinRegistry(), builtinFacts()), builtinRegistry(), { now: NOW }).results;
    for (const id of Object.keys(c)) expect([id, all.frameworks.soc2.controls.find((x) => x.id === id)!.status]).not.toEqual([id, 'PASS']);
  });

  test('VPCs denied: no flow-log call, the flow-log rule is UNKNOWN; analyzers throttled past the retries: UNKNOWN', async () => {
    const faults: FaultRule[] = [
      { op: 'ec2:DescribeVpcs', kind: 'denied' },
      { op: 'access-analyzer:ListAnalyzers', kind: 'throttled' },
    ];
    await withFake({ scenario: loadScenario('single-account-buckets'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      expect(fake.countByOperation()['ec2:DescribeFlowLogs']).toBeUndefined();
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok').map((c) => [c.operation, c.outcome, c.calls])).toEqual([
        ['ListAnalyzers', 'throttled', 4],
        ['DescribeVpcs', 'denied', 1],
      ]);
      const r = run(snapshot, RULES.flowLogs, RULES.analyzer);
      expect(r.findings.map((f) => [f.ruleId, f.status, f.unknownReasons?.join(' ')])).toEqual([
        ['aws-ec2-vpc-flow-logs', 'UNKNOWN', expect.stringMatching(/ec2:DescribeVpcs denied/)],
        ['aws-iam-access-analyzer-enabled', 'UNKNOWN', expect.stringMatching(/access-analyzer:ListAnalyzers throttled .*gave up after 4 attempts/)],
      ]);
      expect(Object.values(criteria(r, [RULES.flowLogs, RULES.analyzer])).every((s) => s === 'UNKNOWN')).toBe(true);
    });
  });
});

describe('fields an AWS-compatible endpoint leaves out are unknown, never defaulted', () => {
  test('an instance without metadata options and an ACL entry without its action: those rules are UNKNOWN', async () => {
    const scenario = loadScenario('single-account-buckets');
    const region = scenario.accounts[0].regions[0];
    delete region.instances![0].metadataOptions;
    delete (region.networkAcls![0].entries[0] as Partial<ScenarioAclEntry>).ruleAction;
    const { snapshot } = await withFake({ scenario }, (fake) => collectSnapshot(fake));
    expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
    expect(find(snapshot, 'aws.ec2.instance', 'web').unknown).toEqual(['metadataOptions']);
    expect(find(snapshot, 'aws.ec2.network-acl', 'acl-0sing0001').unknown).toEqual(['entries']);
    expect(verdicts(run(snapshot, RULES.imdsv2, RULES.profile, RULES.nacl)).map((v) => [v[0], v[4]])).toEqual([
      ['aws-ec2-instance-imdsv2', 'UNKNOWN'],
      ['aws-ec2-instance-profile', 'PASS'],
      ['aws-ec2-nacl-no-admin-ports', 'UNKNOWN'],
    ]);
  });
});

describe('an organization trail read from a member account', () => {
  const TRAIL = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/acme-org-trail`;
  const MEMBER_ONLY = { accounts: [PROD], roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };
  /** The scenario's organization trail leaves out KMS events; here it logs every management event. */
  const allManagementEvents = () => {
    const scenario = loadScenario('acme-org');
    for (const t of scenario.accounts.flatMap((a) => a.trails ?? [])) for (const e of t.eventSelectors ?? []) e.excludeManagementEventSources = [];
    return scenario;
  };

  test('the organization trail excludes KMS events: the multi-region rule fails for the member', async () => {
    const { snapshot } = await withFake({ scenario: loadScenario('acme-org') }, (fake) => collectSnapshot(fake, MEMBER_ONLY));
    const r = run(snapshot, RULES.trail);
    expect(r.findings.map((f) => [f.resource.account, f.status])).toEqual([[PROD, 'FAIL']]);
  });

  test('status read by the member: the multi-region rule passes for it', async () => {
    const { snapshot } = await withFake({ scenario: allManagementEvents() }, (fake) => collectSnapshot(fake, MEMBER_ONLY));
    const trail = find(snapshot, 'aws.cloudtrail.trail', 'acme-org-trail');
    expect(trail).toMatchObject({ account: MGMT, properties: { memberAccounts: [PROD], status: { isLogging: true } } });
    const r = run(snapshot, RULES.trail);
    expect(r.findings.map((f) => [f.resource.account, f.status])).toEqual([[PROD, 'PASS']]);
    expect(Object.values(criteria(r, [RULES.trail])).every((s) => s === 'PASS')).toBe(true);
  });

  test('GetTrailStatus denied to the member: recorded under the member, the trail’s status unknown, the rule UNKNOWN for the member', async () => {
    const faults: FaultRule[] = [{ op: 'cloudtrail:GetTrailStatus', kind: 'denied', account: PROD }];
    const { snapshot } = await withFake({ scenario: allManagementEvents(), faults }, (fake) => collectSnapshot(fake, MEMBER_ONLY));
    expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([
      expect.objectContaining({ account: PROD, region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', outcome: 'denied', resourceId: TRAIL }),
    ]);
    // The engine matches a failed call to resources of the call's account; the trail belongs to
    // the management account, so the gap reaches it through the trail's own unknown list.
    const trail = find(snapshot, 'aws.cloudtrail.trail', 'acme-org-trail');
    expect(trail).toMatchObject({ account: MGMT, unknown: ['status'], properties: { status: null, memberAccounts: [PROD] } });
    const r = run(snapshot, RULES.trail);
    expect(r.findings.map((f) => [f.resource.account, f.status])).toEqual([[PROD, 'UNKNOWN']]);
    expect(r.findings[0].unknownReasons!.join(' ')).toMatch(/acme-org-trail.*status/);
    expect(Object.values(criteria(r, [RULES.trail])).every((s) => s === 'UNKNOWN')).toBe(true);
    expect(r.scan.gaps).toEqual([expect.objectContaining({ account: PROD, operation: 'GetTrailStatus', rules: [RULES.trail.split('/').pop()!.replace('.yaml', '')] })]);
  });

  test('GetTrailStatus denied to the owner: every account the trail serves is UNKNOWN', async () => {
    const faults: FaultRule[] = [{ op: 'cloudtrail:GetTrailStatus', kind: 'denied', account: MGMT, resource: TRAIL }];
    const { snapshot } = await withFake({ scenario: allManagementEvents(), faults }, (fake) => collectSnapshot(fake, ORG));
    const r = run(snapshot, RULES.trail);
    expect(r.findings.map((f) => [f.resource.account, f.status])).toEqual([
      [MGMT, 'UNKNOWN'],
      [PROD, 'UNKNOWN'],
      [ARCHIVE, 'UNKNOWN'],
    ]);
  });
});

describe('organization analyzers when the accounts are named', () => {
  const NAMED = { accounts: [MGMT, PROD], roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };

  test('the scanned accounts of the same organization (from DescribeOrganization) are its members', async () => {
    const { snapshot } = await withFake({ scenario: loadScenario('acme-org') }, (fake) => collectSnapshot(fake, NAMED));
    expect(find(snapshot, 'aws.accessanalyzer.analyzer', 'acme-org-analyzer').properties.memberAccounts).toEqual([PROD]);
    expect(run(snapshot, RULES.analyzer).findings.find((f) => f.resource.account === PROD && f.resource.region === 'us-east-1')!.status).toBe('PASS');
  });

  test("the owner's organization unreadable: its members are listed unknown, its own region still passes", async () => {
    const faults: FaultRule[] = [{ op: 'organizations:DescribeOrganization', kind: 'denied', account: MGMT }];
    const { snapshot } = await withFake({ scenario: loadScenario('acme-org'), faults }, (fake) => collectSnapshot(fake, NAMED));
    const org = find(snapshot, 'aws.accessanalyzer.analyzer', 'acme-org-analyzer');
    expect(org).toMatchObject({ unknown: ['memberAccounts'], properties: { memberAccounts: [] } });
    expect(run(snapshot, RULES.analyzer).findings.find((f) => f.resource.account === MGMT && f.resource.region === 'us-east-1')!.status).toBe('PASS');
  });
});

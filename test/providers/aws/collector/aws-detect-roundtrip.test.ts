import { join } from 'node:path';
import type { Scenario } from '../../../fake-cloud/aws/scenario';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../../../src/engine/rule-loader';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';
import { ROOT } from '../../../helpers';
import { collectSnapshot, loadScenario, withFake } from './aws-helpers';

/**
 * Detection and monitoring services (AWS Config, GuardDuty, Security Hub, Macie, CloudWatch Logs
 * metric filters, CloudWatch alarms, SNS) through the real SDK clients against the fake: what goes
 * over the wire comes back in the snapshot, "not enabled" is a fact only where the service proves
 * it, and a denial is a gap.
 */

const ACCOUNT = '555555555555';

function scenario(): Scenario {
  const s = loadScenario('single-account-buckets');
  const region = s.accounts[0].regions[0];
  region.config = {
    recorders: [{ name: 'default', roleArn: `arn:aws:iam::${ACCOUNT}:role/config`, allSupported: true, includeGlobalResourceTypes: true, recording: true, lastStatus: 'Success' }],
    deliveryChannels: [{ name: 'default', s3BucketName: 'config-bucket' }],
  };
  region.guardDutyDetectors = [{ id: 'abc123', status: 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }] }];
  region.securityHub = null;
  region.macie = { status: 'PAUSED' };
  region.metricFilters = [{ filterName: 'root', logGroupName: 'ct', filterPattern: '{ $.userIdentity.type = "Root" }', metricName: 'RootUsage', metricNamespace: 'CIS' }];
  region.alarms = [{ alarmName: 'root-usage', metricName: 'RootUsage', namespace: 'CIS', alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`] }];
  region.snsTopics = [{ name: 'alerts', kmsMasterKeyId: 'alias/aws/sns', subscriptionsConfirmed: 2, subscriptionsPending: 1 }];
  region.sqsQueues = [
    { name: 'orders', kmsMasterKeyId: 'alias/orders' },
    { name: 'public', policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] } },
  ];
  region.ecrRepositories = [
    { name: 'app/api', scanOnPush: false, imageTagMutability: 'IMMUTABLE', policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'ecr:BatchGetImage' }] } },
    { name: 'tools', scanOnPush: true },
  ];
  region.loadBalancers = [
    { name: 'web', listeners: [{ port: 80, protocol: 'HTTP', redirectToHttps: true }, { port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }], accessLogs: true, deletionProtection: true, dropInvalidHeaderFields: true },
    { name: 'tcp', type: 'network', scheme: 'internal', listeners: [{ port: 5432, protocol: 'TCP' }] },
  ];
  region.lambdaFunctions = [
    { name: 'api', runtime: 'nodejs22.x', environment: { DB_PASSWORD: 'hunter2-do-not-leak' }, urlAuthType: 'NONE', policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: '*', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }] } },
    { name: 'image', kmsKeyArn: 'arn:aws:kms:us-east-1:555555555555:key/k' },
  ];
  region.ecrScanningRules = [{ scanFrequency: 'SCAN_ON_PUSH', filters: ['app/*'] }];
  return s;
}

describe('detection and monitoring services over the wire', () => {
  test('every field read comes back, and each service takes the fewest calls', async () => {
    await withFake({ scenario: scenario(), pageSize: 1 }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const of = (type: string) => snapshot.resources.filter((r) => r.type === type);
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      expect(of('aws.config.recorder').map((r) => r.properties)).toEqual([
        {
          name: 'default',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/config`,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [], exclusions: [], recordingStrategy: 'ALL_SUPPORTED_RESOURCE_TYPES' },
          status: { recording: true, lastStatus: 'Success', lastErrorCode: null, lastStartTime: '2023-11-14T22:13:20Z' },
          deliveryChannels: [{ name: 'default', s3BucketName: 'config-bucket', snsTopicArn: null }],
        },
      ]);
      expect(of('aws.guardduty.detector').map((r) => [r.id, r.properties])).toEqual([
        [`arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/abc123`, { detectorId: 'abc123', status: 'ENABLED', findingPublishingFrequency: 'SIX_HOURS', features: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }] }],
      ]);
      expect(of('aws.securityhub.hub')).toEqual([]); // not subscribed: proven by the service
      expect(of('aws.macie.session').map((r) => r.properties.status)).toEqual(['PAUSED']);
      expect(of('aws.logs.metric-filter').map((r) => r.properties)).toEqual([
        { filterName: 'root', logGroupName: 'ct', filterPattern: '{ $.userIdentity.type = "Root" }', metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CIS' }] },
      ]);
      expect(of('aws.cloudwatch.alarm').map((r) => [r.properties.metricName, r.properties.namespace, r.properties.alarmActions, r.properties.actionsEnabled])).toEqual([
        ['RootUsage', 'CIS', [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`], true],
      ]);
      const topic = of('aws.sns.topic')[0];
      expect([topic.id, topic.properties.kmsMasterKeyId, topic.properties.subscriptionsConfirmed, topic.properties.subscriptionsPending]).toEqual([
        `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
        'alias/aws/sns',
        2,
        1,
      ]);
      expect((topic.properties.policy as { Statement: unknown[] }).Statement).toHaveLength(1);
      expect(of('aws.sqs.queue').map((r) => [r.name, r.properties.kmsMasterKeyId, r.properties.sqsManagedSse, r.properties.policy !== null])).toEqual([
        ['orders', 'alias/orders', false, false],
        ['public', null, true, true],
      ]);
      expect(of('aws.ecr.repository').map((r) => [r.name, r.properties.scanOnPush, r.properties.registryScanOnPush, r.properties.imageTagMutability, r.properties.policy !== null])).toEqual([
        ['app/api', false, true, 'IMMUTABLE', true],
        ['tools', true, false, 'MUTABLE', false],
      ]);
      expect(of('aws.elbv2.load-balancer').map((r) => r.properties)).toEqual([
        {
          name: 'web',
          arn: expect.stringContaining(':loadbalancer/app/web/'),
          type: 'application',
          scheme: 'internet-facing',
          listeners: [
            { arn: expect.any(String), port: 80, protocol: 'HTTP', sslPolicy: null, redirectsToHttps: true },
            { arn: expect.any(String), port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', redirectsToHttps: false },
          ],
          accessLogs: true,
          deletionProtection: true,
          dropInvalidHeaderFields: true,
        },
        { name: 'tcp', arn: expect.stringContaining(':loadbalancer/net/tcp/'), type: 'network', scheme: 'internal', listeners: [{ arn: expect.any(String), port: 5432, protocol: 'TCP', sslPolicy: null, redirectsToHttps: false }], accessLogs: false, deletionProtection: false, dropInvalidHeaderFields: null },
      ]);
      expect(of('aws.lambda.function').map((r) => [r.name, r.properties.runtime, r.properties.environmentVariableCount, r.properties.kmsKeyArn, r.properties.urls, r.properties.policy !== null])).toEqual([
        ['api', 'nodejs22.x', 1, null, [{ url: 'https://api.lambda-url.us-east-1.on.aws/', authType: 'NONE' }], true],
        ['image', null, 0, 'arn:aws:kms:us-east-1:555555555555:key/k', [], false],
      ]);
      expect(JSON.stringify(snapshot)).not.toContain('hunter2'); // environment values never reach the snapshot
      const calls = fake.countByOperation();
      expect([
        'config:DescribeConfigurationRecorders',
        'config:DescribeConfigurationRecorderStatus',
        'config:DescribeDeliveryChannels',
        'guardduty:ListDetectors',
        'guardduty:GetDetector',
        'securityhub:DescribeHub',
        'macie2:GetMacieSession',
        'logs:DescribeMetricFilters',
        'cloudwatch:DescribeAlarms',
        'sns:ListTopics',
        'sns:GetTopicAttributes',
      ].map((op) => [op, calls[op]])).toEqual([
        ['config:DescribeConfigurationRecorders', 1],
        ['config:DescribeConfigurationRecorderStatus', 1],
        ['config:DescribeDeliveryChannels', 1],
        ['guardduty:ListDetectors', 1],
        ['guardduty:GetDetector', 1],
        ['securityhub:DescribeHub', 1],
        ['macie2:GetMacieSession', 1],
        ['logs:DescribeMetricFilters', 1],
        ['cloudwatch:DescribeAlarms', 1],
        ['sns:ListTopics', 1],
        ['sns:GetTopicAttributes', 1],
      ]);
      // one page per queue and repository (page size 1), one attribute or policy call each
      expect([calls['sqs:ListQueues'], calls['sqs:GetQueueAttributes'], calls['ecr:DescribeRepositories'], calls['ecr:GetRegistryScanningConfiguration'], calls['ecr:GetRepositoryPolicy']]).toEqual([2, 2, 2, 1, 2]);
    });
  });

  test('Macie never enabled is a fact; a real denial of Macie, Security Hub or Config is a gap', async () => {
    const s = scenario();
    s.accounts[0].regions[0].macie = null;
    await withFake({ scenario: s }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      expect(snapshot.resources.filter((r) => r.type === 'aws.macie.session')).toEqual([]);
      expect(snapshot.coverage.find((c) => c.operation === 'GetMacieSession')?.outcome).toBe('ok');
    });
    await withFake(
      {
        scenario: scenario(),
        faults: [
          { op: 'macie2:GetMacieSession', kind: 'denied' },
          { op: 'securityhub:DescribeHub', kind: 'denied' },
          { op: 'config:DescribeConfigurationRecorderStatus', kind: 'denied' },
          { op: 'sns:GetTopicAttributes', kind: 'denied' },
        ],
      },
      async (fake) => {
        const { snapshot } = await collectSnapshot(fake);
        const outcome = (op: string) => snapshot.coverage.find((c) => c.operation === op)?.outcome;
        expect([outcome('GetMacieSession'), outcome('DescribeHub'), outcome('DescribeConfigurationRecorderStatus'), outcome('GetTopicAttributes')]).toEqual(['denied', 'denied', 'denied', 'denied']);
        expect(snapshot.resources.find((r) => r.type === 'aws.config.recorder')?.unknown).toEqual(['status']);
        expect(snapshot.resources.find((r) => r.type === 'aws.sns.topic')?.unknown).toEqual(['kmsMasterKeyId', 'policy', 'subscriptionsConfirmed', 'subscriptionsPending']);
      },
    );
  });
});

describe('CIS section 4 end to end: collected through the SDK, decided by the rules', () => {
  const rules = loadRulesOrThrow([join(ROOT, 'rules', 'aws', 'cloudwatch')], builtinRegistry(), builtinFacts());
  const withTrail = (): Scenario => {
    const s = scenario();
    s.accounts[0].trails = [
      {
        name: 'main',
        homeRegion: 'us-east-1',
        isMultiRegionTrail: true,
        s3BucketName: 'logs',
        cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:ct:*`,
        status: { isLogging: true },
      },
    ];
    return s;
  };
  const verdict = async (s: Scenario, faults: Parameters<typeof withFake>[0]['faults'] = []): Promise<string | undefined> =>
    withFake({ scenario: s, faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const r = evaluate(snapshot, rules, builtinRegistry(), { now: new Date('2026-11-26T00:00:00Z') }).results;
      return r.findings.find((f) => f.ruleId === 'aws-cloudwatch-monitor-root-usage')?.status;
    });

  test('trail → log group → filter → alarm → subscribed topic passes; each broken link fails; a denied link is unknown', async () => {
    expect(await verdict(withTrail())).toBe('PASS');
    const unsubscribed = withTrail();
    unsubscribed.accounts[0].regions[0].snsTopics = [{ name: 'alerts', subscriptionsConfirmed: 0, subscriptionsPending: 1 }];
    expect(await verdict(unsubscribed)).toBe('FAIL');
    const otherGroup = withTrail();
    otherGroup.accounts[0].trails![0].cloudWatchLogsLogGroupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:other:*`;
    expect(await verdict(otherGroup)).toBe('FAIL');
    const narrow = withTrail();
    narrow.accounts[0].regions[0].metricFilters![0].filterPattern = '{ $.userIdentity.type = "Root" && $.eventName = "ConsoleLogin" }';
    expect(await verdict(narrow)).toBe('FAIL');
    expect(await verdict(withTrail(), [{ op: 'cloudwatch:DescribeAlarms', kind: 'denied' }])).toBe('UNKNOWN');
    expect(await verdict(withTrail(), [{ op: 'sns:GetTopicAttributes', kind: 'denied' }])).toBe('UNKNOWN');
    expect(await verdict(withTrail(), [{ op: 'cloudtrail:GetTrailStatus', kind: 'denied' }])).toBe('UNKNOWN');
  });
});

describe('Security Hub standards: collected through the SDK, decided by the rule', () => {
  const rules = loadRulesOrThrow([join(ROOT, 'rules', 'aws', 'securityhub')], builtinRegistry(), builtinFacts());
  const withHub = (standards: { id: string; status?: 'READY' | 'FAILED' }[]): Scenario => {
    const s = scenario();
    s.accounts[0].regions[0].securityHub = { subscribedAt: '2025-03-01T00:00:00Z', standards };
    return s;
  };
  const run = (s: Scenario, faults: Parameters<typeof withFake>[0]['faults'] = []) =>
    withFake({ scenario: s, faults, pageSize: 1 }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const hub = snapshot.resources.find((r) => r.type === 'aws.securityhub.hub');
      const finding = evaluate(snapshot, rules, builtinRegistry()).results.findings.find((f) => f.ruleId === 'aws-securityhub-standard-enabled');
      return { hub, status: finding?.status, calls: fake.countByOperation()['securityhub:GetEnabledStandards'], methods: [...new Set(fake.calls.filter((c) => c.operation === 'GetEnabledStandards').map((c) => c.method))] };
    });

  test('every page of standards comes back (POST /standards/get, a read); a baseline passes, the tagging standard alone fails, a denial is unknown', async () => {
    const both = await run(withHub([{ id: 'aws-resource-tagging-standard/v/1.0.0' }, { id: 'cis-aws-foundations-benchmark/v/1.2.0' }]));
    expect(both.hub?.properties.standards).toEqual([
      { standardsArn: 'arn:aws:securityhub:us-east-1::standards/aws-resource-tagging-standard/v/1.0.0', status: 'READY' },
      { standardsArn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', status: 'READY' },
    ]);
    expect([both.status, both.calls, both.methods]).toEqual(['PASS', 2, ['POST']]);
    expect((await run(withHub([{ id: 'aws-resource-tagging-standard/v/1.0.0' }]))).status).toBe('FAIL');
    expect((await run(withHub([]))).status).toBe('FAIL');
    expect((await run(withHub([{ id: 'aws-foundational-security-best-practices/v/1.0.0', status: 'FAILED' }]))).status).toBe('FAIL');
    const denied = await run(withHub([{ id: 'aws-foundational-security-best-practices/v/1.0.0' }]), [{ op: 'securityhub:GetEnabledStandards', kind: 'denied' }]);
    expect([denied.status, denied.hub?.unknown]).toEqual(['UNKNOWN', ['standards']]);
  });
});

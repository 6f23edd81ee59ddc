import type { ScenarioRegion } from './scenario';

/**
 * The synthetic organization's detection, monitoring and edge services (issue 17): per region a
 * Config recorder, a GuardDuty detector, Security Hub in even regions, Macie in the first, the
 * CIS metric filters and alarms with their topic in the home region, queues, repositories, load
 * balancers and functions. Deterministic, varied enough that rules both pass and fail.
 */
export function detectPopulation(a: number, account: string, r: number): Partial<ScenarioRegion> {
  const topic = `arn:aws:sns:us-east-1:${account}:security-alerts`;
  return {
    config: { recorders: [{ name: 'default', includeGlobalResourceTypes: r === 0, recording: r !== 2 }], deliveryChannels: [{ name: 'default', s3BucketName: `bench-${a}-bucket-0` }] },
    guardDutyDetectors: [{ id: `gd${a}${r}`, status: r === 3 ? 'DISABLED' : 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: r % 2 === 0 ? 'ENABLED' : 'DISABLED' }], tags: { team: 'security' } }],
    securityHub: r % 2 === 0 ? { subscribedAt: '2024-01-01T00:00:00Z', standards: r === 0 ? [{ id: 'aws-foundational-security-best-practices/v/1.0.0' }] : [] } : null,
    macie: r === 0 ? { status: 'ENABLED' } : null,
    metricFilters:
      r === 0
        ? [
            { filterName: 'root', logGroupName: 'cloudtrail', filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', metricName: 'RootUsage', metricNamespace: 'CIS' },
            { filterName: 'trail', logGroupName: 'cloudtrail', filterPattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }', metricName: 'TrailChanges', metricNamespace: 'CIS' },
          ]
        : [],
    alarms:
      r === 0
        ? [
            { alarmName: 'root', metricName: 'RootUsage', namespace: 'CIS', alarmActions: [topic] },
            { alarmName: 'trail', metricName: 'TrailChanges', namespace: 'CIS', alarmActions: [topic] },
          ]
        : [],
    snsTopics: r === 0 ? [{ name: 'security-alerts', subscriptionsConfirmed: 1, kmsMasterKeyId: 'alias/aws/sns' }, { name: 'app-events' }] : [{ name: `app-${r}` }],
    sqsQueues: Array.from({ length: 4 }, (_, q) => ({ name: `queue-${r}-${q}`, ...(q === 0 ? { sqsManagedSse: false } : {}), ...(q === 1 ? { policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] } } : {}) })),
    ecrRepositories: Array.from({ length: 3 }, (_, e) => ({ name: `app/svc-${e}`, scanOnPush: e === 0, imageTagMutability: e === 1 ? ('IMMUTABLE' as const) : ('MUTABLE' as const) })),
    ecrScanningRules: r === 1 ? [{ scanFrequency: 'SCAN_ON_PUSH', filters: ['app/*'] }] : [],
    loadBalancers: [
      { name: `web-${r}`, listeners: [{ port: 80, protocol: 'HTTP', redirectToHttps: r % 2 === 0 }, { port: 443, protocol: 'HTTPS', sslPolicy: r % 2 === 0 ? 'ELBSecurityPolicy-TLS13-1-2-2021-06' : 'ELBSecurityPolicy-2016-08' }], accessLogs: r === 0, deletionProtection: r === 0 },
    ],
    lambdaFunctions: Array.from({ length: 3 }, (_, f) => ({
      name: `fn-${r}-${f}`,
      runtime: f === 0 ? 'python3.8' : 'nodejs22.x',
      ...(f === 1 ? { environment: { STAGE: 'prod' }, urlAuthType: 'NONE' as const } : {}),
    })),
  };
}

/** The fewest calls that read one region's population above: listings, then one call per item that needs one. */
export function detectMinimumCalls(r: ScenarioRegion, add: (op: string, n: number) => void, pages: (n: number, size?: number) => number): void {
  for (const op of ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus', 'config:DescribeDeliveryChannels', 'securityhub:DescribeHub', 'macie2:GetMacieSession', 'ecr:GetRegistryScanningConfiguration']) add(op, 1);
  if (r.securityHub) add('securityhub:GetEnabledStandards', pages(r.securityHub.standards?.length ?? 0, 100));
  add('guardduty:ListDetectors', pages(r.guardDutyDetectors?.length ?? 0, 50));
  add('guardduty:GetDetector', r.guardDutyDetectors?.length ?? 0);
  add('logs:DescribeMetricFilters', pages(r.metricFilters?.length ?? 0, 50));
  add('cloudwatch:DescribeAlarms', pages(r.alarms?.length ?? 0, 100));
  add('sns:ListTopics', pages(r.snsTopics?.length ?? 0, 100));
  add('sns:GetTopicAttributes', r.snsTopics?.length ?? 0);
  add('sqs:ListQueues', pages(r.sqsQueues?.length ?? 0));
  add('sqs:GetQueueAttributes', r.sqsQueues?.length ?? 0);
  add('ecr:DescribeRepositories', pages(r.ecrRepositories?.length ?? 0));
  add('ecr:GetRepositoryPolicy', r.ecrRepositories?.length ?? 0);
  const lbs = r.loadBalancers ?? [];
  add('elasticloadbalancing:DescribeLoadBalancers', pages(lbs.length, 400));
  add('elasticloadbalancing:DescribeListeners', lbs.length);
  add('elasticloadbalancing:DescribeLoadBalancerAttributes', lbs.length);
  const fns = r.lambdaFunctions ?? [];
  add('lambda:ListFunctions', pages(fns.length, 50));
  add('lambda:GetPolicy', fns.length);
  add('lambda:ListFunctionUrlConfigs', fns.length);
}

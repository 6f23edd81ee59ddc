import { loadIac } from '../../src/iac/index';
import type { Finding, Resource, Results } from '../../src/core/types';
import { cli, tempDir, writeTemp } from '../helpers';
import { builtinRegistry } from '../../src/catalog';

/** Terraform plans for issue 17's detection, monitoring and edge services: the same rules gate the code. */

const change = (type: string, name: string, after: Record<string, unknown>, afterUnknown: Record<string, unknown> = {}) => ({
  address: `${type}.${name}`,
  mode: 'managed',
  type,
  name,
  change: { actions: ['create'], after, after_unknown: afterUnknown },
});

const PLAN = {
  format_version: '1.2',
  resource_changes: [
    change('aws_sns_topic', 'alerts', { name: 'alerts', kms_master_key_id: null, policy: null }, { arn: true, id: true }),
    change('aws_sns_topic_policy', 'alerts', { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'SNS:Publish', Resource: '*' }] }) }, { arn: true }),
    change('aws_sqs_queue', 'jobs', { name: 'jobs', kms_master_key_id: null, sqs_managed_sse_enabled: false, policy: null }, { arn: true, url: true, id: true }),
    change('aws_ecr_repository', 'api', { name: 'api', image_tag_mutability: 'MUTABLE', image_scanning_configuration: [{ scan_on_push: true }], encryption_configuration: [] }, { arn: true }),
    change('aws_lambda_function', 'api', { function_name: 'api', runtime: 'python3.7', package_type: 'Zip', environment: [{ variables: { SECRET: 'do-not-leak' } }], kms_key_arn: null }, { arn: true }),
    change('aws_lambda_function_url', 'api', { function_name: 'api', authorization_type: 'NONE' }, { function_url: true }),
    change('aws_lambda_permission', 'public', { function_name: 'api', principal: '*', action: 'lambda:InvokeFunctionUrl', function_url_auth_type: 'NONE', statement_id: 'url' }),
    change('aws_lb', 'web', { name: 'web', load_balancer_type: 'application', internal: false, enable_deletion_protection: false, drop_invalid_header_fields: true, access_logs: [{ enabled: true, bucket: 'logs' }] }, { arn: true }),
    change('aws_lb_listener', 'http', { load_balancer_arn: null, port: 80, protocol: 'HTTP', ssl_policy: null, default_action: [{ type: 'forward' }] }, { load_balancer_arn: true, arn: true }),
    change('aws_config_configuration_recorder', 'main', { name: 'main', role_arn: 'arn:aws:iam::123456789012:role/config', recording_group: [{ all_supported: true, include_global_resource_types: true }] }),
    change('aws_config_configuration_recorder_status', 'main', { name: 'main', is_enabled: true }),
    change('aws_config_delivery_channel', 'main', { name: 'main', s3_bucket_name: 'config' }),
    change('aws_guardduty_detector', 'main', { enable: true, datasources: [{ s3_logs: [{ enable: false }] }] }, { id: true }),
    change('aws_cloudwatch_log_metric_filter', 'root', { name: 'root', log_group_name: 'trail', pattern: '{ $.userIdentity.type = "Root" }', metric_transformation: [{ name: 'Root', namespace: 'CIS', value: '1' }] }),
    change('aws_cloudwatch_metric_alarm', 'root', { alarm_name: 'root', metric_name: 'Root', namespace: 'CIS', actions_enabled: true, alarm_actions: null, threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', evaluation_periods: 1 }, { arn: true, alarm_actions: true }),
  ],
  configuration: {
    root_module: {
      resources: [
        { address: 'aws_sns_topic_policy.alerts', type: 'aws_sns_topic_policy', name: 'alerts', expressions: { arn: { references: ['aws_sns_topic.alerts.arn', 'aws_sns_topic.alerts'] } } },
        { address: 'aws_lb_listener.http', type: 'aws_lb_listener', name: 'http', expressions: { load_balancer_arn: { references: ['aws_lb.web.arn', 'aws_lb.web'] } } },
        { address: 'aws_cloudwatch_metric_alarm.root', type: 'aws_cloudwatch_metric_alarm', name: 'root', expressions: { alarm_actions: { references: ['aws_sns_topic.alerts.arn', 'aws_sns_topic.alerts'] } } },
      ],
    },
  },
};

const by = (rs: Resource[], address: string): Resource => rs.find((r) => r.source.address === address)!;

describe('Terraform plans of the detection, monitoring and edge services', () => {
  const dir = tempDir();
  const file = writeTemp(dir, 'plan.json', JSON.stringify(PLAN));

  test('map to the runtime types, with what is known only after apply unknown', () => {
    const { snapshot } = loadIac([file], builtinRegistry(), { cwd: dir, account: '123456789012', region: 'us-east-1' });
    const rs = snapshot.resources;
    expect(by(rs, 'aws_sns_topic.alerts').properties.policy).toMatchObject({ Statement: [{ Principal: '*' }] });
    expect(by(rs, 'aws_sns_topic.alerts').unknown).toEqual(expect.arrayContaining(['subscriptionsConfirmed']));
    expect(by(rs, 'aws_sqs_queue.jobs').properties.sqsManagedSse).toBe(false);
    expect(by(rs, 'aws_lambda_function.api').properties).toMatchObject({ runtime: 'python3.7', environmentVariableCount: 1, urls: [{ authType: 'NONE' }] });
    expect(JSON.stringify(snapshot)).not.toContain('do-not-leak');
    expect(by(rs, 'aws_lb.web').properties.listeners).toMatchObject([{ protocol: 'HTTP', redirectsToHttps: false }]);
    expect(by(rs, 'aws_config_configuration_recorder.main').properties).toMatchObject({ status: { recording: true }, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true }, deliveryChannels: [{ s3BucketName: 'config' }] });
    expect(by(rs, 'aws_guardduty_detector.main').properties).toMatchObject({ status: 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'DISABLED' }] });
    expect(by(rs, 'aws_ecr_repository.api').unknown).toEqual(['arn', 'registryScanOnPush']);
  });

  test('the runtime rules gate the plan', async () => {
    const r = await cli(['iac', file, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json']);
    const fs = (JSON.parse(r.stdout) as Results).findings;
    const status = (rule: string): string | undefined => fs.find((f: Finding) => f.ruleId === rule)?.status;
    expect({
      'aws-sns-topic-policy-not-public': status('aws-sns-topic-policy-not-public'),
      'aws-sns-topic-encrypted': status('aws-sns-topic-encrypted'),
      'aws-sqs-queue-encrypted': status('aws-sqs-queue-encrypted'),
      'aws-lambda-function-url-auth': status('aws-lambda-function-url-auth'),
      'aws-lambda-policy-not-public': status('aws-lambda-policy-not-public'),
      'aws-lambda-runtime-supported': status('aws-lambda-runtime-supported'),
      'aws-elbv2-http-redirects-to-https': status('aws-elbv2-http-redirects-to-https'),
      'aws-elbv2-deletion-protection': status('aws-elbv2-deletion-protection'),
      'aws-ecr-repository-scan-on-push': status('aws-ecr-repository-scan-on-push'),
      'aws-ecr-repository-immutable-tags': status('aws-ecr-repository-immutable-tags'),
      'aws-guardduty-s3-protection': status('aws-guardduty-s3-protection'),
    }).toEqual({
      'aws-sns-topic-policy-not-public': 'FAIL',
      'aws-sns-topic-encrypted': 'FAIL',
      'aws-sqs-queue-encrypted': 'FAIL',
      'aws-lambda-function-url-auth': 'FAIL',
      'aws-lambda-policy-not-public': 'FAIL',
      'aws-lambda-runtime-supported': 'FAIL',
      'aws-elbv2-http-redirects-to-https': 'FAIL',
      'aws-elbv2-deletion-protection': 'FAIL',
      'aws-ecr-repository-scan-on-push': 'PASS', // the repository's own setting suffices; the registry's is unknown
      'aws-ecr-repository-immutable-tags': 'FAIL',
      'aws-guardduty-s3-protection': 'FAIL',
    });
    // The account-level CIS monitoring chain cannot be proven absent from code alone.
    expect(fs.filter((f) => f.ruleId.startsWith('aws-cloudwatch-monitor-')).every((f) => f.status !== 'FAIL')).toBe(true);
  });
});

describe('CloudFormation templates of the detection, monitoring and edge services', () => {
  test('map to the runtime types, and the rules gate them', async () => {
    const dir = tempDir();
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts', KmsMasterKeyId: 'alias/aws/sns' } },
        Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
        JobsPolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Jobs' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] } } },
        Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'api', ImageTagMutability: 'IMMUTABLE' } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'api', Runtime: 'nodejs16.x', Handler: 'i.h', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' } } },
        FnUrl: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, AuthType: 'AWS_IAM' } },
        Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', LoadBalancerAttributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] } },
        Https: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: 443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-2016-08', DefaultActions: [{ Type: 'forward' }] } },
        Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: true } },
      },
    };
    const file = writeTemp(dir, 'template.json', JSON.stringify(template));
    const { snapshot } = loadIac([file], builtinRegistry(), { cwd: dir, account: '123456789012', region: 'us-east-1' });
    expect(by(snapshot.resources, 'Jobs').properties).toMatchObject({ sqsManagedSse: true, policy: { Statement: [{ Principal: '*' }] } });
    expect(by(snapshot.resources, 'Fn').properties.urls).toEqual([{ url: '(FnUrl)', authType: 'AWS_IAM' }]);
    expect(by(snapshot.resources, 'Lb').properties).toMatchObject({ deletionProtection: true, listeners: [{ protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-2016-08' }] });
    expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
    const r = await cli(['iac', file, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json']);
    const fs = (JSON.parse(r.stdout) as Results).findings;
    const status = (rule: string): string | undefined => fs.find((f: Finding) => f.ruleId === rule)?.status;
    expect([status('aws-sqs-queue-policy-not-public'), status('aws-sqs-queue-encrypted'), status('aws-ecr-repository-immutable-tags'), status('aws-lambda-runtime-supported'), status('aws-lambda-function-url-auth'), status('aws-elbv2-tls-policy-current'), status('aws-elbv2-deletion-protection'), status('aws-sns-topic-encrypted')]).toEqual([
      'FAIL',
      'PASS',
      'PASS',
      'FAIL',
      'PASS',
      'FAIL',
      'PASS',
      'PASS',
    ]);
  });
});

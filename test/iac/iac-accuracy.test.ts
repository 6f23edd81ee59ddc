import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIac } from '../../src/iac/index';
import { InputError } from '../../src/core/errors';
import { RUNTIME_ONLY_REASON, type Finding, type Resource, type Results, type Snapshot } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { cli, resource, ROOT, snapshot, tempDir, writeTemp } from '../helpers';
import { builtinCatalog, builtinRegistry } from '../../src/catalog';

/**
 * What outside references found the infrastructure-code readers get wrong or leave out (SAM,
 * Fn::ForEach, unread constructs, canonical patterns the rules could not reach, runtime-only
 * data): each case failed before its fix.
 */

const OPTS = { account: '123456789012', region: 'us-east-1' };

function read(name: string, text: string, opts: { account?: string; region?: string } = OPTS): Snapshot {
  const dir = tempDir();
  return loadIac([writeTemp(dir, name, text)], builtinRegistry(), { cwd: dir, ...opts }).snapshot;
}

function problems(name: string, text: string): string[] {
  try {
    read(name, text);
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.file}:${p.line ?? ''}: ${p.message}`);
    throw e;
  }
  throw new Error(`${name} was accepted`);
}

const RULES = builtinCatalog().loadRules();

function findings(snapshot: Snapshot): Finding[] {
  return evaluate(snapshot, RULES, builtinRegistry()).results.findings;
}

const verdict = (fs: Finding[], rule: string, name?: string): string[] => fs.filter((f) => f.ruleId === rule && (name === undefined || f.resource.name === name)).map((f) => f.status);
const byAddress = (s: Snapshot, address: string): Resource => {
  const r = s.resources.find((x) => x.source.address === address);
  if (!r) throw new Error(`no resource at ${address}: ${s.resources.map((x) => x.source.address).join(', ')}`);
  return r;
};

async function gate(name: string, text: string, ...args: string[]): Promise<{ code: number; results: Results; stderr: string }> {
  const dir = tempDir();
  const file = writeTemp(dir, name, text);
  const r = await cli(['iac', file, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json', ...args]);
  return { code: r.code, results: JSON.parse(r.stdout || '{}') as Results, stderr: r.stderr };
}

describe('1. nothing the reader does not expand passes as checked', () => {
  const sam = (fn: string): string => `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n${fn}`;

  it('a SAM function holding AdministratorAccess fails the strictest gate (it used to yield zero resources and exit 0)', async () => {
    const r = await gate('sam.yaml', sam('      Policies:\n        - AdministratorAccess\n'), '--fail-on', 'high');
    expect(r.code).toBe(1);
    const fails = r.results.findings.filter((f) => f.status === 'FAIL').map((f) => `${f.ruleId} ${f.resource.name}`);
    expect(fails).toEqual(expect.arrayContaining(['aws-iam-policy-no-full-admin AdministratorAccess', expect.stringMatching(/^aws-iam-role-no-privilege-escalation FnRole/)]));
  });

  it('expands the role SAM generates: basic execution policy, managed names and ARNs, statements, policy templates', () => {
    const s = read(
      'sam.yaml',
      sam(
        [
          '      Tracing: Active',
          '      Policies:',
          '        - AmazonS3ReadOnlyAccess',
          "        - arn:aws:iam::123456789012:policy/team-boundary",
          '        - Statement:',
          '            - { Effect: Allow, Action: sqs:SendMessage, Resource: "*" }',
          '        - DynamoDBReadPolicy:',
          '            TableName: orders',
          '',
        ].join('\n'),
      ),
    );
    const role = byAddress(s, 'FnRole');
    expect(role.type).toBe('aws.iam.role');
    expect(role.source).toMatchObject({ kind: 'cloudformation', line: 4 });
    expect((role.properties.assumeRolePolicy as { Statement: unknown[] }).Statement).toEqual([expect.objectContaining({ Principal: { Service: ['lambda.amazonaws.com'] } })]);
    expect((role.properties.attachedPolicies as { policyArn: string }[]).map((p) => p.policyArn)).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'arn:aws:iam::123456789012:policy/team-boundary',
    ]);
    const inline = role.properties.inlinePolicies as { policyName: string; document: { Statement: { Action: unknown; Resource: unknown }[] } }[];
    expect(inline.map((p) => p.policyName)).toEqual(['FnRolePolicy2', 'FnRolePolicy3']);
    expect(inline[1].document.Statement[0].Resource).toEqual(expect.arrayContaining(['arn:aws:dynamodb:us-east-1:123456789012:table/orders']));
    // The AWS-managed policies it attaches come from the pinned catalogue, so the role is judged.
    const managed = s.resources.filter((r) => r.type === 'aws.iam.policy').map((r) => r.name);
    expect(managed).toEqual(expect.arrayContaining(['AWSLambdaBasicExecutionRole', 'AmazonS3ReadOnlyAccess']));
    // Nothing of what the role may do is unknown: only its generated name and ARN and live-only data.
    expect((role.unknown ?? []).filter((u) => role.unknownReasons?.[u] !== RUNTIME_ONLY_REASON).sort()).toEqual(['arn', 'roleName']);
  });

  it('an unknown policy template, or a role given, is not guessed', () => {
    const s = read('sam.yaml', sam('      Policies:\n        - SomeFuturePolicy: { X: y }\n'));
    const role = byAddress(s, 'FnRole');
    expect(role.unknown).toEqual(expect.arrayContaining(['inlinePolicies.0.document']));
    expect(role.unknownReasons!['inlinePolicies.0.document']).toMatch(/SomeFuturePolicy is not known/);
    const given = read('sam.yaml', sam("      Role: arn:aws:iam::123456789012:role/existing\n      Policies: [AdministratorAccess]\n"));
    expect(given.resources.filter((r) => r.type === 'aws.iam.role')).toEqual([]);
  });

  it('Globals apply to every function (lists appended, the function winning on scalars)', () => {
    const t = `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary\n    Runtime: python3.12\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.h, CodeUri: . }\n`;
    expect(byAddress(read('g.yaml', t), 'ARole').properties.permissionsBoundary).toEqual({ type: 'PermissionsBoundaryPolicy', arn: 'arn:aws:iam::123456789012:policy/boundary' });
  });

  it('SAM ::Api and ::SimpleTable become their CloudFormation types and leave no gap', () => {
    const t = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: prod }\n  Table:\n    Type: AWS::Serverless::SimpleTable\n`;
    expect(read('a.yaml', t).coverage).toEqual([]);
  });

  it('expands Fn::ForEach: each value makes a resource, checked like any other', () => {
    const t = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Buckets:\n    - Name\n    - [a, b-c]\n    - 'Bucket&{Name}':\n        Type: AWS::S3::Bucket\n        Properties:\n          BucketName: !Sub 'data-${Name}'\n          AccessControl: PublicRead\n          OwnershipControls: { Rules: [{ ObjectOwnership: ObjectWriter }] }\n          PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false }\n";
    const s = read('f.yaml', t);
    expect(s.resources.map((r) => [r.source.address, r.name, r.source.line])).toEqual([
      ['Bucketa', 'data-a', 4],
      ['Bucketbc', 'data-b-c', 4],
    ]);
    expect(verdict(findings(s), 'aws-s3-bucket-no-public-acl')).toEqual(['FAIL', 'FAIL']);
  });

  it('a Fn::ForEach over values known only at deploy is a coverage gap on what it makes', () => {
    const t = "Transform: AWS::LanguageExtensions\nParameters:\n  Names: { Type: CommaDelimitedList }\nResources:\n  Fn::ForEach::Buckets:\n    - Name\n    - !Ref Names\n    - 'Bucket${Name}':\n        Type: AWS::S3::Bucket\n";
    const s = read('f.yaml', t);
    expect(s.coverage).toEqual([expect.objectContaining({ operation: 'Fn::ForEach::Buckets', affects: ['aws.s3.bucket'], outcome: 'not-enabled' })]);
    expect(verdict(findings(s), 'aws-s3-bucket-no-public-acl')).toEqual(['UNKNOWN']);
  });

  it.each([
    ['a macro transform', "Transform: AcmeMacro\nResources:\n  B:\n    Type: AWS::S3::Bucket\n", 'Transform AcmeMacro', ['*']],
    ['AWS::Include', "Transform: { Name: AWS::Include, Parameters: { Location: s3://x/y.yaml } }\nResources:\n  B:\n    Type: AWS::S3::Bucket\n", 'Transform AWS::Include', ['*']],
    ['a custom resource', "Resources:\n  C:\n    Type: Custom::Thing\n    Properties: { ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:f }\n", 'Custom::Thing', ['*']],
    ['a nested stack', "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: https://example.com/t.yaml }\n", 'AWS::CloudFormation::Stack', ['*']],
    ['a third-party type', "Resources:\n  T:\n    Type: Acme::Identity::Role\n", 'Acme::Identity::Role', ['*']],
    ['an IAM type the reader does not know', "Resources:\n  T:\n    Type: AWS::IAM::NewThing\n", 'AWS::IAM::NewThing', ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy']],
    ['a SAM type with no transform', "Resources:\n  F:\n    Type: AWS::Serverless::Function\n", 'AWS::Serverless::Function', ['*']],
  ])('%s is a coverage gap, so the run is incomplete', (_, t, operation, affects) => {
    const s = read('t.yaml', t);
    expect(s.coverage).toEqual([expect.objectContaining({ service: 'cloudformation', operation, affects, outcome: 'not-enabled' })]);
    const r = evaluate(s, RULES, builtinRegistry()).results;
    expect(r.scan.complete).toBe(false);
  });

  it('types of services the rules do not check leave no gap', () => {
    expect(read('t.yaml', "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Lambda::Function\n    Properties: { Role: arn:aws:iam::123456789012:role/r, Code: { ZipFile: x } }\n").coverage).toEqual([]);
  });

  it('AWS::IAM::RolePolicy, ::UserPolicy and ::GroupPolicy give their principal an inline policy', () => {
    const t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: app\n      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }\n  P:\n    Type: AWS::IAM::RolePolicy\n    Properties:\n      RoleName: !Ref R\n      PolicyName: all\n      PolicyDocument: { Statement: [{ Effect: Allow, Action: '*', Resource: '*' }] }\n";
    const s = read('t.yaml', t);
    expect(byAddress(s, 'R').properties.inlinePolicies).toEqual([{ policyName: 'all', document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }]);
  });
});

describe('5. valid plans and templates that were rejected whole', () => {
  it('an inline grant block on aws_s3_bucket is read as the grants it makes', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_s3_bucket.b',
          mode: 'managed',
          type: 'aws_s3_bucket',
          name: 'b',
          change: {
            actions: ['create'],
            before: null,
            after: { bucket: 'b', grant: [{ id: '', permissions: ['READ', 'READ_ACP'], type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }] },
            after_unknown: { grant: [{ permissions: [false, false] }] },
          },
        },
        { address: 'aws_s3_bucket_ownership_controls.b', mode: 'managed', type: 'aws_s3_bucket_ownership_controls', name: 'b', change: { actions: ['create'], before: null, after: { bucket: 'b', rule: [{ object_ownership: 'ObjectWriter' }] }, after_unknown: {} } },
      ],
    };
    const s = read('plan.json', JSON.stringify(plan));
    expect(s.resources[0].properties.acl).toMatchObject({
      grants: [
        { granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' },
        { granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ_ACP' },
      ],
    });
  });

  it('a no-op change whose before and after are null is not a rejected plan, on any resource', () => {
    const change = (address: string, type: string): unknown => ({ address, mode: 'managed', type, name: 'n', change: { actions: ['no-op'], before: null, after: null, after_unknown: {} } });
    const plan = { format_version: '1.2', resource_changes: [change('null_resource.n', 'null_resource'), change('aws_iam_role.n', 'aws_iam_role'), { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', change: { actions: ['create'], before: null, after: { bucket: 'b' }, after_unknown: {} } }] };
    const s = read('plan.json', JSON.stringify(plan));
    expect(s.resources.map((r) => r.id)).toEqual(['arn:aws:s3:::b']);
    // An IAM role the plan says nothing about may be anything: its rules are incomplete, not silent.
    expect(s.coverage).toEqual([expect.objectContaining({ operation: 'aws_iam_role', affects: expect.arrayContaining(['aws.iam.role']) })]);
  });

  it('an AWS::IAM::Policy without PolicyName is a located error, not a schema message', () => {
    const t = 'Resources:\n  U:\n    Type: AWS::IAM::User\n    Properties: { UserName: u }\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      Users: [!Ref U]\n      PolicyDocument: { Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }\n';
    expect(problems('t.yaml', t)).toEqual(['t.yaml:5: P: AWS::IAM::Policy requires PolicyName']);
  });
});

describe('6. smaller holes', () => {
  it('KMSKeyId: "" is no key', () => {
    const s = read('t.yaml', 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties: { IsLogging: true, S3BucketName: logs, KMSKeyId: "" }\n');
    expect(s.resources[0].properties.kmsKeyId).toBeNull();
    expect(verdict(findings(s), 'aws-cloudtrail-kms-encryption')).toEqual(['FAIL']);
    const b = read('b.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "" } }] }\n');
    expect((b.resources[0].properties.encryption as { rules: { kmsMasterKeyId: unknown }[] }).rules[0].kmsMasterKeyId).toBeNull();
  });

  it('a Ref to a principal the template does not declare keeps the attachment, on a principal whose name is unknown', () => {
    const t = 'Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: admin\n      Users: [!Ref Ghost]\n      PolicyDocument: { Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }\n';
    const s = read('t.yaml', t);
    const users = s.resources.filter((r) => r.type === 'aws.iam.user');
    expect(users).toHaveLength(1);
    expect(users[0].unknown).toEqual(expect.arrayContaining(['userName']));
    expect(users[0].properties.inlinePolicies).toEqual(expect.arrayContaining([{ policyName: 'admin', document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }]));
    const fs = findings(s);
    expect(verdict(fs, 'aws-iam-user-no-direct-policies')).toEqual(['FAIL']);
    // Its other policies and its boundary are not visible: not a PASS.
    expect(verdict(fs, 'aws-iam-user-no-admin-access')).toEqual(['UNKNOWN']);
  });

  it('an invalid port range is a located error, not a rule that matches nothing', () => {
    const cfn = 'Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 0, CidrIp: 0.0.0.0/0 }\n';
    expect(problems('t.yaml', cfn)).toEqual([expect.stringMatching(/^t\.yaml:2: G: .*FromPort 22 is greater than ToPort 0/)]);
    const plan = { format_version: '1.2', resource_changes: [{ address: 'aws_security_group_rule.r', mode: 'managed', type: 'aws_security_group_rule', name: 'r', change: { actions: ['create'], before: null, after: { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 0, cidr_blocks: ['0.0.0.0/0'], security_group_id: 'sg-0123456789abcdef0' }, after_unknown: {} } }] };
    expect(problems('plan.json', JSON.stringify(plan))).toEqual([expect.stringMatching(/aws_security_group_rule\.r: .*from_port 22 is greater than to_port 0/)]);
    // ICMP type and code are not a range.
    expect(() => read('t.yaml', cfn.replace('IpProtocol: tcp, FromPort: 22, ToPort: 0', 'IpProtocol: icmp, FromPort: 8, ToPort: 0'))).not.toThrow();
  });
});

describe('7. a bucket policy that names its own bucket by reference', () => {
  it('aws-s3-bucket-tls-only passes the canonical pattern on a bucket without a literal name', () => {
    const t = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - Effect: Deny\n            Principal: '*'\n            Action: 's3:*'\n            Resource: [!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*']\n            Condition: { Bool: { 'aws:SecureTransport': 'false' } }\n";
    expect(verdict(findings(read('t.yaml', t)), 'aws-s3-bucket-tls-only')).toEqual(['PASS']);
    const joined = t.replace("[!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*']", "[!Sub 'arn:${AWS::Partition}:s3:::${Bucket}', !Join ['', ['arn:aws:s3:::', !Ref Bucket, '/*']]]");
    expect(verdict(findings(read('t.yaml', joined)), 'aws-s3-bucket-tls-only')).toEqual(['PASS']);
    // A Deny on part of the bucket only does not cover it.
    const part = t.replace("!Sub '${Bucket.Arn}/*'", "!Sub '${Bucket.Arn}/logs/*'");
    expect(verdict(findings(read('t.yaml', part)), 'aws-s3-bucket-tls-only')).not.toEqual(['PASS']);
  });
});

describe('8. a security group declared in code is never a default group', () => {
  it('the default-group rule does not apply to it, but does to an existing group named by id', () => {
    const t = 'Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: x, VpcId: vpc-1 }\n  In:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: sg-0123456789abcdef0, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }\n';
    const fs = findings(read('t.yaml', t));
    expect(verdict(fs, 'aws-ec2-default-sg-closed', 'G')).toEqual([]);
    expect(verdict(fs, 'aws-ec2-default-sg-closed', 'sg-0123456789abcdef0')).toEqual(['UNKNOWN']);
  });
});

describe('9 and 10. runtime-only data, finely', () => {
  it('MFA delete is not judged on code (no template or plan sets it)', () => {
    const s = read('t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: { BucketName: b, VersioningConfiguration: { Status: Enabled } }\n');
    expect(verdict(findings(s), 'aws-s3-bucket-mfa-delete')).toEqual([]);
  });

  it('CloudTrail rules judge what the template states: logging off, no CloudWatch Logs', () => {
    const t = 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties: { IsLogging: false, S3BucketName: logs, IsMultiRegionTrail: true }\n  U:\n    Type: AWS::CloudTrail::Trail\n    Properties: { IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:ct:*", CloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/ct" }\n';
    const fs = findings(read('t.yaml', t));
    expect(verdict(fs, 'aws-cloudtrail-delivering', 'T')).toEqual(['FAIL']);
    expect(verdict(fs, 'aws-cloudtrail-cloudwatch-logs', 'T')).toEqual(['FAIL']);
    // What needs a live account (deliveries) is not reported as a verdict on code.
    expect(verdict(fs, 'aws-cloudtrail-delivering', 'U')).toEqual([]);
    expect(verdict(fs, 'aws-cloudtrail-cloudwatch-logs', 'U')).toEqual([]);
  });

  it('and so does a plan (enable_logging false)', () => {
    const plan = { format_version: '1.2', resource_changes: [{ address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', change: { actions: ['create'], before: null, after: { name: 't', s3_bucket_name: 'logs', enable_logging: false, is_multi_region_trail: true }, after_unknown: {} } }] };
    expect(verdict(findings(read('plan.json', JSON.stringify(plan))), 'aws-cloudtrail-delivering')).toEqual(['FAIL']);
  });
});

describe('11. account settings, existing principals and AWS-managed policies', () => {
  const publicBucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: pub\n      PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false }\n      OwnershipControls: { Rules: [{ ObjectOwnership: ObjectWriter }] }\n      AccessControl: PublicRead\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref B\n      PolicyDocument: { Statement: [{ Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::pub/*' }] }\n";

  it('without --context, a policy or ACL granting to everyone fails as public unless the account blocks public access', async () => {
    const r = await gate('pub.yaml', publicBucket, '--fail-on', 'critical');
    expect(r.code).toBe(1);
    for (const rule of ['aws-s3-bucket-policy-not-public', 'aws-s3-bucket-no-public-acl']) {
      const f = r.results.findings.find((x) => x.ruleId === rule)!;
      expect([f.status, f.message]).toEqual(['FAIL', expect.stringMatching(/unless the account blocks public access/)]);
    }
  });

  it('with --context, the account’s Block Public Access decides', async () => {
    const dir = tempDir();
    const context = writeTemp(
      dir,
      'context.json',
      JSON.stringify({
        schemaVersion: '1.0',
        metadata: { tool: { name: 'trustscan', version: 't' }, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z', providers: ['aws'], accounts: [{ provider: 'aws', id: '123456789012' }] },
        resources: [
          {
            id: 'arn:aws:iam::123456789012:root',
            type: 'aws.account',
            provider: 'aws',
            account: '123456789012',
            region: 'global',
            source: { kind: 'runtime' },
            properties: accountProperties({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }),
          },
        ],
        coverage: [],
      }),
    );
    const r = await gate('pub.yaml', publicBucket, '--context', context);
    for (const rule of ['aws-s3-bucket-policy-not-public', 'aws-s3-bucket-no-public-acl']) expect(r.results.findings.find((x) => x.ruleId === rule)!.status).toBe('PASS');
  });

  /** A runtime snapshot of account 123456789012 holding `resources` (and its aws.account, with `block`). */
  function contextFile(block: unknown, resources: Resource[] = []): string {
    const account = resource({ id: 'arn:aws:iam::123456789012:root', type: 'aws.account', properties: accountProperties(block) });
    return writeTemp(tempDir(), 'context.json', JSON.stringify(snapshot([account, ...resources])));
  }
  const NONE = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };

  it('with --context of an account that blocks nothing, public code fails without the caveat', async () => {
    const r = await gate('pub.yaml', publicBucket, '--context', contextFile(NONE));
    for (const rule of ['aws-s3-bucket-policy-not-public', 'aws-s3-bucket-no-public-acl']) {
      const f = r.results.findings.find((x) => x.ruleId === rule)!;
      expect([f.status, f.message, f.evidence.caveats]).toEqual(['FAIL', expect.not.stringMatching(/unless/), undefined]);
    }
  });

  it('the account from --context completes the code but is judged by no rule (the code does not declare it)', async () => {
    const r = await gate('pub.yaml', publicBucket, '--context', contextFile(NONE));
    expect(r.results.findings.filter((f) => f.resource.type === 'aws.account')).toEqual([]);
    expect(r.results.findings.length).toBeGreaterThan(5);
  });

  it('without --account, the code deploys to the account of --context', async () => {
    const dir = tempDir();
    const r = await cli(['iac', writeTemp(dir, 'pub.yaml', publicBucket), '--context', contextFile(NONE), '--format', 'json']);
    const f = (JSON.parse(r.stdout) as Results).findings.find((x) => x.ruleId === 'aws-s3-bucket-no-public-acl')!;
    expect([f.resource.account, f.status, f.evidence.caveats]).toEqual(['123456789012', 'FAIL', undefined]);
  });

  it('a --context of another account is an input error naming it (it would complete nothing)', async () => {
    const ctx = contextFile(NONE);
    const dir = tempDir();
    const other = await cli(['iac', writeTemp(dir, 'pub.yaml', publicBucket), '--account', '999999999999', '--context', ctx]);
    expect([other.code, other.stderr]).toEqual([2, expect.stringMatching(/context\.json: holds account 123456789012, not 999999999999 given with --account/)]);
    const plan = { format_version: '1.2', resource_changes: [{ address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', change: { actions: ['create'], before: null, after: { bucket: 'b' }, after_unknown: {} } }], configuration: {}, prior_state: { values: { root_module: { resources: [{ address: 'data.aws_caller_identity.me', mode: 'data', type: 'aws_caller_identity', name: 'me', values: { account_id: '222222222222' } }] } } } };
    const r = await cli(['iac', writeTemp(dir, 'plan.json', JSON.stringify(plan)), '--context', ctx]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/holds account 123456789012, but the code deploys to 222222222222/)]);
  });

  it('a principal the code does not declare gets what the account shows of it', async () => {
    // The code attaches a harmless policy to an existing user; the account shows that user is an administrator already.
    const t = "Resources:\n  A:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      ManagedPolicyName: read-logs\n      Users: [deploy-bot]\n      PolicyDocument: { Statement: [{ Effect: Allow, Action: 'logs:Get*', Resource: '*' }] }\n";
    const user = resource({
      id: 'arn:aws:iam::123456789012:user/deploy-bot',
      type: 'aws.iam.user',
      name: 'deploy-bot',
      properties: {
        ...(threeWaysUser().properties as Record<string, unknown>),
        userName: 'deploy-bot',
        arn: 'arn:aws:iam::123456789012:user/deploy-bot',
        attachedPolicies: [{ policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      },
    });
    const without = await gate('t.yaml', t);
    expect(verdict(without.results.findings, 'aws-iam-user-no-admin-access', 'deploy-bot')).toEqual(['UNKNOWN']);
    const withContext = await gate('t.yaml', t, '--context', contextFile(NONE, [user]));
    expect(verdict(withContext.results.findings, 'aws-iam-user-no-admin-access', 'deploy-bot')).toEqual(['FAIL']);
  });

  it('a customer-managed policy the code attaches by ARN is judged on the account’s document', async () => {
    const t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: app\n      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }\n      ManagedPolicyArns: ['arn:aws:iam::123456789012:policy/everything']\n";
    const policy = resource({
      id: 'arn:aws:iam::123456789012:policy/everything',
      type: 'aws.iam.policy',
      name: 'everything',
      properties: {
        policyName: 'everything',
        policyId: 'ANPAEXAMPLE',
        arn: 'arn:aws:iam::123456789012:policy/everything',
        path: '/',
        awsManaged: false,
        defaultVersionId: 'v1',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        attachmentCount: 0,
        attachedTo: { users: [], groups: [], roles: [] },
        createDate: '2026-01-01T00:00:00Z',
        updateDate: '2026-01-01T00:00:00Z',
      },
    });
    expect(verdict((await gate('t.yaml', t)).results.findings, 'aws-iam-role-no-privilege-escalation', 'app')).toEqual(['UNKNOWN']);
    const fs = (await gate('t.yaml', t, '--context', contextFile(NONE, [policy]))).results.findings;
    expect(verdict(fs, 'aws-iam-role-no-privilege-escalation', 'app')).toEqual(['FAIL']);
    // Attached by this code: judged in this run, as a scan of the account would.
    expect(verdict(fs, 'aws-iam-policy-no-full-admin', 'everything')).toEqual(['FAIL']);
  });

  it('a managed prefix list a security group of the code refers to is read from --context', async () => {
    const t = "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: admin\n      VpcId: vpc-0123456789abcdef0\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, SourcePrefixListId: pl-0123456789abcdef0 }\n";
    const list = (cidr: string): Resource =>
      resource({
        id: 'arn:aws:ec2:us-east-1:123456789012:prefix-list/pl-0123456789abcdef0',
        type: 'aws.ec2.prefix-list',
        properties: { prefixListId: 'pl-0123456789abcdef0', prefixListName: 'admins', ownerId: '123456789012', addressFamily: 'IPv4', entries: [{ cidr, description: null }] },
      });
    const rule = 'aws-ec2-sg-no-admin-ports-ipv4';
    expect(verdict((await gate('sg.yaml', t)).results.findings, rule)).toEqual(['UNKNOWN']);
    expect(verdict((await gate('sg.yaml', t, '--context', contextFile(NONE, [list('0.0.0.0/0')]))).results.findings, rule)).toEqual(['FAIL']);
    const inside = (await gate('sg.yaml', t, '--context', contextFile(NONE, [list('10.0.0.0/8')]))).results.findings;
    expect(verdict(inside, rule)).toEqual(['PASS']);
    expect(inside.filter((f) => f.resource.type === 'aws.ec2.prefix-list')).toEqual([]);
  });

  it('a role with an AWS-managed policy is judged on the catalogue’s document instead of UNKNOWN', () => {
    const t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: reader\n      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }\n      ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']\n";
    const fs = findings(read('t.yaml', t));
    expect(verdict(fs, 'aws-iam-role-no-privilege-escalation', 'reader')).toEqual(['PASS']);
  });
});

/** A user as the collector writes it (alice of the three-ways scenario). */
function threeWaysUser(): Resource {
  const snapshot = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'iac', 'three-ways', 'snapshot.json'), 'utf8')) as Snapshot;
  return snapshot.resources.find((r) => r.type === 'aws.iam.user')!;
}

/** An aws.account's properties as the collector writes them, with the given S3 Block Public Access. */
function accountProperties(s3PublicAccessBlock: unknown): Record<string, unknown> {
  const snapshot = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', 'snapshot.json'), 'utf8')) as Snapshot;
  const account = snapshot.resources.find((r) => r.type === 'aws.account')!;
  return { ...account.properties, accountId: '123456789012', organizationAccounts: ['123456789012'], organizationManagementAccount: '123456789012', s3PublicAccessBlock };
}

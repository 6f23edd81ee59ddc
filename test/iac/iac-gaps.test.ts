import { join } from 'node:path';
import { loadIac } from '../../src/iac/index';
import { InputError } from '../../src/core/errors';
import type { Resource } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../src/engine/rule-loader';
import { ROOT, tempDir, writeTemp } from '../helpers';
import { builtinFacts, builtinRegistry } from '../../src/catalog';

/** Hand-written plans and templates for what infrastructure code does not say. */

type Change = { address: string; type: string; name?: string; actions: string[]; after?: unknown; after_unknown?: unknown; index?: number | string };

function plan(changes: Change[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format_version: '1.2',
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: 'managed',
      type: c.type,
      name: c.name ?? c.address.split('.').pop()!.replace(/\[.*$/, ''),
      ...(c.index !== undefined ? { index: c.index } : {}),
      change: { actions: c.actions, after: c.after === undefined ? {} : c.after, after_unknown: c.after_unknown ?? {} },
    })),
    ...extra,
  };
}

function load(doc: unknown, name = 'plan.json', opts: { account?: string; region?: string } = { account: '123456789012', region: 'us-east-1' }): Resource[] {
  const dir = tempDir();
  const file = writeTemp(dir, name, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return loadIac([file], builtinRegistry(), { cwd: dir, ...opts }).snapshot.resources;
}

describe('a plan Terraform could not finish is not a plan with nothing to check', () => {
  it('rejects an errored plan (terraform show -json of a plan that failed): its missing changes would read as compliant', () => {
    // What `terraform show -json` prints for a saved plan whose planning failed (Terraform's own
    // test data, show-json/plan-error): no resource_changes, errored true.
    const errored = { format_version: '1.2', planned_values: { root_module: {} }, prior_state: {}, configuration: { root_module: {} }, errored: true };
    expect(() => load(errored)).toThrow(InputError);
    expect(() => load(errored)).toThrow(/plan.json at \/errored: the plan errored/);
    // Partly planned: the changes that were planned are there, the others are not.
    const partial = plan([{ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'b' } }], { errored: true });
    expect(() => load(partial)).toThrow(/errored/);
  });

  it('rejects a plan with deferred changes: the deferred resources are not in resource_changes', () => {
    const deferred = plan([{ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'b' } }], {
      complete: false,
      deferred_changes: [{ reason: 'resource_config_unknown', resource_change: { address: 'aws_s3_bucket_policy.p[*]', type: 'aws_s3_bucket_policy', name: 'p', change: { actions: ['create'] } } }],
    });
    expect(() => load(deferred)).toThrow(/deferred/);
  });

  it('still reads a complete plan, and a targeted one (complete false, nothing deferred)', () => {
    const ok = plan([{ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'b' } }], { errored: false, complete: true });
    expect(load(ok)).toHaveLength(1);
    const targeted = plan([{ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'b' } }], { errored: false, complete: false });
    expect(load(targeted)).toHaveLength(1);
  });
});

function evaluateRules(resources: Resource[], ...files: string[]) {
  const snapshot = { schemaVersion: '1.0', metadata: { tool: { name: 't', version: '0' }, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z', providers: ['aws' as const], accounts: [] }, resources, coverage: [] };
  const rules = loadRulesOrThrow(files.map((f) => join(ROOT, 'rules', f)), builtinRegistry(), builtinFacts());
  return evaluate(snapshot, rules, builtinRegistry()).results;
}

describe('infrastructure code is not the whole account', () => {
  const account = { address: 'aws_iam_account_password_policy.p', type: 'aws_iam_account_password_policy', actions: ['update'], after: { minimum_password_length: 14 } };
  const role = (name: string, policyArn: string): Change[] => [
    { address: `aws_iam_role.${name}`, type: 'aws_iam_role', actions: ['create'], after: { name, path: '/', assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' } },
    { address: `aws_iam_role_policy_attachment.${name}`, type: 'aws_iam_role_policy_attachment', actions: ['create'], after: { role: name, policy_arn: policyArn } },
  ];

  it('an account-level rule that finds nothing in the plan is UNKNOWN, not FAIL: the account has resources the plan does not show', () => {
    const rs = load(plan([account, ...role('app', 'arn:aws:iam::aws:policy/ReadOnlyAccess')]));
    const r = evaluateRules(rs, 'aws/iam/aws-iam-support-role.yaml');
    expect(r.findings.map((f) => [f.resource.type, f.status])).toEqual([['aws.account', 'UNKNOWN']]);
    expect(r.findings[0].unknownReasons!.join(' ')).toMatch(/infrastructure code/);
  });

  it('and one that finds what it looks for in the plan passes', () => {
    const rs = load(plan([account, ...role('support', 'arn:aws:iam::aws:policy/AWSSupportAccess')]));
    expect(evaluateRules(rs, 'aws/iam/aws-iam-support-role.yaml').findings.map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('settings a plan declares on resources it does not declare', () => {
  const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::existing-data/*' }] });

  it('split resources on a bucket outside the plan make a bucket of their own: what they set is checked, the rest is unknown', () => {
    const rs = load(
      plan([
        { address: 'aws_s3_bucket_policy.p', type: 'aws_s3_bucket_policy', actions: ['create'], after: { bucket: 'existing-data', policy: publicPolicy } },
        { address: 'aws_s3_bucket_public_access_block.p', type: 'aws_s3_bucket_public_access_block', actions: ['update'], after: { bucket: 'existing-data', block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false } },
        { address: 'aws_s3_account_public_access_block.a', type: 'aws_s3_account_public_access_block', actions: ['update'], after: { block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false } },
      ]),
    );
    expect(rs.filter((r) => r.type === 'aws.s3.bucket').map((r) => [r.id, r.source.address])).toEqual([['arn:aws:s3:::existing-data', 'aws_s3_bucket_policy.p']]);
    const b = rs.find((r) => r.type === 'aws.s3.bucket')!;
    expect(b.properties.policy).toMatchObject({ Statement: [{ Principal: '*' }] });
    expect(b.properties.publicAccessBlock).toEqual({ blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false });
    expect(b.unknown).toEqual(expect.arrayContaining(['objectOwnership', 'acl.grants', 'versioning.status', 'logging', '$tags']));
    expect(b.unknownReasons!.logging).toMatch(/existing-data is not declared in this plan/);
    const r = evaluateRules(rs, 'aws/s3/aws-s3-bucket-policy-not-public.yaml', 'aws/s3/aws-s3-bucket-public-access-block.yaml', 'aws/s3/aws-s3-bucket-versioning.yaml');
    expect(r.findings.filter((f) => f.resource.type === 'aws.s3.bucket').map((f) => [f.ruleId, f.status])).toEqual([
      ['aws-s3-bucket-policy-not-public', 'FAIL'],
      ['aws-s3-bucket-public-access-block', 'FAIL'],
      ['aws-s3-bucket-versioning', 'UNKNOWN'],
    ]);
  });

  it('without the account Block Public Access in the plan, a public policy on such a bucket is UNKNOWN (the account may block it)', () => {
    const rs = load(plan([{ address: 'aws_s3_bucket_policy.p', type: 'aws_s3_bucket_policy', actions: ['create'], after: { bucket: 'existing-data', policy: publicPolicy } }]));
    expect(evaluateRules(rs, 'aws/s3/aws-s3-bucket-policy-not-public.yaml', 'aws/s3/aws-s3-bucket-tls-only.yaml').findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['aws-s3-bucket-policy-not-public', 'UNKNOWN'],
      ['aws-s3-bucket-tls-only', 'FAIL'],
    ]);
  });

  it('a split resource on a bucket of the plan does not make a second bucket', () => {
    const rs = load(
      plan([
        { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'mine' } },
        { address: 'aws_s3_bucket_policy.p', type: 'aws_s3_bucket_policy', actions: ['create'], after: { bucket: 'mine', policy: publicPolicy } },
      ]),
    );
    expect(rs.map((r) => r.id)).toEqual(['arn:aws:s3:::mine']);
  });
});

describe('CloudFormation: a bucket policy on a bucket the template does not declare', () => {
  const doc = (bucket: unknown, params: Record<string, unknown> = {}) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: params,
    Resources: {
      Policy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: bucket, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::existing-data/*' }] } },
      },
    },
  });

  it('is checked on a bucket of its own, by name', () => {
    const rs = load(doc('existing-data'), 'stack.template.json');
    expect(rs.map((r) => [r.type, r.id, r.source.address])).toEqual([['aws.s3.bucket', 'arn:aws:s3:::existing-data', 'Policy']]);
    expect(rs[0].unknown).toEqual(expect.arrayContaining(['publicAccessBlock', 'encryption', '$tags']));
    expect(evaluateRules(rs, 'aws/s3/aws-s3-bucket-tls-only.yaml').findings.map((f) => f.status)).toEqual(['FAIL']);
  });

  it('and when the bucket is named only at deploy, on a bucket whose name is unknown', () => {
    const rs = load(doc({ Ref: 'Target' }, { Target: { Type: 'String' } }), 'stack.template.json');
    expect(rs).toHaveLength(1);
    expect(rs[0].unknown).toEqual(expect.arrayContaining(['name', 'publicAccessBlock']));
    expect(rs[0].properties.policy).toMatchObject({ Statement: [{ Principal: '*' }] });
  });
});

describe('an existing bucket whose default encryption the plan does not show', () => {
  it('has it unknown, not SSE-S3: it may be SSE-KMS, set outside this plan', () => {
    const rs = load(
      plan([
        { address: 'aws_s3_bucket.created', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'created' } },
        { address: 'aws_s3_bucket.existing', type: 'aws_s3_bucket', actions: ['update'], after: { bucket: 'existing', server_side_encryption_configuration: [], tags_all: { 'data-classification': 'confidential' } } },
      ]),
    );
    const [created, existing] = rs;
    expect(created.properties.encryption).toEqual({ rules: [{ sseAlgorithm: 'AES256', kmsMasterKeyId: null, bucketKeyEnabled: false }] });
    expect(existing.unknown).toContain('encryption');
    expect(existing.unknownReasons!.encryption).toMatch(/does not declare its default encryption/);
    expect(evaluateRules([existing], 'aws/s3/aws-s3-bucket-sensitive-kms.yaml').findings.map((f) => f.status)).toEqual(['UNKNOWN']);
  });
});

describe('security group rules on a group the code does not declare', () => {
  const ssh = { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], security_group_id: 'sg-0123456789abcdef0' };

  it('Terraform: the group is checked for the rules the plan adds, its others are unknown', () => {
    const rs = load(
      plan([
        { address: 'aws_security_group_rule.ssh', type: 'aws_security_group_rule', actions: ['create'], after: ssh },
        { address: 'aws_vpc_security_group_ingress_rule.https', type: 'aws_vpc_security_group_ingress_rule', actions: ['create'], after: { security_group_id: 'sg-0aaaaaaaaaaaaaaa0', ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' } },
      ]),
    );
    expect(rs.map((r) => [r.type, r.id, r.source.address])).toEqual([
      ['aws.ec2.security-group', 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0', 'aws_security_group_rule.ssh'],
      ['aws.ec2.security-group', 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0aaaaaaaaaaaaaaa0', 'aws_vpc_security_group_ingress_rule.https'],
    ]);
    expect(rs[0].unknown).toEqual(expect.arrayContaining(['ingress.1', 'egress.0', 'groupName']));
    const r = evaluateRules(rs, 'aws/ec2/aws-ec2-sg-no-admin-ports-ipv4.yaml');
    expect(r.findings.map((f) => [f.resource.name, f.status])).toEqual([
      ['sg-0123456789abcdef0', 'FAIL'],
      ['sg-0aaaaaaaaaaaaaaa0', 'UNKNOWN'],
    ]);
  });

  it('CloudFormation: the same for SecurityGroupIngress on a group id the template does not declare', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Ssh: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: 'sg-0123456789abcdef0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' } } },
    };
    const rs = load(t, 'sg.template.json');
    expect(rs.map((r) => [r.type, r.name, r.source.address])).toEqual([['aws.ec2.security-group', 'sg-0123456789abcdef0', 'Ssh']]);
    expect(evaluateRules(rs, 'aws/ec2/aws-ec2-sg-no-admin-ports-ipv4.yaml').findings.map((f) => f.status)).toEqual(['FAIL']);
  });
});

describe('IAM settings on principals the code does not declare', () => {
  it('Terraform: attachments, inline policies, access keys and memberships on an existing user or role are checked on a principal of their own', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const rs = load(
      plan([
        { address: 'aws_iam_user_policy_attachment.a', type: 'aws_iam_user_policy_attachment', actions: ['create'], after: { user: 'deploy-bot', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
        { address: 'aws_iam_access_key.k', type: 'aws_iam_access_key', actions: ['create'], after: { user: 'deploy-bot', status: 'Active' } },
        { address: 'aws_iam_role_policy.r', type: 'aws_iam_role_policy', actions: ['create'], after: { role: 'legacy-app', name: 'everything', policy: admin } },
      ]),
    );
    expect(rs.map((r) => [r.type, r.name, r.source.address])).toEqual([
      ['aws.iam.user', 'deploy-bot', 'aws_iam_user_policy_attachment.a'],
      ['aws.iam.role', 'legacy-app', 'aws_iam_role_policy.r'],
      // The AWS-managed policy it attaches, with its document from the pinned catalogue.
      ['aws.iam.policy', 'AdministratorAccess', expect.stringMatching(/^arn:aws:iam::aws:policy\/AdministratorAccess \(AWS-managed policy catalogue/)],
    ]);
    const [user, role] = rs;
    expect(user.properties.attachedPolicies).toEqual([{ policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, null]);
    expect(user.unknown).toEqual(expect.arrayContaining(['attachedPolicies.1', 'accessKeys.0.slot', 'accessKeys.1', 'groups.0', 'permissionsBoundary', '$tags']));
    expect(role.properties.inlinePolicies).toEqual([{ policyName: 'everything', document: JSON.parse(admin) }, null]);
    const r = evaluateRules(rs, 'aws/iam/aws-iam-user-no-direct-policies.yaml', 'aws/iam/aws-iam-user-no-admin-access.yaml');
    // Never PASS: what the user already has is not in the plan. The attachment the plan adds is
    // enough to fail the direct-policy rule; whether the user ends up an administrator is unknown.
    expect(r.findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['aws-iam-user-no-admin-access', 'UNKNOWN'],
      ['aws-iam-user-no-direct-policies', 'FAIL'],
    ]);
    expect(r.findings[0].unknownReasons!.join(' ')).toMatch(/not declared in this plan|AdministratorAccess/);
  });

  it('CloudFormation: a policy on an existing role and an access key of an existing user are checked on principals of their own', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Everything: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'everything', Roles: ['legacy-app'], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
        Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'deploy-bot' } },
      },
    };
    const rs = load(t, 'iam.template.json');
    expect(rs.map((r) => [r.type, r.name, r.source.address])).toEqual([
      ['aws.iam.role', 'legacy-app', 'Everything'],
      ['aws.iam.user', 'deploy-bot', 'Key'],
    ]);
    expect(rs[0].properties.inlinePolicies).toEqual([{ policyName: 'everything', document: expect.objectContaining({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }, null]);
    expect(rs[1].properties.accessKeys).toEqual([{ slot: null, active: true, lastRotated: null, lastUsedDate: null, lastUsedService: null }, null]);
  });

  it('a principal of the plan does not get a second resource', () => {
    const rs = load(
      plan([
        { address: 'aws_iam_user.u', type: 'aws_iam_user', actions: ['create'], after: { name: 'u', path: '/' } },
        { address: 'aws_iam_user_policy_attachment.a', type: 'aws_iam_user_policy_attachment', actions: ['create'], after: { user: 'u', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      ]),
    );
    expect(rs.filter((r) => r.type === 'aws.iam.user').map((r) => r.source.address)).toEqual(['aws_iam_user.u']);
  });
});

describe('deleting a resource that holds an account or region setting changes the setting', () => {
  const del = (address: string, type: string, before: Record<string, unknown>): Record<string, unknown> => ({
    address,
    mode: 'managed',
    type,
    name: address.split('.')[1],
    change: { actions: ['delete'], before, after: null, after_unknown: {} },
  });

  it('removing aws_ebs_encryption_by_default turns the encryption off; removing the account Block Public Access or password policy leaves none', () => {
    const doc = {
      format_version: '1.2',
      resource_changes: [
        del('aws_ebs_encryption_by_default.on', 'aws_ebs_encryption_by_default', { enabled: true, id: 'terraform-1' }),
        del('aws_s3_account_public_access_block.a', 'aws_s3_account_public_access_block', { account_id: '123456789012', block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true }),
        del('aws_iam_account_password_policy.p', 'aws_iam_account_password_policy', { minimum_password_length: 14, password_reuse_prevention: 24 }),
      ],
    };
    const rs = load(doc);
    const region = rs.find((r) => r.type === 'aws.ec2.region')!;
    const account = rs.find((r) => r.type === 'aws.account')!;
    expect(region.properties.ebsEncryptionByDefault).toBe(false);
    expect(region.source.address).toBe('aws_ebs_encryption_by_default.on');
    expect(account.properties.s3PublicAccessBlock).toBeNull();
    expect(account.properties.passwordPolicy).toBeNull();
    const r = evaluateRules(rs, 'aws/ec2/aws-ec2-ebs-encryption-by-default.yaml', 'aws/s3/aws-s3-account-public-access-block.yaml', 'aws/iam/aws-iam-password-policy-length.yaml');
    expect(r.findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['aws-ec2-ebs-encryption-by-default', 'FAIL'],
      ['aws-iam-password-policy-length', 'FAIL'],
      ['aws-s3-account-public-access-block', 'FAIL'],
    ]);
  });

  it('a replaced or kept setting is read as planned, not as deleted', () => {
    const doc = {
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_ebs_encryption_by_default.on', mode: 'managed', type: 'aws_ebs_encryption_by_default', name: 'on', change: { actions: ['delete', 'create'], before: { enabled: true }, after: { enabled: true }, after_unknown: { id: true } } },
      ],
    };
    expect(load(doc).find((r) => r.type === 'aws.ec2.region')!.properties.ebsEncryptionByDefault).toBe(true);
  });
});

describe('a login profile or access key that cannot be pinned to one created user', () => {
  it('leaves every user it may belong to with unknown keys and console password, not "none"', () => {
    const doc = {
      ...plan([
        { address: 'aws_iam_user.a', type: 'aws_iam_user', actions: ['create'], after: { name: 'a', path: '/' } },
        { address: 'aws_iam_user.b', type: 'aws_iam_user', actions: ['create'], after: { name: 'b', path: '/' } },
        { address: 'aws_iam_access_key.k', type: 'aws_iam_access_key', actions: ['create'], after: {}, after_unknown: { user: true } },
        { address: 'aws_iam_user_login_profile.p', type: 'aws_iam_user_login_profile', actions: ['create'], after: {}, after_unknown: { user: true } },
      ]),
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_iam_access_key.k', mode: 'managed', type: 'aws_iam_access_key', name: 'k', expressions: { user: { references: ['local.who'] } } },
            { address: 'aws_iam_user_login_profile.p', mode: 'managed', type: 'aws_iam_user_login_profile', name: 'p', expressions: { user: { references: ['local.who'] } } },
          ],
        },
      },
    };
    const rs = load(doc);
    expect(rs.map((r) => r.name)).toEqual(['a', 'b']);
    for (const u of rs) expect(u.unknown).toEqual(expect.arrayContaining(['accessKeys', 'passwordEnabled']));
    expect(rs[0].unknownReasons!.accessKeys).toMatch(/aws_iam_access_key.k may/);
  });
});

describe('CloudFormation values decided at deploy from outside the template', () => {
  it('an SSM parameter type is resolved from Parameter Store at deploy: its Default is the parameter name, not the value', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Classification: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/org/data-classification' } },
      Resources: { Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data', Tags: [{ Key: 'data-classification', Value: { Ref: 'Classification' } }] } } },
    };
    const [b] = load(t, 'ssm.template.json');
    expect(b.tags).toBeUndefined();
    expect(b.unknown).toContain('$tags.data-classification');
    expect(b.unknownReasons!['$tags.data-classification']).toMatch(/Parameter Store/);
  });

  it('a dynamic reference ({{resolve:…}}) is resolved at deploy', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data', Tags: [{ Key: 'data-classification', Value: '{{resolve:ssm:/org/data-classification}}' }] } } },
    };
    const [b] = load(t, 'dyn.template.json');
    expect(b.tags).toBeUndefined();
    expect(b.unknown).toContain('$tags.data-classification');
  });
});

describe('resource types the reader does not map', () => {
  it('are coverage gaps on the runtime type they would be, so its rules are UNKNOWN rather than silent', () => {
    const dir = tempDir();
    const file = writeTemp(
      dir,
      'plan.json',
      JSON.stringify(
        plan([
          { address: 'aws_instance.web', type: 'aws_instance', actions: ['create'], after: { ami: 'ami-1', metadata_options: [{ http_tokens: 'optional' }] } },
          { address: 'aws_instance.db', type: 'aws_instance', actions: ['create'], after: { ami: 'ami-2' } },
          { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', actions: ['create'], after: { bucket: 'b' } },
        ]),
      ),
    );
    const { snapshot } = loadIac([file], builtinRegistry(), { cwd: dir, account: '123456789012', region: 'eu-west-1' });
    expect(snapshot.coverage).toEqual([
      expect.objectContaining({ account: '123456789012', region: 'eu-west-1', service: 'terraform', operation: 'aws_instance', outcome: 'not-enabled', affects: ['aws.ec2.instance'], message: expect.stringMatching(/aws_instance.web, aws_instance.db/) }),
    ]);
    const rules = loadRulesOrThrow([join(ROOT, 'rules', 'aws/ec2/aws-ec2-instance-imdsv2.yaml')], builtinRegistry(), builtinFacts());
    const r = evaluate(snapshot, rules, builtinRegistry()).results;
    expect(r.findings.map((f) => [f.ruleId, f.resource.region, f.status])).toEqual([['aws-ec2-instance-imdsv2', 'eu-west-1', 'UNKNOWN']]);
    expect(r.scan.complete).toBe(false);
  });
});

describe('CloudFormation conditions on parameter values', () => {
  const template = (param: Record<string, unknown>, literal: unknown) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { P: param },
    Conditions: { Make: { 'Fn::Equals': [{ Ref: 'P' }, literal] } },
    Resources: { Data: { Type: 'AWS::S3::Bucket', Condition: 'Make', Properties: { BucketName: 'data' } } },
  });

  it('a parameter value is a string: a numeric Default equals its string form, so the resource is not dropped', () => {
    expect(load(template({ Type: 'Number', Default: 1 }, '1'), 'c1.template.json')).toHaveLength(1);
    expect(load(template({ Type: 'String', Default: 'prod' }, 'dev'), 'c2.template.json')).toHaveLength(0);
  });

  it('a number compared with the same digits in a string is not decided (the resource is kept)', () => {
    expect(load(template({ Type: 'Number', Default: 1 }, 1), 'c3.template.json')).toHaveLength(1);
  });

  it('a CommaDelimitedList parameter is a list', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Envs: { Type: 'CommaDelimitedList', Default: 'dev,prod' } },
      Conditions: { Make: { 'Fn::Equals': [{ 'Fn::Select': [1, { Ref: 'Envs' }] }, 'prod'] } },
      Resources: { Data: { Type: 'AWS::S3::Bucket', Condition: 'Make', Properties: { BucketName: 'data' } } },
    };
    expect(load(t, 'c4.template.json')).toHaveLength(1);
    const first = { ...t, Conditions: { Make: { 'Fn::Equals': [{ 'Fn::Select': [0, { Ref: 'Envs' }] }, 'prod'] } } };
    expect(load(first, 'c5.template.json')).toHaveLength(0);
  });
});

describe('split resources on an existing resource read through a data source', () => {
  it('a bucket policy on data.aws_s3_bucket and a rule on data.aws_security_group are checked on resources of their own', () => {
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::existing-data/*' }] });
    const doc = {
      ...plan([
        { address: 'aws_s3_bucket_policy.p', type: 'aws_s3_bucket_policy', actions: ['create'], after: { bucket: 'existing-data', policy: publicPolicy } },
        { address: 'aws_security_group_rule.ssh', type: 'aws_security_group_rule', actions: ['create'], after: { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], security_group_id: 'sg-0123456789abcdef0' } },
      ]),
      prior_state: {
        values: {
          root_module: {
            resources: [
              { address: 'data.aws_s3_bucket.existing', mode: 'data', type: 'aws_s3_bucket', name: 'existing', values: { id: 'existing-data', bucket: 'existing-data' } },
              { address: 'data.aws_security_group.existing', mode: 'data', type: 'aws_security_group', name: 'existing', values: { id: 'sg-0123456789abcdef0' } },
            ],
          },
        },
      },
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_s3_bucket_policy.p', mode: 'managed', type: 'aws_s3_bucket_policy', name: 'p', expressions: { bucket: { references: ['data.aws_s3_bucket.existing.id', 'data.aws_s3_bucket.existing'] } } },
            { address: 'aws_security_group_rule.ssh', mode: 'managed', type: 'aws_security_group_rule', name: 'ssh', expressions: { security_group_id: { references: ['data.aws_security_group.existing.id', 'data.aws_security_group.existing'] } } },
          ],
        },
      },
    };
    const rs = load(doc);
    expect(rs.map((r) => [r.type, r.name]).sort()).toEqual([
      ['aws.ec2.security-group', 'sg-0123456789abcdef0'],
      ['aws.s3.bucket', 'existing-data'],
    ]);
  });
});

describe('a policy of the plan attached to a principal the plan does not declare', () => {
  it('counts that attachment: an admin policy attached only to an existing role is attached', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const rs = load(
      plan([
        { address: 'aws_iam_policy.admin', type: 'aws_iam_policy', actions: ['create'], after: { name: 'admin', path: '/', policy: admin } },
        { address: 'aws_iam_role_policy_attachment.a', type: 'aws_iam_role_policy_attachment', actions: ['create'], after: { role: 'legacy-app', policy_arn: 'arn:aws:iam::123456789012:policy/admin' } },
      ]),
    );
    const policy = rs.find((r) => r.type === 'aws.iam.policy')!;
    expect(policy.properties.attachedTo).toEqual({ users: [], groups: [], roles: ['legacy-app'] });
    expect(policy.properties.attachmentCount).toBe(1);
    expect(evaluateRules(rs, 'aws/iam/aws-iam-policy-no-full-admin.yaml').findings.map((f) => [f.resource.name, f.status])).toEqual([['admin', 'FAIL']]);
  });
});

describe('CloudFormation: a managed policy attached through a principal\'s ManagedPolicyArns', () => {
  it('is attached: the policy rules that apply only to attached policies check it', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Admin: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'admin', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
        App: {
          Type: 'AWS::IAM::Role',
          Properties: { RoleName: 'app', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, ManagedPolicyArns: [{ Ref: 'Admin' }] },
        },
      },
    };
    const rs = load(t, 'mp.template.json');
    const policy = rs.find((r) => r.type === 'aws.iam.policy')!;
    expect(policy.properties.attachedTo).toEqual({ users: [], groups: [], roles: ['app'] });
    expect(evaluateRules(rs, 'aws/iam/aws-iam-policy-no-full-admin.yaml').findings.map((f) => [f.resource.name, f.status])).toEqual([['admin', 'FAIL']]);
  });
});

describe("Terraform: a policy named in a role's managed_policy_arns", () => {
  it('is attached to it', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const rs = load(
      plan([
        { address: 'aws_iam_policy.admin', type: 'aws_iam_policy', actions: ['create'], after: { name: 'admin', path: '/', policy: admin } },
        { address: 'aws_iam_role.app', type: 'aws_iam_role', actions: ['create'], after: { name: 'app', path: '/', assume_role_policy: '{"Version":"2012-10-17","Statement":[]}', managed_policy_arns: ['arn:aws:iam::123456789012:policy/admin'] } },
      ]),
    );
    expect(rs.find((r) => r.type === 'aws.iam.policy')!.properties.attachedTo).toEqual({ users: [], groups: [], roles: ['app'] });
    expect(evaluateRules(rs, 'aws/iam/aws-iam-policy-no-full-admin.yaml').findings.map((f) => [f.resource.name, f.status])).toEqual([['admin', 'FAIL']]);
  });
});

describe('Terraform: a policy attached to a principal of the plan that cannot be pinned, or whose name is generated', () => {
  it('is still attached', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const doc = {
      ...plan([
        { address: 'aws_iam_policy.admin', type: 'aws_iam_policy', actions: ['create'], after: { name: 'admin', path: '/', policy: admin } },
        { address: 'aws_iam_role.a', type: 'aws_iam_role', actions: ['create'], after: { name: 'a', path: '/', assume_role_policy: '{"Statement":[]}' } },
        { address: 'aws_iam_role.b', type: 'aws_iam_role', actions: ['create'], after: { path: '/', assume_role_policy: '{"Statement":[]}' }, after_unknown: { name: true } },
        { address: 'aws_iam_role_policy_attachment.x', type: 'aws_iam_role_policy_attachment', actions: ['create'], after: { policy_arn: 'arn:aws:iam::123456789012:policy/admin' }, after_unknown: { role: true } },
      ]),
      configuration: { root_module: { resources: [{ address: 'aws_iam_role_policy_attachment.x', mode: 'managed', type: 'aws_iam_role_policy_attachment', name: 'x', expressions: { role: { references: ['local.which'] } } }] } },
    };
    const rs = load(doc);
    const policy = rs.find((r) => r.type === 'aws.iam.policy')!;
    expect(policy.properties.attachmentCount).toBe(1);
    expect(policy.unknown).toContain('attachedTo.roles.0');
    expect(evaluateRules(rs, 'aws/iam/aws-iam-policy-no-full-admin.yaml').findings.map((f) => [f.resource.name, f.status])).toEqual([['admin', 'FAIL']]);
  });
});

describe('Terraform: a plan changing an existing policy, attached outside the plan', () => {
  const named = (resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: resource }] });
  const policyPlan = (doc: string) => plan([{ address: 'aws_iam_policy.ops', type: 'aws_iam_policy', actions: ['update'], after: { name: 'ops', path: '/', policy: doc } }]);
  const verdict = (doc: string) => evaluateRules(load(policyPlan(doc)), 'aws/iam/aws-iam-policy-no-privilege-escalation.yaml').findings.map((f) => [f.resource.name, f.status]);

  it('grants on a named user are unknown: whoever holds it may be that user', () => {
    // Attached (outside the plan) to alice, the policy lets her attach AdministratorAccess to herself.
    const policy = load(policyPlan(named('arn:aws:iam::123456789012:user/alice'))).find((r) => r.type === 'aws.iam.policy')!;
    expect(policy.unknown?.some((p) => p.startsWith('attachedTo'))).toBe(true);
    expect(verdict(named('arn:aws:iam::123456789012:user/alice'))).toEqual([['ops', 'UNKNOWN']]);
  });

  it('a grant on every user still fails, and a policy granting nothing of the kind passes', () => {
    expect(verdict(named('*'))).toEqual([['ops', 'FAIL']]);
    expect(verdict(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }))).toEqual([['ops', 'PASS']]);
  });
});

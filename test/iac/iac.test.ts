import { join } from 'node:path';
import { loadIac, detect } from '../../src/iac/index';
import { InputError } from '../../src/core/errors';
import { RUNTIME_ONLY_REASON, type Finding, type Resource, type Results } from '../../src/core/types';
import { cli, ROOT, tempDir, writeTemp } from '../helpers';
import { builtinRegistry } from '../../src/catalog';

const FIX = join(ROOT, 'fixtures', 'iac');
const THREE = join(FIX, 'three-ways');
const opts = { cwd: ROOT, account: undefined as string | undefined, region: undefined as string | undefined };

async function findings(args: string[]): Promise<Finding[]> {
  const r = await cli([...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  return (JSON.parse(r.stdout) as Results).findings;
}

function verdicts(fs: Finding[]): Map<string, string> {
  return new Map(fs.map((f) => [`${f.ruleId} ${f.resource.type} ${f.resource.name}`, f.status]));
}

function byAddress(resources: Resource[], address: string): Resource {
  const r = resources.find((x) => x.source.address === address);
  if (!r) throw new Error(`no resource at ${address}`);
  return r;
}

describe('one scenario three ways: Terraform plan, CloudFormation template, runtime snapshot', () => {
  it('gives the same verdicts for every rule that applies to infrastructure code', async () => {
    const runtime = verdicts(await findings(['evaluate', join(THREE, 'snapshot.json')]));
    const plan = verdicts(await findings(['iac', join(THREE, 'plan.json')]));
    const template = verdicts(await findings(['iac', join(THREE, 'template.yaml'), '--account', '123456789012', '--region', 'us-east-1']));
    expect(plan.size).toBeGreaterThan(10);
    expect([...plan.entries()].sort()).toEqual([...template.entries()].sort());
    const caveated = new Set((await findings(['iac', join(THREE, 'plan.json')])).filter((f) => f.evidence.caveats).map((f) => `${f.ruleId} ${f.resource.type} ${f.resource.name}`));
    expect([...caveated].sort()).toEqual([
      'aws-s3-bucket-no-public-acl aws.s3.bucket acme-public-site',
      'aws-s3-bucket-policy-not-public aws.s3.bucket acme-public-site',
      'aws-s3-bucket-public-access-block aws.s3.bucket acme-public-site',
    ]);
    for (const [key, status] of plan) {
      // Code that makes a bucket public fails "unless the account blocks public access"; this
      // runtime snapshot lacks the account, so there the same bucket is UNKNOWN.
      expect([key, runtime.get(key)]).toEqual([key, caveated.has(key) ? 'UNKNOWN' : status]);
    }
    // What the runtime has beyond that comes only from rules whose verdict here waits on data that
    // exists only in a live account (deliveries, key ages, MFA devices, MFA delete). Rules that
    // read such data but are decided by what the code states (a trail's CloudWatch Logs, a user
    // created with a key) are judged on code too.
    const extra = [...runtime.keys()].filter((k) => !plan.has(k)).map((k) => k.split(' ')[0]);
    expect(new Set(extra)).toEqual(
      new Set([
        'aws-cloudtrail-delivering',
        'aws-iam-user-access-keys-rotated',
        'aws-iam-user-console-mfa',
        'aws-iam-user-unused-credentials',
        'aws-kms-key-not-pending-deletion',
        'aws-s3-bucket-mfa-delete',
      ]),
    );
    expect(plan.get('aws-cloudtrail-cloudwatch-logs aws.cloudtrail.trail org-trail')).toBe(runtime.get('aws-cloudtrail-cloudwatch-logs aws.cloudtrail.trail org-trail'));
    expect(plan.get('aws-iam-user-single-active-key aws.iam.user bob')).toBe('FAIL');
    expect(plan.get('aws-s3-bucket-versioning aws.s3.bucket acme-public-site')).toBe('FAIL');
  });

  it('locates findings at file, line and address, in the table too', async () => {
    const fs = await findings(['iac', join(THREE, 'plan.json')]);
    const f = fs.find((x) => x.ruleId === 'aws-iam-user-single-active-key' && x.resource.name === 'bob')!;
    expect(f.resource.source).toEqual({ kind: 'terraform', file: 'fixtures/iac/three-ways/plan.json', line: 363, address: 'aws_iam_user.bob' });
    const cfn = await findings(['iac', join(THREE, 'template.yaml')]);
    expect(cfn.find((x) => x.resource.name === 'bob')!.resource.source).toMatchObject({ kind: 'cloudformation', line: 63, address: 'Bob' });
    const table = await cli(['iac', join(THREE, 'template.yaml')]);
    expect(table.stdout).toContain('fixtures/iac/three-ways/template.yaml:63');
  });
});

describe('Terraform plans', () => {
  const { snapshot, files } = loadIac([join(FIX, 'terraform', 'modules-and-unknowns.json')], builtinRegistry(), opts);
  const rs = snapshot.resources;

  it('reads module instances, count and for_each, and skips deletions', () => {
    expect(files[0]).toMatchObject({ format: 'terraform-plan', deleted: 1 });
    expect(rs.some((r) => r.source.address === 'aws_s3_bucket.old')).toBe(false);
    expect(byAddress(rs, 'module.buckets["a"].aws_s3_bucket.this').properties.versioning).toEqual({ status: 'Enabled', mfaDelete: null });
    expect(byAddress(rs, 'module.buckets["b"].aws_s3_bucket.this').properties.versioning).toEqual({ status: 'Suspended', mfaDelete: null });
    expect(byAddress(rs, 'aws_s3_bucket.scratch[0]').properties.versioning).toMatchObject({ status: 'Enabled' });
    expect(byAddress(rs, 'aws_s3_bucket.scratch[1]').properties.versioning).toMatchObject({ status: 'Suspended' });
    expect(byAddress(rs, 'aws_s3_bucket.scratch[0]').region).toBe('eu-west-1');
    expect(byAddress(rs, 'aws_s3_bucket.scratch[0]').account).toBe('210987654321');
  });

  it('lists values known only after apply as unknown, with the reason', () => {
    const scratch = byAddress(rs, 'aws_s3_bucket.scratch[0]');
    expect(scratch.unknown).toContain('name');
    expect(scratch.unknownReasons?.name).toMatch(/known only after apply/);
    const fromDoc = byAddress(rs, 'aws_iam_policy.from_document');
    expect(fromDoc.unknown).toContain('document');
    const existing = byAddress(rs, 'aws_s3_bucket.existing');
    expect(existing.unknown).toContain('logging');
    // MFA delete is set by the root user through the API, not by the code: live-only (issue 10 item 9).
    expect(existing.properties.versioning).toEqual({ status: 'Enabled', mfaDelete: null });
    expect(existing.unknownReasons?.['versioning.mfaDelete']).toBe(RUNTIME_ONLY_REASON);
  });

  it('decodes policies given as jsonencode results and heredocs, and follows attachments', () => {
    expect(byAddress(rs, 'aws_iam_policy.from_jsonencode').properties.document).toMatchObject({ Statement: [{ Action: 's3:*' }] });
    expect(byAddress(rs, 'aws_iam_policy.from_heredoc').properties.document).toMatchObject({ Statement: [{ Effect: 'Deny' }] });
    expect(byAddress(rs, 'aws_iam_policy.from_jsonencode').properties.attachedTo).toEqual({ users: [], groups: [], roles: ['app'] });
    expect(byAddress(rs, 'aws_iam_role.app').properties.attachedPolicies).toEqual([
      { policyName: 'from-jsonencode', policyArn: 'arn:aws:iam::210987654321:policy/from-jsonencode' },
    ]);
  });

  it('never passes what the plan does not know', async () => {
    const fs = await findings(['iac', join(FIX, 'terraform', 'modules-and-unknowns.json')]);
    const existing = fs.filter((f) => f.resource.name === 'acme-existing' && f.ruleId === 'aws-s3-bucket-access-logging');
    expect(existing.map((f) => f.status)).toEqual(['UNKNOWN']);
    expect(existing[0].unknownReasons?.join()).toMatch(/does not declare its access logging/);
    // runtime-only rules (root MFA, credential report) are not evaluated against code
    expect(fs.some((f) => f.ruleId === 'aws-iam-root-mfa')).toBe(false);
    expect(fs.find((f) => f.ruleId === 'aws-s3-account-public-access-block')!.status).toBe('FAIL');
  });

  it('reports an ambiguous split resource as unknown on every bucket it may configure', () => {
    const dir = tempDir();
    const plan = {
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_s3_bucket.a', mode: 'managed', type: 'aws_s3_bucket', name: 'a', change: { actions: ['create'], after: { bucket: 'a' }, after_unknown: { id: true } } },
        { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', change: { actions: ['create'], after: { bucket: 'b' }, after_unknown: { id: true } } },
        { address: 'aws_s3_bucket_versioning.v', mode: 'managed', type: 'aws_s3_bucket_versioning', name: 'v', change: { actions: ['create'], after: { versioning_configuration: [{ status: 'Enabled' }] }, after_unknown: { bucket: true } } },
      ],
      configuration: { root_module: { resources: [{ address: 'aws_s3_bucket_versioning.v', type: 'aws_s3_bucket_versioning', name: 'v', expressions: { bucket: { references: ['local.bucket'] } } }] } },
    };
    const file = writeTemp(dir, 'plan.json', JSON.stringify(plan));
    const { snapshot: s } = loadIac([file], builtinRegistry(), { cwd: dir });
    for (const r of s.resources) expect(r.unknown).toEqual(expect.arrayContaining(['versioning.status']));
  });
});

describe('CloudFormation templates', () => {
  it('resolves short-form tags, Ref, GetAtt, Sub, Join and If where they link resources', () => {
    const { snapshot } = loadIac([join(THREE, 'template.yaml')], builtinRegistry(), { cwd: ROOT, account: '123456789012', region: 'us-east-1' });
    const rs = snapshot.resources;
    expect(byAddress(rs, 'SiteBucket').properties.policy).toMatchObject({ Statement: [{ Resource: 'arn:aws:s3:::acme-public-site/*' }] });
    expect(byAddress(rs, 'Trail').properties.s3BucketName).toBe('acme-logs');
    expect(byAddress(rs, 'Developers').properties.members).toEqual(['bob']);
    expect(byAddress(rs, 'DataKey').properties.aliases).toEqual(['alias/data']);
    expect((byAddress(rs, 'WebGroup').properties.ingress as unknown[]).length).toBe(1);
  });

  it('reads JSON templates and makes undecidable values unknown', () => {
    const dir = tempDir();
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Env: { Type: 'String' } },
      Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: { 'Fn::If': ['Prod', 'Enabled', 'Suspended'] } } } },
      },
    };
    const file = writeTemp(dir, 'stack.template', JSON.stringify(t, null, 2));
    const { snapshot } = loadIac([file], builtinRegistry(), { cwd: dir });
    const b = snapshot.resources[0];
    expect(b.source).toMatchObject({ kind: 'cloudformation', line: 19, address: 'Bucket' });
    expect(b.unknown).toEqual(expect.arrayContaining(['name', 'versioning.status']));
    expect(b.unknownReasons?.['versioning.status']).toMatch(/parameter Env has no default/);
  });
});

describe('tags', () => {
  it('keeps known tags and makes unknown ones unknown, so tag-scoped rules give UNKNOWN', async () => {
    const dir = tempDir();
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Class: { Type: 'String' } },
      Resources: {
        Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data', Tags: [{ Key: 'data-classification', Value: { Ref: 'Class' } }, { Key: 'team', Value: 'core' }] } },
      },
    };
    const file = writeTemp(dir, 'tags.template.json', JSON.stringify(t, null, 2));
    const { snapshot } = loadIac([file], builtinRegistry(), { cwd: dir, account: '123456789012', region: 'us-east-1' });
    const b = snapshot.resources[0];
    expect(b.tags).toEqual({ team: 'core' });
    expect(b.unknown).toContain('$tags.data-classification');
    const f = (await findings(['iac', file, '--account', '123456789012', '--region', 'us-east-1'])).find((x) => x.ruleId === 'aws-s3-bucket-sensitive-kms');
    expect(f?.status).toBe('UNKNOWN');
    expect(f?.unknownReasons?.[0]).toMatch(/^\$tags\.data-classification: .*Class/);
  });
});

describe('bad input', () => {
  it('recognises files by content, not by name', () => {
    expect(detect('x.txt', '{"format_version":"1.2","resource_changes":[]}').format).toBe('terraform-plan');
    expect(detect('x.txt', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n').format).toBe('cloudformation');
    expect(() => detect('main.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')).toThrow(/Terraform source/);
  });

  it('names the file, place and problem, exits 2, and goes on with --keep-going', async () => {
    const r = await cli(['iac', join(FIX, 'bad', 'truncated.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fixtures\/iac\/bad\/truncated.json:1:\d+: not valid JSON/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    const stop = await cli(['iac', join(FIX, 'bad', 'other.yaml'), join(THREE, 'plan.json')]);
    expect(stop.code).toBe(2);
    expect(stop.stdout).toBe('');
    const go = await cli(['iac', join(FIX, 'bad', 'other.yaml'), join(THREE, 'plan.json'), '--keep-going', '--format', 'json']);
    expect(go.code).toBe(2);
    expect(go.stderr).toMatch(/other.yaml: neither a Terraform plan nor a CloudFormation template/);
    expect((JSON.parse(go.stdout) as Results).findings.length).toBeGreaterThan(10);
  });

  it('reports a policy that is not JSON at its resource', () => {
    const dir = tempDir();
    const plan = { resource_changes: [{ address: 'aws_iam_policy.p', type: 'aws_iam_policy', name: 'p', change: { actions: ['create'], after: { name: 'p', policy: '{"Version": ' } } }] };
    const file = writeTemp(dir, 'p.json', JSON.stringify(plan));
    expect(() => loadIac([file], builtinRegistry(), { cwd: dir })).toThrow(InputError);
    expect(() => loadIac([file], builtinRegistry(), { cwd: dir })).toThrow(/p.json:1: aws_iam_policy.p: policy is not valid JSON/);
  });

  it('applies the gate: exit 1 when a finding fails at or above --fail-on', async () => {
    expect((await cli(['iac', join(THREE, 'plan.json'), '--fail-on', 'medium', '-o', join(tempDir(), 'out.json')])).code).toBe(1);
    expect((await cli(['iac', join(THREE, 'plan.json'), '--fail-on', 'high', '--format', 'ndjson'])).code).toBe(1);
    // The one critical failure is the public-read ACL of acme-public-site, "public unless the
    // account blocks public access": with the account's snapshot (which blocks nothing) it stays.
    expect((await cli(['iac', join(THREE, 'plan.json'), '--fail-on', 'critical', '--format', 'ndjson'])).code).toBe(1);
  });
});

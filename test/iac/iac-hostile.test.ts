import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIac } from '../../src/iac/index';
import { parseYamlTemplate } from '../../src/providers/aws/iac/cloudformation/template';
import { InputError } from '../../src/core/errors';
import type { Resource, Results } from '../../src/core/types';
import { cli, tempDir, writeTemp } from '../helpers';
import { builtinRegistry } from '../../src/catalog';

/**
 * Infrastructure code that is malformed, hostile or just shaped differently from what the reader
 * expected: each is a located input error (exit 2), a coverage gap, or read correctly — never a
 * crash (exit 3) and never silence.
 */

function file(name: string, text: string): { dir: string; path: string } {
  const dir = tempDir();
  return { dir, path: writeTemp(dir, name, text) };
}

function load(name: string, text: string, opts: { account?: string; region?: string } = { account: '123456789012', region: 'us-east-1' }) {
  const { dir, path } = file(name, text);
  return loadIac([path], builtinRegistry(), { cwd: dir, ...opts });
}

/** The problems of an input the reader must reject, one line each. */
function problems(name: string, text: string): string[] {
  try {
    load(name, text);
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.pointer !== undefined ? ` at ${p.pointer}` : ''}: ${p.message}`);
    throw e;
  }
  throw new Error(`${name} was accepted`);
}

async function exitOf(name: string, text: string): Promise<{ code: number; stderr: string }> {
  const { path } = file(name, text);
  const r = await cli(['iac', path, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json']);
  return { code: r.code, stderr: r.stderr };
}

const plan = (changes: unknown[], extra: Record<string, unknown> = {}): string => JSON.stringify({ format_version: '1.2', resource_changes: changes, ...extra });
const change = (address: string, type: string, c: Record<string, unknown>): unknown => ({ address, mode: 'managed', type, name: address.split('.')[1], change: { before: null, ...c } });

describe('CloudFormation references in a cycle, or too long a chain', () => {
  it('a name that refers to itself is a located error, not a stack overflow', () => {
    const t = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "${Bucket}-x"\n';
    expect(problems('t.yaml', t)).toEqual([expect.stringMatching(/^t\.yaml:2: Bucket: .*circular.*Bucket → Bucket/)]);
  });

  it('two names that refer to each other are a located error naming the cycle', () => {
    const t = 'Resources:\n  A:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: !Ref B\n  B:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: !Ref A\n';
    const ps = problems('t.yaml', t);
    expect(ps.length).toBeGreaterThan(0);
    expect(ps.join('\n')).toMatch(/circular.*(A → B → A|B → A → B)/);
  });

  it('conditions that refer to each other are a located error too', () => {
    const t = 'Conditions:\n  X: !Condition Y\n  Y: !Not [!Condition X]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: X\n';
    expect(problems('t.yaml', t).join('\n')).toMatch(/condition.*circular|circular.*condition/i);
  });

  it('a 3,000-long chain of parameter Refs is a located error (a Default is a literal), not exit 3', async () => {
    const params: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) params[`P${i}`] = { Type: 'String', Default: i < 2999 ? { Ref: `P${i + 1}` } : 'end' };
    const t = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: params, Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'P0' } } } } });
    expect(problems('t.json', t)[0]).toMatch(/^t\.json.*P\d+.*Default/);
    const r = await exitOf('t.json', t);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('a 3,000-long chain of resources naming each other is read without overflowing, linearly', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) resources[`U${i}`] = { Type: 'AWS::IAM::User', Properties: { UserName: i < 2999 ? { 'Fn::Sub': `\${U${i + 1}}x` } : 'end' } };
    const started = Date.now();
    const { snapshot } = load('t.json', JSON.stringify({ Resources: resources }));
    expect(Date.now() - started).toBeLessThan(20000);
    expect(snapshot.resources.find((r) => r.source.address === 'U2999')!.name).toBe('end');
    // Either resolved or unknown with a reason: never a wrong name.
    const first = snapshot.resources.find((r) => r.source.address === 'U0')!;
    if (first.unknown?.includes('userName')) expect(first.unknownReasons!.userName).toMatch(/too deep|nest/);
    else expect(first.properties.userName).toBe(`end${'x'.repeat(2999)}`);
  });
});

describe('YAML that the library refuses, in our words', () => {
  it('an alias bomb is exit 2 with a plain message, not an internal error', async () => {
    const lines = ['Resources:', '  B:', '    Type: AWS::S3::Bucket', '    Metadata:', '      a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`      a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const r = await exitOf('bomb.yaml', `${lines.join('\n')}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml.*alias/i);
    expect(r.stderr).not.toMatch(/resource exhaustion attack|internal error/);
  });

  it('several YAML documents in one file are named as such', () => {
    expect(problems('m.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n---\nResources:\n  C:\n    Type: AWS::S3::Bucket\n')).toEqual([
      expect.stringMatching(/^m\.yaml:4: .*more than one YAML document/),
    ]);
  });

  it('library errors are told in our words, without advice to call library functions', () => {
    const ps = [
      ...problems('tab.yaml', 'Resources:\n\tB:\n    Type: AWS::S3::Bucket\n'),
      ...problems('dup.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n'),
    ];
    expect(ps).toEqual([expect.stringMatching(/^tab\.yaml:2.*tab/i), expect.stringMatching(/^dup\.yaml:4.*B.*twice|^dup\.yaml:4.*more than once/)]);
    expect(ps.join('\n')).not.toMatch(/YAML\.|parseAllDocuments|please use/);
  });

  it('a template nested deeper than the parser can follow is a located error', async () => {
    const deep = `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    const r = await exitOf('deep.yaml', deep);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep\.yaml.*(deep|nest)/i);
  });
});

describe('a plan nested deeper than the stack', () => {
  it('after_unknown 20,000 levels deep is exit 2 naming the file and resource, not exit 3', async () => {
    // Written as text: JSON.stringify itself cannot nest this deep.
    const au = `${'{"x":'.repeat(20000)}true${'}'.repeat(20000)}`;
    const text = plan([change('aws_s3_bucket.b', 'aws_s3_bucket', { actions: ['create'], after: { bucket: 'b' }, after_unknown: { tags: '@AU@' } })]).replace('"@AU@"', au);
    const r = await exitOf('deep.json', text);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep\.json.*(nest|deep)/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('so is a deeply nested after value, or a deep template in JSON', async () => {
    const v = `${'['.repeat(20000)}"x"${']'.repeat(20000)}`;
    const after = plan([change('aws_s3_bucket.b', 'aws_s3_bucket', { actions: ['create'], after: { bucket: 'b', tags: '@V@' }, after_unknown: {} })]).replace('"@V@"', v);
    expect((await exitOf('after.json', after)).code).toBe(2);
    expect((await exitOf('t.json', JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { Tags: '@V@' } } } }).replace('"@V@"', v))).code).toBe(2);
  });
});

describe('files that are not UTF-8 text', () => {
  it('a template in UTF-16, or binary data, is refused naming the file and what it is (the checked reader)', async () => {
    const dir = tempDir();
    const utf16 = join(dir, 't.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Resources:\n  B:\n    Type: AWS::S3::Bucket\n', 'utf16le')]));
    const bin = join(dir, 'plan.json');
    writeFileSync(bin, Buffer.from([0x7b, 0x00, 0x01, 0x02]));
    for (const [path, what] of [[utf16, /t\.yaml: the text is encoded in UTF-16LE/], [bin, /plan\.json: binary data/]] as const) {
      const r = await cli(['iac', path, '--account', '123456789012']);
      expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(what)]);
    }
  });
});

describe('shapes that used to be read as nothing', () => {
  it('a CloudFormation resource without Type is a located error', () => {
    expect(problems('t.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Properties:\n      BucketName: x\n  C:\n    Type: AWS::S3::Bucket\n")).toEqual([
      expect.stringMatching(/^t\.yaml:3: B: .*Type/),
    ]);
  });

  it('a resource whose Type is not a string is a located error', () => {
    expect(problems('t.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: [AWS::S3::Bucket]\n")).toEqual([expect.stringMatching(/^t\.yaml:3: B: .*Type/)]);
  });

  it('Resources: null (or not a mapping, or empty) is a located error', () => {
    expect(problems('t.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")[0]).toMatch(/^t\.yaml.*Resources/);
    expect(problems('t.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources: []\n")[0]).toMatch(/^t\.yaml.*Resources/);
    expect(problems('t.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}')[0]).toMatch(/^t\.json.*Resources/);
  });

  it('a resource whose keys come from a YAML merge key is read as the AWS CLI and SAM CLI expand it', () => {
    const t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Base: &base\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: base\n  C:\n    <<: *base\n    Properties:\n      BucketName: merged\n      AccessControl: PublicRead\n";
    const rs = load('t.yaml', t).snapshot.resources;
    const c = rs.find((r) => r.source.address === 'C');
    expect(c).toMatchObject({ type: 'aws.s3.bucket', name: 'merged', source: { line: 7 } });
  });

  it('an unsupported plan format_version is a located error', () => {
    const p = plan([change('aws_s3_bucket.b', 'aws_s3_bucket', { actions: ['create'], after: { bucket: 'b', acl: 'public-read' }, after_unknown: {} })], { format_version: '9.0' });
    expect(problems('p.json', p)).toEqual([expect.stringMatching(/^p\.json at \/format_version: .*9\.0.*not supported/)]);
    const missing = JSON.parse(p) as Record<string, unknown>;
    delete missing.format_version;
    expect(problems('p.json', JSON.stringify(missing))[0]).toMatch(/format_version/);
    // Minor versions of a supported major are read.
    expect(load('p.json', plan([change('aws_s3_bucket.b', 'aws_s3_bucket', { actions: ['create'], after: { bucket: 'b' }, after_unknown: {} })], { format_version: '1.9' })).snapshot.resources).toHaveLength(1);
  });

  it('a list written as one value is unknown, never an empty list', async () => {
    // CloudFormation rejects a string here; read as "no policies attached", the role would pass.
    const t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Admin:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n      ManagedPolicyArns: arn:aws:iam::aws:policy/AdministratorAccess\n";
    const role = byAddr(load('t.yaml', t).snapshot.resources, 'Admin');
    // The mapper keeps an unreadable list as one unknown element: whatever it names may be attached.
    expect(role.properties.attachedPolicies).toEqual([null]);
    expect(role.unknownReasons?.['attachedPolicies.0']).toMatch(/ManagedPolicyArns is a string where a list belongs/);
    const { path } = file('t.yaml', t);
    const r = await cli(['iac', path, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as Results).findings.filter((f) => f.ruleId === 'aws-iam-role-no-privilege-escalation');
    expect(findings.map((f) => f.status)).toEqual(['UNKNOWN']);
  });

  it('principals named by one value where a list belongs are unknown, never none', async () => {
    // AWS::IAM::Policy with `Roles: Worker` (CloudFormation rejects it): read as "attached to no
    // role", the policy's iam:* would vanish and the role would pass.
    const t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Worker:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n  Grant:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: grant\n      PolicyDocument: {Statement: [{Effect: Allow, Action: 'iam:*', Resource: '*'}]}\n      Roles: Worker\n";
    const { path } = file('t.yaml', t);
    const r = await cli(['iac', path, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as Results).findings.filter((f) => f.ruleId === 'aws-iam-role-no-privilege-escalation');
    // Worker, and the role the template names but does not declare (whichever it is).
    expect(findings.map((f) => [f.resource.name, f.status])).toEqual(expect.arrayContaining([['Worker', 'UNKNOWN'], ['role named by Grant', 'UNKNOWN']]));
    expect(findings.every((f) => f.status === 'UNKNOWN')).toBe(true);
    expect(JSON.stringify(findings.find((f) => f.resource.name === 'Worker'))).toMatch(/where a list belongs/);
  });

  it('an after_unknown of the wrong type is a located error, at any depth', () => {
    const bad = (au: unknown): string => plan([change('aws_s3_bucket.b', 'aws_s3_bucket', { actions: ['create'], after: { bucket: 'b', acl: 'public-read' }, after_unknown: au })]);
    expect(problems('p.json', bad('yes'))).toEqual([expect.stringMatching(/^p\.json:\d+ at \/resource_changes\/0: aws_s3_bucket\.b: .*after_unknown/)]);
    expect(problems('p.json', bad({ tags: 'yes' }))[0]).toMatch(/after_unknown.*tags/);
    expect(problems('p.json', bad({ tags: 3 }))[0]).toMatch(/after_unknown/);
  });
});

function byAddr(rs: Resource[], address: string): Resource {
  const r = rs.find((x) => x.source.address === address);
  if (!r) throw new Error(`no ${address}`);
  return r;
}

describe('template size: linear in the number of resources', () => {
  it('a large template read a slice of resources at a time gives the values and lines of one parse', () => {
    const parts = ["AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env: { Type: String, Default: prod }\nResources:\n"];
    for (let i = 0; i < 5000; i++) {
      parts.push(`  # bucket ${i}\n  B${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'b-${i}-\${Env}'\n      Tags:\n        - { Key: n, Value: '${i}' }\n`);
    }
    parts.push('Outputs:\n  X: { Value: !Ref B1 }\n');
    const text = parts.join('');
    const sliced = parseYamlTemplate('t.yaml', text, { chunked: true });
    const whole = parseYamlTemplate('t.yaml', text, { chunked: false });
    expect(sliced.problems).toEqual([]);
    expect(sliced.doc).toEqual(whole.doc);
    expect([...sliced.lines]).toEqual([...whole.lines]);
    // A duplicate across slices is still found (by the one parse it falls back to).
    expect(parseYamlTemplate('t.yaml', `${text.replace('Outputs:', '  B1:\n    Type: AWS::S3::Bucket\nOutputs:')}`, { chunked: true }).problems[0].message).toMatch(/"B1" appears more than once/);
  });

  it('reads 4 times the buckets in about 4 times the time', () => {
    const template = (n: number): string => {
      const rs: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        rs[`B${i}`] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: `b-${i}` } };
        rs[`P${i}`] = { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: `B${i}` }, PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: { 'Fn::Sub': `\${B${i}.Arn}/*` } }] } } };
      }
      return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: rs });
    };
    const time = (n: number): number => {
      const t = template(n);
      const started = process.hrtime.bigint();
      const rs = load('t.json', t).snapshot.resources;
      expect(byAddr(rs, `B${n - 1}`).properties.policy).not.toBeNull();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    time(500);
    const small = time(1000);
    const big = time(4000);
    // Quadratic work would be 16 times slower; allow noise up to 8 times.
    expect(big / small).toBeLessThan(8);
  });
});

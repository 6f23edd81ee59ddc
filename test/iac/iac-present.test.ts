import { join } from 'node:path';
import { Draft } from '../../src/iac/draft';
import { loadIac } from '../../src/iac/index';
import { at, block, Unresolved } from '../../src/iac/values';
import { awsCloudTrailTrail } from '../../src/providers/aws/types/cloudtrail-trail';
import type { Finding, Resource, Results } from '../../src/core/types';
import { cli, ROOT, tempDir, writeTemp } from '../helpers';
import { builtinRegistry } from '../../src/catalog';

/**
 * A value known only after deploy that certainly will be set — a reference to the ARN or id of a
 * resource the same code creates — is listed as `present`: rules asking only whether it is set
 * get their answer; anything that may be null stays plain UNKNOWN.
 */

const FIX = join(ROOT, 'fixtures', 'iac');
const TF = join(FIX, 'terraform', 'references.json');
const CFN = join(FIX, 'cloudformation', 'references.yaml');
const ACCOUNT = ['--account', '123456789012', '--region', 'us-east-1'];

async function findings(args: string[]): Promise<Finding[]> {
  const r = await cli([...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  return (JSON.parse(r.stdout) as Results).findings;
}

/** Status of one rule per resource address. */
function statuses(fs: Finding[], ruleId: string): Record<string, string> {
  return Object.fromEntries(fs.filter((f) => f.ruleId === ruleId).map((f) => [f.resource.source!.address!, f.status]));
}

function byAddress(resources: Resource[], address: string): Resource {
  const r = resources.find((x) => x.source.address === address);
  if (!r) throw new Error(`no resource at ${address}`);
  return r;
}

describe('Terraform: a reference to an attribute every created resource has', () => {
  const { snapshot } = loadIac([TF], builtinRegistry(), { cwd: ROOT });
  const rs = snapshot.resources;

  it('is unknown but present; the value itself stays unknown', () => {
    const main = byAddress(rs, 'aws_cloudtrail.main');
    expect(main.present).toEqual(['kmsKeyId', 'snsTopicArn', 'cloudWatchLogsLogGroupArn']);
    expect(main.unknown).toEqual(expect.arrayContaining(['kmsKeyId', 'snsTopicArn', 'cloudWatchLogsLogGroupArn']));
    expect(main.properties.kmsKeyId).toBeNull();
    expect(main.unknownReasons?.kmsKeyId).toBe("aws_cloudtrail.main kms_key_id is known only after apply: it is aws_kms_key.logs's arn, which is always set");
    expect(byAddress(rs, 'aws_cloudtrail.by_key_id').present).toEqual(['kmsKeyId']);
    // a bucket's access-log target given as another bucket's id, whose name is generated
    expect(byAddress(rs, 'aws_s3_bucket.trail').present).toEqual(['logging.targetBucket']);
  });

  it('decides "is a KMS key set?" for those, and only for those', async () => {
    const fs = await findings(['iac', TF]);
    expect(statuses(fs, 'aws-cloudtrail-kms-encryption')).toEqual({
      'aws_cloudtrail.main': 'PASS',
      'aws_cloudtrail.by_key_id': 'PASS',
      'aws_cloudtrail.plain': 'FAIL',
      // may be null: a conditional, a local, a data source, a module output, a splat, an attribute
      // a key has only when the code sets it, and a module's input variable
      'aws_cloudtrail.conditional': 'UNKNOWN',
      'aws_cloudtrail.from_local': 'UNKNOWN',
      'aws_cloudtrail.from_data': 'UNKNOWN',
      'aws_cloudtrail.from_module': 'UNKNOWN',
      'aws_cloudtrail.splat': 'UNKNOWN',
      'aws_cloudtrail.not_always_set': 'UNKNOWN',
      'module.trail.aws_cloudtrail.this': 'UNKNOWN',
    });
    const pass = fs.find((f) => f.ruleId === 'aws-cloudtrail-kms-encryption' && f.resource.source?.address === 'aws_cloudtrail.main')!;
    expect(pass.evidence.kmsKeyId).toBeNull();
    expect(pass.unknownEvidence).toEqual(['/kmsKeyId']);
    expect(pass.evidence.unknownButSet).toEqual([expect.stringMatching(/^kmsKeyId: .*aws_kms_key\.logs's arn, which is always set$/)]);
    expect(pass.unknownReasons).toBeUndefined();
  });

  it('a variable stays plain UNKNOWN, even when the module is given a key the plan creates', async () => {
    const r = byAddress(rs, 'module.trail.aws_cloudtrail.this');
    expect(r.unknown).toContain('kmsKeyId');
    expect(r.present).toBeUndefined();
    const f = (await findings(['iac', TF])).find((x) => x.ruleId === 'aws-cloudtrail-kms-encryption' && x.resource.source?.address === 'module.trail.aws_cloudtrail.this')!;
    expect(f.status).toBe('UNKNOWN');
    expect(f.unknownReasons).toEqual(['kmsKeyId: module.trail.aws_cloudtrail.this kms_key_id is known only after apply']);
  });

  it('follows count.index to the one instance it names, and nothing that is not created', () => {
    const dir = tempDir();
    const change = (address: string, type: string, index: number | undefined, after: object, unknown: object, actions = ['create']) => ({
      address,
      mode: 'managed',
      type,
      name: address.split('.')[1].replace(/\[.*/, ''),
      ...(index === undefined ? {} : { index }),
      change: { actions, before: null, after, after_unknown: unknown },
    });
    const trail = (i: number) =>
      change(`aws_cloudtrail.t[${i}]`, 'aws_cloudtrail', i, { name: `t${i}`, s3_bucket_name: 'logs' }, { arn: true, kms_key_id: true });
    const plan = {
      format_version: '1.2',
      resource_changes: [
        change('aws_kms_key.k[0]', 'aws_kms_key', 0, {}, { arn: true }),
        change('aws_kms_key.k[1]', 'aws_kms_key', 1, {}, { arn: true }),
        trail(0),
        trail(1),
        change('aws_cloudtrail.gone', 'aws_cloudtrail', undefined, { name: 'gone', s3_bucket_name: 'logs' }, { arn: true, kms_key_id: true }),
        change('aws_kms_key.old', 'aws_kms_key', undefined, {}, {}, ['delete']),
      ],
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', expressions: { kms_key_id: { references: ['aws_kms_key.k[count.index].arn', 'aws_kms_key.k'] } } },
            { address: 'aws_cloudtrail.gone', mode: 'managed', type: 'aws_cloudtrail', name: 'gone', expressions: { kms_key_id: { references: ['aws_kms_key.old.arn', 'aws_kms_key.old'] } } },
          ],
        },
      },
    };
    const file = writeTemp(dir, 'plan.json', JSON.stringify(plan));
    const { snapshot: s } = loadIac([file], builtinRegistry(), { cwd: dir, account: '123456789012', region: 'us-east-1' });
    expect(byAddress(s.resources, 'aws_cloudtrail.t[1]').present).toEqual(['kmsKeyId']);
    expect(byAddress(s.resources, 'aws_cloudtrail.t[1]').unknownReasons?.kmsKeyId).toMatch(/aws_kms_key\.k\[1\]'s arn/);
    // a key this plan deletes is not one that will be there
    expect(byAddress(s.resources, 'aws_cloudtrail.gone').present).toBeUndefined();
  });
});

describe('CloudFormation: a Ref or GetAtt of a resource the template creates', () => {
  const { snapshot } = loadIac([CFN], builtinRegistry(), { cwd: ROOT, account: '123456789012', region: 'us-east-1' });
  const rs = snapshot.resources;

  it('is unknown but present, also inside a Fn::Sub that is never empty', () => {
    expect(byAddress(rs, 'Main').present).toEqual(['kmsKeyId', 'snsTopicArn', 'cloudWatchLogsLogGroupArn']);
    expect(byAddress(rs, 'Main').unknownReasons?.kmsKeyId).toBe('GetAtt TrailKey.Arn is known only after deploy; every AWS::KMS::Key has it');
    expect(byAddress(rs, 'ByRef').present).toEqual(['kmsKeyId']);
    expect(byAddress(rs, 'BySub').present).toEqual(['kmsKeyId', 'cloudWatchLogsLogGroupArn']);
    expect(byAddress(rs, 'TrailBucket').present).toEqual(['logging.targetBucket']);
    for (const a of ['FromParameter', 'FromParameterSub', 'Conditional', 'ConditionalKey', 'Imported']) {
      expect([a, byAddress(rs, a).present]).toEqual([a, undefined]);
      expect([a, byAddress(rs, a).unknown]).toEqual([a, expect.arrayContaining(['kmsKeyId'])]);
    }
  });

  it('decides "is a KMS key set?" for those, and only for those', async () => {
    expect(statuses(await findings(['iac', CFN, ...ACCOUNT]), 'aws-cloudtrail-kms-encryption')).toEqual({
      Main: 'PASS',
      ByRef: 'PASS',
      BySub: 'PASS',
      Plain: 'FAIL',
      // a parameter (even in a Fn::Sub, which may then be ""), a condition, a key that may not be
      // created, an export of another stack
      FromParameter: 'UNKNOWN',
      FromParameterSub: 'UNKNOWN',
      Conditional: 'UNKNOWN',
      ConditionalKey: 'UNKNOWN',
      Imported: 'UNKNOWN',
    });
  });
});

describe('presence is kept only where a value is copied as it is', () => {
  const set = new Unresolved('GetAtt Key.Arn is known only after deploy', ['Key'], true);
  const origin = { source: { kind: 'cloudformation' as const, file: 't.yaml', line: 1, address: 'T' }, account: '123456789012', region: 'us-east-1' };

  it('setCopied lists it, set does not, and setting the path again drops it', () => {
    const d = new Draft(awsCloudTrailTrail, origin);
    d.setCopied('kmsKeyId', set).set('snsTopicArn', set).setCopied('cloudWatchLogsLogGroupArn', new Unresolved('not certain'));
    expect(d.toResource().present).toEqual(['kmsKeyId']);
    d.set('kmsKeyId', new Unresolved('replaced by something that may be null'));
    expect(d.toResource().present).toBeUndefined();
    // The trail type's runtime-only paths follow, added from the type registry by toResource.
    expect(d.toResource().unknown).toEqual(['kmsKeyId', 'snsTopicArn', 'cloudWatchLogsLogGroupArn', ...(awsCloudTrailTrail.runtimeOnly ?? [])]);
  });

  it('a value read below a set one is not known to be set', () => {
    const inner = at({ LoggingConfiguration: set }, 'LoggingConfiguration', 'DestinationBucketName') as Unresolved;
    expect(inner).toBeInstanceOf(Unresolved);
    expect(inner.present).toBe(false);
    expect(inner.reason).toBe(set.reason);
    expect((block({ logging: set }, 'logging') as Unresolved).present).toBe(true);
    expect(at(set)).toBe(set);
  });
});

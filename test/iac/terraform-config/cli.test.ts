import { join } from 'node:path';
import type { Finding, Results } from '../../../src/core/types';
import { cli, ROOT } from '../../helpers';
import { project } from './helpers';

const THREE = join(ROOT, 'fixtures', 'iac', 'three-ways');
const CONFIG = join(ROOT, 'fixtures', 'iac', 'terraform-config', 'three-ways');

async function findings(args: string[]): Promise<Finding[]> {
  const r = await cli([...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  return (JSON.parse(r.stdout) as Results).findings;
}

function verdicts(fs: Finding[]): Map<string, string> {
  return new Map(fs.map((f) => [`${f.ruleId} ${f.resource.type} ${f.resource.name}`, f.status]));
}

describe('one scenario three ways: Terraform configuration, its plan, the runtime snapshot', () => {
  it('gives the same verdicts wherever the values are known in all three', async () => {
    const configFindings = await findings(['iac', CONFIG, '--var-file', join(CONFIG, 'three-ways.tfvars'), '--account', '123456789012']);
    const config = verdicts(configFindings);
    // Code that makes a bucket public fails "unless the account blocks public access" (a caveat);
    // the runtime snapshot lacks the account, so there the same bucket is UNKNOWN.
    const caveated = new Set(configFindings.filter((f) => f.evidence.caveats).map((f) => `${f.ruleId} ${f.resource.type} ${f.resource.name}`));
    expect(caveated.size).toBeGreaterThan(0);
    const plan = verdicts(await findings(['iac', join(THREE, 'plan.json')]));
    const runtime = verdicts(await findings(['evaluate', join(THREE, 'snapshot.json')]));
    expect(config.size).toBeGreaterThan(20);
    expect([...config.entries()].sort()).toEqual([...plan.entries()].sort());
    const known = [...config].filter(([, s]) => s !== 'UNKNOWN');
    expect(known.length).toBeGreaterThan(15);
    for (const [key, status] of known) expect([key, runtime.get(key)]).toEqual([key, caveated.has(key) ? 'UNKNOWN' : status]);
    expect(config.get('aws-s3-bucket-versioning aws.s3.bucket acme-public-site')).toBe('FAIL');
    expect(config.get('aws-iam-user-single-active-key aws.iam.user bob')).toBe('FAIL');
  });

  it('changes verdicts with the variables: the code as written is what is checked', async () => {
    const closed = verdicts(await findings(['iac', CONFIG, '--var-file', join(CONFIG, 'three-ways.tfvars'), '--var', 'site_public=false', '--var', 'open_ports=[]', '--account', '123456789012']));
    expect(closed.get('aws-ec2-sg-no-admin-ports-ipv4 aws.ec2.security-group web')).toBe('PASS');
    const open = verdicts(await findings(['iac', CONFIG, '--account', '123456789012'].concat(['--var', 'open_ports=[22]'])));
    expect(open.get('aws-ec2-sg-no-admin-ports-ipv4 aws.ec2.security-group web')).toBe('FAIL');
  });
});

describe('trustscan iac on Terraform configuration', () => {
  it('locates findings at the resource block, with the module call path, in SARIF too', async () => {
    const fs = await findings(['iac', CONFIG, '--var-file', join(CONFIG, 'three-ways.tfvars')]);
    const bob = fs.find((f) => f.ruleId === 'aws-iam-user-single-active-key' && f.resource.name === 'bob')!;
    expect(bob.resource.source).toEqual({ kind: 'terraform', file: 'fixtures/iac/terraform-config/three-ways/modules/team/main.tf', line: 17, address: 'module.team.aws_iam_user.this[1]' });
    const r = await cli(['iac', CONFIG, '--var-file', join(CONFIG, 'three-ways.tfvars'), '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { fullyQualifiedName: string }[] }[] }[] }[] };
    const res = sarif.runs[0].results.find((x) => x.ruleId === 'aws-iam-user-single-active-key' && x.locations[0].logicalLocations[0].fullyQualifiedName.endsWith('[1]'))!;
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/iac/terraform-config/three-ways/modules/team/main.tf');
    expect(res.locations[0].physicalLocation.region.startLine).toBe(17);
    expect(res.locations[0].logicalLocations[0].fullyQualifiedName).toBe('module.team.aws_iam_user.this[1]');
  });

  it('takes TF_VAR_ from the environment', async () => {
    const dir = project({ 'main.tf': 'variable "rot" { type = bool }\nresource "aws_kms_key" "k" { enable_key_rotation = var.rot }\n' });
    const off = await cli(['iac', dir, '--format', 'json'], { TF_VAR_rot: 'false' });
    expect((JSON.parse(off.stdout) as Results).findings.find((f) => f.ruleId === 'aws-kms-key-rotation')?.status).toBe('FAIL');
    const unset = await cli(['iac', dir, '--format', 'json']);
    const f = (JSON.parse(unset.stdout) as Results).findings.find((x) => x.ruleId === 'aws-kms-key-rotation')!;
    expect(f.status).toBe('UNKNOWN');
    expect(f.unknownReasons?.join(' ')).toMatch(/var.rot has no value/);
  });

  it('exits 2 with a located message for a file that is not valid Terraform', async () => {
    const dir = project({ 'main.tf': 'resource "aws_kms_key" "k" {\n  enable_key_rotation = \n}\n' });
    const r = await cli(['iac', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/main.tf:2:24: syntax error: expected a value after '='/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:/);
  });

  it('reports a remote module not on disk in the coverage, and no rule passes for what it may declare', async () => {
    const dir = project({ 'main.tf': 'module "x" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\nresource "aws_kms_key" "k" { enable_key_rotation = true }\n' });
    const r = await cli(['iac', dir, '--format', 'json']);
    const results = JSON.parse(r.stdout) as Results;
    expect(r.stderr).toMatch(/module.x \(source \\?"terraform-aws-modules\/s3-bucket\/aws\\?"\) is not on disk/);
    const unlisted = results.findings.filter((f) => f.resource.id.startsWith('unlisted:'));
    expect(unlisted.length).toBeGreaterThan(5);
    expect(unlisted.every((f) => f.status === 'UNKNOWN')).toBe(true);
  });
});

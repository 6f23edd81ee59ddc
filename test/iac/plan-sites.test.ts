import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../../src/core/types';
import { blockAddress } from '../../src/iac/terraform-sites';
import { cli, tempDir } from '../helpers';

/** A one-line plan, as `terraform show -json` writes it. */
function plan(changes: { address: string; module?: string; type: string; name: string; index?: number; after: Record<string, unknown> }[]): string {
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.0',
    resource_changes: changes.map((c) => ({
      address: c.address,
      ...(c.module ? { module_address: c.module } : {}),
      mode: 'managed',
      type: c.type,
      name: c.name,
      ...(c.index !== undefined ? { index: c.index } : {}),
      change: { actions: ['create'], before: null, after: c.after, after_unknown: {} },
    })),
  });
}

const BUCKET = { bucket: 'acme-logs', tags: {}, force_destroy: false };

describe('plan findings point at the configuration beside the plan', () => {
  it('at the resource block of the root module and of a local module, by address without instance keys', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'main.tf'), ['terraform {}', '', 'resource "aws_s3_bucket" "logs" {', '  bucket = "acme-logs"', '}', '', 'module "store" {', '  source = "./modules/store"', '}', ''].join('\n'));
    mkdirSync(join(dir, 'modules', 'store'), { recursive: true });
    writeFileSync(join(dir, 'modules', 'store', 'buckets.tf'), ['# buckets', 'resource "aws_s3_bucket" "data" {', '  count  = 2', '  bucket = "acme-data-${count.index}"', '}', ''].join('\n'));
    writeFileSync(
      join(dir, 'plan.json'),
      plan([
        { address: 'aws_s3_bucket.logs', type: 'aws_s3_bucket', name: 'logs', after: BUCKET },
        { address: 'module.store.aws_s3_bucket.data[1]', module: 'module.store', type: 'aws_s3_bucket', name: 'data', index: 1, after: { ...BUCKET, bucket: 'acme-data-1' } },
        // Not in the configuration (a stale plan): it keeps the plan's own place.
        { address: 'aws_s3_bucket.gone', type: 'aws_s3_bucket', name: 'gone', after: { ...BUCKET, bucket: 'acme-gone' } },
      ]),
    );
    const r = await cli(['iac', join(dir, 'plan.json'), '--no-config', '--account', '123456789012', '--region', 'eu-west-1', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const results = JSON.parse(r.stdout) as Results;
    const where = Object.fromEntries(results.findings.map((f) => [f.resource.source!.address, `${f.resource.source!.file?.replace(/^.*trustscan-test-[^/]+\//, '')}:${f.resource.source!.line}`]));
    expect(where).toEqual({
      'aws_s3_bucket.logs': 'main.tf:3',
      'module.store.aws_s3_bucket.data[1]': 'modules/store/buckets.tf:2',
      'aws_s3_bucket.gone': 'plan.json:1',
    });
    // Resource ids still name the plan (stable whether or not the configuration is beside it).
    expect(results.findings.every((f) => !f.resource.id.startsWith('terraform:') || f.resource.id.includes('plan.json#'))).toBe(true);
    // SARIF annotates the .tf line.
    const sarif = JSON.parse((await cli(['iac', join(dir, 'plan.json'), '--no-config', '--account', '123456789012', '--region', 'eu-west-1', '--format', 'sarif'])).stdout);
    const locations = sarif.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) => `${x.locations[0].physicalLocation.artifactLocation.uri.replace(/^.*trustscan-test-[^/]+\//, '')}:${x.locations[0].physicalLocation.region.startLine}`);
    expect(new Set(locations)).toEqual(new Set(['main.tf:3', 'modules/store/buckets.tf:2', 'plan.json:1']));
  });

  it('a plan without configuration beside it, or beside configuration that does not parse, keeps the plan as its place', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plan.json'), plan([{ address: 'aws_s3_bucket.logs', type: 'aws_s3_bucket', name: 'logs', after: BUCKET }]));
    const alone = JSON.parse((await cli(['iac', join(dir, 'plan.json'), '--no-config', '--account', '123456789012', '--format', 'json'])).stdout) as Results;
    expect(new Set(alone.findings.map((f) => `${f.resource.source!.file?.replace(/^.*\//, '')}:${f.resource.source!.line}`))).toEqual(new Set(['plan.json:1']));
    writeFileSync(join(dir, 'broken.tf'), 'resource "aws_s3_bucket" "logs" {\n  bucket = \n');
    const r = await cli(['iac', join(dir, 'plan.json'), '--no-config', '--account', '123456789012', '--format', 'json']);
    expect(r.code).not.toBe(3);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('strips instance keys from addresses', () => {
    expect(blockAddress('module.a["x"].aws_s3_bucket.b[0]')).toBe('module.a.aws_s3_bucket.b');
    expect(blockAddress('module.a["x]y"].aws_iam_role.r["k\\"q"]')).toBe('module.a.aws_iam_role.r');
    expect(blockAddress('data.aws_iam_policy_document.p')).toBe('data.aws_iam_policy_document.p');
  });
});

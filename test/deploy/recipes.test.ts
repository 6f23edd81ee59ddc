import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseShard } from '../../src/core/shard';
import { ROOT } from '../helpers';

/**
 * The recipes in deploy/ checked for the structure their engines need and for agreement with the
 * CLI (shard counts, commands); recipe-schemas.test.ts validates them against their engines'
 * published schemas. The commands themselves run in
 * test/cli/sharding.test.ts as N processes against the loopback cloud.
 */

const DEPLOY = join(ROOT, 'deploy');
const yaml = (f: string): any => parse(readFileSync(join(DEPLOY, f), 'utf8'));
const shardOf = (args: string[]): { index: number | 'auto'; count: number } => parseShard(args[args.indexOf('--shard') + 1]);

describe('deploy recipes', () => {
  test('Kubernetes: an Indexed Job whose completions equal --shard auto/N, a merge Job of the same prefix, IRSA service account', () => {
    const job = yaml('kubernetes/scan-indexed-job.yaml');
    expect([job.apiVersion, job.kind, job.spec.completionMode]).toEqual(['batch/v1', 'Job', 'Indexed']);
    const c = job.spec.template.spec.containers[0];
    const shard = shardOf(c.args);
    expect(shard).toEqual({ index: 'auto', count: job.spec.completions });
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const prefix = c.args[c.args.indexOf('-o') + 1];
    expect(prefix).toMatch(/^s3:\/\/[a-z0-9.-]+\/.+\/$/);
    const merge = yaml('kubernetes/merge-job.yaml');
    expect([merge.apiVersion, merge.kind]).toEqual(['batch/v1', 'Job']);
    expect(merge.spec.template.spec.containers[0].args.slice(0, 2)).toEqual(['merge', prefix]);
    const sa = yaml('kubernetes/serviceaccount.yaml');
    expect(sa.kind).toBe('ServiceAccount');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    for (const d of [job, merge]) expect(d.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
  });

  test('AWS Batch: the array size of submit.sh equals --shard auto/N of the job definition', () => {
    const def = JSON.parse(readFileSync(join(DEPLOY, 'aws-batch/job-definition.json'), 'utf8'));
    expect(def.type).toBe('container');
    const shard = shardOf(def.containerProperties.command);
    const submit = readFileSync(join(DEPLOY, 'aws-batch/submit.sh'), 'utf8');
    expect(Number(/--array-properties size=(\d+)/.exec(submit)?.[1])).toBe(shard.count);
    expect(submit).toMatch(/--depends-on "jobId=\$collect"/);
    expect(submit).toContain('"merge","s3://');
  });

  test('GitHub Actions: a matrix of N collectors with --shard i/N, and a merge job that needs them', () => {
    const wf = yaml('github-actions/sharded-scan.yml');
    const shards: number[] = wf.jobs.collect.strategy.matrix.shard;
    const run = wf.jobs.collect.steps.find((s: any) => typeof s.run === 'string' && s.run.includes('--shard')).run as string;
    const count = Number(/--shard \$\{\{ matrix.shard \}\}\/(\d+)/.exec(run)?.[1]);
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(wf.jobs.collect.strategy['fail-fast']).toBe(false);
    expect(wf.jobs.merge.needs).toBe('collect');
    expect(wf.jobs.merge.steps.some((s: any) => typeof s.run === 'string' && s.run.includes(' merge parts/'))).toBe(true);
  });
});

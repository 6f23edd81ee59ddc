import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_SCHEMA_VERSION, type Results } from '../../src/core/types';
import { cli, DEMO, tempDir, spawnCliAsync } from '../helpers';
import { loadScenario, withFake } from '../providers/aws/collector/aws-helpers';

/**
 * Results on shared storage, as users run it (the built CLI against the loopback S3): every
 * output of the pipeline takes s3://bucket/key, --output-dir takes s3://bucket/prefix/, and the
 * commands that read results read them back from a bucket. A failed upload is exit 2 naming the
 * object and leaves nothing behind, and a run that names no bucket loads no cloud SDK.
 */

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnCliAsync(args, { env: { AWS_EC2_METADATA_DISABLED: 'true', ...env } });

const CREDS = { AWS_ACCESS_KEY_ID: 'AKIAFAKEMANAGEMENT01', AWS_SECRET_ACCESS_KEY: 'fake-secret-never-logged', AWS_REGION: 'us-east-1' };
const FILES = ['findings.csv', 'findings.ndjson', 'findings.ocsf.ndjson', 'junit.xml', 'report.html', 'results.json', 'summary.md'];

describe('results in a bucket (built CLI, loopback S3)', () => {
  test('every output takes s3://, and --baseline, diff and controls read from it; the only writes are the results', async () => {
    const dir = tempDir();
    // Temporary copies go to $TMPDIR: it must be empty again after every command.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    await withFake({ scenario: loadScenario('acme-org'), outputBuckets: ['acme-results'] }, async (fake) => {
      const env = { ...CREDS, TRUSTSCAN_PARTS_ENDPOINT_URL: fake.url, TMPDIR: tmp };
      const keys = (prefix: string) => [...(fake.objects.get('acme-results')?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();

      // --output-dir s3://…/: each format under its usual name, as a local --output-dir names them.
      const all = await run(['evaluate', DEMO, '--output-dir', 's3://acme-results/run-1/'], env);
      expect([all.code, all.stderr]).toEqual([0, expect.stringContaining('results.sarif not written')]);
      expect(keys('run-1/')).toEqual(FILES.map((f) => `run-1/${f}`));
      const local = await run(['evaluate', DEMO, '--output-dir', join(dir, 'local')], env);
      expect(local.code).toBe(0);
      expect(readdirSync(join(dir, 'local')).sort()).toEqual(FILES);
      const results = JSON.parse(fake.objects.get('acme-results')!.get('run-1/results.json')!) as Results;
      const localResults = JSON.parse(readFileSync(join(dir, 'local', 'results.json'), 'utf8')) as Results;
      expect(results.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
      expect(results.findings.map((f) => `${f.fingerprint} ${f.status}`)).toEqual(localResults.findings.map((f) => `${f.fingerprint} ${f.status}`));
      expect(fake.objects.get('acme-results')!.get('run-1/findings.ndjson')!.trimEnd().split('\n')).toHaveLength(results.findings.length);

      // -o and FORMAT=FILE; and $TRUSTSCAN_OUTPUT_DIR, as trustscan.yaml's outputDir from the environment.
      const files = await run(['evaluate', DEMO, '--format', 'json', '-o', 's3://acme-results/one/r.json', '--format', 'ndjson=s3://acme-results/one/f.ndjson'], env);
      expect([files.code, files.stdout]).toEqual([0, '']);
      expect(keys('one/')).toEqual(['one/f.ndjson', 'one/r.json']);
      const fromEnv = await run(['evaluate', DEMO, '--format', 'markdown'], { ...env, TRUSTSCAN_OUTPUT_DIR: 's3://acme-results/env' });
      expect(fromEnv.code).toBe(0);
      expect(keys('env/')).toEqual(['env/summary.md']);

      // --baseline from the bucket: every finding of the run is known, so the gate passes.
      expect((await run(['evaluate', DEMO, '--format', 'json', '--fail-on', 'low'], env)).code).toBe(1);
      for (const baseline of ['s3://acme-results/run-1/results.json', 's3://acme-results/one/f.ndjson']) {
        const gated = await run(['evaluate', DEMO, '--format', 'json', '--fail-on', 'low', '--baseline', baseline], env);
        expect([baseline, gated.code, gated.stderr]).toEqual([baseline, 0, expect.any(String)]);
      }
      const noBaseline = await run(['evaluate', DEMO, '--baseline', 's3://acme-results/none.json'], env);
      expect([noBaseline.code, noBaseline.stderr]).toEqual([2, expect.stringContaining('reading s3://acme-results/none.json failed: NoSuchKey (HTTP 404)')]);

      // diff and controls take results from the bucket; messages name the object, not a temporary copy.
      const diff = await run(['diff', 's3://acme-results/run-1/results.json', 's3://acme-results/one/f.ndjson', '--format', 'json'], env);
      expect(diff.code).toBe(0);
      const d = JSON.parse(diff.stdout);
      expect([d.oldFile, d.newFile, d.counts.new, d.counts.resolved, d.counts.unchanged]).toEqual(['s3://acme-results/run-1/results.json', 's3://acme-results/one/f.ndjson', 0, 0, results.findings.length]);
      const controls = await run(['controls', 's3://acme-results/run-1/results.json', '--format', 'json'], env);
      expect(controls.code).toBe(0);
      expect(JSON.parse(controls.stdout)).toEqual(results.frameworks.soc2.controls);
      fake.objects.get('acme-results')!.set('bad.json', '{"hello": 1}');
      const bad = await run(['controls', 's3://acme-results/bad.json'], env);
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('s3://acme-results/bad.json: not a trustscan results file')]);

      // Read-only everywhere else: every call but the results' uploads is a read.
      const writes = fake.calls.filter((c) => c.method !== 'GET');
      expect(new Set(writes.map((c) => `${c.service}:${c.operation} ${c.resource}`))).toEqual(new Set(['s3:PutObject acme-results']));
      expect(writes).toHaveLength(FILES.length + 3);
    });
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  test('a failed upload is exit 2 naming the object, with nothing left behind; a bad address is refused before any work', async () => {
    const dir = tempDir();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    await withFake({ scenario: loadScenario('acme-org'), outputBuckets: ['acme-results'], faults: [{ op: 's3:PutObject', kind: 'denied', resource: 'acme-results' }] }, async (fake) => {
      const env = { ...CREDS, TRUSTSCAN_PARTS_ENDPOINT_URL: fake.url, TMPDIR: tmp };
      const missing = await run(['evaluate', DEMO, '--format', 'json', '-o', 's3://no-such-bucket/r.json'], env);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('writing s3://no-such-bucket/r.json failed: NoSuchBucket (HTTP 404)')]);
      // The streamed json output, still open when the summary's upload is refused, is abandoned: no file either.
      const denied = await run(['evaluate', DEMO, '--format', 'markdown=s3://acme-results/summary.md', '--format', `json=${join(dir, 'r.json')}`], env);
      expect([denied.code, denied.stderr]).toEqual([2, expect.stringContaining('writing s3://acme-results/summary.md failed: AccessDenied (HTTP 403)')]);
      expect(fake.objects.get('acme-results')?.size ?? 0).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['tmp']);
      const calls = fake.calls.length;
      for (const [args, message] of [
        [['-o', 's3://acme-results/'], 's3://acme-results/ names a prefix (a folder), not a file'],
        [['--output-dir', 's3://Acme_Results/'], 's3://Acme_Results/: expected s3://bucket/prefix/'],
        [['--format', 'json=s3://acme-results/x.json', '--format', 'ndjson=s3://acme-results/x.json'], 'two outputs would write s3://acme-results/x.json'],
      ] as const) {
        const r = await run(['evaluate', DEMO, '--format', 'json', ...args], env);
        expect([args, r.code, r.stderr]).toEqual([args, 2, expect.stringContaining(message)]);
      }
      expect(fake.calls.length).toBe(calls);
    });
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  test('fast start: a run that names no bucket loads no cloud SDK; one that does loads it', async () => {
    const dir = tempDir();
    // Lists, at exit, the SDK modules the process loaded.
    const probe = join(dir, 'probe.js');
    writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(Object.keys(require.cache).filter((m) => /[\\\\/]node_modules[\\\\/]@(aws-sdk|smithy)[\\\\/]/.test(m)))));\n`);
    const loaded = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> => {
      const out = join(dir, `loaded-${Math.random().toString(36).slice(2)}.json`);
      const r = await run(args, { ...env, NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: out });
      expect([args, r.code]).toEqual([args, 0]);
      return JSON.parse(readFileSync(out, 'utf8')) as string[];
    };
    mkdirSync(join(dir, 'parts'));
    expect(await loaded(['evaluate', DEMO, '--output-dir', join(dir, 'out')])).toEqual([]);
    expect(await loaded(['diff', join(dir, 'out', 'results.json'), join(dir, 'out', 'findings.ndjson')])).toEqual([]);
    await withFake({ scenario: loadScenario('acme-org'), outputBuckets: ['acme-results'] }, async (fake) => {
      const withBucket = await loaded(['evaluate', DEMO, '--format', 'json', '-o', 's3://acme-results/r.json'], { ...CREDS, TRUSTSCAN_PARTS_ENDPOINT_URL: fake.url });
      expect(withBucket.some((m) => m.includes(join('@aws-sdk', 'client-s3')))).toBe(true);
    });
  }, 60_000);

  test('an output in a bucket named by trustscan.yaml is outside the working directory: refused unless --allow-outside-cwd', async () => {
    const dir = tempDir();
    const config = join(dir, 'trustscan.yaml');
    writeFileSync(config, 'outputDir: s3://acme-results/ci/\n');
    const r = await cli(['evaluate', DEMO, '--config', config, '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('output s3://acme-results/ci/results.json is a bucket, outside the working directory')]);
    writeFileSync(config, 'formats: [json=s3://acme-results/ci/r.json]\n');
    const f = await cli(['evaluate', DEMO, '--config', config]);
    expect([f.code, f.stderr]).toEqual([2, expect.stringContaining('output s3://acme-results/ci/r.json is a bucket')]);
  });
});

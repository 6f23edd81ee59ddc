import { execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../src/core/hash';
import type { Finding, Results } from '../../src/core/types';
import { ROOT, tempDir, spawnCliAsync } from '../helpers';
import { loadScenario, withFake } from '../providers/aws/collector/aws-helpers';

/**
 * A sharded scan as users run it, with the built CLI as N processes against the loopback AWS:
 * `collect aws --org --shard i/N` per worker, then `merge` — equal, finding by finding, to the
 * unsharded `collect` + `evaluate`; and honest when a part is missing, unreadable or foreign.
 */

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnCliAsync(args, { env: { AWS_EC2_METADATA_DISABLED: 'true', ...env } });

const CREDS = { AWS_ACCESS_KEY_ID: 'AKIAFAKEMANAGEMENT01', AWS_SECRET_ACCESS_KEY: 'fake-secret-never-logged', AWS_REGION: 'us-east-1' };
const ORG = ['--org', '--role-name', 'TrustScanAudit', '--external-id', 'acme-ext-1'];

const verdicts = (r: Results): Map<string, string> => new Map(r.findings.map((f: Finding) => [f.fingerprint, canonicalJson({ ...f })]));

describe('sharded collect and merge (built CLI, N processes, loopback AWS)', () => {
  test('parts merged equal the unsharded run; a missing, truncated, duplicate or foreign part is handled honestly', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'parts'));
    // The unsharded run gets a fake cloud of its own: the credential report a first collection
    // generates would otherwise be "reused" (older) for the next one, a difference of time, not of sharding.
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const whole = await run(['collect', 'aws', ...ORG, '--endpoint-url', fake.url, '-o', join(dir, 'whole.ndjson')], CREDS);
      expect(whole.code).toBe(0);
    });
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const aws = ['collect', 'aws', ...ORG, '--endpoint-url', fake.url];
      // Two workers, in parallel, as an array job runs them; the second finds its index in the environment.
      const [p0, p1] = await Promise.all([
        run([...aws, '--shard', '0/2', '-o', join(dir, 'parts', 'part-0.ndjson')], CREDS),
        run([...aws, '--shard', 'auto/2', '-o', join(dir, 'parts', 'part-1.ndjson')], { ...CREDS, JOB_COMPLETION_INDEX: '1' }),
      ]);
      expect([p0.code, p0.stderr]).toEqual([0, expect.any(String)]);
      expect(p0.stderr).not.toMatch(/NodeVersionSupportWarning|^\(node:\d+\)/m);
      expect([p1.code, p1.stderr]).toEqual([0, expect.any(String)]);
      const header = (f: string) => JSON.parse(readFileSync(f, 'utf8').split('\n')[0]).metadata;
      const h0 = header(join(dir, 'parts', 'part-0.ndjson'));
      const h1 = header(join(dir, 'parts', 'part-1.ndjson'));
      expect(h0.shard).toMatchObject({ index: 0, count: 2, provider: 'aws', allUnits: ['111111111111', '222222222222', '333333333333'] });
      expect([...h0.shard.units, ...h1.shard.units].sort()).toEqual(h0.shard.allUnits);
      expect(h0.shard.unitListSha256).toBe(h1.shard.unitListSha256);
      expect(h0.accounts.map((a: { id: string }) => a.id)).toEqual(h0.shard.units);

      const evaluated = await run(['evaluate', join(dir, 'whole.ndjson'), '--format', 'json', '-o', join(dir, 'whole.json')]);
      expect(evaluated.code).toBe(0);
      const merged = await run(['merge', join(dir, 'parts'), '--format', 'json', '-o', join(dir, 'merged.json')]);
      expect([merged.code, merged.stderr]).toEqual([0, expect.any(String)]);
      const a: Results = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8'));
      const b: Results = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
      const va = verdicts(a);
      const vb = verdicts(b);
      expect([...va].filter(([k, v]) => vb.get(k) !== v).map(([k, v]) => `${v}\n  ${vb.get(k)}`)).toEqual([]);
      expect(vb.size).toBe(va.size);
      expect(b.frameworks).toEqual(a.frameworks);
      expect(b.summary).toEqual(a.summary);
      expect(b.scan.accounts).toEqual(a.scan.accounts);
      expect(b.scan.snapshot.shards).toEqual([expect.objectContaining({ count: 2, units: 3, missing: [] })]);
      expect(va.size).toBeGreaterThan(50);

      // The merged run goes into the history store as the unsharded one does: same scope, same findings.
      const store = (name: string) => join(dir, `${name}.sqlite`);
      expect((await run(['evaluate', join(dir, 'whole.ndjson'), '--format', 'json', '-o', join(dir, 'whole-h.json'), '--history', store('whole')])).code).toBe(0);
      const recorded = await run(['merge', join(dir, 'parts'), '--format', 'json', '-o', join(dir, 'merged-h.json'), '--history', store('merged'), '--log-level', 'info']);
      expect([recorded.code, recorded.stderr]).toEqual([0, expect.stringContaining('run recorded in the history store')]);
      // The AWS SDK's Node support notice goes to the log (info), never raw onto stderr.
      expect(recorded.stderr).not.toMatch(/^\(node:\d+\) Warning/m);
      const listed = async (name: string) => {
        const l = await run(['history', 'list', '--history', store(name), '--format', 'json']);
        expect(l.code).toBe(0);
        return JSON.parse(l.stdout) as { scope: unknown; findings: number; byStatus: unknown; complete: boolean }[];
      };
      const [wholeRun] = await listed('whole');
      const [mergedRun] = await listed('merged');
      const essence = (r: typeof wholeRun) => ({ scope: r.scope, findings: r.findings, byStatus: r.byStatus, complete: r.complete });
      expect(essence(mergedRun)).toEqual(essence(wholeRun));
      expect((await run(['history', 'verify', '--history', store('merged')])).code).toBe(0);

      // A missing part: its units' findings are UNKNOWN, named in the coverage; with the gate, exit 1.
      const lone = join(dir, 'lone');
      copyFileSync(join(dir, 'parts', 'part-0.ndjson'), join(dir, 'part-0-only.ndjson'));
      const missing = await run(['merge', join(dir, 'part-0-only.ndjson'), '--format', 'json', '-o', `${lone}.json`, '--fail-on-unknown']);
      expect(missing.code).toBe(1);
      const lost = h1.shard.units as string[];
      expect(missing.stderr).toContain(`shard 1/2 missing: ${lost.length} account${lost.length === 1 ? '' : 's'} not evaluated`);
      const m: Results = JSON.parse(readFileSync(`${lone}.json`, 'utf8'));
      const ofLost = m.findings.filter((f) => lost.includes(f.resource.account));
      expect(ofLost.length).toBeGreaterThan(10);
      expect(ofLost.filter((f) => f.status !== 'UNKNOWN').map((f) => `${f.ruleId} ${f.resource.id} ${f.status}`)).toEqual([]);
      expect(m.scan.complete).toBe(false);
      expect(m.scan.accounts.find((x) => x.account === lost[0])).toMatchObject({ complete: false });
      expect(m.scan.gaps.some((g) => g.account === lost[0] && g.message?.startsWith('shard 1/2 missing'))).toBe(true);
      expect(m.scan.snapshot.shards?.[0].missing).toEqual([{ index: 1, units: lost, reason: expect.stringContaining('shard 1/2 missing') }]);
      // Never a smaller organization that passes: every criterion a lost unit's finding maps to is incomplete, none PASS.
      const lostRules = new Set(ofLost.map((f) => f.ruleId));
      const touched = m.frameworks.soc2.controls.filter((c) => c.rules.some((r) => lostRules.has(typeof r === 'string' ? r : (r as { id: string }).id)));
      expect(touched.length).toBeGreaterThan(5);
      for (const c of touched) expect([c.id, c.status === 'PASS', c.complete]).toEqual([c.id, false, false]);

      // A truncated part (a worker killed while writing outside the atomic path): counted as missing, named.
      const truncated = join(dir, 'truncated');
      const text = readFileSync(join(dir, 'parts', 'part-1.ndjson'), 'utf8');
      writeFileSync(join(dir, 'part-1-truncated.ndjson'), text.slice(0, Math.floor(text.length / 2)));
      const cut = await run(['merge', join(dir, 'parts', 'part-0.ndjson'), join(dir, 'part-1-truncated.ndjson'), '--format', 'json', '-o', `${truncated}.json`]);
      expect(cut.code).toBe(0);
      const t: Results = JSON.parse(readFileSync(`${truncated}.json`, 'utf8'));
      expect(t.scan.snapshot.shards?.[0].missing[0].reason).toMatch(/shard 1\/2 unreadable: .*part-1-truncated.ndjson/);
      expect(t.findings.filter((f) => lost.includes(f.resource.account)).every((f) => f.status === 'UNKNOWN')).toBe(true);

      // The same part twice: refused, naming both files.
      const twice = await run(['merge', join(dir, 'parts'), join(dir, 'part-0-only.ndjson'), '--format', 'json']);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/shard 0\/2 of aws is given twice: .*part-0.ndjson and .*part-0-only.ndjson/);

      // A part of another unit list (another scope): refused.
      const other = await run(['collect', 'aws', '--accounts', '222222222222,333333333333', '--role-name', 'TrustScanAudit', '--external-id', 'acme-ext-1', '--endpoint-url', fake.url, '--shard', '1/2', '-o', join(dir, 'other-1.ndjson')], CREDS);
      expect(other.code).toBe(0);
      const foreign = await run(['merge', join(dir, 'parts', 'part-0.ndjson'), join(dir, 'other-1.ndjson'), '--format', 'json']);
      expect(foreign.code).toBe(2);
      expect(foreign.stderr).toContain('parts of different scans cannot be merged');

      // A snapshot that is not a part: refused, with what to do instead.
      const notPart = await run(['merge', join(dir, 'whole.ndjson')]);
      expect(notPart.code).toBe(2);
      expect(notPart.stderr).toContain("evaluate it with 'trustscan evaluate'");
    });
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('parts and results in a bucket: each worker puts its part (scan workers also their results, named by shard), merge reads the prefix; the only writes are these, through the parts store', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'local'));
    await withFake({ scenario: loadScenario('acme-org'), outputBuckets: ['acme-parts'] }, async (fake) => {
      const env = { ...CREDS, TRUSTSCAN_PARTS_ENDPOINT_URL: fake.url };
      const aws = ['collect', 'aws', ...ORG, '--endpoint-url', fake.url];
      const workers = await Promise.all([0, 1].map((i) => run([...aws, '--shard', `auto/2`, '-o', 's3://acme-parts/nightly/'], { ...env, AWS_BATCH_JOB_ARRAY_INDEX: String(i) })));
      for (const w of workers) expect([w.code, w.stderr]).toEqual([0, expect.any(String)]);
      expect([...(fake.objects.get('acme-parts')?.keys() ?? [])].sort()).toEqual(['nightly/aws-shard-0-of-2.ndjson', 'nightly/aws-shard-1-of-2.ndjson']);
      // Read-only against the scanned accounts: every call but the parts' uploads is a read.
      const writes = fake.calls.filter((c) => !(c.method === 'GET' || (c.method === 'POST' && c.service !== 's3')));
      expect(writes.map((c) => `${c.service}:${c.operation} ${c.resource}`)).toEqual(['s3:PutObject acme-parts', 's3:PutObject acme-parts']);
      const merged = await run(['merge', 's3://acme-parts/nightly/', '--format', 'json', '-o', join(dir, 'merged.json')], env);
      expect([merged.code, merged.stderr]).toEqual([0, expect.any(String)]);
      const r: Results = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
      expect(r.scan.snapshot.shards?.[0].parts.map((p) => p.file)).toEqual(['s3://acme-parts/nightly/aws-shard-0-of-2.ndjson', 's3://acme-parts/nightly/aws-shard-1-of-2.ndjson']);
      expect(r.scan.snapshot.shards?.[0].missing).toEqual([]);
      // A local folder takes the parts the same way (written atomically, named by shard).
      const local = await run([...aws, '--shard', '1/2', '-o', `${join(dir, 'local')}/`], CREDS);
      expect(local.code).toBe(0);
      const lone = await run(['merge', join(dir, 'local'), '--format', 'json', '-o', join(dir, 'lone.json')], CREDS);
      expect(lone.code).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'lone.json'), 'utf8')).scan.snapshot.shards[0].missing[0].index).toBe(0);
      // Without --shard a folder or bucket output is refused (it holds parts).
      const plain = await run([...aws, '-o', 's3://acme-parts/nightly/'], env);
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain('add --shard i/N');

      // `scan --shard` into one --output-dir prefix: each worker's results are named after its shard, as its part is.
      const before = fake.calls.length;
      const scans = await Promise.all(
        [0, 1].map((i) => run(['scan', 'aws', ...ORG, '--endpoint-url', fake.url, '--shard', 'auto/2', '--output-dir', 's3://acme-parts/results/', '--format', 'json', '--format', 'markdown'], { ...env, JOB_COMPLETION_INDEX: String(i) })),
      );
      for (const s of scans) expect([s.code, s.stderr]).toEqual([0, expect.any(String)]);
      const results = [...(fake.objects.get('acme-parts')?.keys() ?? [])].filter((k) => k.startsWith('results/')).sort();
      expect(results).toEqual(['results/results-shard-0-of-2.json', 'results/results-shard-1-of-2.json', 'results/summary-shard-0-of-2.md', 'results/summary-shard-1-of-2.md']);
      const accounts = (i: number) => (JSON.parse(fake.objects.get('acme-parts')!.get(`results/results-shard-${i}-of-2.json`)!) as Results).scan.accounts.map((a) => a.account);
      // Each names its own shard's accounts (the management account's context is read by both).
      expect(accounts(0)).not.toEqual(accounts(1));
      expect(new Set([...accounts(0), ...accounts(1)])).toEqual(new Set(['111111111111', '222222222222', '333333333333']));
      const scanWrites = fake.calls.slice(before).filter((c) => !(c.method === 'GET' || (c.method === 'POST' && c.service !== 's3')));
      expect(scanWrites.map((c) => `${c.service}:${c.operation} ${c.resource}`)).toEqual(Array(4).fill('s3:PutObject acme-parts'));
    });
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('only the parts store writes to a cloud: no other module builds a write command of an SDK', () => {
    // Multipart uploads write too (Create/Upload/Complete/Abort…Command), and so does lib-storage's Upload, which sends them.
    const writes = /\b(Put|Delete|Create|Update|Modify|Attach|Detach|Tag|Untag|Set|Start|Stop|Enable|Disable|Upload|Complete|Abort|Copy|Restore)[A-Za-z]*Command\b|@aws-sdk\/lib-storage/;
    const offenders = execSync('grep -rlE "[A-Za-z]+Command\\b|@aws-sdk/lib-storage" src', { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((f) => writes.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual(['src/parts/bucket.ts']);
    // The check can fail: the one module that writes is caught by it, for each way it writes.
    const bucket = readFileSync(join(ROOT, 'src/parts/bucket.ts'), 'utf8');
    for (const w of ['PutObjectCommand', 'AbortMultipartUploadCommand', "from '@aws-sdk/lib-storage'"]) expect(bucket).toContain(w);
  });

  test('--shard auto/N without an engine index, or a bad one, is a usage error before anything is read', async () => {
    const none = await run(['collect', 'aws', '--shard', 'auto/4', '--endpoint-url', 'http://127.0.0.1:9', '-o', 'x.ndjson'], CREDS);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('none of JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set');
    const bad = await run(['collect', 'aws', '--shard', 'auto/4', '--endpoint-url', 'http://127.0.0.1:9', '-o', 'x.ndjson'], { ...CREDS, AWS_BATCH_JOB_ARRAY_INDEX: '4' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("AWS_BATCH_JOB_ARRAY_INDEX='4' is not an index from 0 to 3");
    const syntax = await run(['scan', 'aws', '--shard', '4/4'], CREDS);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('index 4 is not below N=4');
  });
});

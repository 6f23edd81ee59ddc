import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/main';
import type { Finding, Results } from '../../src/core/types';
import { cli, DEMO, ROOT, tempDir, writeTemp } from '../helpers';

const demo = (): { resources: { id: string; account: string; name?: string; type: string; properties: Record<string, unknown> }[]; coverage: { account: string }[] } => JSON.parse(readFileSync(DEMO, 'utf8'));

describe('several formats in one run', () => {
  it('writes FORMAT=FILE outputs atomically next to one on stdout', async () => {
    const dir = tempDir();
    const r = await cli(['evaluate', DEMO, '--format', 'json', '--format', `junit=${join(dir, 'out.xml')}`, '--format', `html=${join(dir, 'report.html')}`, '--format', `ocsf=${join(dir, 'f.ocsf')}`]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as Results;
    expect(readdirSync(dir).sort()).toEqual(['f.ocsf', 'out.xml', 'report.html']);
    expect(readFileSync(join(dir, 'f.ocsf'), 'utf8').trimEnd().split('\n')).toHaveLength(results.findings.length);
  });

  it('refuses SARIF of runtime findings (code scanning would reject the upload) and writes nothing', async () => {
    const dir = tempDir();
    const r = await cli(['evaluate', DEMO, '--format', `sarif=${join(dir, 'out.sarif')}`, '--format', `html=${join(dir, 'report.html')}`, '--format', `ocsf=${join(dir, 'f.ocsf')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SARIF needs a file location for every result .* failing finding\(s\) are on cloud resources \(aws\).*trustscan iac/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes every file format into --output-dir (creating it), leaving out SARIF of runtime findings with a warning', async () => {
    const dir = join(tempDir(), 'reports');
    const r = await cli(['evaluate', DEMO, '--output-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/results\.sarif not written: SARIF needs a file location/);
    expect(readdirSync(dir).sort()).toEqual(['findings.csv', 'findings.ndjson', 'findings.ocsf.ndjson', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
  });

  it('rejects plans that cannot work, before reading the snapshot', async () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'json', '--format', 'ndjson'], /only one format can go to stdout/],
      [['--format', 'yaml'], /unknown format 'yaml'/],
      [['--format', 'json=/tmp/x.json', '--format', 'ndjson=/tmp/x.json'], /two outputs would write/],
      [['--format', 'json', '--format', 'csv', '-o', '/tmp/x'], /-o\/--output names one file/],
      [['--format', 'json=/no/such/dir/x.json'], /folder \/no\/such\/dir does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['evaluate', '/no/such/snapshot.json', ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
  });

  it('leaves no partial file when a later output fails', async () => {
    const dir = tempDir();
    const blocker = writeTemp(dir, 'blocker', 'x'); // a file where a folder is expected
    const r = await cli(['evaluate', DEMO, '--format', `ndjson=${join(dir, 'f.ndjson')}`, '--format', `json=${join(blocker, 'r.json')}`]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual(['blocker']);
  });
});

describe('the gate', () => {
  it('--fail-on-unknown fails when a finding could not be evaluated', async () => {
    expect((await cli(['evaluate', DEMO, '--format', 'json', '--fail-on-unknown'])).code).toBe(1);
  });

  it('--baseline counts only findings that are not in the baseline', async () => {
    const dir = tempDir();
    const baseline = join(dir, 'baseline.json');
    expect((await cli(['evaluate', DEMO, '--format', `json=${baseline}`])).code).toBe(0);
    expect((await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'low', '--fail-on-unknown'])).code).toBe(1);
    expect((await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'low', '--fail-on-unknown', '--baseline', baseline])).code).toBe(0);
    // an ndjson findings file works as a baseline too
    const nd = join(dir, 'baseline.ndjson');
    await cli(['evaluate', DEMO, '--format', `ndjson=${nd}`]);
    expect((await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'low', '--baseline', nd])).code).toBe(0);
    // a new failure is not in the baseline
    const snap = demo();
    const user = snap.resources.find((r) => r.type === 'aws.iam.user' && r.properties.passwordEnabled === true && r.properties.mfaActive === true)!;
    user.properties.mfaActive = false;
    const changed = writeTemp(dir, 'changed.json', JSON.stringify(snap));
    const r = await cli(['--log-level', 'info', '--log-format', 'json', 'evaluate', changed, '--format', 'json', '--fail-on', 'high', '--baseline', baseline]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 finding\(s\) not in the baseline failed at or above high/);
  });

  it('a bad baseline is an input error naming the file', async () => {
    const dir = tempDir();
    const bad = writeTemp(dir, 'bad.json', '{"findings": [{"nope": 1}]}');
    const r = await cli(['evaluate', DEMO, '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad} at /findings/0: not a trustscan finding`);
  });

  it('appends the markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tempDir();
    const summary = writeTemp(dir, 'summary.md', '# earlier step\n');
    const r = await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'critical'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## trustscan — ❌ gate failed')).toBe(true);
    expect(md).toContain('### Failing findings');
  });
});

describe('suppressions from the command line and trustscan.yaml', () => {
  const waiver = ['suppressions:', '  - rule: aws-iam-root-no-access-keys', "    account: '222222222222'", '    reason: keys are being removed', '    expires: 2099-01-01', '    owner: sec'].join('\n');

  it('mute findings, list them as exceptions and take them out of the gate', async () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'waivers.yaml', waiver);
    const before = await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'critical']);
    const r = await cli(['evaluate', DEMO, '--format', 'json', '--suppressions', file]);
    const results = JSON.parse(r.stdout) as Results;
    const m = results.findings.filter((f) => f.status === 'MUTED');
    expect(m.map((f) => f.ruleId)).toEqual(['aws-iam-root-no-access-keys']);
    expect(m[0].suppression).toMatchObject({ owner: 'sec', source: `${file}:2` });
    expect(results.frameworks.soc2.controls.flatMap((c) => c.exceptions).every((e) => e.fingerprint === m[0].fingerprint)).toBe(true);
    expect(results.frameworks.soc2.controls.some((c) => c.exceptions.length)).toBe(true);
    expect(before.code).toBe(1);
    // other critical failures still fail the gate; muting every one of them passes it
    const critical = (JSON.parse(before.stdout) as Results).findings.filter((f) => f.status === 'FAIL' && f.severity === 'critical');
    expect(critical.length).toBeGreaterThan(1);
    const rest = critical.filter((f) => f.ruleId !== 'aws-iam-root-no-access-keys');
    const both = writeTemp(dir, 'both.yaml', `${waiver}\n${rest.map((f) => `  - rule: ${f.ruleId}\n    resource: '${f.resource.id}'\n    reason: accepted for the test\n    expires: 2099-01-01\n`).join('')}`);
    expect((await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'critical', '--suppressions', file])).code).toBe(1);
    expect((await cli(['evaluate', DEMO, '--format', 'json', '--fail-on', 'critical', '--suppressions', both])).code).toBe(0);
    const table = await cli(['evaluate', DEMO, '--suppressions', both]);
    expect(table.stdout).toContain(`Suppressions: ${critical.length} finding(s) muted.`);
    expect(table.stdout).toMatch(/Exceptions \(muted findings\):\n.*aws-iam-root-no-access-keys .* keys are being removed \(owner sec, expires 2099-01-01\)/);
  });

  it('warn about expired and unused entries, and reject a malformed file with its location', async () => {
    const dir = tempDir();
    const config = writeTemp(dir, 'trustscan.yaml', `${waiver.replace('2099-01-01', '2020-01-01')}\n  - resource: 'arn:nothing'\n    reason: stale\n    expires: 2099-01-01\n`);
    const r = await cli(['--log-format', 'json', 'evaluate', DEMO, '--format', 'json', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/suppression expired on 2020-01-01 and no longer applies/);
    expect(r.stderr).toMatch(/suppression matched no failing or unknown finding/);
    expect((JSON.parse(r.stdout) as Results).scan.suppressions).toMatchObject({ muted: 0, expired: [{ source: `${config}:2` }], unused: [{ source: `${config}:7` }] });
    const bad = writeTemp(dir, 'bad.yaml', 'suppressions:\n  - rule: x\n    expires: 2099-01-01\n');
    const b = await cli(['evaluate', DEMO, '--suppressions', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${bad}:2:5: missing required field 'reason'`);
  });

  it('take formats and the gate from trustscan.yaml unless the command line says otherwise', async () => {
    const dir = tempDir();
    const config = writeTemp(dir, 'trustscan.yaml', 'formats: [markdown, csv=findings.csv]\nfailOn: critical\n');
    // The config's outputs are outside the working directory (the repository root): refused unless allowed.
    const refused = await cli(['evaluate', DEMO, '--config', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/outside the working directory .*--allow-outside-cwd/);
    expect(existsSync(join(dir, 'findings.csv'))).toBe(false);
    const r = await cli(['evaluate', DEMO, '--config', config, '--allow-outside-cwd']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## trustscan — ❌ gate failed/);
    expect(existsSync(join(dir, 'findings.csv'))).toBe(true);
    const o = await cli(['evaluate', DEMO, '--config', config, '--format', 'json', '--fail-on', 'info', '--no-config']);
    expect(o.code).toBe(1);
    expect(() => JSON.parse(o.stdout)).not.toThrow();
  });
});

describe('trustscan diff', () => {
  it('reports new, resolved, status-changed and unchanged findings by fingerprint', async () => {
    const dir = tempDir();
    const old = join(dir, 'old.json');
    await cli(['evaluate', DEMO, '--format', `json=${old}`]);
    const snap = demo();
    const gone = snap.resources.findIndex((r) => r.type === 'aws.kms.key');
    const removed = snap.resources.splice(gone, 1)[0];
    const bucket = snap.resources.find((r) => r.name === 'acme-prod-backups')!;
    bucket.properties.versioning = { ...(bucket.properties.versioning as object), status: 'Enabled' };
    const added = { ...structuredClone(snap.resources.find((r) => r.name === 'acme-prod-public-assets')!), id: 'arn:aws:s3:::acme-new-bucket', name: 'acme-new-bucket' };
    snap.resources.push(added);
    const changed = writeTemp(dir, 'changed.json', JSON.stringify(snap));
    const nw = join(dir, 'new.ndjson');
    await cli(['evaluate', changed, '--format', `ndjson=${nw}`]);
    const r = await cli(['diff', old, nw, '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    const oldF = (JSON.parse(readFileSync(old, 'utf8')) as Results).findings;
    const newF = readFileSync(nw, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Finding);
    expect(d.counts.new).toBe(newF.filter((f) => f.resource.id === added.id).length);
    expect(d.resolved.every((e: { resource: { id: string } }) => e.resource.id === removed.id)).toBe(true);
    expect(d.counts.resolved).toBe(oldF.filter((f) => f.resource.id === removed.id).length);
    expect(d.statusChanged).toEqual([expect.objectContaining({ ruleId: 'aws-s3-bucket-versioning', before: 'FAIL', after: 'PASS' })]);
    expect(d.counts.unchanged).toBe(newF.length - d.counts.new - 1);
    const t = await cli(['diff', old, nw]);
    expect(t.stdout).toMatch(/\d+ new, \d+ resolved, 1 changed status/);
    expect(t.stdout).toContain('acme-new-bucket');
  });

  it('names the file when an input is not results', async () => {
    const bad = writeTemp(tempDir(), 'x.json', '{"hello": 1}');
    const r = await cli(['diff', bad, DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not trustscan results`);
  });
});

describe('streaming', () => {
  it('writes ndjson to a slow consumer completely, waiting for it (backpressure)', async () => {
    let written = 0;
    let pendingMax = 0;
    const lines: string[] = [];
    const stdout = new Writable({
      highWaterMark: 1024,
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        written++;
        setImmediate(done);
      },
    });
    const origWrite = stdout.write.bind(stdout);
    stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      const ok = (origWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
      pendingMax = Math.max(pendingMax, stdout.writableLength);
      return ok;
    }) as typeof stdout.write;
    const stderr = new Writable({ write: (_c, _e, d) => d() });
    const code = await run(['evaluate', DEMO, '--format', 'ndjson'], { stdout, stderr, env: {}, cwd: ROOT });
    expect(code).toBe(0);
    const json = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json'])).stdout) as Results;
    expect(written).toBe(json.findings.length);
    expect(lines.join('').trimEnd().split('\n').map((l) => JSON.parse(l).fingerprint)).toEqual(json.findings.map((f) => f.fingerprint));
    // never more than one line beyond the high-water mark was queued
    expect(pendingMax).toBeLessThan(1024 + Math.max(...lines.map((l) => l.length)) + 1);
  });
});


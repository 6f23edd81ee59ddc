import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAjv } from '../../src/core/ajv';
import { resultsSchema } from '../../src/core/results-schema';
import { RESULTS_SCHEMA_VERSION, type Results, type Snapshot } from '../../src/core/types';
import { cli, DEMO, spawnCli, tempDir, writeTemp } from '../helpers';

// eslint-disable-next-line no-control-regex -- matching terminal colour codes is the point
const ANSI = /\u001b\[/;

describe('trustscan evaluate', () => {
  it('writes results JSON that matches the published schema', async () => {
    const r = await cli(['evaluate', DEMO, '--format', 'json']);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as Results;
    const validate = createAjv().compile(resultsSchema);
    expect(validate(results) ? [] : validate.errors).toEqual([]);
    expect(results.frameworks.soc2.controls).toHaveLength(61);
    expect(results.scan.complete).toBe(false);
    expect(results.summary.byStatus.UNKNOWN).toBeGreaterThan(0);
    // The denied GetBucketAcl of the demo's invoices bucket must not read as "no public ACL".
    const acl = results.findings.find((f) => f.ruleId === 'aws-s3-bucket-no-public-acl' && f.resource.name === 'acme-prod-invoices');
    expect(acl?.status).toBe('UNKNOWN');
    expect(acl?.unknownReasons?.[0]).toMatch(/s3:GetBucketAcl denied/);
  });

  it('is deterministic: two runs differ only in evaluatedAt and the run id', async () => {
    const a = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json'])).stdout) as Results;
    const b = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json'])).stdout) as Results;
    a.scan.evaluatedAt = b.scan.evaluatedAt = '';
    a.scan.runId = b.scan.runId = '';
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('evaluates several snapshots as one: split by account, the findings are those of the whole', async () => {
    const whole = JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;
    const dir = tempDir();
    const accounts = whole.metadata.accounts.map((a) => a.id);
    accounts.forEach((id, i) => {
      const part: Snapshot = {
        ...whole,
        metadata: { ...whole.metadata, accounts: whole.metadata.accounts.filter((a) => a.id === id) },
        resources: whole.resources.filter((r) => r.account === id),
        coverage: whole.coverage.filter((c) => c.account === id),
      };
      writeFileSync(join(dir, `part-${i}.json`), JSON.stringify(part));
    });
    const merged = JSON.parse((await cli(['evaluate', dir, '--format', 'json'])).stdout) as Results;
    const single = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json'])).stdout) as Results;
    const key = (f: Results['findings'][number]): string => `${f.fingerprint} ${f.status}`;
    expect(merged.findings.map(key).sort()).toEqual(single.findings.map(key).sort());
    expect(merged.frameworks.soc2.summary).toEqual(single.frameworks.soc2.summary);
    expect(merged.scan.accounts.map((a) => a.account)).toEqual([...accounts].sort());
  });

  it('refuses a resource given in two snapshots (its findings would count twice)', async () => {
    const copy = writeTemp(tempDir(), 'copy.json', readFileSync(DEMO, 'utf8'));
    const r = await cli(['evaluate', DEMO, copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/copy\.json: resource aws\.account .* is also in .*snapshot\.json/);
  });

  it('writes one finding per line as ndjson', async () => {
    const r = await cli(['evaluate', DEMO, '--format', 'ndjson']);
    const lines = r.stdout.trimEnd().split('\n');
    const json = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json'])).stdout) as Results;
    expect(lines).toHaveLength(json.findings.length);
    expect(lines.map((l) => JSON.parse(l).fingerprint)).toEqual(json.findings.map((f) => f.fingerprint));
  });

  it('prints a table without colours when piped, with colours when forced', async () => {
    const plain = await cli(['evaluate', DEMO]);
    expect(plain.stdout).toMatch(/SOC 2 Trust Services Criteria/);
    expect(plain.stdout).toMatch(/aws-iam-root-no-access-keys/);
    expect(plain.stdout).not.toMatch(ANSI);
    const forced = await cli(['evaluate', DEMO], { FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(ANSI);
    const off = await cli(['--no-color', 'evaluate', DEMO], { FORCE_COLOR: '1' });
    expect(off.stdout).not.toMatch(ANSI);
  });

  it('applies the --fail-on gate', async () => {
    expect((await cli(['evaluate', DEMO, '--fail-on', 'critical', '--format', 'json'])).code).toBe(1);
    expect((await cli(['evaluate', DEMO, '--format', 'json'])).code).toBe(0);
    const dir = tempDir();
    const snap = JSON.parse(readFileSync(DEMO, 'utf8'));
    // keep only the log-archive account (and the organization trail that serves it, with the metric
    // filters, alarms and topic on the trail's log group), whose worst failure is medium once it
    // has GuardDuty on
    const CHAIN = ['aws.logs.metric-filter', 'aws.cloudwatch.alarm', 'aws.sns.topic'];
    snap.resources = snap.resources.filter(
      (r: { account: string; type: string; properties: Record<string, unknown> }) =>
        r.account === '333333333333' || (r.type === 'aws.cloudtrail.trail' && r.properties.isOrganizationTrail === true) || CHAIN.includes(r.type),
    );
    for (const region of ['us-east-1', 'eu-west-1']) {
      snap.resources.push({
        id: `arn:aws:guardduty:${region}:333333333333:detector/d`,
        type: 'aws.guardduty.detector',
        provider: 'aws',
        account: '333333333333',
        region,
        source: { kind: 'runtime' },
        properties: { detectorId: 'd', status: 'ENABLED', findingPublishingFrequency: null, features: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }] },
      });
    }
    snap.coverage = snap.coverage.filter((c: { account: string }) => c.account === '333333333333');
    const file = writeTemp(dir, 'log-archive.json', JSON.stringify(snap));
    expect((await cli(['evaluate', file, '--fail-on', 'high', '--format', 'json'])).code).toBe(0);
    expect((await cli(['evaluate', file, '--fail-on', 'medium', '--format', 'json'])).code).toBe(1);
  });

  it('writes --output atomically and keeps stdout empty', async () => {
    const dir = tempDir();
    const out = join(dir, 'results.json');
    const r = await cli(['evaluate', DEMO, '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('leaves no partial output file when the input is bad', async () => {
    const dir = tempDir();
    const out = join(dir, 'results.json');
    const r = await cli(['evaluate', join(dir, 'missing.json'), '--format', 'json', '--output', out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps logs on stderr so stdout stays machine-readable', async () => {
    const r = await cli(['--log-level', 'info', '--log-format', 'json', 'evaluate', DEMO, '--format', 'json']);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    const logs = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(logs.some((l) => l.msg === 'evaluation finished')).toBe(true);
    expect(logs.some((l) => l.msg?.startsWith('evaluation incomplete'))).toBe(true);
  });

  it('measures dates from --now when given', async () => {
    const r = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json', '--now', '2030-01-01T00:00:00Z'])).stdout) as Results;
    expect(r.scan.scanTime).toBe('2030-01-01T00:00:00.000Z');
  });
});

describe('bad input: one clear line on stderr, exit 2, no stack trace', () => {
  const dir = tempDir();
  const rulesDir = (name: string, text: string): string => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'aws-bad-rule.yaml'), text);
    return d;
  };
  const validRule = readFileSync(join(__dirname, '..', '..', 'rules', 'aws', 'iam', 'aws-iam-root-mfa.yaml'), 'utf8').replace('id: aws-iam-root-mfa', 'id: aws-bad-rule');
  const header = JSON.stringify({ format: 'trustscan-snapshot-ndjson', schemaVersion: '1.0', metadata: { tool: { name: 't', version: '1' }, startedAt: '2026-01-01T00:00:00Z', providers: ['aws'], accounts: [] } });

  const cases: [string, string[], RegExp][] = [
    ['a missing snapshot', ['evaluate', join(dir, 'nope.json')], /nope\.json: no such file or directory/],
    ['a snapshot that is not JSON', ['evaluate', writeTemp(dir, 'notjson.json', 'this is not json\n')], /notjson\.json:1:1: not a snapshot: expected a JSON object/],
    ['a truncated NDJSON snapshot', ['evaluate', writeTemp(dir, 'cut.ndjson', `${header}\n`)], /cut\.ndjson: snapshot stream has no end record: the file is truncated/],
    [
      'an unsupported snapshot schema version',
      ['evaluate', writeTemp(dir, 'v2.json', JSON.stringify({ schemaVersion: '2.0', metadata: {}, resources: [], coverage: [] }))],
      /v2\.json at \/schemaVersion: unsupported snapshot schema version "2\.0"/,
    ],
    ['malformed YAML in a rule', ['evaluate', DEMO, '--rules', rulesDir('yaml', 'id: [oops\n')], /aws-bad-rule\.yaml:\d+:\d+: YAML: /],
    [
      'a rule violating the schema',
      ['evaluate', DEMO, '--rules', rulesDir('schema', validRule.replace('severity: critical', 'severity: urgent'))],
      /aws-bad-rule\.yaml:\d+:11: 'severity' must be one of "critical", "high", "medium", "low", "info"/,
    ],
    [
      'a rule with an unknown resource type',
      ['evaluate', DEMO, '--rules', rulesDir('type', validRule.replace('resourceType: aws.account', 'resourceType: aws.acount'))],
      /aws-bad-rule\.yaml:\d+:\d+: unknown resource type 'aws\.acount'/,
    ],
    ['a missing rules directory', ['evaluate', DEMO, '--rules', join(dir, 'no-rules')], /no-rules: no such file or directory/],
    ['a missing results file', ['controls', join(dir, 'nothing.json')], /nothing\.json: no such file or directory/],
    ['a results file that is not results', ['controls', writeTemp(dir, 'other.json', '{"a":1}')], /other\.json: not a trustscan results file/],
  ];

  it.each(cases)('%s', (_name, args, message) => {
    const r = spawnCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // Off a terminal: one plain line per entry (time, level, message), no stack trace, no error object.
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const [, time, level, msg] = /^\[([^\]]+)\] (\w+): (.*)$/.exec(lines[0]) ?? [];
    expect(Number.isNaN(Date.parse(time))).toBe(false);
    expect(level).toBe('ERROR');
    expect(msg).toMatch(message);
    expect(msg).not.toMatch(/"err"|\{"type"/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // --log-format json: the same entry as a pino JSON line.
    const json = JSON.parse(spawnCli(['--log-format', 'json', ...args]).stderr.trim());
    expect(json).toMatchObject({ level: 50, msg: expect.stringMatching(message) });
    expect(json.err).toBeUndefined();
  });

  it('shows the stack trace at debug level', () => {
    const r = spawnCli(['--log-level', 'debug', 'evaluate', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"stack":/);
  });

  it('prints readable lines when asked for the pretty log format', () => {
    const r = spawnCli(['--log-format', 'pretty', 'evaluate', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ERROR.*nope\.json: no such file or directory/);
  });

  it.each([
    ['an unknown option', ['evaluate', DEMO, '--bogus']],
    ['a bad --fail-on', ['evaluate', DEMO, '--fail-on', 'severe']],
    ['a bad --format', ['evaluate', DEMO, '--format', 'xml']],
    ['a missing argument', ['evaluate']],
    ['an unknown command', ['frobnicate']],
  ])('usage error: %s exits 2', (_name, args) => {
    const r = spawnCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error/);
  });
});

describe('trustscan rules and controls', () => {
  it('rules test runs every case and ends with the count line', async () => {
    const r = await cli(['rules', 'test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('rules test exits 1 when a case fails', async () => {
    const dir = tempDir();
    const text = readFileSync(join(__dirname, '..', '..', 'rules', 'aws', 'iam', 'aws-iam-root-mfa.yaml'), 'utf8').replace(
      'properties: { root: { mfaEnabled: true } }',
      'properties: { root: { mfaEnabled: false } }',
    );
    writeFileSync(join(dir, 'aws-iam-root-mfa.yaml'), text);
    const r = await cli(['rules', 'test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/tests\[0\] "root with MFA passes": expected pass, got fail/);
    expect(r.stdout).toMatch(/^2 passed, 1 failed$/m);
  });

  it('rules test rejects a case whose present path is not unknown', async () => {
    const dir = tempDir();
    const text = readFileSync(join(__dirname, '..', '..', 'rules', 'aws', 'cloudtrail', 'aws-cloudtrail-kms-encryption.yaml'), 'utf8');
    expect(text).toContain('present: [kmsKeyId]');
    writeFileSync(join(dir, 'aws-cloudtrail-kms-encryption.yaml'), text.replace('present: [kmsKeyId]', 'present: [s3BucketName]'));
    const r = await cli(['rules', 'test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/present 's3BucketName' is not listed in unknown/);
  });

  it('rules validate reports each problem on its own line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'aws-x-one.yaml'), 'id: aws-x-one\n');
    writeFileSync(join(dir, 'aws-x-two.yaml'), 'id: [\n');
    const r = await cli(['--log-format', 'json', 'rules', 'validate', dir]);
    expect(r.code).toBe(2);
    const msgs = r.stderr.trim().split('\n').map((l) => JSON.parse(l).msg);
    expect(msgs.some((m: string) => /aws-x-one\.yaml:1:1: missing required field 'title'/.test(m))).toBe(true);
    expect(msgs.some((m: string) => /aws-x-two\.yaml:\d+:\d+: YAML/.test(m))).toBe(true);
    expect((await cli(['rules', 'validate'])).stdout).toMatch(/^\d+ rules in \d+ files are valid$/m);
  });

  it('rules list and show', async () => {
    const list = JSON.parse((await cli(['rules', 'list', '--format', 'json'])).stdout);
    expect(list.find((r: { id: string }) => r.id === 'aws-iam-root-mfa')).toMatchObject({ severity: 'critical', soc2: ['CC6.1', 'CC6.2'] });
    const show = await cli(['rules', 'show', 'aws-iam-root-mfa']);
    expect(show.stdout).toMatch(/CC6\.1: MFA on the most privileged identity/);
    expect(show.stdout).toMatch(/cis-aws-foundations-v3\.0\.0: 1\.5/);
    expect((await cli(['rules', 'show', 'nope'])).code).toBe(2);
  });

  it('controls shows the SOC 2 table of a results file', async () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    await cli(['evaluate', DEMO, '--format', 'json', '-o', out]);
    const table = await cli(['controls', out, '--all']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/CC6\.1\s+│ FAIL/);
    expect(table.stdout).toMatch(/P8\.1\s+│ MANUAL/);
    const json = JSON.parse((await cli(['controls', out, '--format', 'json'])).stdout);
    expect(json).toHaveLength(61);
  });

  it('types and schema print the contracts', async () => {
    expect((await cli(['types'])).stdout).toMatch(/aws\.s3\.bucket/);
    const t = JSON.parse((await cli(['types', 'aws.s3.bucket'])).stdout);
    expect(t.facts.map((f: { name: string }) => f.name)).toContain('facts.publicAclGrants');
    expect(JSON.parse((await cli(['schema', 'snapshot'])).stdout).title).toBe('trustscan snapshot');
    expect(JSON.parse((await cli(['schema', 'rule'])).stdout).title).toBe('trustscan rule');
  });

  it('--help documents the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*2 {2}usage or input error/);
  });
});

describe('piping', () => {
  it('stops quietly when the reader closes the pipe early', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, ROOT } = await import('../helpers');
    const child = spawn(process.execPath, [BIN, 'evaluate', DEMO, '--format', 'ndjson', '--log-level', 'silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});

describe('standard input', () => {
  it('evaluates a snapshot read from -', () => {
    const r = spawnCli(['evaluate', '-', '--format', 'json'], { input: readFileSync(DEMO, 'utf8') });
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as Results;
    expect(results.scan.resources).toBeGreaterThan(30);
    expect(results.scan.snapshot.file).toBeUndefined();
  });

  it('names <stdin> in input errors', () => {
    const r = spawnCli(['--log-format', 'json', 'evaluate', '-'], { input: '{"schemaVersion":"1.0"' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.trim()).msg).toMatch(/^<stdin>:1:23: not valid JSON/);
  });
});

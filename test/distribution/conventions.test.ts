import type { Finding, Results } from '../../src/core/types';
import { cli, DEMO } from '../helpers';

/** The options users know from other scanners: --severity, --status, --rule/--skip-rule, -q. */
describe('conventions of the field', () => {
  let all: Results;
  beforeAll(async () => {
    all = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json', '--no-config'])).stdout) as Results;
  });
  const lines = (out: string): Finding[] => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finding);

  it('--status and --severity thin the findings written (comma lists, repeatable); the summary and gate still count all', async () => {
    const r = await cli(['evaluate', DEMO, '--format', 'ndjson', '--status', 'fail,unknown', '--severity', 'critical,high', '--severity', 'medium', '--no-config']);
    expect(r.code).toBe(0);
    const got = lines(r.stdout);
    const want = all.findings.filter((f) => ['FAIL', 'UNKNOWN'].includes(f.status) && ['critical', 'high', 'medium'].includes(f.severity));
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.findings.length);
    expect(got.map((f) => f.fingerprint).sort()).toEqual(want.map((f) => f.fingerprint).sort());
    const json = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json', '--status', 'PASS', '--no-config'])).stdout) as Results;
    expect(json.findings.every((f) => f.status === 'PASS')).toBe(true);
    expect(json.summary).toEqual(all.summary);
    // The gate judges every finding, not only the written ones.
    const gated = await cli(['evaluate', DEMO, '--format', 'json', '--status', 'PASS', '--fail-on', 'high', '--no-config']);
    expect(gated.code).toBe(1);
  });

  it('--rule and --skip-rule select rules by id or glob; a pattern that matches nothing is exit 2', async () => {
    const s3 = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json', '--rule', 'aws-s3-*', '--skip-rule', 'aws-s3-bucket-versioning', '--no-config'])).stdout) as Results;
    const ids = new Set(s3.findings.map((f) => f.ruleId));
    expect(ids.size).toBeGreaterThan(1);
    for (const id of ids) expect(id).toMatch(/^aws-s3-/);
    expect(ids.has('aws-s3-bucket-versioning')).toBe(false);
    const typo = await cli(['evaluate', DEMO, '--rule', 'aws-s4-*', '--no-config']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--rule 'aws-s4-\*' matches no rule id/);
    const bad = await cli(['evaluate', DEMO, '--severity', 'urgent', '--no-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected one or more of critical, high, medium, low, info/);
  });

  it('-q prints nothing on stderr but errors; --log-level still wins', async () => {
    const loud = await cli(['evaluate', DEMO, '--format', 'json', '--no-config']);
    expect(loud.stderr).toMatch(/evaluation incomplete/);
    const quiet = await cli(['-q', 'evaluate', DEMO, '--format', 'json', '--no-config']);
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).findings).toEqual(JSON.parse(loud.stdout).findings);
    const info = await cli(['-q', '--log-level', 'info', 'evaluate', DEMO, '--format', 'json', '--no-config']);
    expect(info.stderr).toMatch(/evaluation finished/);
    const err = await cli(['-q', 'evaluate', '/no/such.json', '--no-config']);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/no\/such\.json/);
  });
});

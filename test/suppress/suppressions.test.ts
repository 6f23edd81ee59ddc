import { InputError } from '../../src/core/errors';
import type { Finding } from '../../src/core/types';
import { parseConfig } from '../../src/config/config';
import { globMatches } from '../../src/suppress/glob';
import type { SuppressionEntry } from '../../src/suppress/suppressions';
import { demoResults, demoSnapshot, WAIVER } from '../report/fixtures';

const entry = (e: Partial<SuppressionEntry>): SuppressionEntry => ({ reason: 'accepted', expires: '2099-01-01', source: 'test:1', ...e });
const findingsOf = (entries: SuppressionEntry[]): Finding[] => demoResults(entries).findings;
const muted = (entries: SuppressionEntry[]): Finding[] => findingsOf(entries).filter((f) => f.status === 'MUTED');

describe('globs', () => {
  it('match ids with * and ? across slashes and colons, everything else literally', () => {
    expect(globMatches('arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-prod/x')).toBe(true);
    expect(globMatches('aws-iam-user-?fa', 'aws-iam-user-mfa')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('(x)+', '(x)+')).toBe(true);
    expect(globMatches('acme', 'acme-prod')).toBe(false);
    expect(globMatches('*a*b?c*', 'xxaybzcq')).toBe(true);
    expect(globMatches('*a*b?c*', 'xxaybzq')).toBe(false);
    expect(globMatches('a*a', 'a')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('?*?', 'ab')).toBe(true);
    expect(globMatches('?*?', 'a')).toBe(false);
  });

  it('agree with the regular-expression reading on random cases', () => {
    const toRe = (g: string): RegExp => new RegExp(`^${[...g].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('')}$`, 's');
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let i = 0; i < 3000; i++) {
      const glob = Array.from({ length: rnd(7) }, () => 'ab*?'[rnd(4)]).join('');
      const value = Array.from({ length: rnd(8) }, () => 'ab'[rnd(2)]).join('');
      expect([glob, value, globMatches(glob, value)]).toEqual([glob, value, toRe(glob).test(value)]);
    }
  });

  it('match in linear time: 100 stars against a 200-character id', () => {
    const glob = `${'*a'.repeat(100)}b`;
    const started = Date.now();
    expect(globMatches(glob, 'a'.repeat(200))).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('suppressions', () => {
  it('mute matching FAIL findings and carry the waiver', () => {
    const m = muted([WAIVER]);
    expect(m).toHaveLength(1);
    expect(m[0].resource.id).toBe('arn:aws:s3:::acme-prod-backups');
    expect(m[0].suppression).toEqual({ reason: WAIVER.reason, expires: WAIVER.expires, owner: 'platform-team', ticket: 'SEC-42', source: 'trustscan.yaml:3', originalStatus: 'FAIL' });
  });

  it('match by rule glob, account, region and tags; every given criterion must match', () => {
    const all = findingsOf([]);
    const failing = (pred: (f: Finding) => boolean): number => all.filter((f) => (f.status === 'FAIL' || f.status === 'UNKNOWN') && pred(f)).length;
    expect(muted([entry({ rule: 'aws-s3-*' })])).toHaveLength(failing((f) => f.ruleId.startsWith('aws-s3-')));
    expect(muted([entry({ account: '333333333333' })])).toHaveLength(failing((f) => f.resource.account === '333333333333'));
    expect(muted([entry({ rule: 'aws-s3-*', region: 'us-east-1' })])).toHaveLength(failing((f) => f.ruleId.startsWith('aws-s3-') && f.resource.region === 'us-east-1'));
    const snap = demoSnapshot();
    const restricted = new Set(snap.resources.filter((r) => r.tags?.['data-classification'] === 'restricted').map((r) => r.id));
    const byTag = muted([entry({ tags: { 'data-classification': 'restr*' } })]);
    expect(byTag.length).toBe(failing((f) => restricted.has(f.resource.id)));
    expect(byTag.length).toBeGreaterThan(0);
    expect(muted([entry({ tags: { 'data-classification': 'restricted', owner: '*' } })])).toHaveLength(0);
  });

  it('never mute a passing finding', () => {
    expect(muted([entry({ rule: '*' })]).every((f) => f.suppression!.originalStatus !== 'PASS')).toBe(true);
  });

  it('stop applying after the expiry day and report the entry as expired', () => {
    const snap = demoSnapshot(); // scan time 2026-11-25T02:00Z
    const expired = entry({ ...WAIVER, expires: '2026-11-24', source: 'old.yaml:9' });
    const lastDay = entry({ ...WAIVER, expires: '2026-11-25' });
    const r = demoResults([expired], snap);
    expect(r.findings.filter((f) => f.status === 'MUTED')).toHaveLength(0);
    expect(r.scan.suppressions?.expired.map((e) => e.source)).toEqual(['old.yaml:9']);
    expect(demoResults([lastDay], demoSnapshot()).findings.filter((f) => f.status === 'MUTED')).toHaveLength(1);
  });

  it('report entries that match nothing', () => {
    const r = demoResults([WAIVER, entry({ resource: 'arn:aws:s3:::no-such-bucket', source: 'x.yaml:4' })]);
    expect(r.scan.suppressions).toMatchObject({ muted: 1, expired: [], unused: [{ source: 'x.yaml:4', match: { resource: 'arn:aws:s3:::no-such-bucket' } }] });
  });

  it('list every entry in force with the findings it muted (the register of exceptions), not the expired ones', () => {
    const wide = entry({ rule: 'aws-s3-*', source: 'wide.yaml:2' });
    const r = demoResults([WAIVER, wide, entry({ resource: 'arn:aws:s3:::no-such-bucket', source: 'x.yaml:4' }), entry({ ...WAIVER, expires: '2020-01-01', source: 'old.yaml:1' })]);
    const count = (src: string): number => r.findings.filter((f) => f.suppression?.source === src).length;
    expect(count('wide.yaml:2')).toBeGreaterThan(1);
    expect(r.scan.suppressions!.active!.map((e) => [e.source, e.muted])).toEqual([
      [WAIVER.source, count(WAIVER.source)],
      ['wide.yaml:2', count('wide.yaml:2')],
      ['x.yaml:4', 0],
    ]);
    expect(r.scan.suppressions!.active![0]).toMatchObject({ owner: WAIVER.owner, ticket: WAIVER.ticket, expires: WAIVER.expires, reason: WAIVER.reason });
  });

  it('keep a criterion UNKNOWN and the scan incomplete when an UNKNOWN finding is muted', () => {
    const snap = demoSnapshot();
    const base = demoResults([], snap);
    const unknown = base.findings.find((f) => f.status === 'UNKNOWN')!;
    const r = demoResults([entry({ rule: unknown.ruleId, resource: unknown.resource.id })], demoSnapshot());
    const f = r.findings.find((x) => x.fingerprint === unknown.fingerprint)!;
    expect(f.status).toBe('MUTED');
    expect(r.scan.complete).toBe(false);
    for (const id of unknown.soc2) {
      const c = r.frameworks.soc2.controls.find((x) => x.id === id)!;
      expect(c.complete).toBe(false);
      expect(c.status === 'FAIL' || c.status === 'UNKNOWN').toBe(true);
      expect(c.exceptions.find((e) => e.fingerprint === f.fingerprint)?.originalStatus).toBe('UNKNOWN');
    }
    // the gate counts by the final status: the waived UNKNOWN no longer counts
    expect(r.summary.byStatus.UNKNOWN).toBe(base.summary.byStatus.UNKNOWN - 1);
  });
});

describe('trustscan.yaml', () => {
  const problems = (text: string): string[] => {
    try {
      parseConfig(text, 'trustscan.yaml');
    } catch (e) {
      if (e instanceof InputError) return e.message.split('\n');
      throw e;
    }
    return [];
  };

  it('reads defaults and suppressions, with paths relative to the file', () => {
    const cfg = parseConfig(
      [
        'rules: [builtin, ./our-rules]',
        "accounts: ['012345678901']",
        'regions: [eu-west-1]',
        'formats: [table, sarif=out/results.sarif]',
        'failOn: high',
        'failOnUnknown: true',
        'suppressions:',
        '  - rule: aws-s3-bucket-versioning',
        '    tags: { env: sandbox }',
        '    reason: sandbox',
        '    expires: 2027-01-31',
      ].join('\n'),
      '/proj/trustscan.yaml',
    );
    expect(cfg).toMatchObject({
      rules: ['builtin', '/proj/our-rules'],
      accounts: ['012345678901'],
      regions: ['eu-west-1'],
      formats: ['table', 'sarif=/proj/out/results.sarif'],
      failOn: 'high',
      failOnUnknown: true,
      suppressions: [{ rule: 'aws-s3-bucket-versioning', tags: { env: 'sandbox' }, reason: 'sandbox', expires: '2027-01-31', source: '/proj/trustscan.yaml:8' }],
    });
  });

  it('reports each problem with its line and column', () => {
    expect(problems(['suppressions:', '  - rule: x', '    expires: 2027-01-31'].join('\n'))).toEqual(["trustscan.yaml:2:5: missing required field 'reason'"]);
    expect(problems(['suppressions:', '  - rule: x', '    reason: r', '    expires: next week'].join('\n'))).toEqual(['trustscan.yaml:4:14: \'suppressions.0.expires\' must match format "date"']);
    expect(problems(['suppressions:', '  - reason: r', '    expires: 2027-01-31'].join('\n'))).toEqual([
      'trustscan.yaml:2:5: a suppression needs at least one of rule, resource, account, region, tags: without them it would mute everything',
    ]);
    expect(problems(['suppressions:', '  - account: 012345678901', '    reason: r', '    expires: 2027-01-31'].join('\n'))[0]).toMatch(/^trustscan.yaml:2:14: account id 12345678901 must be quoted/);
    expect(problems('failOn: severe\nformat: [json]')).toEqual(["trustscan.yaml:1:9: 'failOn' must be one of \"critical\", \"high\", \"medium\", \"low\", \"info\"", "trustscan.yaml:2:1: unknown field 'format'"]);
    expect(problems('suppressions: [\n')[0]).toMatch(/^trustscan.yaml:\d+:\d+: YAML: /);
  });
});

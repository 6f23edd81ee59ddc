import { builtinFrameworks, loadFrameworks } from '../../src/compliance/framework-loader';
import { Rollup } from '../../src/compliance/rollup';
import type { Finding, Status } from '../../src/core/types';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { InputError } from '../../src/core/errors';

const SOC2 = builtinFrameworks().get('soc2')!;
const SOC2_CRITERIA = SOC2.criteria;

const finding = (ruleId: string, status: Status, soc2: string[], extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  ruleVersion: '000000000000',
  title: 't',
  status,
  severity: 'high',
  resource: { id: `r-${Math.random()}`, type: 'aws.s3.bucket', provider: 'aws', account: '1', region: 'us-east-1' },
  soc2,
  message: 'm',
  evidence: {},
  remediation: 'r',
  fingerprint: '0'.repeat(32),
  ...extra,
});

describe('SOC 2 catalogue', () => {
  it('has all 61 criteria of the 2017 TSC, each once, with a category and a title', () => {
    expect(SOC2_CRITERIA).toHaveLength(61);
    expect(new Set(SOC2_CRITERIA.map((c) => c.id)).size).toBe(61);
    const ids = SOC2_CRITERIA.map((c) => c.id);
    for (const id of ['CC1.1', 'CC1.5', 'CC2.3', 'CC3.4', 'CC4.2', 'CC5.3', 'CC6.8', 'CC7.5', 'CC8.1', 'CC9.2', 'A1.3', 'C1.2', 'PI1.5', 'P1.1', 'P2.1', 'P3.2', 'P4.3', 'P5.2', 'P6.7', 'P7.1', 'P8.1']) {
      expect(ids).toContain(id);
    }
    for (const c of SOC2_CRITERIA) {
      expect(c.title.length).toBeGreaterThan(15);
      expect(c.group.length).toBeGreaterThan(5);
    }
  });
});

describe('SOC 2 roll-up', () => {
  const rules = [
    { id: 'r-fail', mapping: { soc2: ['CC6.1'] } },
    { id: 'r-pass', mapping: { soc2: ['CC6.1', 'CC6.6'] } },
    { id: 'r-unknown', mapping: { soc2: ['CC7.2'] } },
    { id: 'r-empty', mapping: { soc2: ['A1.2'] } },
    { id: 'r-muted', mapping: { soc2: ['C1.1'] } },
  ];

  function rollup(findings: Finding[]) {
    const r = new Rollup(SOC2, rules);
    findings.forEach((f) => r.add(f));
    const done = r.finish();
    expect(done.framework).toEqual({ id: 'soc2', title: SOC2.title, version: SOC2.version });
    return Object.fromEntries(done.controls.map((c) => [c.id, c]));
  }

  const controls = rollup([
    finding('r-fail', 'FAIL', ['CC6.1']),
    finding('r-pass', 'PASS', ['CC6.1', 'CC6.6']),
    finding('r-unknown', 'UNKNOWN', ['CC7.2']),
    finding('r-unknown', 'PASS', ['CC7.2']),
    finding('r-muted', 'MUTED', ['C1.1'], { suppression: { reason: 'accepted', expires: '2027-01-01', owner: 'sec', originalStatus: 'FAIL' } }),
    finding('r-muted', 'PASS', ['C1.1']),
  ]);

  it('FAIL wins, then UNKNOWN; PASS needs a complete evaluation', () => {
    expect(controls['CC6.1'].status).toBe('FAIL');
    expect(controls['CC6.6'].status).toBe('PASS');
    expect(controls['CC7.2'].status).toBe('UNKNOWN');
    expect(controls['CC7.2'].complete).toBe(false);
    expect(controls['CC6.1'].rules).toEqual(['r-fail', 'r-pass']);
  });

  it('is MANUAL without rules, or when the rules found nothing to check', () => {
    expect(controls['CC1.1'].status).toBe('MANUAL');
    expect(controls['CC1.1'].note).toMatch(/policies|board/);
    expect(controls['A1.2'].status).toBe('MANUAL');
    expect(controls['A1.2'].note).toMatch(/no resources/);
  });

  it('lists muted findings as exceptions with owner, reason and expiry', () => {
    expect(controls['C1.1'].status).toBe('PASS');
    expect(controls['C1.1'].exceptions).toEqual([expect.objectContaining({ ruleId: 'r-muted', reason: 'accepted', owner: 'sec', expires: '2027-01-01' })]);
    expect(controls['C1.1'].counts).toEqual({ PASS: 1, FAIL: 0, UNKNOWN: 0, MUTED: 1 });
  });
});

describe('framework definitions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-fw-'));
  const write = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const problems = (file: string): string[] => {
    try {
      loadFrameworks([file]);
    } catch (e) {
      if (e instanceof InputError) return e.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
      throw e;
    }
    return [];
  };

  it('ship SOC 2 and CIS AWS v3.0.0, the CIS benchmark about AWS only', () => {
    const fw = builtinFrameworks();
    expect(fw.get('cis-aws-foundations-v3.0.0')?.criteria).toHaveLength(62);
    expect(fw.applicableTo(['aws']).map((f) => f.id)).toEqual(expect.arrayContaining(['soc2', 'cis-aws-foundations-v3.0.0']));
    expect(fw.applicableTo(['gcp']).map((f) => f.id)).not.toContain('cis-aws-foundations-v3.0.0');
  });

  it('map existing rules to a team\'s own controls by id or glob, without touching the rules', () => {
    const file = write('iso.yaml', 'id: iso27001-2022\ntitle: ISO 27001\nversion: "2022"\ngroups:\n  - title: Annex A\n    criteria:\n      - {id: A.8.3, title: Information access restriction}\n      - {id: A.8.15, title: Logging}\nmappings:\n  aws-s3-*: [A.8.3]\n  aws-cloudtrail-enabled: [A.8.15]\n');
    const fw = loadFrameworks([file]);
    expect(fw.mappingOf({ id: 'aws-s3-bucket-policy-not-public', soc2: [{ id: 'CC6.1' }] })).toEqual({ soc2: ['CC6.1'], 'iso27001-2022': ['A.8.3'] });
    expect(fw.mappingOf({ id: 'aws-kms-key-rotation' })).toEqual({});
  });

  it('report a bad file at its line: unknown field, duplicate criterion, mapping to a criterion that does not exist', () => {
    expect(problems(write('a.yaml', 'id: x\ntitle: X\nversion: "1"\ngroups: []\ncolour: red\n'))).toEqual(expect.arrayContaining([expect.stringMatching(/^5:1 unknown field 'colour'/)]));
    expect(problems(write('b.yaml', 'id: x\ntitle: X\nversion: "1"\ngroups:\n  - title: G\n    criteria:\n      - {id: C1, title: one}\n      - {id: C1, title: two}\n'))).toEqual([expect.stringMatching(/^8:\d+ criterion 'C1' is defined twice/)]);
    expect(problems(write('c.yaml', 'id: x\ntitle: X\nversion: "1"\ngroups:\n  - title: G\n    criteria:\n      - {id: C1, title: one}\nmappings:\n  aws-*: [C9]\n'))).toEqual([expect.stringMatching(/^9:\d+ 'C9' is not a criterion of x/)]);
  });
});

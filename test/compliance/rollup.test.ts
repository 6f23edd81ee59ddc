import { SOC2_CRITERIA } from '../../src/compliance/soc2-catalogue';
import { Soc2Rollup } from '../../src/compliance/rollup';
import type { Finding, Status } from '../../src/core/types';

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
      expect(c.category.length).toBeGreaterThan(5);
    }
  });
});

describe('SOC 2 roll-up', () => {
  const rules = [
    { id: 'r-fail', soc2: ['CC6.1'] },
    { id: 'r-pass', soc2: ['CC6.1', 'CC6.6'] },
    { id: 'r-unknown', soc2: ['CC7.2'] },
    { id: 'r-empty', soc2: ['A1.2'] },
    { id: 'r-muted', soc2: ['C1.1'] },
  ];

  function rollup(findings: Finding[]) {
    const r = new Soc2Rollup(rules);
    findings.forEach((f) => r.add(f));
    return Object.fromEntries(r.finish().map((c) => [c.id, c]));
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

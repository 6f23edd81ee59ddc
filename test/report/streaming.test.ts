import { Evaluation, evaluate } from '../../src/engine/evaluate';
import { generateAccount } from '../../src/bench/synthetic-snapshot';
import type { Resource } from '../../src/core/types';
import { snapshot } from '../helpers';
import { builtinRules } from './fixtures';
import { builtinRegistry } from '../../src/catalog';

describe('streamed evaluation', () => {
  const resources: Resource[] = [];
  generateAccount(7, Date.parse('2026-01-01T00:00:00Z'), (r) => resources.push(r));
  // a failed listing in every region, so rules also emit placeholders for what could not be listed
  const snap = snapshot(
    resources.slice(0, 3000),
    ['us-east-1', 'us-west-2', 'eu-west-1'].map((region) => ({ provider: 'aws' as const, account: '100000000007', region, service: 'ec2', operation: 'DescribeSecurityGroups', outcome: 'denied' as const })),
  );

  it('produces the same findings and results as evaluate(), batch by batch', () => {
    const whole = evaluate(snap, builtinRules(), builtinRegistry()).results;
    const ev = new Evaluation(snap, builtinRules(), builtinRegistry(), { collect: false });
    const fingerprints: string[] = [];
    let batches = 0;
    for (const batch of ev.batches(100)) {
      batches++;
      for (const f of batch) fingerprints.push(f.fingerprint);
    }
    const streamed = ev.finish().results;
    expect(batches).toBeGreaterThan(10);
    expect(fingerprints).toEqual(whole.findings.map((f) => f.fingerprint));
    expect(streamed.findings).toEqual([]);
    expect({ ...streamed, findings: [], scan: { ...streamed.scan, evaluatedAt: '', runId: '' } }).toEqual({ ...whole, findings: [], scan: { ...whole.scan, evaluatedAt: '', runId: '' } });
  });

  it('runs ahead of its consumer by at most one batch', () => {
    let produced = 0;
    let consumed = 0;
    let ahead = 0;
    const ev = new Evaluation(snap, builtinRules(), builtinRegistry(), { collect: false, onFinding: () => produced++ });
    for (const batch of ev.batches(50)) {
      ahead = Math.max(ahead, produced - consumed);
      consumed += batch.length;
    }
    expect(consumed).toBe(produced);
    // 50 evaluations per batch, plus at most 50 placeholders for listings that failed
    expect(ahead).toBeLessThanOrEqual(50 + 50);
    expect(ahead).toBeGreaterThan(0);
    expect(() => ev.batches().next()).toThrow(/once/);
  });
});

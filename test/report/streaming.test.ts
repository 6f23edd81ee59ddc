import { builtinRegistry } from '../../src/core/resource-types/index';
import { Evaluation, evaluate } from '../../src/engine/evaluate';
import { syntheticSnapshot } from '../../src/bench/synthetic-snapshot';
import { builtinRules } from './fixtures';

describe('streamed evaluation', () => {
  const snap = syntheticSnapshot(3000);

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
    expect({ ...streamed, findings: [], scan: { ...streamed.scan, evaluatedAt: '' } }).toEqual({ ...whole, findings: [], scan: { ...whole.scan, evaluatedAt: '' } });
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

import { join } from 'node:path';
import { builtinCatalog, evaluateSnapshot, InputError, loadSnapshotFile, parseSnapshot, rollupOf, streamFindings } from '../../src/index';
import { resultsFingerprint } from '../../src/engine/evaluate';
import { ROOT } from '../helpers';

/** The programmatic API takes the CLI's path: same findings, same roll-ups, streamed or whole. */

const DEMO = join(ROOT, 'fixtures', 'demo', 'snapshot.json');

describe('programmatic API', () => {
  it('evaluates a snapshot whole and streams the same findings with the same roll-ups', async () => {
    const catalog = builtinCatalog();
    const snapshot = await loadSnapshotFile(DEMO, catalog);
    const now = new Date('2026-01-01T00:00:00Z');
    const { results } = evaluateSnapshot(snapshot, { catalog, now, runId: 'r1' });
    expect(results.findings.length).toBeGreaterThan(100);
    expect(rollupOf(results)?.controls.length).toBeGreaterThan(50);

    const streamed: string[] = [];
    const gen = streamFindings(snapshot, { catalog, now, runId: 'r1' });
    let step = gen.next();
    while (!step.done) {
      streamed.push(step.value.fingerprint);
      step = gen.next();
    }
    const tail = step.value;
    expect(tail.findings).toEqual([]);
    expect(streamed.sort()).toEqual(results.findings.map((f) => f.fingerprint).sort());
    expect(resultsFingerprint({ ...tail, findings: results.findings })).toBe(resultsFingerprint(results));
  });

  it('evaluates with a subset of rules', async () => {
    const catalog = builtinCatalog();
    const snapshot = await loadSnapshotFile(DEMO, catalog);
    const rules = catalog.loadRules().filter((r) => r.def.id === 'aws-s3-bucket-encryption' || r.def.id.startsWith('aws-s3-'));
    const { results } = evaluateSnapshot(snapshot, { catalog, rules });
    expect(new Set(results.findings.map((f) => f.ruleId)).size).toBe(rules.length);
  });

  it('reports bad input as an InputError naming the source', () => {
    expect(() => parseSnapshot('{"not":"a snapshot"}', 'mine.json')).toThrow(InputError);
    expect(() => parseSnapshot('{"not":"a snapshot"}', 'mine.json')).toThrow(/mine\.json/);
  });
});

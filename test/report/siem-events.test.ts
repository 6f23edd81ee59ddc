import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinFacts, builtinRegistry } from '../../src/catalog';
import type { Finding } from '../../src/core/types';
import { BUILTIN_RULES_DIR, loadRuleDirs } from '../../src/engine/rule-loader';
import { RuleTester } from '../../src/engine/rule-tests';
import { ocsfEvent } from '../../src/report/ocsf';
import { findingEvent } from '../../src/report/siem-event';
import { cli, tempDir } from '../helpers';
import { StrictMapping } from './strict-mapping';

/**
 * SIEM events must go into an index with a strict mapping (one type per field) whatever cloud,
 * rule or verdict produced them: the findings of every built-in rule's own cases (pass, fail and
 * unknown, every provider) and the demo organization of three clouds, as ndjson and OCSF events.
 */
const RUN = { runId: '3f1c2a4e-0000-4000-8000-00000000abcd', scanTime: '2026-01-01T00:00:00.000Z' };
const CIS = 'cis-aws-foundations-v3.0.0';

const registry = builtinRegistry();
const { rules } = loadRuleDirs([BUILTIN_RULES_DIR], registry, builtinFacts());
const caseFindings: Finding[] = [];
const tester = new RuleTester(registry, (f) => caseFindings.push(f));
for (const r of rules) tester.runRule(r);

async function demoEvents(): Promise<{ ndjson: Record<string, unknown>[]; ocsf: Record<string, unknown>[]; snapshotStart: string }> {
  const dir = tempDir();
  const { code, stderr } = await cli(['evaluate', 'fixtures/demo/', '--format', `ndjson=${join(dir, 'f.ndjson')}`, '--format', `ocsf=${join(dir, 'f.ocsf')}`]);
  expect([0, 1]).toContain(code);
  expect(stderr).not.toMatch(/error/i);
  const lines = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const demo = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'demo', 'snapshot.json'), 'utf8')) as { metadata: { startedAt: string } };
  return { ndjson: lines('f.ndjson'), ocsf: lines('f.ocsf'), snapshotStart: demo.metadata.startedAt };
}

describe('SIEM events under a strict mapping', () => {
  it('every rule case and the demo give ndjson and OCSF events with one type per field', async () => {
    expect(caseFindings.length).toBeGreaterThan(rules.length * 3);
    expect(new Set(caseFindings.map((f) => f.resource.provider))).toEqual(new Set(['aws', 'gcp', 'azure']));
    const ndjson = new StrictMapping();
    const ocsf = new StrictMapping();
    for (const f of caseFindings) {
      ndjson.add(findingEvent(f, RUN), f.ruleId);
      ocsf.add(ocsfEvent(f, { toolVersion: 'x', run: RUN }), f.ruleId);
    }
    const demo = await demoEvents();
    for (const e of demo.ndjson) ndjson.add(e, `demo ${String(e.ruleId)}`);
    for (const e of demo.ocsf) ocsf.add(e, 'demo');
    expect(ndjson.conflicts()).toEqual([]);
    expect(ocsf.conflicts()).toEqual([]);
    expect(ndjson.size).toBeGreaterThan(500);
  });

  it('the check finds the conflicts that flat evidence and "(unknown)" strings made (so it can fail)', () => {
    const vpc = caseFindings.find((f) => f.resource.type === 'aws.ec2.vpc' && Array.isArray(f.evidence.flowLogs));
    const subnet = caseFindings.find((f) => f.resource.type.startsWith('gcp.') && typeof f.evidence.flowLogs === 'boolean');
    expect(vpc && subnet).toBeTruthy();
    const flat = new StrictMapping();
    flat.add({ evidence: vpc!.evidence }, 'vpc');
    flat.add({ evidence: subnet!.evidence }, 'subnet');
    expect(flat.conflicts()).toEqual([expect.stringMatching(/^evidence\.flowLogs: object \(vpc\) vs boolean \(subnet\)$/)]);
    const typed = new StrictMapping();
    typed.add(findingEvent(vpc!, RUN), 'vpc');
    typed.add(findingEvent(subnet!, RUN), 'subnet');
    expect(typed.conflicts()).toEqual([]);
    const placeholder = new StrictMapping();
    placeholder.add({ evidence: { mfaActive: true } }, 'read');
    placeholder.add({ evidence: { mfaActive: '(unknown)' } }, 'unread');
    expect(placeholder.conflicts()).toHaveLength(1);
  });

  it('an unreadable evidence value is null and its path is listed beside the values', () => {
    const withUnknowns = caseFindings.filter((f) => f.unknownEvidence?.length);
    expect(withUnknowns.length).toBeGreaterThan(50);
    const at = (ev: unknown, pointer: string): unknown =>
      pointer.split('/').slice(1).reduce<unknown>((v, t) => (v as Record<string, unknown>)[t.replace(/~1/g, '/').replace(/~0/g, '~')], ev);
    for (const f of withUnknowns) for (const p of f.unknownEvidence!) expect({ rule: f.ruleId, path: p, value: at(f.evidence, p) }).toEqual({ rule: f.ruleId, path: p, value: null });
    expect(JSON.stringify(caseFindings)).not.toContain('(unknown)');
  });

  it('every event carries the run id, the scan time, the provider and the account', async () => {
    const demo = await demoEvents();
    const runIds = new Set(demo.ndjson.map((e) => e.runId));
    expect(runIds.size).toBe(1);
    const [runId] = runIds;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const scanTime = new Date(demo.snapshotStart).toISOString();
    for (const e of demo.ndjson) {
      expect(e).toMatchObject({ runId, scanTime, resource: { provider: expect.stringMatching(/^(aws|gcp|azure)$/), account: expect.any(String) } });
    }
    for (const e of demo.ocsf) {
      expect(e).toMatchObject({ time: Date.parse(scanTime), metadata: { correlation_uid: runId }, cloud: { provider: expect.any(String), account: { uid: expect.any(String) } }, unmapped: { trustscan: { runId, scanTime } } });
    }
  });

  it('OCSF keeps SOC 2 and CIS ids apart: compliance holds one framework, every framework is listed on its own', () => {
    const f = caseFindings.find((x) => x.soc2.length && x.frameworks?.[CIS]?.length)!;
    const soc2 = ocsfEvent(f, { toolVersion: 'x', run: RUN, standards: { soc2: 'SOC 2 title' } });
    expect(soc2.compliance).toMatchObject({ standards: ['SOC 2 title'], requirements: f.soc2 });
    expect((soc2.unmapped as { trustscan: { frameworks: unknown } }).trustscan.frameworks).toEqual([
      { id: 'soc2', requirements: f.soc2 },
      { id: CIS, requirements: f.frameworks![CIS] },
    ]);
    const cis = ocsfEvent(f, { toolVersion: 'x', run: RUN, frameworks: [CIS], standards: { [CIS]: 'CIS title' } });
    expect(cis.compliance).toMatchObject({ standards: ['CIS title'], requirements: f.frameworks![CIS] });
    expect((cis.unmapped as { trustscan: { frameworks: unknown } }).trustscan.frameworks).toEqual([{ id: CIS, requirements: f.frameworks![CIS] }]);
  });
});

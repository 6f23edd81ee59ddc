import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv07 from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import type * as Sarif from 'sarif';
import { createAjv } from '../../src/core/ajv';
import { resultsSchema } from '../../src/core/results-schema';
import type { Finding, Results } from '../../src/core/types';
import { Baseline } from '../../src/report/baseline';
import { CSV_COLUMNS, renderCsv } from '../../src/report/csv';
import { Gate } from '../../src/report/gate';
import { HTML_MAX_FINDINGS, renderHtml, scriptJson } from '../../src/report/html';
import { decodeFindings, type EmbeddedColumn } from '../../src/report/html-data';
import { renderJson, renderJsonChunks } from '../../src/report/json';
import { renderJunit } from '../../src/report/junit';
import { mdCell, renderMarkdown, WorstFindings } from '../../src/report/markdown';
import { ocsfEvent } from '../../src/report/ocsf';
import { CODE_SCANNING_LIMITS, codeScanningViolations, FINGERPRINT_KEY, renderSarif, sarifRefusal } from '../../src/report/sarif';
import { UsageError } from '../../src/core/errors';
import { demoResults, SCHEMAS } from './fixtures';

const results = demoResults();
const byStatus = (s: Finding['status']): Finding[] => results.findings.filter((f) => f.status === s);
const iacFail = results.findings.find((f) => f.resource.source?.kind === 'terraform' && f.status === 'FAIL')!;

describe('the demo results used by these tests', () => {
  it('match the results schema and have every status, an IaC finding and a waiver', () => {
    const v = createAjv().compile(resultsSchema);
    expect(v(results) ? [] : v.errors).toEqual([]);
    for (const s of ['PASS', 'FAIL', 'UNKNOWN', 'MUTED'] as const) expect(byStatus(s).length).toBeGreaterThan(0);
    expect(iacFail.resource.source?.file).toBe('infra/main.tf');
  });
});

describe('sarif', () => {
  // Code scanning takes results located in files: the infrastructure-code part of the demo results.
  const iacOnly: Results = { ...results, findings: results.findings.filter((f) => f.resource.source?.file) };
  const log = JSON.parse(renderSarif(iacOnly, { cwd: '/repo' })) as Sarif.Log;
  const run = log.runs[0];

  it('validates against the final OASIS SARIF 2.1.0 schema (errata 01, vendored)', () => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, 'sarif-schema-2.1.0.json'), 'utf8'));
    expect(schema.id).toMatch(/sarif\/v2\.1\.0\/errata01\/os\/schemas\/sarif-schema-2\.1\.0\.json$/);
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }); // the schema's language pattern is not valid in unicode mode
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...log, runs: [{ ...run, results: [{ ...run.results![0], level: 'fatal' }] }] })).toBe(false);
  });

  it('keeps within GitHub code scanning\'s documented limits, and the check can fail', () => {
    expect(codeScanningViolations(log)).toEqual([]);
    for (const r of run.results!) expect(r.locations![0].physicalLocation?.artifactLocation?.uri).toBeTruthy();
    for (const r of run.tool.driver.rules!) expect(r.properties!.tags!.length).toBeLessThanOrEqual(CODE_SCANNING_LIMITS.tagsShown);
    const many = { ...log, runs: [{ ...run, results: Array.from({ length: CODE_SCANNING_LIMITS.resultsPerRun + 1 }, () => run.results![0]) }] };
    expect(codeScanningViolations(many)).toEqual([expect.stringMatching(/25001 results in a run \(limit 25000\)/)]);
    const unlocated = { ...log, runs: [{ ...run, results: [{ ...run.results![0], locations: [{ logicalLocations: [{ name: 'x' }] }] }] }] };
    expect(codeScanningViolations(unlocated)).toEqual([expect.stringMatching(/no physical artifact location/)]);
    const tagged = { ...log, runs: [{ ...run, tool: { driver: { ...run.tool.driver, rules: [{ id: 'r', properties: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }] } } }] };
    expect(codeScanningViolations(tagged)).toEqual([expect.stringMatching(/21 tags \(limit 20\)/)]);
  });

  it('refuses runtime results (no file to point at) with a message naming the formats that fit', () => {
    const runtime = results.findings.filter((f) => (f.status === 'FAIL' || f.suppression?.originalStatus === 'FAIL') && !f.resource.source?.file).length;
    expect(runtime).toBeGreaterThan(0);
    expect(sarifRefusal(iacOnly)).toBeUndefined();
    expect(() => renderSarif(results, { cwd: '/repo' })).toThrow(UsageError);
    expect(() => renderSarif(results, { cwd: '/repo' })).toThrow(new RegExp(`${runtime} failing finding\\(s\\) are on cloud resources \\(aws\\).*trustscan iac.*json, ndjson or ocsf`));
  });

  it('has one rule per trustscan rule, with help text and a security-severity', () => {
    const ids = [...new Set(iacOnly.findings.map((f) => f.ruleId))];
    expect(run.tool.driver.rules!.map((r) => r.id)).toEqual(ids);
    for (const r of run.tool.driver.rules!) {
      expect(r.help?.text).toMatch(/Remediation: .+/);
      expect(r.help?.markdown).toContain(`trustscan rules show ${r.id}`);
      expect(Number(r.properties?.['security-severity'])).toBeGreaterThanOrEqual(0);
    }
  });

  it('has a result per failing finding, with fingerprints; muted ones as suppressed', () => {
    const failing = iacOnly.findings.filter((f) => f.status === 'FAIL' || f.suppression?.originalStatus === 'FAIL');
    expect(run.results).toHaveLength(failing.length);
    expect(run.results!.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(failing.map((f) => f.fingerprint));
    for (const r of run.results!) expect(run.tool.driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
    const muted = results.findings.find((f) => f.status === 'MUTED' && f.suppression?.originalStatus === 'FAIL')!;
    const asIac: Results = { ...results, findings: [{ ...muted, resource: { ...muted.resource, source: { kind: 'terraform', file: 'infra/main.tf', line: 3 } } }] };
    const sup = (JSON.parse(renderSarif(asIac, { cwd: '/repo' })) as Sarif.Log).runs[0].results![0].suppressions!;
    expect(sup[0]).toMatchObject({ kind: 'external', status: 'accepted', justification: expect.stringMatching(/Backups/) });
  });

  it('locates infrastructure-code findings in their file and line', () => {
    const iac = run.results!.find((r) => r.partialFingerprints?.[FINGERPRINT_KEY] === iacFail.fingerprint)!;
    expect(iac.locations![0].physicalLocation).toEqual({ artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } });
  });

  it('marks results new or unchanged against a baseline', () => {
    const withBase = JSON.parse(renderSarif(iacOnly, { cwd: '/repo', baseline: new Baseline([iacFail]) })) as Sarif.Log;
    const states = withBase.runs[0].results!.map((r) => r.baselineState);
    expect(states.filter((s) => s === 'unchanged')).toHaveLength(1);
    expect(states.filter((s) => s === 'new')).toHaveLength(states.length - 1);
  });
});

describe('ocsf', () => {
  const RUN = { runId: '00000000-0000-4000-8000-000000000001', scanTime: '2026-03-01T02:00:00.000Z' };
  const schema = JSON.parse(readFileSync(join(SCHEMAS, 'ocsf-1.3.0-compliance_finding.schema.json'), 'utf8'));
  const ajv = new Ajv07({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);

  it('emits one Compliance Finding (2003) per finding that validates against the OCSF schema', () => {
    for (const f of results.findings) {
      const e = ocsfEvent(f, { toolVersion: '0.1.0', run: RUN });
      expect(validate(e) ? [] : { fingerprint: f.fingerprint, errors: validate.errors }).toEqual([]);
      expect(e.class_uid).toBe(2003);
      expect((e.finding_info as { uid: string }).uid).toBe(f.fingerprint);
    }
  });

  it('carries the SOC 2 criteria, the rule and its status in the compliance object', () => {
    const status = (f: Finding): Record<string, unknown> => ocsfEvent(f, { toolVersion: 'x', run: RUN }).compliance as Record<string, unknown>;
    const fail = byStatus('FAIL')[0];
    expect(status(fail)).toMatchObject({ control: fail.ruleId, requirements: expect.arrayContaining(fail.soc2), status_id: 3, status: 'Fail', status_code: 'FAIL' });
    expect(status(byStatus('PASS')[0])).toMatchObject({ status_id: 1, status: 'Pass' });
    expect(status(byStatus('UNKNOWN')[0])).toMatchObject({ status_id: 2, status: 'Warning', status_detail: expect.any(String) });
    const muted = ocsfEvent(byStatus('MUTED')[0], { toolVersion: 'x', run: RUN });
    expect(muted).toMatchObject({ status_id: 3, status: 'Suppressed', compliance: { status_id: 3 } });
  });

  it('the schema rejects what it should (so the test above can fail)', () => {
    const e = ocsfEvent(byStatus('FAIL')[0], { toolVersion: 'x', run: RUN });
    expect(validate({ ...e, class_uid: 2004 })).toBe(false);
    expect(validate({ ...e, compliance: { control: 'x' } })).toBe(false);
    expect(validate({ ...e, severityId: 3 })).toBe(false);
  });
});

describe('junit', () => {
  const xml = renderJunit(results);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml);

  it('is well-formed XML with a test case per rule × resource', () => {
    const suites = doc.testsuites.testsuite as { name: string; testcase: Record<string, unknown>[] }[];
    const cases = suites.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(results.findings.length);
    expect(Number(doc.testsuites.tests)).toBe(results.findings.length);
    expect(cases.filter((c) => c.failure)).toHaveLength(byStatus('FAIL').length);
    expect(cases.filter((c) => c.error)).toHaveLength(byStatus('UNKNOWN').length);
    expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(byStatus('MUTED').length);
    expect(Number(doc.testsuites.failures)).toBe(results.summary.byStatus.FAIL);
    expect(Number(doc.testsuites.errors)).toBe(results.summary.byStatus.UNKNOWN);
    expect(Number(doc.testsuites.skipped)).toBe(results.summary.byStatus.MUTED);
  });

  it('escapes names that look like markup', () => {
    expect(xml).not.toContain('<script>');
    const iac = (doc.testsuites.testsuite as { testcase: { name: string; file?: string }[] }[]).flatMap((s) => s.testcase).find((c) => c.file === 'infra/main.tf');
    expect(iac?.name).toContain('</script><script>alert(1)</script>');
  });
});

describe('csv', () => {
  const rows = parseCsv(renderCsv(results)) as string[][];

  it('has a header and one row per finding', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(results.findings.length + 1);
    const fp = rows[0].indexOf('fingerprint');
    expect(rows.slice(1).map((r) => r[fp])).toEqual(results.findings.map((f) => f.fingerprint));
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const name = rows[0].indexOf('resource_name');
    const hostile = rows.find((r) => r[name].includes('=cmd'))!;
    expect(hostile[name]).toBe('assets </script><script>alert(1)</script> | =cmd');
    const withFormula = parseCsv(renderCsv({ ...results, findings: [{ ...results.findings[0], resource: { ...results.findings[0].resource, name: '=HYPERLINK("x")' } }] })) as string[][];
    expect(withFormula[1][name]).toBe('\'=HYPERLINK("x")');
  });
});

describe('markdown', () => {
  it('summarises counts, the gate, the worst failures and the waivers', () => {
    const worst = new WorstFindings(5);
    const gate = new Gate({ failOn: 'high' });
    for (const f of results.findings) {
      worst.add(f);
      gate.add(f);
    }
    const md = renderMarkdown(results, { worst, gate: gate.verdict(), failOn: 'high' });
    expect(md).toContain('❌ gate failed');
    expect(md).toContain(`| ${results.summary.byStatus.FAIL} | ${results.summary.byStatus.UNKNOWN} | ${results.summary.byStatus.PASS} | ${results.summary.byStatus.MUTED} |`);
    expect(md).toContain(`worst 5 of ${results.summary.byStatus.FAIL}`);
    // worst first: the kept severities are the 5 worst of all FAIL findings, in order
    const rank = (f: Finding): number => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity);
    const expected = byStatus('FAIL').map(rank).sort((a, b) => a - b).slice(0, 5);
    expect(worst.findings.map(rank)).toEqual(expected);
    expect(md).toContain('1 finding(s) muted');
    expect(md).not.toContain('<script>');
  });

  it('escapes table cells', () => {
    expect(mdCell('a | b\nc <b>')).toBe('a \\| b c \\<b\\>');
  });
});

/** The results a report embeds (a string table and indexes per finding: html-data.ts), decoded. */
function embedded(html: string): Results & { accountCounts: Record<string, Record<string, number>> } {
  const data = JSON.parse(/<script id="results-data" type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1]) as { results: Results; accountCounts: Record<string, Record<string, number>>; count: number; columns: Record<string, EmbeddedColumn> };
  return { ...data.results, findings: decodeFindings(data), ...(data.accountCounts ? { accountCounts: data.accountCounts } : {}) } as Results & { accountCounts: Record<string, Record<string, number>> };
}

describe('html', () => {
  it('writes each distinct text once: the embedded data is a fraction of the JSON results', () => {
    const many = { ...results, findings: Array.from({ length: 20 }, () => results.findings).flat() };
    const data = /<script id="results-data" type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(renderHtml(many))![1];
    expect(data.length).toBeLessThan(JSON.stringify(many).length / 5);
    expect(embedded(renderHtml(many))).toEqual(JSON.parse(JSON.stringify(many)));
  });

  it('keeps a finding field that no column names', () => {
    const extra = { ...results, findings: results.findings.map((f, i) => (i % 2 ? { ...f, futureField: { n: i }, resource: { ...f.resource, futureTag: 'x' } } : f)) } as Results;
    expect(embedded(renderHtml(extra))).toEqual(JSON.parse(JSON.stringify(extra)));
  });


  it('embeds the results so that no resource name can close the script element', () => {
    const html = renderHtml(results);
    const data = /<script id="results-data" type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(data).not.toMatch(/<\/script/i);
    expect(embedded(html)).toEqual(JSON.parse(JSON.stringify(results)));
    expect(scriptJson('</script>')).toBe('"\\u003c/script>"');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
  });
});

describe('json', () => {
  it('is written in chunks that add up to exactly JSON.stringify(results, null, 2)', () => {
    const many = { ...results, findings: Array.from({ length: 40 }, () => results.findings).flat() };
    for (const r of [results, many, { ...results, findings: [] }]) {
      expect(renderJson(r)).toBe(`${JSON.stringify(r, null, 2)}\n`);
    }
    expect([...renderJsonChunks(many)].length).toBeGreaterThan(10);
    expect(embedded(renderHtml(many)).findings).toHaveLength(many.findings.length);
  });
});

describe('the results behind every format', () => {
  it('list the waived finding as an exception in the SOC 2 roll-up', () => {
    const muted = byStatus('MUTED')[0];
    const rows = (results as Results).frameworks.soc2.controls.filter((c) => c.exceptions.some((e) => e.fingerprint === muted.fingerprint));
    expect(rows.map((c) => c.id).sort()).toEqual([...muted.soc2].sort());
    expect(rows[0].exceptions[0]).toMatchObject({ owner: 'platform-team', ticket: 'SEC-42', expires: '2099-12-31', originalStatus: 'FAIL' });
  });
});

describe('html past its size limit', () => {
  it('embeds only the worst findings, with every count, and points to the machine formats', () => {
    const many = Array.from({ length: HTML_MAX_FINDINGS + 5000 }, (_, i) => results.findings[i % results.findings.length]);
    const big = { ...results, findings: many };
    const html = renderHtml(big);
    expect(html).toContain('data-testid="summarised"');
    expect(html).toMatch(/--format json, ndjson or csv/);
    const data = embedded(html);
    expect(data.findings.length).toBeLessThanOrEqual(HTML_MAX_FINDINGS);
    expect(data.findings.some((f) => f.status === 'PASS')).toBe(false);
    const total = Object.values(data.accountCounts).reduce((n, a) => n + a.FAIL + a.UNKNOWN + a.PASS + a.MUTED, 0);
    expect(total).toBe(many.length);
    expect(renderHtml(results)).not.toContain('data-testid="summarised"');
  });
});

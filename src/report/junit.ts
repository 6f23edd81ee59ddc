import type { Finding, Results } from '../core/types';
import { visibleKeepLines } from './visible';

/**
 * JUnit XML for CI test reports: a test suite per rule, a test case per rule × resource.
 * FAIL → <failure>, UNKNOWN → <error> (the check could not run), MUTED → <skipped> with the
 * waiver, PASS → a passing case.
 */

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return visibleKeepLines(s).replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

function where(f: Finding): string {
  const r = f.resource;
  return r.source?.file ? `${r.source.file}${r.source.line ? `:${r.source.line}` : ''}` : `${r.provider}/${r.account}/${r.region}`;
}

function testcase(f: Finding): string {
  const r = f.resource;
  const head = `    <testcase${attrs({ name: `${r.name ?? r.id} (${where(f)})`, classname: f.ruleId, file: r.source?.file, line: r.source?.line, time: 0 })}`;
  const detail = (lines: (string | undefined)[]): string => xmlEscape(lines.filter(Boolean).join('\n'));
  switch (f.status) {
    case 'PASS':
      return `${head}/>`;
    case 'FAIL':
      return `${head}>\n      <failure${attrs({ type: f.severity, message: f.message })}>${detail([`resource: ${r.id}`, `severity: ${f.severity}`, `SOC 2: ${f.soc2.join(', ')}`, `remediation: ${f.remediation}`, `evidence: ${JSON.stringify(f.evidence)}`, `fingerprint: ${f.fingerprint}`])}</failure>\n    </testcase>`;
    case 'UNKNOWN':
      return `${head}>\n      <error${attrs({ type: 'UNKNOWN', message: f.message })}>${detail([`resource: ${r.id}`, ...(f.unknownReasons ?? []).map((x) => `missing: ${x}`), `fingerprint: ${f.fingerprint}`])}</error>\n    </testcase>`;
    case 'MUTED': {
      const s = f.suppression;
      const msg = s ? `muted: ${s.reason} (expires ${s.expires}${s.owner ? `, owner ${s.owner}` : ''}${s.ticket ? `, ${s.ticket}` : ''})` : 'muted';
      return `${head}>\n      <skipped${attrs({ message: msg })}/>\n    </testcase>`;
    }
  }
}

export function renderJunit(results: Results): string {
  const byRule = new Map<string, Finding[]>();
  for (const f of results.findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const count = (list: Finding[], s: Finding['status']): number => list.filter((f) => f.status === s).length;
  const suites: string[] = [];
  for (const [ruleId, list] of byRule) {
    const first = list[0];
    suites.push(
      `  <testsuite${attrs({ name: ruleId, tests: list.length, failures: count(list, 'FAIL'), errors: count(list, 'UNKNOWN'), skipped: count(list, 'MUTED'), time: 0, timestamp: results.scan.scanTime.replace(/\.\d+Z$|Z$/, '') })}>\n` +
        `    <properties>\n      <property${attrs({ name: 'title', value: first.title })}/>\n      <property${attrs({ name: 'severity', value: first.severity })}/>\n      <property${attrs({ name: 'soc2', value: first.soc2.join(' ') })}/>\n    </properties>\n` +
        `${list.map(testcase).join('\n')}\n  </testsuite>`,
    );
  }
  const all = results.findings;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attrs({ name: 'trustscan', tests: all.length, failures: count(all, 'FAIL'), errors: count(all, 'UNKNOWN'), skipped: count(all, 'MUTED'), time: 0 })}>\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}

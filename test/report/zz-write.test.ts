import { writeFileSync } from 'node:fs';
import { renderHtml } from '../../src/report/html';
import { demoResults } from './fixtures';
import type { Finding, Results } from '../../src/core/types';
it('writes', () => {
  const demo = demoResults();
  const base = demo.findings.filter((f) => !f.resource.source?.file);
  const findings: Finding[] = [];
  for (let i = 0; i < 10000; i++) for (let k = 0; k < 3; k++) {
    const f = base[(i * 3 + k) % base.length];
    const id = `${f.resource.id}-${i}`; const name = `${f.resource.name ?? 'r'}-${i}`;
    const message = f.resource.name ? f.message.split(f.resource.name).join(name) : `${f.message} (${id})`;
    findings.push({ ...f, message, fingerprint: `${f.fingerprint.slice(0, 8)}${i}-${k}`, resource: { ...f.resource, id, name } });
  }
  const byStatus = { PASS: 0, FAIL: 0, UNKNOWN: 0, MUTED: 0 };
  for (const f of findings) byStatus[f.status]++;
  const r: Results = { ...demo, findings, summary: { ...demo.summary, byStatus } };
  writeFileSync('/tmp/ha-pdf/large.html', renderHtml(r));
});

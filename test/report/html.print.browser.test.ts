import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Finding, Results } from '../../src/core/types';
import { renderHtml } from '../../src/report/html';
import { tempDir } from '../helpers';
import { demoResults } from './fixtures';

/**
 * Printing the HTML report to PDF from Chromium (page.pdf, what "Save as PDF" does) gives an
 * auditor every FAIL and UNKNOWN finding, not the one page of the interactive table, and the
 * MANUAL criteria expanded. The PDF's text is extracted with pdftotext (Debian's poppler-utils,
 * installed by scripts/test-prereqs.sh) and each finding's fingerprint is looked for in it.
 */

const CHROMIUM = process.env.TRUSTSCAN_CHROMIUM ?? '/usr/bin/chromium';
const PDFTOTEXT = process.env.TRUSTSCAN_PDFTOTEXT ?? '/usr/bin/pdftotext';
const FAILING = 300;

/** The demo's results with 300 failing findings (clones of the demo's, each its own resource) besides its unknown ones. */
function manyFailing(): Results {
  const demo = demoResults();
  const fails = demo.findings.filter((f) => f.status === 'FAIL' && !f.resource.source);
  const extra: Finding[] = [];
  const demoFails = demo.findings.filter((f) => f.status === 'FAIL').length;
  for (let i = 0; extra.length + demoFails < FAILING; i++) {
    const f = fails[i % fails.length];
    extra.push({ ...f, fingerprint: `print${String(i).padStart(5, '0')}${f.fingerprint.slice(0, 6)}`, resource: { ...f.resource, id: `${f.resource.id}-copy-${i}` } });
  }
  const findings = [...demo.findings, ...extra];
  const byStatus = { PASS: 0, FAIL: 0, UNKNOWN: 0, MUTED: 0 };
  for (const f of findings) byStatus[f.status]++;
  return { ...demo, findings, summary: { ...demo.summary, byStatus } };
}

describe('the HTML report printed to PDF from chromium', () => {
  it('contains every failing and unknown finding and the MANUAL criteria', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium or set TRUSTSCAN_CHROMIUM`);
    if (!existsSync(PDFTOTEXT)) throw new Error(`${PDFTOTEXT} not found: install Debian's poppler-utils (apt-get install -y poppler-utils) or set TRUSTSCAN_PDFTOTEXT`);
    const results = manyFailing();
    const worst = results.findings.filter((f) => f.status === 'FAIL' || f.status === 'UNKNOWN');
    expect(results.summary.byStatus.FAIL).toBe(FAILING);
    expect(results.summary.byStatus.UNKNOWN).toBeGreaterThan(0);
    // More than one page of the interactive table, so the first page alone cannot pass.
    expect(worst.length).toBeGreaterThan(200);
    const dir = tempDir();
    const html = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    writeFileSync(html, renderHtml(results));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector('body[data-ready="true"]');
      await page.pdf({ path: pdf, format: 'A4' });
    } finally {
      await browser.close();
    }
    const text = execFileSync(PDFTOTEXT, ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const words = new Set(text.split(/\s+/));
    const missing = worst.filter((f) => !words.has(f.fingerprint)).map((f) => `${f.status} ${f.fingerprint}`);
    expect(missing).toEqual([]);
    // PASS and MUTED findings are not in the print table (they are in the counts and the register).
    const passing = results.findings.filter((f) => f.status === 'PASS');
    expect(passing.filter((f) => words.has(f.fingerprint))).toEqual([]);
    expect(text).toMatch(new RegExp(`Every failing and unknown finding \\(${worst.length}\\)`));
    // The MANUAL criteria, collapsed on screen, are printed (their ids appear nowhere else in print).
    const manual = results.frameworks.soc2.controls.filter((c) => c.status === 'MANUAL');
    expect(manual.length).toBeGreaterThan(0);
    expect(manual.filter((c) => !words.has(c.id)).map((c) => c.id)).toEqual([]);
  }, 120_000);
});

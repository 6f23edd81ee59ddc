import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Finding, Results } from '../../src/core/types';
import { renderHtml } from '../../src/report/html';
import { tempDir } from '../helpers';
import { demoResults } from './fixtures';

/**
 * A 10,000-resource report (three findings each, cloned from the demo's) opened in Chromium:
 * the time until the page is ready and its size are printed, and must stay under 2 s.
 * Not met yet (3.6 s, 26 MiB measured with the SVG charts): it runs on demand with
 * TRUSTSCAN_HTML_SCALE=1 until the embedded data is made compact.
 */
const onDemand = process.env.TRUSTSCAN_HTML_SCALE ? it : it.skip;

const CHROMIUM = process.env.TRUSTSCAN_CHROMIUM ?? '/usr/bin/chromium';
const RESOURCES = 10_000;

function largeResults(): Results {
  const demo = demoResults();
  const base = demo.findings.filter((f) => !f.resource.source?.file);
  const findings: Finding[] = [];
  for (let i = 0; i < RESOURCES; i++) {
    for (let k = 0; k < 3; k++) {
      const f = base[(i * 3 + k) % base.length];
      const id = `${f.resource.id}-${i}`;
      findings.push({ ...f, fingerprint: `${f.fingerprint.slice(0, 8)}${i}-${k}`, resource: { ...f.resource, id, name: `${f.resource.name ?? 'r'}-${i}` } });
    }
  }
  const byStatus = { PASS: 0, FAIL: 0, UNKNOWN: 0, MUTED: 0 };
  for (const f of findings) byStatus[f.status]++;
  return { ...demo, findings, summary: { ...demo.summary, byStatus } };
}

describe('a 10,000-resource HTML report in chromium', () => {
  onDemand('is ready in under 2 s', async () => {
    const file = join(tempDir(), 'large.html');
    writeFileSync(file, renderHtml(largeResults()));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage();
      const started = Date.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const ms = Date.now() - started;
      process.stderr.write(`10,000-resource report: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB, ready in ${ms} ms\n`);
      expect(ms).toBeLessThan(2000);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

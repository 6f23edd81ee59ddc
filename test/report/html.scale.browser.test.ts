import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Finding, Results } from '../../src/core/types';
import { renderHtml } from '../../src/report/html';
import { tempDir } from '../helpers';
import { demoResults } from './fixtures';

/**
 * A 10,000-resource report (three findings each, cloned from the demo's, each message naming its
 * own resource as real messages do) opened in Chromium: the time until the page is ready, the
 * file size, the JavaScript heap and where the time went (HTML parse, JSON parse, decoding, first
 * render) are printed for each of three loads, and the median time must stay under 2 s (the
 * wall clock from navigation to ready, as a user waits for it; one load on a shared machine is
 * noisy). `npm test` runs it on its own after the other suites: it times the page, and a
 * parallel suite's CPU would time the machine instead. TRUSTSCAN_HTML_SCALE=0 skips it.
 */
const scale = process.env.TRUSTSCAN_HTML_SCALE === '0' ? it.skip : it;
const LOADS = 3;

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
      const name = `${f.resource.name ?? 'r'}-${i}`;
      const message = f.resource.name ? f.message.split(f.resource.name).join(name) : `${f.message} (${id})`;
      findings.push({ ...f, message, fingerprint: `${f.fingerprint.slice(0, 8)}${i}-${k}`, resource: { ...f.resource, id, name } });
    }
  }
  const byStatus = { PASS: 0, FAIL: 0, UNKNOWN: 0, MUTED: 0 };
  for (const f of findings) byStatus[f.status]++;
  return { ...demo, findings, summary: { ...demo.summary, byStatus } };
}

describe('a 10,000-resource HTML report in chromium', () => {
  scale('is ready in under 2 s (median of three loads)', async () => {
    const file = join(tempDir(), 'large.html');
    writeFileSync(file, renderHtml(largeResults()));
    const size = (statSync(file).size / 1024 / 1024).toFixed(1);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const times: number[] = [];
    try {
      for (let i = 0; i < LOADS; i++) {
        const page = await browser.newPage();
        const started = Date.now();
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
        const ms = Date.now() - started;
        times.push(ms);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const { metrics } = await cdp.send('Performance.getMetrics');
        const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
        const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? NaN;
        // Where the time went, from the navigation timing and the page's own marks (ms since navigation start).
        const phases = await page.evaluate(() => {
          const nav = (performance as unknown as { getEntriesByType(t: string): { responseEnd: number; domInteractive: number }[] }).getEntriesByType('navigation')[0];
          const at = (n: string): number => Math.round(performance.getEntriesByName(`trustscan:${n}`)[0]?.startTime ?? NaN);
          return `html received ${Math.round(nav.responseEnd)}, JSON parsed ${at('parsed')}, findings decoded ${at('decoded')}, other sections built ${at('sections')}, first page of the table ${at('table')}, charts and ready ${at('ready')}, DOM interactive (after the script) ${Math.round(nav.domInteractive)}`;
        });
        process.stderr.write(`10,000-resource report: ${size} MiB file, ready in ${ms} ms, JS heap ${(heap / 1024 / 1024).toFixed(1)} MiB, ${nodes} DOM nodes; ${phases}\n`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(LOADS / 2)];
    process.stderr.write(`10,000-resource report: median ready time ${median} ms over ${LOADS} loads\n`);
    expect(median).toBeLessThan(2000);
  }, 120_000);
});

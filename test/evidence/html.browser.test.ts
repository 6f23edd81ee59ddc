import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { EvidencePack } from '../../src/evidence/model';
import { cli, tempDir } from '../helpers';
import { recordPeriod } from './fixtures';

/**
 * The evidence pack's index.html in a real headless Chromium (Debian's, as .ci/run installs it):
 * it loads offline with no console error and no request, shows what evidence.json says, and prints
 * to a clean PDF — every line of every page within the paper, table headers repeated, no table
 * row split across pages, colours kept.
 */

const CHROMIUM = process.env.TRUSTSCAN_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

let browser: Browser;
let page: Page;
let pack: EvidencePack;
let dir: string;
const errors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set TRUSTSCAN_CHROMIUM`);
  dir = tempDir();
  await recordPeriod({ kind: 'sqlite', file: join(dir, 'h.db') });
  const r = await cli(['evidence', '--history', join(dir, 'h.db'), '--no-config', '--from', '2026-03-01', '--to', '2026-03-10', '--output-dir', join(dir, 'pack'), '--seed', 's']);
  expect(r.code).toBe(0);
  pack = JSON.parse(readFileSync(join(dir, 'pack', 'evidence.json'), 'utf8')) as EvidencePack;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (q) => requests.push(q.url()));
  await page.goto(pathToFileURL(join(dir, 'pack', 'index.html')).href);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('evidence pack HTML in chromium', () => {
  it('loads offline with no console errors and no network requests', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  });

  it('shows the criteria, gaps and failures of evidence.json', async () => {
    const automated = pack.criteria.filter((c) => c.rules.length > 0);
    expect(await page.locator('section.criterion').count()).toBe(automated.length);
    expect(await page.locator('section.criterion svg.strip').first().locator('rect').count()).toBe(pack.period.days);
    const text = await page.locator('#gaps + table').innerText();
    expect(text).toMatch(/2026-03-05\s+GAP/);
    expect(text).toMatch(/2026-03-07\s+partial/);
    expect(await page.locator('#failures ~ table').first().locator('tbody tr').count()).toBe(Math.min(pack.failures.length, 1000));
  });

  it('prints to a clean PDF', async () => {
    await page.emulateMedia({ media: 'print' });
    // The printable width of A4 with the pack's 12 mm side margins, in CSS pixels (96 per inch).
    const printable = Math.floor(((210 - 24) / 25.4) * 96);
    await page.setViewportSize({ width: printable, height: 1000 });
    // Browser-side code: the DOM types are not in this project's (Node) lib.
    type El = { tagName: string; getBoundingClientRect(): { width: number; right: number } };
    type Doc = { querySelectorAll(s: string): ArrayLike<El>; querySelector(s: string): El | null; body: El };
    const overflow = await page.evaluate((width) => {
      const document = (globalThis as unknown as { document: Doc }).document;
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 0.5) out.push(`${el.tagName} right=${r.right}`);
      }
      return out.slice(0, 5);
    }, printable);
    expect(overflow).toEqual([]);
    const styles = await page.evaluate(() => {
      const g = globalThis as unknown as { document: Doc; getComputedStyle(e: El): { display: string; breakInside: string; getPropertyValue(p: string): string } };
      return {
        thead: g.getComputedStyle(g.document.querySelector('thead')!).display,
        row: g.getComputedStyle(g.document.querySelector('tbody tr')!).breakInside,
        colours: g.getComputedStyle(g.document.body).getPropertyValue('print-color-adjust'),
      };
    });
    expect(styles).toEqual({ thead: 'table-header-group', row: 'avoid', colours: 'exact' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThan(200);
  });
});

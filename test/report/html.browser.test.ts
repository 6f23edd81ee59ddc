import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Results } from '../../src/core/types';
import { renderHtml } from '../../src/report/html';
import { cli, tempDir } from '../helpers';
import { demoResults, demoSnapshot, WAIVER } from './fixtures';
import type { SuppressionEntry } from '../../src/suppress/suppressions';

/**
 * The HTML report in a real headless browser (Debian's chromium, installed by .ci/run):
 * it loads offline without console errors, its numbers equal the JSON results, and its filters
 * and sorting work.
 */

const CHROMIUM = process.env.TRUSTSCAN_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/**
 * Suppressions of every kind the register shows, dated from the demo's scan time: the waiver of
 * one finding, an entry muting every failure of a rule, one expiring within 30 days, one that
 * matches nothing, one expired.
 */
const SCAN_DAY = Date.parse(`${demoSnapshot().metadata.startedAt.slice(0, 10)}T00:00:00Z`);
const day = (offset: number): string => new Date(SCAN_DAY + offset * 86_400_000).toISOString().slice(0, 10);
/** A rule failing on several resources, so that one entry mutes several findings. */
const SEVERAL = (() => {
  const fails = new Map<string, number>();
  for (const f of demoResults().findings) if (f.status === 'FAIL' && f.ruleId !== WAIVER.rule) fails.set(f.ruleId, (fails.get(f.ruleId) ?? 0) + 1);
  return [...fails].find(([, n]) => n > 1)![0];
})();
/** Text from a configuration file is the user's: it must show as text, never as markup. */
const HOSTILE = 'Decommissioned </script><img src=x onerror="window.pwned=1"> & <b>bucket</b>';
const ENTRIES: SuppressionEntry[] = [
  WAIVER,
  { rule: SEVERAL, reason: 'Break-glass users hold hardware keys in the safe', expires: day(12), owner: 'iam-team', ticket: 'CHG-7', source: 'trustscan.yaml:9' },
  { resource: 'arn:aws:s3:::no-such-bucket', reason: HOSTILE, expires: day(400), source: 'trustscan.yaml:15' },
  { rule: 'aws-cloudtrail-*', reason: 'Trail migration', expires: day(-3), owner: 'sec-ops', ticket: 'SEC-9', source: 'trustscan.yaml:20' },
];
const results: Results = demoResults(ENTRIES);
let browser: Browser;
let page: Page;
const errors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set TRUSTSCAN_CHROMIUM`);
  const file = join(tempDir(), 'report.html');
  writeFileSync(file, renderHtml(results));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
}, 60000);

afterAll(async () => {
  await browser?.close();
});

const text = (sel: string): Promise<string> => page.locator(sel).first().innerText();
const num = async (sel: string): Promise<number> => Number((await text(sel)).trim());
const rows = (): Promise<number> => page.locator('#findings-body tr.finding').count();
const shownStatuses = (): Promise<string[]> => page.$$eval('#findings-body tr.finding', (trs) => trs.map((tr) => tr.getAttribute('data-status') ?? ''));
const resetFilters = (): Promise<void> => page.click('#reset');

describe('HTML report in chromium', () => {
  it('loads offline with no console errors and no network requests', async () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  });

  it('draws its charts as inline SVG from the counts, without a charting library', async () => {
    expect(await page.evaluate(() => typeof (globalThis as unknown as { Chart?: unknown }).Chart)).toBe('undefined');
    for (const id of ['chart-status', 'chart-severity', 'chart-accounts']) expect(await page.locator(`#${id} svg`).count()).toBe(1);
    const titles = await page.$$eval('#chart-status svg rect title', (ts) => ts.map((t) => t.textContent));
    for (const s of ['FAIL', 'UNKNOWN', 'PASS'] as const) expect(titles).toContain(`${s}: ${results.summary.byStatus[s]} findings`);
    const sev = await page.$$eval('#chart-severity svg rect title', (ts) => ts.map((t) => t.textContent));
    expect(sev).toContain(`high: ${results.summary.failBySeverity.high} failing`);
  });

  it('collapses the MANUAL criteria by default; one click shows them', async () => {
    const manual = results.frameworks.soc2.controls.filter((c) => c.status === 'MANUAL');
    expect(manual.length).toBeGreaterThan(0);
    const visible = (): Promise<number> => page.locator('#controls-body tr:visible').count();
    expect(await visible()).toBe(results.frameworks.soc2.controls.length - manual.length);
    expect(await text('[data-testid="toggle-manual"]')).toBe(`Show the ${manual.length} MANUAL criteria`);
    await page.click('[data-testid="toggle-manual"]');
    expect(await visible()).toBe(results.frameworks.soc2.controls.length);
    expect(await text('[data-testid="toggle-manual"]')).toBe(`Hide the ${manual.length} MANUAL criteria`);
  });

  it('shows the same counts as the JSON results', async () => {
    for (const s of ['FAIL', 'UNKNOWN', 'PASS', 'MUTED'] as const) expect(await num(`[data-testid="count-${s}"]`)).toBe(results.summary.byStatus[s]);
    for (const s of ['FAIL', 'UNKNOWN', 'PASS', 'MANUAL'] as const) expect(await num(`[data-testid="controls-${s}"]`)).toBe(results.frameworks.soc2.summary[s]);
    expect(await text('[data-testid="completeness"]')).toMatch(results.scan.complete ? /complete/ : /INCOMPLETE/);
    expect(await page.locator('#gaps-body tr').count()).toBe(results.scan.gaps.length);
  });

  it('has a per-account summary equal to the findings per account', async () => {
    const accounts = [...new Set(results.findings.map((f) => f.resource.account))].sort();
    expect(await page.locator('#accounts-body tr').count()).toBe(accounts.length);
    for (const a of accounts) {
      const mine = results.findings.filter((f) => f.resource.account === a);
      for (const s of ['FAIL', 'UNKNOWN', 'PASS', 'MUTED'] as const) {
        expect(await num(`#accounts-body tr[data-account="${a}"] td[data-col="${s}"]`)).toBe(mine.filter((f) => f.status === s).length);
      }
    }
  });

  it('has the SOC 2 matrix with every criterion, its status, counts and exceptions', async () => {
    expect(await page.locator('#controls-body tr').count()).toBe(61);
    for (const c of results.frameworks.soc2.controls) {
      const row = `#controls-body tr[data-criterion="${c.id}"]`;
      expect(await text(`${row} td[data-col="status"]`)).toBe(c.status);
      for (const s of ['PASS', 'FAIL', 'UNKNOWN', 'MUTED'] as const) expect(await num(`${row} td[data-col="${s}"]`)).toBe(c.counts[s]);
    }
    const withException = results.frameworks.soc2.controls.find((c) => c.exceptions.length)!;
    expect(await text(`#controls-body tr[data-criterion="${withException.id}"]`)).toContain(withException.exceptions[0].reason);
  });

  it('filters findings by status, severity, account, service and criterion', async () => {
    await resetFilters();
    expect(await num('#match-count')).toBe(results.findings.length);
    await page.selectOption('#f-status', 'UNKNOWN');
    expect(await num('#match-count')).toBe(results.summary.byStatus.UNKNOWN);
    expect(new Set(await shownStatuses())).toEqual(new Set(['UNKNOWN']));
    await resetFilters();
    await page.selectOption('#f-severity', 'critical');
    expect(await num('#match-count')).toBe(results.findings.filter((f) => f.severity === 'critical').length);
    await page.selectOption('#f-status', 'FAIL');
    expect(await num('#match-count')).toBe(results.findings.filter((f) => f.severity === 'critical' && f.status === 'FAIL').length);
    await resetFilters();
    await page.selectOption('#f-account', '333333333333');
    expect(await num('#match-count')).toBe(results.findings.filter((f) => f.resource.account === '333333333333').length);
    await resetFilters();
    await page.selectOption('#f-service', 's3');
    expect(await num('#match-count')).toBe(results.findings.filter((f) => f.resource.type.split('.')[1] === 's3').length);
    await resetFilters();
    await page.fill('#f-text', 'acme-prod-backups');
    const text = results.findings.filter((f) => `${f.ruleId} ${f.title} ${f.resource.id} ${f.resource.name ?? ''} ${f.message}`.toLowerCase().includes('acme-prod-backups')).length;
    expect(text).toBeGreaterThan(0);
    expect(await num('#match-count')).toBe(text);
    await resetFilters();
    await page.selectOption('#f-criterion', 'CC7.2');
    const cc72 = results.findings.filter((f) => f.soc2.includes('CC7.2')).length;
    expect(cc72).toBeGreaterThan(0);
    expect(await num('#match-count')).toBe(cc72);
    expect(await rows()).toBe(Math.min(cc72, 200));
  });

  it('sorts by a column and filters by clicking a criterion', async () => {
    await resetFilters();
    await page.click('th[data-sort="severity"]');
    const severities = await page.$$eval('#findings-body tr.finding td:nth-child(2)', (tds) => tds.map((td) => td.textContent ?? ''));
    const rank = (s: string): number => ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);
    expect(severities.map(rank)).toEqual([...severities.map(rank)].sort((a, b) => a - b));
    await page.click('th[data-sort="severity"]');
    const reversed = await page.$$eval('#findings-body tr.finding td:nth-child(2)', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(reversed.map(rank)).toEqual([...reversed.map(rank)].sort((a, b) => b - a));
    expect(rank(reversed[0])).toBe(Math.max(...results.findings.map((f) => rank(f.severity))));
    const failing = results.frameworks.soc2.controls.find((c) => c.status === 'FAIL')!;
    await page.click(`#controls-body a[data-criterion="${failing.id}"]`);
    expect(await num('#match-count')).toBe(results.findings.filter((f) => f.soc2.includes(failing.id)).length);
    expect(errors).toEqual([]);
  });

  it('switches the matrix, the cards and the criterion filter to another framework', async () => {
    await resetFilters();
    const cis = results.frameworks['cis-aws-foundations-v3.0.0'];
    expect(cis).toBeDefined();
    await page.selectOption('#f-framework', cis.framework.id);
    expect(await page.locator('#controls-body tr').count()).toBe(cis.controls.length);
    for (const s of ['FAIL', 'UNKNOWN', 'PASS', 'MANUAL'] as const) expect(await num(`[data-testid="controls-${s}"]`)).toBe(cis.summary[s]);
    const failing = cis.controls.find((c) => c.status === 'FAIL')!;
    await page.click(`#controls-body a[data-criterion="${failing.id}"]`);
    expect(await num('#match-count')).toBe(results.findings.filter((f) => f.frameworks?.[cis.framework.id]?.includes(failing.id)).length);
    await page.selectOption('#f-framework', 'soc2');
    expect(await page.locator('#controls-body tr').count()).toBe(results.frameworks.soc2.controls.length);
    expect(errors).toEqual([]);
  });

  it('opens the detail of a finding with its remediation, missing data and evidence (kept as JSON until opened)', async () => {
    await resetFilters();
    await page.selectOption('#f-status', 'UNKNOWN');
    const row = page.locator('#findings-body tr.finding').first();
    const fp = await row.getAttribute('data-fingerprint');
    const f = results.findings.find((x) => x.fingerprint === fp)!;
    await row.click();
    const detail = page.locator('#findings-body tr.detail').first();
    expect(await detail.locator('div').nth(1).innerText()).toBe(`Remediation: ${f.remediation}`);
    expect(await detail.innerText()).toContain(`Missing: ${f.unknownReasons!.join('; ')}`);
    expect(JSON.parse(await detail.locator('pre').innerText())).toEqual(f.evidence);
    await row.click();
    expect(await page.locator('#findings-body tr.detail').count()).toBe(0);
  });

  it('offers every framework roll-up of the results and switches the criteria column without reloading', async () => {
    await resetFilters();
    const options = await page.$$eval('#f-framework option', (os) => os.map((o) => o.getAttribute('value') ?? ''));
    expect(options.sort()).toEqual(Object.keys(results.frameworks).sort());
    await page.evaluate(() => ((globalThis as unknown as { stillHere: boolean }).stillHere = true));
    for (const id of Object.keys(results.frameworks)) {
      await page.selectOption('#f-framework', id);
      const rollup = results.frameworks[id];
      expect(await page.locator('#controls-body tr').count()).toBe(rollup.controls.length);
      expect(await text('#framework-title')).toBe(`${rollup.framework.title} (${rollup.framework.version})`);
      // The criteria column shows this framework's ids for the finding on the first row.
      const fp = await page.locator('#findings-body tr.finding').first().getAttribute('data-fingerprint');
      const f = results.findings.find((x) => x.fingerprint === fp)!;
      const expected = (id === 'soc2' ? f.soc2 : (f.frameworks?.[id] ?? [])).join(' ');
      expect(await page.locator('#findings-body tr.finding').first().locator('td').nth(7).innerText()).toBe(expected);
    }
    expect(await page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await page.selectOption('#f-framework', 'soc2');
  });

  it('shows where the evidence comes from: run, snapshot hash, identity, tool, rule pack, scan time and scope', async () => {
    const fact = (k: string): Promise<string> => text(`#provenance-body tr[data-fact="${k}"] td`);
    const scan = results.scan;
    expect(await fact('run-id')).toBe(scan.runId);
    expect(await fact('snapshot-sha256')).toBe(scan.snapshot.sha256);
    expect(scan.snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await fact('identity')).toBe(scan.snapshot.collectedBy!.map((i) => `${i.provider}: ${i.principal} (${i.via})`).join('; '));
    expect(await fact('identity')).toContain('arn:aws:sts::111111111111:assumed-role/');
    expect(await fact('tool')).toContain(`${scan.tool.name} ${scan.tool.version}`);
    expect(await fact('rule-pack')).toMatch(new RegExp(`^${scan.rules.count} rules, pack version ${scan.rules.packVersion} \\(`));
    expect(await fact('scan-time')).toBe(scan.scanTime);
    expect(await fact('providers')).toBe(scan.snapshot.providers.join(', '));
    expect(await page.locator('#scope-body tr').count()).toBe(scan.accounts.length);
    expect(scan.accounts.some((a) => !a.complete)).toBe(true);
    for (const a of scan.accounts) {
      expect(await text(`#scope-body tr[data-account="${a.account}"] td[data-col="complete"]`)).toBe(a.complete ? 'complete' : 'INCOMPLETE');
    }
  });

  it('has a register of exceptions: owner, reason, approval, expiry, days left, findings muted; expired ones flagged', async () => {
    const sup = results.scan.suppressions!;
    expect(sup.active).toHaveLength(3);
    const rows = await page.$$eval('#register-body tr', (trs) =>
      trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.getAttribute('data-col'), td.textContent ?? '']))),
    );
    expect(rows).toHaveLength(ENTRIES.length);
    const bySource = (src: string): Record<string, string> => rows.find((r) => r.source === src)!;
    const muted = (src: string): number => results.findings.filter((f) => f.suppression?.source === src).length;
    const waiver = bySource(WAIVER.source);
    expect(waiver).toMatchObject({ owner: 'platform-team', reason: WAIVER.reason, approval: 'SEC-42', expires: '2099-12-31', state: 'IN FORCE', muted: String(muted(WAIVER.source)) });
    expect(Number(waiver['days-left'])).toBe(Math.round((Date.parse('2099-12-31T00:00:00Z') - SCAN_DAY) / 86_400_000));
    const mfa = bySource('trustscan.yaml:9');
    expect(muted('trustscan.yaml:9')).toBeGreaterThan(1);
    expect(mfa).toMatchObject({ owner: 'iam-team', approval: 'CHG-7', 'days-left': '12', muted: String(muted('trustscan.yaml:9')) });
    expect(mfa.state).toMatch(/^EXPIRES SOON/);
    expect(bySource('trustscan.yaml:15')).toMatchObject({ owner: 'no owner', reason: HOSTILE, approval: 'none recorded', muted: '0', 'days-left': '400' });
    expect(await page.locator('#register-body img, #register-body b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(bySource('trustscan.yaml:15').state).toMatch(/MATCHED NOTHING/);
    expect(bySource('trustscan.yaml:20')).toMatchObject({ state: 'EXPIRED', 'days-left': '-3', muted: '0', owner: 'sec-ops' });
    // Expired entries come first.
    expect(rows[0].source).toBe('trustscan.yaml:20');
  });
});

describe('HTML report of results written before the register field', () => {
  it('builds the same register from the muted findings and the unused entries', async () => {
    const old: Results = structuredClone(results);
    delete old.scan.suppressions!.active;
    delete old.scan.snapshot.collectedBy;
    const file = join(tempDir(), 'old.html');
    writeFileSync(file, renderHtml(old));
    const p = await browser.newPage();
    try {
      await p.goto(pathToFileURL(file).href);
      await p.waitForSelector('body[data-ready="true"]');
      // Every column but the entry's match criteria, which muted findings do not carry.
      const read = (pg: Page): Promise<string[]> =>
        pg.$$eval('#register-body tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td[data-col]')].map((td) => td.textContent ?? '').join('|')).sort());
      expect(await read(p)).toEqual(await read(page));
      // A snapshot that does not name who collected it: the page says so instead of guessing.
      expect(await p.locator('#provenance-body tr[data-fact="identity"] td').innerText()).toMatch(/^not recorded in the snapshot/);
    } finally {
      await p.close();
    }
  });
});

describe('HTML report of a scan of three clouds', () => {
  it('filters the findings by provider', async () => {
    const dir = tempDir();
    const json = join(dir, 'results.json');
    const run = await cli(['evaluate', 'fixtures/demo/', '--format', `json=${json}`]);
    expect([0, 1]).toContain(run.code);
    const all = JSON.parse(readFileSync(json, 'utf8')) as Results;
    const file = join(dir, 'clouds.html');
    writeFileSync(file, renderHtml(all));
    const p = await browser.newPage();
    try {
      await p.goto(pathToFileURL(file).href);
      await p.waitForSelector('body[data-ready="true"]');
      const options = await p.$$eval('#f-provider option', (os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
      expect(options).toEqual(['aws', 'azure', 'gcp']);
      await p.click('#reset'); // the report opens on the failing findings
      for (const provider of options) {
        await p.selectOption('#f-provider', provider);
        const expected = all.findings.filter((f) => f.resource.provider === provider).length;
        expect(expected).toBeGreaterThan(0);
        expect(Number((await p.locator('#match-count').innerText()).trim())).toBe(expected);
      }
      await p.click('#reset');
      expect(Number((await p.locator('#match-count').innerText()).trim())).toBe(all.findings.length);
    } finally {
      await p.close();
    }
  });
});

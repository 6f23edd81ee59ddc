import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createAjv } from '../../src/core/ajv';
import { sha256 } from '../../src/core/hash';
import type { EvidencePack } from '../../src/evidence/model';
import { guidanceSampleSize } from '../../src/evidence/sample';
import { evidenceSchema } from '../../src/evidence/schema';
import type { Manifest } from '../../src/evidence/write';
import { cli, tempDir } from '../helpers';
import { type PgServer, startPostgres } from '../store/postgres';
import { PUBLIC_ASSETS, recordPeriod } from './fixtures';

/**
 * The evidence pack an auditor receives, end to end through the CLI: what it says about the
 * period (gaps never carried over, a partly scanned day never PASS, failures found and fixed,
 * accepted risks, rule changes, population and a reproducible sample), in JSON that follows its
 * published schema and in CSV, and `evidence verify` catching every kind of after-the-fact edit.
 */

let dir: string;
let store: string;
let pack: EvidencePack;
const packDir = (): string => join(dir, 'pack');

beforeAll(async () => {
  dir = tempDir();
  store = join(dir, 'h.db');
  await recordPeriod({ kind: 'sqlite', file: store });
  const r = await cli(['evidence', '--history', store, '--no-config', '--from', '2026-03-01', '--to', '2026-03-10', '--output-dir', packDir(), '--seed', 'audit-2026']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  pack = JSON.parse(readFileSync(join(packDir(), 'evidence.json'), 'utf8')) as EvidencePack;
}, 120_000);

const soc2 = (id: string) => pack.criteria.find((c) => c.framework === 'soc2' && c.id === id)!;

describe('evidence pack content', () => {
  it('follows its published JSON Schema', () => {
    const validate = createAjv({ allErrors: true }).compile(evidenceSchema);
    expect(validate(pack) ? [] : validate.errors).toEqual([]);
  });

  it('logs every run of the period with scope, completeness and chain hash', () => {
    expect(pack.runs.map((r) => r.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(pack.runs.every((r) => /^[0-9a-f]{64}$/.test(r.chainHash) && r.complete === false)).toBe(true);
    expect(pack.runs[0].gaps.length).toBeGreaterThan(0);
    expect(pack.scope.accounts).toEqual(['aws:111111111111', 'aws:222222222222', 'aws:333333333333']);
  });

  it('shows a day without a run as a GAP, never carried over, and a partly scanned day never as PASS', () => {
    expect(pack.gaps).toEqual([
      { day: '2026-03-05', kind: 'no-run', missing: ['aws:111111111111', 'aws:222222222222', 'aws:333333333333'] },
      { day: '2026-03-07', kind: 'partial', missing: ['aws:111111111111', 'aws:333333333333'] },
    ]);
    for (const c of pack.criteria) {
      expect(c.timeline.find((t) => t.day === '2026-03-05')!.status).toBe('GAP');
      expect(c.timeline.find((t) => t.day === '2026-03-07')!.status).not.toBe('PASS');
      expect(c.days.GAP).toBe(1);
    }
    // A criterion that passes on complete days: check one that does, then its partial day.
    const passing = pack.criteria.find((c) => c.timeline.some((t) => t.status === 'PASS'));
    if (passing) expect(passing.timeline.find((t) => t.day === '2026-03-07')!.missing).toEqual(['aws:111111111111', 'aws:333333333333']);
  });

  it('lists each failure with when it was found and when it was seen fixed', () => {
    const backups = pack.failures.filter((f) => f.ruleId === 'aws-s3-bucket-versioning' && f.resourceId === 'arn:aws:s3:::acme-prod-backups');
    expect(backups.map((f) => [f.found.slice(0, 10), f.ended?.slice(0, 10), f.resolution])).toEqual([
      ['2026-03-01', '2026-03-04', 'fixed'],
      ['2026-03-08', undefined, 'open'],
    ]);
    expect(backups[0].criteria.length).toBeGreaterThan(0);
  });

  it('lists the accepted risk with owner, approval and expiry, and that it expired while still failing', () => {
    expect(pack.acceptedRisks).toHaveLength(1);
    expect(pack.acceptedRisks[0]).toMatchObject({
      reason: 'Static assets are rebuilt from the repository on every deploy',
      owner: 'web-team',
      approval: 'RISK-7',
      expires: '2026-03-03',
      findings: 1,
      expiredWhileFailing: true,
      rules: ['aws-s3-bucket-versioning'],
    });
    const f = pack.failures.find((x) => x.resourceId === PUBLIC_ASSETS && x.ruleId === 'aws-s3-bucket-versioning')!;
    expect(f.muted).toBe(true);
  });

  it('says which rule versions were in force when', () => {
    expect(pack.ruleChanges).toEqual([{ ruleId: 'aws-s3-bucket-versioning', change: 'changed', day: '2026-03-06', fromVersion: expect.any(String), toVersion: 'v2-changed' }]);
    const versions = pack.rules.filter((r) => r.ruleId === 'aws-s3-bucket-versioning');
    expect(versions.map((v) => [v.from, v.to])).toEqual([
      ['2026-03-01', '2026-03-04'],
      ['2026-03-06', '2026-03-10'],
    ]);
  });

  it('gives each criterion its population, the listing calls behind it, and a sample sized by the guidance', () => {
    const c = soc2('CC6.1');
    expect(c.population.size).toBeGreaterThan(20);
    expect(c.population.listings.length).toBeGreaterThan(0);
    expect(c.sample.size).toBe(guidanceSampleSize(c.population.size));
    const pop = pack.populations.find((p) => p.criterion === 'CC6.1')!.items;
    const keys = new Set(pop.map((i) => i.key));
    expect(c.sample.items.every((i) => keys.has(i.key))).toBe(true);
    // The rank is SHA-256 of seed:framework:criterion:key, checkable with any tool.
    for (const i of c.sample.items) expect(i.rank).toBe(sha256(`audit-2026:soc2:CC6.1:${i.key}`));
    const manual = pack.criteria.find((x) => x.rules.length === 0)!;
    expect(manual.manualNote).toBeTruthy();
    expect(manual.population.size).toBe(0);
  });

  it('sizes samples as the guidance says: all below 5, 5 up to 50, 10% up to 250, 25 above', () => {
    expect([0, 4, 5, 50, 51, 100, 250, 251, 20000].map(guidanceSampleSize)).toEqual([0, 4, 5, 5, 6, 10, 25, 25, 25]);
  });

  it('draws the same sample from the same seed, another from another seed, and N when asked', async () => {
    const again = join(dir, 'again');
    expect((await cli(['evidence', '--history', store, '--no-config', '--from', '2026-03-01', '--to', '2026-03-10', '--output-dir', again, '--seed', 'audit-2026'])).code).toBe(0);
    const other = join(dir, 'other');
    expect((await cli(['evidence', '--history', store, '--no-config', '--from', '2026-03-01', '--to', '2026-03-10', '--output-dir', other, '--seed', 'another', '--sample', '3'])).code).toBe(0);
    const keys = (d: string): string[] => (JSON.parse(readFileSync(join(d, 'evidence.json'), 'utf8')) as EvidencePack).criteria.find((c) => c.id === 'CC6.1')!.sample.items.map((i) => i.key);
    expect(keys(again)).toEqual(keys(packDir()));
    expect(keys(other)).toHaveLength(3);
    expect(keys(other)).not.toEqual(keys(packDir()).slice(0, 3));
  });

  it('writes a CSV per table, formula-safe', () => {
    const rows = (f: string): Record<string, string>[] => parse(readFileSync(join(packDir(), 'csv', f), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows('runs.csv')).toHaveLength(9);
    expect(rows('timeline.csv').filter((r) => r.criterion === 'CC6.1')).toHaveLength(10);
    expect(rows('gaps.csv').map((r) => r.day)).toEqual(['2026-03-05', '2026-03-07']);
    expect(rows('failures.csv').length).toBe(pack.failures.length);
    expect(rows('accepted-risks.csv')[0].approval).toBe('RISK-7');
    expect(rows('sample.csv').filter((r) => r.criterion === 'CC6.1')).toHaveLength(soc2('CC6.1').sample.size);
    expect(rows('population.csv').filter((r) => r.criterion === 'CC6.1')).toHaveLength(soc2('CC6.1').population.size);
  });

  it('refuses a period without its dates and an output folder in use', async () => {
    const r = await cli(['evidence', '--history', store, '--no-config', '--from', '2026-03-01', '--output-dir', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to is required/);
    const used = await cli(['evidence', '--history', store, '--no-config', '--from', '2026-03-01', '--to', '2026-03-02', '--output-dir', packDir()]);
    expect(used.code).toBe(2);
    expect(used.stderr).toMatch(/not empty/);
  });
});

describe('evidence verify', () => {
  const copy = (name: string): string => {
    const to = join(dir, name);
    cpSync(packDir(), to, { recursive: true });
    return to;
  };
  /** Edits a file and updates the manifest as a forger would (an unsigned pack cannot tell). */
  const forge = (d: string, file: string, edit: (s: string) => string): void => {
    const p = join(d, file);
    writeFileSync(p, edit(readFileSync(p, 'utf8')));
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as Manifest;
    const e = m.files.find((f) => f.path === file)!;
    const buf = readFileSync(p);
    e.sha256 = createHash('sha256').update(buf).digest('hex');
    e.bytes = buf.length;
    writeFileSync(join(d, 'manifest.json'), `${JSON.stringify(m, null, 1)}\n`);
  };

  it('accepts the pack as written', async () => {
    const r = await cli(['evidence', 'verify', packDir()]);
    expect(r.stdout).toMatch(/^OK: 20 file\(s\) match the manifest \(not signed\); 9 chained run\(s\)/);
    expect(r.code).toBe(0);
  });

  it('catches a file changed after the pack was written', async () => {
    const d = copy('edited');
    writeFileSync(join(d, 'csv/failures.csv'), readFileSync(join(d, 'csv/failures.csv'), 'utf8').split('\n').slice(0, 2).join('\n'));
    const r = await cli(['evidence', 'verify', d]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/csv\/failures\.csv: content differs from the manifest/);
  });

  it('catches a forged finding even when the manifest is rewritten to match', async () => {
    const d = copy('forged-finding');
    forge(d, 'chain/findings.ndjson', (s) => s.replace('"status":"FAIL"', '"status":"PASS"'));
    const r = await cli(['evidence', 'verify', d]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/recorded state does not match its hash/);
  });

  it('catches a night taken out of the pack', async () => {
    const d = copy('dropped-night');
    forge(d, 'chain/data-runs.json', (s) => JSON.stringify((JSON.parse(s) as number[]).filter((n) => n !== 4)));
    const r = await cli(['evidence', 'verify', d]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run 4 .*belongs to the period and scope but its data is not in the pack/);
  });

  it('catches a timeline that does not follow from the recorded roll-ups', async () => {
    const d = copy('forged-timeline');
    forge(d, 'evidence.json', (s) => {
      // Turn the first GAP day of the first criterion into PASS, whatever the JSON's layout.
      const doc = JSON.parse(s) as EvidencePack;
      const day = doc.criteria.flatMap((c) => c.timeline).find((t) => t.status === 'GAP');
      expect(day).toBeDefined();
      day!.status = 'PASS';
      return JSON.stringify(doc);
    });
    const r = await cli(['evidence', 'verify', d]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the timeline does not follow from the recorded roll-ups/);
  });

  it('signs with the user key; checks the key; a re-signed forgery fails against the auditor\'s key', async () => {
    expect((await cli(['evidence', 'keygen', '--out', join(dir, 'key.pem')])).code).toBe(0);
    expect((await cli(['evidence', 'keygen', '--out', join(dir, 'other.pem')])).code).toBe(0);
    const signed = join(dir, 'signed');
    expect((await cli(['evidence', '--history', store, '--no-config', '--from', '2026-03-01', '--to', '2026-03-10', '--output-dir', signed, '--sign-key', join(dir, 'key.pem')])).code).toBe(0);
    let r = await cli(['evidence', 'verify', signed, '--public-key', join(dir, 'key.pub.pem')]);
    expect(r.stdout).toMatch(/^OK: .*signed by key [0-9a-f]{16}/);
    r = await cli(['evidence', 'verify', signed, '--public-key', join(dir, 'other.pub.pem')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signed by another key/);
    const unsigned = await cli(['evidence', 'verify', packDir(), '--public-key', join(dir, 'key.pub.pem')]);
    expect(unsigned.stdout).toMatch(/not signed/);
    const manifest = readFileSync(join(signed, 'manifest.json'), 'utf8');
    writeFileSync(join(signed, 'manifest.json'), manifest.replace('"days": 10', '"days": 11'));
    r = await cli(['evidence', 'verify', signed]);
    expect(r.stdout).toMatch(/signature does not verify/);
  });

  it('checks an anchor: the head of an earlier pack must be in the chain', async () => {
    expect((await cli(['evidence', 'verify', packDir(), '--anchor', pack.runs[2].chainHash])).code).toBe(0);
    const r = await cli(['evidence', 'verify', packDir(), '--anchor', 'a'.repeat(64)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/does not pass through the anchor/);
  });
});

describe('evidence pack from PostgreSQL', () => {
  let pg: PgServer | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('is the same pack as from SQLite', async () => {
    if (!pg) return;
    const url = pg.freshUrl();
    await recordPeriod({ kind: 'postgres', url });
    const out = join(dir, 'from-pg');
    const r = await cli(['evidence', '--history', url, '--no-config', '--from', '2026-03-01', '--to', '2026-03-10', '--output-dir', out, '--seed', 'audit-2026']);
    expect(r.code).toBe(0);
    const p = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as EvidencePack;
    const strip = (x: EvidencePack) => ({ ...x, generatedAt: '', runs: x.runs.map((r) => ({ ...r, runId: '', recordedAt: '', evaluatedAt: '', chainHash: '' })), chain: null });
    expect(strip(p).criteria).toEqual(strip(pack).criteria);
    expect(strip(p).failures).toEqual(strip(pack).failures);
    expect(strip(p).acceptedRisks).toEqual(strip(pack).acceptedRisks);
    expect((await cli(['evidence', 'verify', out])).code).toBe(0);
  }, 60_000);
});

describe('history findings over the period', () => {
  it('lists open and fixed failures, the waiver and the time to fix', async () => {
    const open = await cli(['history', 'findings', '--open', '--format', 'json', '--history', store, '--no-config']);
    expect(open.code).toBe(0);
    const o = JSON.parse(open.stdout) as { findings: { ruleId: string; resourceId: string; failures: { resolution: string }[]; suppressions: { owner?: string; expiredWhileFailing: boolean }[] }[]; timeToFix: { severity: string; fixed: number }[] };
    const assets = o.findings.find((f) => f.ruleId === 'aws-s3-bucket-versioning' && f.resourceId === PUBLIC_ASSETS)!;
    expect(assets.suppressions).toEqual([expect.objectContaining({ owner: 'web-team', expiredWhileFailing: true })]);
    const fixed = await cli(['history', 'findings', '--fixed', '--history', store, '--no-config']);
    expect(fixed.stdout).toMatch(/aws-s3-bucket-versioning[\s\S]*acme-prod-backups/);
    expect(fixed.stdout).toMatch(/Time to fix/);
    expect(o.timeToFix.reduce((n, t) => n + t.fixed, 0)).toBeGreaterThan(0);
    const table = await cli(['history', 'findings', '--open', '--history', store, '--no-config']);
    expect(table.stdout).toMatch(/web-team until 2026-03-03/);
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryStore } from '../../src/store/store';
import type { HistoryTarget } from '../../src/store/target';
import { verifyStore } from '../../src/store/verify';
import { cli, DEMO, ROOT, tempDir, writeTemp, spawnCliAsync } from '../helpers';
import { type PgServer, startPostgres } from './postgres';

/**
 * Recording through the CLI, as a nightly job does: --history and trustscan.yaml, two scans
 * recording at once, a crash in the middle of a write, and a store that cannot take the run
 * (read-only, full) — which must fail with exit 2 only after the scan's own outputs are written.
 */

let pg: PgServer | undefined;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

const runCli = (args: string[], opts: { env?: NodeJS.ProcessEnv; prefix?: string[] } = {}) => spawnCliAsync(args, opts);

async function runsIn(target: HistoryTarget): Promise<number> {
  const s = await HistoryStore.open(target);
  try {
    return (await s.runs()).length;
  } finally {
    await s.close();
  }
}

describe('recording runs from the CLI', () => {
  it('records with --history FILE, with trustscan.yaml, and not with --no-history', async () => {
    const dir = tempDir();
    const file = join(dir, 'h.db');
    let r = await cli(['evaluate', DEMO, '--format', 'json=' + join(dir, 'a.json'), '--history', file, '--no-config']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const cfg = writeTemp(dir, 'trustscan.yaml', 'history: store/h2.db\n');
    r = await cli(['evaluate', DEMO, '--format', 'markdown=' + join(dir, 'b.md'), '--config', cfg]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'store', 'h2.db'))).toBe(true);
    expect((await cli(['evaluate', DEMO, '--format', 'markdown=' + join(dir, 'c.md'), '--config', cfg, '--no-history'])).code).toBe(0);
    expect(await runsIn({ kind: 'sqlite', file: join(dir, 'store', 'h2.db') })).toBe(1);
    const list = await cli(['history', 'list', '--history', file, '--format', 'json', '--no-config']);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as { day: string; findings: number }[];
    expect(runs).toHaveLength(1);
    expect(runs[0].day).toBe('2026-11-25');
    const show = await cli(['history', 'show', '1', '--history', file, '--no-config']);
    expect(show.stdout).toMatch(/evidence gathered {2}2026-11-25T02:00:00.000Z/);
    expect(show.stdout).toMatch(/INCOMPLETE/);
    const verify = await cli(['history', 'verify', '--history', file, '--no-config']);
    expect(verify.stdout).toMatch(/^OK: 1 run\(s\) verified/);
  });

  it('streams ndjson and still records every finding', async () => {
    const dir = tempDir();
    const file = join(dir, 'h.db');
    const r = await cli(['evaluate', DEMO, '--format', 'ndjson', '--history', file, '--no-config']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').length;
    const s = await HistoryStore.open({ kind: 'sqlite', file });
    expect((await s.runs())[0].findings).toBe(lines);
    await s.close();
  });

  it('refuses a --history value that is an input file before doing any work', async () => {
    const dir = tempDir();
    const plan = writeTemp(dir, 'plan.json', '{}');
    const r = await cli(['evaluate', DEMO, '--history', plan, '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a trustscan history store.*--history=FILE/);
  });

  const targets: [string, () => HistoryTarget | undefined][] = [
    ['sqlite', () => ({ kind: 'sqlite', file: join(tempDir(), 'h.db') })],
    ['postgres', () => (pg ? { kind: 'postgres', url: pg.freshUrl() } : undefined)],
  ];

  describe.each(targets)('on %s', (_name, make) => {
    it('lands two runs recorded at the same moment, both in the chain', async () => {
      const target = make();
      if (!target) return;
      const value = target.kind === 'sqlite' ? target.file : target.url;
      const dir = tempDir();
      // Four at once: they queue on the store's lock, none is lost.
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => runCli(['evaluate', DEMO, '--format', `json=${join(dir, `${i}.json`)}`, '--history', value, '--no-config'])),
      );
      for (const r of results) expect([r.code, r.stderr.match(/"level":50.*/)?.[0] ?? '']).toEqual([0, '']);
      const s = await HistoryStore.open(target);
      expect((await s.runs()).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect((await verifyStore(s)).ok).toBe(true);
      await s.close();
    }, 60_000);

    it('a recorder killed in the middle of its transaction leaves the store as it was', async () => {
      const target = make();
      if (!target) return;
      const value = target.kind === 'sqlite' ? target.file : target.url;
      expect((await runCli(['evaluate', DEMO, '--format', `markdown=${join(tempDir(), 'a.md')}`, '--history', value, '--no-config'])).code).toBe(0);
      // A child that records the demo again and SIGKILLs itself after the spans are written.
      const script = `
        const store = require(${JSON.stringify(join(ROOT, 'dist/store/store.js'))});
        const orig = store.HistoryStore.prototype.record;
        store.HistoryStore.prototype.record = function (run, now) {
          const db = this.db; const insert = db.insertMany.bind(db); let n = 0;
          db.insertMany = async (...a) => { await insert(...a); if (++n === 2) process.kill(process.pid, 'SIGKILL'); };
          return orig.call(this, run, now);
        };
        require(${JSON.stringify(join(ROOT, 'dist/cli/main.js'))}).run(process.argv.slice(1));`;
      const child = spawnSync(process.execPath, ['-e', script, 'evaluate', DEMO, '--format', `markdown=${join(tempDir(), 'b.md')}`, '--history', value, '--no-config'], { cwd: ROOT, encoding: 'utf8' });
      expect(child.signal).toBe('SIGKILL');
      const s = await HistoryStore.open(target);
      expect((await s.runs()).map((r) => r.seq)).toEqual([1]);
      expect((await verifyStore(s)).ok).toBe(true);
      await s.close();
      expect((await runCli(['evaluate', DEMO, '--format', `markdown=${join(tempDir(), 'c.md')}`, '--history', value, '--no-config'])).code).toBe(0);
      expect(await runsIn(target)).toBe(2);
    }, 60_000);
  });

  it('a read-only SQLite store: the outputs are written, then exit 2 with a clear message', async () => {
    const dir = tempDir();
    const file = join(dir, 'h.db');
    expect((await cli(['evaluate', DEMO, '--format', 'markdown=' + join(dir, 'first.md'), '--history', file, '--no-config'])).code).toBe(0);
    const out = join(dir, 'out');
    spawnSync('mkdir', [out]);
    // Root ignores file modes: run the CLI as nobody then, with only the output folder writable.
    const root = process.getuid?.() === 0;
    if (root) chownSync(out, 65534, 65534);
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    try {
      const r = await runCli(['--log-format', 'json', 'evaluate', DEMO, '--format', `markdown=${join(out, 'summary.md')}`, '--format', 'table', '--history', file, '--no-config'], {
        prefix: root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [],
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/history store .*h\.db: (could not record the run \(the store is unchanged\): )?.*read-only/);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/trustscan/);
      expect(r.stdout).toMatch(/CC6\.1/);
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(file, 0o644);
    }
    expect(await runsIn({ kind: 'sqlite', file })).toBe(1);
  });

  it('a full disk while recording: the outputs are written, then exit 2, and the store is unchanged', async () => {
    const dir = tempDir();
    const file = join(dir, 'h.db');
    expect((await cli(['evaluate', DEMO, '--format', 'markdown=' + join(dir, 'first.md'), '--history', file, '--no-config'])).code).toBe(0);
    // A file-size limit makes every write past it fail as on a full disk (SIGXFSZ ignored, as a
    // daemon would); the demo's outputs are small, a second run's write-ahead log is not.
    const script = `trap '' XFSZ; ulimit -f 40; exec "$@"`;
    const r = await runCli(['--log-format', 'json', 'evaluate', DEMO, '--format', `markdown=${join(dir, 'summary.md')}`, '--history', file, '--no-config', '--now', '2026-11-26T00:00:00Z'], {
      prefix: ['bash', '-c', script, 'limit'],
    });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not record the run \(the store is unchanged\)|disk full|could not write/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/trustscan/);
    const s = await HistoryStore.open({ kind: 'sqlite', file });
    expect((await s.runs()).length).toBe(1);
    expect((await verifyStore(s)).ok).toBe(true);
    await s.close();
  });

  it('a PostgreSQL store the scanner may only read: the outputs are written, then exit 2', async () => {
    if (!pg) return;
    const url = pg.freshUrl();
    expect((await runCli(['evaluate', DEMO, '--format', `markdown=${join(tempDir(), 'a.md')}`, '--history', url, '--no-config'])).code).toBe(0);
    const schema = new URL(url).searchParams.get('schema')!;
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    const role = `reader_${schema}`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    await admin.end();
    const ro = new URL(url);
    ro.username = role;
    const dir = tempDir();
    const r = await runCli(['--log-format', 'json', 'evaluate', DEMO, '--format', `markdown=${join(dir, 's.md')}`, '--history', ro.toString(), '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not record the run \(the store is unchanged\): permission denied/);
    expect(existsSync(join(dir, 's.md'))).toBe(true);
    expect(await runsIn({ kind: 'postgres', url })).toBe(1);
  });

  it('prunes with a signed checkpoint from the CLI, and says what a missing key means', async () => {
    const dir = tempDir();
    const file = join(dir, 'h.db');
    for (const now of ['2026-11-25', '2026-11-26']) {
      const snap = JSON.parse(readFileSync(DEMO, 'utf8'));
      snap.metadata.startedAt = `${now}T02:00:00Z`;
      writeFileSync(join(dir, `${now}.json`), JSON.stringify(snap));
      expect((await cli(['evaluate', join(dir, `${now}.json`), '--format', `markdown=${join(dir, `${now}.md`)}`, '--history', file, '--no-config'])).code).toBe(0);
    }
    const noKey = await cli(['history', 'prune', '--keep-days', '1', '--history', file, '--no-config']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/prune needs --key FILE/);
    expect((await cli(['evidence', 'keygen', '--out', join(dir, 'k.pem')])).code).toBe(0);
    const pruned = await cli(['history', 'prune', '--keep-days', '0', '--now', '2026-11-26T12:00:00Z', '--key', join(dir, 'k.pem'), '--history', file, '--no-config']);
    expect(pruned.stdout).toMatch(/Pruned 1 run\(s\) gathered before 2026-11-26/);
    const v = await cli(['history', 'verify', '--public-key', join(dir, 'k.pub.pem'), '--history', file, '--no-config']);
    expect(v.stdout).toMatch(/^OK: 1 run\(s\) verified.*anchored by a signed checkpoint/);
  });
});

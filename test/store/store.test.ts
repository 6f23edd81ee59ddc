import { join } from 'node:path';
import { StoreError, StoreRefused } from '../../src/store/errors';
import { lifecycles, timeToFix } from '../../src/store/lifecycle';
import { statusFromCounts } from '../../src/store/run-record';
import { generateKeyPair, loadSigner } from '../../src/store/signing';
import { HistoryStore } from '../../src/store/store';
import type { HistoryTarget } from '../../src/store/target';
import { verifyStore } from '../../src/store/verify';
import { tempDir, writeTemp } from '../helpers';
import { BACKUPS, demo, recordOf, setVersioning } from './helpers';
import { type PgServer, startPostgres } from './postgres';

/**
 * One suite, two backends: everything the history store promises is checked against SQLite and
 * against a real PostgreSQL server (test/store/postgres.ts).
 */

let pg: PgServer | undefined;
let pgTried = false;

async function postgres(): Promise<PgServer | undefined> {
  if (!pgTried) {
    pgTried = true;
    pg = await startPostgres();
  }
  return pg;
}

afterAll(async () => {
  await pg?.stop();
});

const backends: [string, () => Promise<HistoryTarget | undefined>][] = [
  ['sqlite', async () => ({ kind: 'sqlite', file: join(tempDir(), 'history.db') })],
  [
    'postgres',
    async () => {
      const server = await postgres();
      return server ? { kind: 'postgres', url: server.freshUrl() } : undefined;
    },
  ],
];

describe.each(backends)('history store on %s', (name, makeTarget) => {
  let target: HistoryTarget | undefined;
  let store: HistoryStore;

  beforeEach(async () => {
    target = await makeTarget();
    if (target) store = await HistoryStore.open(target);
  }, 60_000);
  afterEach(async () => {
    await store?.close();
  });

  /** Skips (loudly, see startPostgres) only when PostgreSQL is not installed and not required. */
  const run = (title: string, fn: () => Promise<void>, timeout = 60_000): void => {
    it(title, async () => {
      if (!target) {
        console.warn(`SKIPPED on ${name}: ${title}`);
        return;
      }
      await fn();
    }, timeout);
  };

  /** Raw SQL on the backend, to play the attacker or the crash. */
  const sql = (text: string, params: unknown[] = []): Promise<number> => store.db.run(text, params);

  run('records runs, and a night without change writes no finding at all', async () => {
    const first = await store.record(recordOf(demo('2026-03-01')));
    expect(first.run.seq).toBe(1);
    expect(first.opened).toBe(first.run.findings);
    // The next night: only findings whose state moved (an access key one day older) are written.
    const second = await store.record(recordOf(demo('2026-03-02')));
    expect(second.run.seq).toBe(2);
    expect(second.opened).toBeLessThan(3);
    expect(second.closed).toBe(second.opened);
    const same = await store.record(recordOf(demo('2026-03-02')));
    expect([same.opened, same.closed]).toEqual([0, 0]);
    expect(second.run.prevHash).toBe(first.run.chainHash);
    const runs = await store.runs();
    expect(runs.map((r) => r.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-02']);
    expect(runs[1].header.scope.accounts.map((a) => a.id)).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(runs[1].header.gaps.length).toBeGreaterThan(0);
    expect(runs[1].header.rules.count).toBeGreaterThanOrEqual(56);
    expect(runs[1].header.snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.runRules(2, 2)).length).toBe(runs[1].header.rules.count);
    expect(await store.run(runs[0].runId.slice(0, 8))).toMatchObject({ seq: 1 });
    const report = await verifyStore(store);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.anchoredBy).toBe('genesis');
  });

  run('keeps the roll-up per account so that any set of accounts can be decided again exactly as the run was', async () => {
    const { run: r } = await store.record(recordOf(demo('2026-03-01')));
    const rows = await store.controls(r.seq, r.seq);
    const whole = rows.filter((c) => c.account === '*' && c.framework === 'soc2');
    expect(whole).toHaveLength(61);
    for (const c of whole) {
      const parts = rows.filter((x) => x.framework === 'soc2' && x.control === c.control && x.account !== '*');
      const sum = parts.reduce((a, x) => ({ pass: a.pass + x.pass, fail: a.fail + x.fail, unknown: a.unknown + x.unknown, muted: a.muted + x.muted, mutedUnknown: a.mutedUnknown + x.mutedUnknown }), { pass: 0, fail: 0, unknown: 0, muted: 0, mutedUnknown: 0 });
      expect([c.control, statusFromCounts(sum)]).toEqual([c.control, c.status]);
    }
  });

  run('follows a failure from found to fixed to reopened, by fingerprint', async () => {
    await store.record(recordOf(setVersioning(demo('2026-03-01'), 'Suspended')));
    await store.record(recordOf(setVersioning(demo('2026-03-02'), 'Suspended')));
    const fixed = await store.record(recordOf(setVersioning(demo('2026-03-04'), 'Enabled')));
    expect(fixed.opened).toBeGreaterThan(0);
    expect(fixed.closed).toBe(fixed.opened);
    await store.record(recordOf(setVersioning(demo('2026-03-06'), 'Suspended')));
    const runs = await store.runs();
    const last = new Map(runs.map((r) => [r.stream, r.collectedAt]));
    const all = lifecycles(await store.allSpans(), last);
    const lc = all.find((l) => l.ruleId === 'aws-s3-bucket-versioning' && l.resourceId === BACKUPS)!;
    expect(lc.failures.map((f) => [f.found.slice(0, 10), f.ended?.slice(0, 10), f.resolution])).toEqual([
      ['2026-03-01', '2026-03-04', 'fixed'],
      ['2026-03-06', undefined, 'open'],
    ]);
    expect(lc.failures[0].days).toBe(3);
    expect(lc.reopened).toBe(1);
    expect(lc.current).toBe(true);
    expect(lc.firstSeen.slice(0, 10)).toBe('2026-03-01');
    const low = timeToFix(all).find((t) => t.severity === lc.severity)!;
    expect(low.fixed).toBeGreaterThanOrEqual(1);
    expect(low.meanDays).not.toBeNull();
    expect((await verifyStore(store)).ok).toBe(true);
  });

  run('a finding that disappears is "no longer seen", never "fixed"', async () => {
    const withBucket = setVersioning(demo('2026-03-01'), 'Suspended');
    await store.record(recordOf(withBucket));
    const without = demo('2026-03-02');
    without.resources = without.resources.filter((r) => r.id !== BACKUPS);
    await store.record(recordOf(without));
    const runs = await store.runs();
    const lc = lifecycles(await store.allSpans(), new Map(runs.map((r) => [r.stream, r.collectedAt]))).find((l) => l.ruleId === 'aws-s3-bucket-versioning' && l.resourceId === BACKUPS)!;
    expect(lc.failures.map((f) => f.resolution)).toEqual(['not-seen']);
    expect(lc.current).toBe(false);
  });

  run('refuses a run gathered before the latest run of the same scope', async () => {
    await store.record(recordOf(demo('2026-03-05')));
    await expect(store.record(recordOf(demo('2026-03-04')))).rejects.toThrow(/gathered at 2026-03-04.*before the latest recorded run of the same scope/);
    expect(await store.runs()).toHaveLength(1);
  });

  run('detects an edited finding, an edited run and a removed run', async () => {
    await store.record(recordOf(setVersioning(demo('2026-03-01'), 'Suspended')));
    await store.record(recordOf(setVersioning(demo('2026-03-02'), 'Enabled')));
    await store.record(recordOf(setVersioning(demo('2026-03-03'), 'Enabled')));
    expect((await verifyStore(store)).ok).toBe(true);

    await sql("UPDATE spans SET status = 'PASS' WHERE status = 'FAIL' AND start_seq = 1 AND fingerprint IN (SELECT fingerprint FROM findings WHERE resource_id = ?)", [BACKUPS]);
    let report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/recorded state does not match its hash/);

    // A careful forger also rewrites the leaf: the run's findings digest still gives it away.
    await sql("UPDATE spans SET status = 'FAIL' WHERE status = 'PASS' AND start_seq = 1 AND fingerprint IN (SELECT fingerprint FROM findings WHERE resource_id = ?)", [BACKUPS]);
    await sql('DELETE FROM spans WHERE start_seq = 2 AND fingerprint IN (SELECT fingerprint FROM findings WHERE resource_id = ?)', [BACKUPS]);
    report = await verifyStore(store);
    expect(report.problems.join('\n')).toMatch(/run 2 .*finding changes do not match/);
  });

  run('detects an edited run header and a run taken out of the chain', async () => {
    for (const d of ['2026-03-01', '2026-03-02', '2026-03-03']) await store.record(recordOf(demo(d)));
    const header = (await store.runs())[1].header;
    const forged = JSON.stringify({ ...header, complete: true });
    await sql('UPDATE runs SET header = ? WHERE seq = 2', [forged]);
    expect((await verifyStore(store)).problems.join('\n')).toMatch(/run 2 .*header does not match its record digest/);
    await sql('DELETE FROM controls WHERE seq = 2');
    await sql('DELETE FROM run_rules WHERE seq = 2');
    await sql('DELETE FROM runs WHERE seq = 2');
    expect((await verifyStore(store)).problems.join('\n')).toMatch(/runs 2–2 are missing from the chain/);
  });

  run('a failure in the middle of recording leaves the store exactly as it was', async () => {
    await store.record(recordOf(demo('2026-03-01')));
    const before = await store.chainHead();
    const db = store.db as unknown as { insertMany: (...a: unknown[]) => Promise<void> };
    const real = db.insertMany.bind(db);
    let calls = 0;
    db.insertMany = async (...a: unknown[]) => {
      if (++calls === 3) throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
      return real(...a);
    };
    await expect(store.record(recordOf(setVersioning(demo('2026-03-02'), 'Enabled')))).rejects.toThrow(/could not record the run \(the store is unchanged\): simulated crash/);
    db.insertMany = real;
    expect(await store.chainHead()).toEqual(before);
    expect(await store.runs()).toHaveLength(1);
    expect((await verifyStore(store)).ok).toBe(true);
    await store.record(recordOf(setVersioning(demo('2026-03-02'), 'Enabled')));
    expect((await verifyStore(store)).ok).toBe(true);
  });

  run('refuses a store written by a newer trustscan, and leaves it untouched', async () => {
    await store.record(recordOf(demo('2026-03-01')));
    await sql("UPDATE trustscan_meta SET value = '999' WHERE key = 'schema_version'");
    await store.close();
    const err = await HistoryStore.open(target!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefused);
    expect((err as Error).message).toMatch(/schema version is 999, written by a newer trustscan.*Upgrade trustscan/);
    // Nothing was migrated or overwritten: it is refused again, for the same reason.
    await expect(HistoryStore.open(target!)).rejects.toThrow(/schema version is 999/);
    store = undefined as unknown as HistoryStore;
  });

  run('prunes old runs and leaves a signed checkpoint the rest of the chain verifies against', async () => {
    for (const d of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']) await store.record(recordOf(setVersioning(demo(d), d < '2026-03-03' ? 'Suspended' : 'Enabled')));
    const dir = tempDir();
    const keys = generateKeyPair();
    const signer = loadSigner(writeTemp(dir, 'key.pem', keys.privateKey));
    const out = await store.prune('2026-03-03', 1, (b) => signer.sign(b));
    expect(out.pruned).toBe(2);
    expect((await store.runs()).map((r) => r.seq)).toEqual([3, 4]);
    const report = await verifyStore(store, keys.publicKey);
    expect(report.problems).toEqual([]);
    expect(report.anchoredBy).toBe('checkpoint');
    expect((await verifyStore(store, generateKeyPair().publicKey)).problems.join('\n')).toMatch(/signed with another key/);
    await sql("UPDATE checkpoints SET body = replace(body, '\"runsPruned\":2', '\"runsPruned\":1')");
    expect((await verifyStore(store)).problems.join('\n')).toMatch(/signature does not verify/);
  });

  run('keeps runs of different scopes apart, each compared with its own previous run', async () => {
    await store.record(recordOf(demo('2026-03-01')));
    const one = demo('2026-03-01');
    one.resources = one.resources.filter((r) => r.account === '222222222222');
    one.coverage = one.coverage.filter((c) => c.account === '222222222222');
    one.metadata.accounts = one.metadata.accounts.filter((a) => a.id === '222222222222');
    const other = await store.record(recordOf(one));
    expect(other.opened).toBe(other.run.findings);
    const again = await store.record(recordOf(demo('2026-03-01')));
    expect(again.opened).toBe(0);
    expect((await verifyStore(store)).ok).toBe(true);
  });
});

describe('history store errors', () => {
  it('refuses a file that is not a SQLite database, naming the likely --history mistake', async () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'plan.json', '{"format_version":"1.2"}');
    await expect(HistoryStore.open({ kind: 'sqlite', file })).rejects.toThrow(/not a trustscan history store.*--history=FILE/);
  });

  it('refuses a database with tables of its own', async () => {
    const file = join(tempDir(), 'other.db');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER)');
    db.close();
    const err = await HistoryStore.open({ kind: 'sqlite', file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/holds tables but is not a trustscan history store/);
  });

  it('says plainly that a store to read does not exist', async () => {
    await expect(HistoryStore.open({ kind: 'sqlite', file: join(tempDir(), 'none.db') }, { mustExist: true })).rejects.toThrow(/no such file \(record runs with --history first\)/);
  });
});

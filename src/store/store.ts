import { existsSync, mkdirSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../core/hash';
import { TOOL_VERSION } from '../core/version';
import type { Column, Db, Row } from './db';
import { chainHash, changesDigest, findingsDigest, GENESIS, recordDigest, rowsDigest } from './digest';
import { StoreError, storeError, StoreRefused } from './errors';
import { dayOf, type RunHeader, type StoredRun, streamOf } from './run-header';
import type { ControlRow, CriterionInfo, LeafedRow, RuleInForce, RunRecord } from './run-record';
import { META_DDL, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { describeTarget, type HistoryTarget } from './target';

/** A finding's state over consecutive runs of one stream, with its identity. */
export interface SpanRow extends LeafedRow {
  stream: string;
  startSeq: number;
  /** The run of the stream where it changed or disappeared; null while current. */
  closedBy: number | null;
  startAt: string;
  closedAt: string | null;
}

export interface Checkpoint {
  seq: number;
  createdAt: string;
  /** Canonical JSON of CheckpointBody. */
  body: string;
  /** Base64 Ed25519 signature of `body`. */
  signature: string;
  /** PEM (SPKI) of the key that signed it. */
  publicKey: string;
}

export interface CheckpointBody {
  format: 1;
  kind: 'trustscan-history-checkpoint';
  /** Last pruned run: the first kept run's previous hash must equal `chainHash`. */
  seq: number;
  chainHash: string;
  runsPruned: number;
  firstPrunedSeq: number;
  prunedCollectedFrom: string | null;
  prunedCollectedTo: string | null;
  keepDays: number;
  createdAt: string;
  tool: string;
  /** Hash of the previous checkpoint's body (null for the first): checkpoints form a chain too. */
  previous: string | null;
}

export interface RecordOutcome {
  run: StoredRun;
  opened: number;
  closed: number;
}

const FINDING_COLUMNS: Column[] = [
  { name: 'fingerprint', type: 'text' },
  { name: 'rule_id', type: 'text' },
  { name: 'resource_id', type: 'text' },
  { name: 'resource_type', type: 'text' },
  { name: 'provider', type: 'text' },
  { name: 'account', type: 'text' },
  { name: 'region', type: 'text' },
  { name: 'resource_name', type: 'text' },
  { name: 'source', type: 'text' },
];

const SPAN_COLUMNS: Column[] = [
  { name: 'stream', type: 'text' },
  { name: 'fingerprint', type: 'text' },
  { name: 'start_seq', type: 'int' },
  { name: 'start_at', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'original_status', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'rule_version', type: 'text' },
  { name: 'message', type: 'text' },
  { name: 'evidence_digest', type: 'text' },
  { name: 'unknown_reasons', type: 'text' },
  { name: 'suppression', type: 'text' },
  { name: 'leaf', type: 'text' },
];

const CONTROL_COLUMNS: Column[] = [
  { name: 'seq', type: 'int' },
  { name: 'framework', type: 'text' },
  { name: 'control_id', type: 'text' },
  { name: 'account', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'pass', type: 'int' },
  { name: 'fail', type: 'int' },
  { name: 'unknown', type: 'int' },
  { name: 'muted', type: 'int' },
  { name: 'muted_unknown', type: 'int' },
];

/** The canonical form of a roll-up row, as the controls digest hashes it. */
export function controlRowForDigest(r: ControlRow): object {
  return { framework: r.framework, control: r.control, account: r.account, status: r.status, pass: r.pass, fail: r.fail, unknown: r.unknown, muted: r.muted, mutedUnknown: r.mutedUnknown };
}

export function rulesDigestOf(rules: Pick<RuleInForce, 'id' | 'version' | 'contentHash'>[]): string {
  return rowsDigest(rules.map((r) => ({ id: r.id, version: r.version, contentHash: r.contentHash })));
}

function toStoredRun(r: Row): StoredRun {
  const header = JSON.parse(r.header as string) as RunHeader;
  return {
    seq: Number(r.seq),
    runId: r.run_id as string,
    stream: r.stream as string,
    kind: r.kind as StoredRun['kind'],
    collectedAt: r.collected_at as string,
    day: r.collected_day as string,
    recordedAt: r.recorded_at as string,
    complete: Number(r.complete) === 1,
    findings: Number(r.findings),
    header,
    recordDigest: r.record_digest as string,
    prevHash: r.prev_hash as string,
    chainHash: r.chain_hash as string,
  };
}

function toSpan(r: Row): SpanRow {
  const s: SpanRow = {
    stream: r.stream as string,
    startSeq: Number(r.start_seq),
    closedBy: r.closed_by === null || r.closed_by === undefined ? null : Number(r.closed_by),
    startAt: r.start_at as string,
    closedAt: (r.closed_at as string | null) ?? null,
    fingerprint: r.fingerprint as string,
    ruleId: r.rule_id as string,
    resourceId: r.resource_id as string,
    resourceType: r.resource_type as string,
    provider: r.provider as string,
    account: r.account as string,
    region: r.region as string,
    status: r.status as SpanRow['status'],
    severity: r.severity as SpanRow['severity'],
    ruleVersion: r.rule_version as string,
    message: r.message as string,
    evidenceDigest: r.evidence_digest as string,
    leaf: r.leaf as string,
  };
  if (r.resource_name !== null && r.resource_name !== undefined) s.resourceName = r.resource_name as string;
  if (r.source) s.source = r.source as string;
  if (r.original_status) s.originalStatus = r.original_status as SpanRow['originalStatus'];
  if (r.unknown_reasons) s.unknownReasons = r.unknown_reasons as string;
  if (r.suppression) s.suppression = r.suppression as string;
  return s;
}

const SPAN_SELECT = `SELECT s.stream, s.fingerprint, s.start_seq, s.closed_by, s.start_at, s.closed_at, s.status, s.original_status, s.severity,
  s.rule_version, s.message, s.evidence_digest, s.unknown_reasons, s.suppression, s.leaf,
  f.rule_id, f.resource_id, f.resource_type, f.provider, f.account, f.region, f.resource_name, f.source
  FROM spans s JOIN findings f ON f.fingerprint = s.fingerprint`;

function controlFromRow(r: Row): ControlRow & { seq: number } {
  return {
    seq: Number(r.seq),
    framework: r.framework as string,
    control: r.control_id as string,
    account: r.account as string,
    status: r.status as ControlRow['status'],
    pass: Number(r.pass),
    fail: Number(r.fail),
    unknown: Number(r.unknown),
    muted: Number(r.muted),
    mutedUnknown: Number(r.muted_unknown),
  };
}

/** PostgreSQL objects live in their own schema, `trustscan` unless the URL says `?schema=NAME`. */
function postgresSchema(url: string): { url: string; schema: string } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'trustscan';
  u.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new StoreRefused(`history store: schema '${schema}' must be a lower-case SQL identifier`);
  return { url: u.toString(), schema };
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function looksLikeSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 0 || buf.toString('latin1', 0, n) === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * Run history, in SQLite or PostgreSQL: records runs (hash-chained, transactional), and answers
 * the queries behind `trustscan history` and `trustscan evidence`.
 */
export class HistoryStore {
  private constructor(
    readonly db: Db,
    readonly where: string,
  ) {}

  /**
   * Opens a store, creating it (and applying migrations) unless `mustExist`. A store written by
   * a newer trustscan, or a database that is not a trustscan store, is refused before anything
   * is written to it.
   */
  static async open(target: HistoryTarget, opts: { mustExist?: boolean } = {}): Promise<HistoryStore> {
    const where = describeTarget(target);
    let db: Db;
    try {
      if (target.kind === 'sqlite') {
        const exists = existsSync(target.file);
        if (!exists && opts.mustExist) throw new StoreError(`history store ${where}: no such file (record runs with --history first)`);
        if (exists && !looksLikeSqlite(target.file)) {
          throw new StoreRefused(`history store ${where}: not a trustscan history store (not a SQLite database); if --history took an input file as its value, write --history=FILE or put --history last`);
        }
        if (!exists) mkdirSync(dirname(target.file), { recursive: true });
        const { SqliteDb } = await import('./sqlite-db');
        db = await SqliteDb.open(target.file).catch(async (err) => {
          // A file we may not write can still be read.
          if (exists && /readonly|read-only|EACCES|SQLITE_CANTOPEN/i.test(`${(err as { code?: string }).code} ${(err as Error).message}`)) return SqliteDb.open(target.file, { readonly: true });
          throw err;
        });
      } else {
        const { PostgresDb } = await import('./postgres-db');
        const { url, schema } = postgresSchema(target.url);
        db = await PostgresDb.open(url);
        try {
          await db.exec(`SELECT pg_advisory_lock(hashtext('trustscan-history:${schema}'))`);
          try {
            await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(async (e) => {
              // A role that may not create schemas can still use an existing one.
              const found = await db.all('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema]);
              if (found.length === 0) throw e;
            });
            await db.exec(`SET search_path TO ${schema}`);
            await new HistoryStore(db, where).migrate();
          } finally {
            await db.exec(`SELECT pg_advisory_unlock(hashtext('trustscan-history:${schema}'))`);
          }
        } catch (err) {
          await db.close();
          throw err;
        }
        return new HistoryStore(db, where);
      }
    } catch (err) {
      throw storeError(where, 'cannot open', err);
    }
    const store = new HistoryStore(db, where);
    try {
      await store.migrate();
    } catch (err) {
      await db.close();
      throw storeError(where, 'cannot open', err);
    }
    return store;
  }

  private async tableExists(name: string): Promise<boolean> {
    const rows =
      this.db.dialect === 'sqlite'
        ? await this.db.all("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        : await this.db.all('SELECT 1 AS x FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?', [name]);
    return rows.length > 0;
  }

  private async otherTables(): Promise<number> {
    const rows =
      this.db.dialect === 'sqlite'
        ? await this.db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        : await this.db.all('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()');
    return rows.length;
  }

  /** The schema version of the store (0: empty). */
  async schemaVersion(): Promise<number> {
    if (!(await this.tableExists('trustscan_meta'))) return 0;
    const rows = await this.db.all<{ value: string }>("SELECT value FROM trustscan_meta WHERE key = 'schema_version'");
    return rows.length ? Number(rows[0].value) : 0;
  }

  private async migrate(): Promise<void> {
    const check = async (): Promise<number> => {
      const v = await this.schemaVersion();
      if (v > SCHEMA_VERSION) {
        throw new StoreRefused(
          `history store ${this.where}: its schema version is ${v}, written by a newer trustscan; this trustscan (${TOOL_VERSION}) knows versions up to ${SCHEMA_VERSION}. Upgrade trustscan to read or record it (the store was left untouched)`,
        );
      }
      if (v === 0 && (await this.otherTables()) > 0) {
        throw new StoreRefused(`history store ${this.where}: holds tables but is not a trustscan history store; name an empty database or a new file`);
      }
      return v;
    };
    if ((await check()) === SCHEMA_VERSION) return;
    if ((this.db as { readonly?: boolean }).readonly) throw new StoreError(`history store ${this.where}: is read-only and needs upgrading to schema version ${SCHEMA_VERSION}`);
    await this.db.transaction(async () => {
      // Checked again inside the write lock: another process may have migrated meanwhile.
      const v = await check();
      if (v === SCHEMA_VERSION) return;
      if (v === 0) await this.db.exec(META_DDL);
      for (const m of MIGRATIONS) {
        if (m.version <= v) continue;
        await this.db.exec(m.sql(this.db.dialect));
        if (m.version === 1) await this.db.run('INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, ?)', [GENESIS]);
      }
      await this.db.run('DELETE FROM trustscan_meta WHERE key = ?', ['schema_version']);
      await this.db.run('INSERT INTO trustscan_meta (key, value) VALUES (?, ?)', ['schema_version', String(SCHEMA_VERSION)]);
      if (v === 0) await this.db.run('INSERT INTO trustscan_meta (key, value) VALUES (?, ?)', ['created_by', `trustscan ${TOOL_VERSION}`]);
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async head(lock: boolean): Promise<{ seq: number; hash: string }> {
    const rows = await this.db.all<{ seq: number; hash: string }>(`SELECT seq, hash FROM chain_head WHERE id = 1${lock ? this.db.lockSuffix : ''}`);
    return rows.length ? { seq: Number(rows[0].seq), hash: rows[0].hash } : { seq: 0, hash: GENESIS };
  }

  /**
   * Records a run in one transaction: its findings as changes against the previous run of the
   * same scope, its roll-up, its rules, and its header appended to the hash chain. Either all of
   * it lands or nothing does; concurrent recorders queue on the chain head's lock.
   */
  async record(run: RunRecord, now: () => Date = () => new Date()): Promise<RecordOutcome> {
    const stream = streamOf(run.scope);
    const rows = new Map<string, LeafedRow>();
    for (const f of run.findings) if (!rows.has(f.fingerprint)) rows.set(f.fingerprint, f);
    try {
      return await this.db.transaction(async () => {
        const head = await this.head(true);
        const seq = head.seq + 1;
        const last = await this.db.all<{ seq: number; collected_at: string; run_id: string }>(
          'SELECT seq, collected_at, run_id FROM runs WHERE stream = ? ORDER BY seq DESC LIMIT 1',
          [stream],
        );
        if (last.length && last[0].collected_at > run.collectedAt) {
          throw new StoreError(
            `history store ${this.where}: this run's evidence was gathered at ${run.collectedAt}, before the latest recorded run of the same scope (${last[0].run_id}, gathered at ${last[0].collected_at}); runs of one scope are recorded in the order their evidence was gathered`,
          );
        }
        const open = await this.db.all<{ fingerprint: string; leaf: string }>('SELECT fingerprint, leaf FROM spans WHERE stream = ? AND closed_by IS NULL', [stream]);
        const opened: LeafedRow[] = [];
        const closed: { fingerprint: string; leaf: string }[] = [];
        const current = new Map(open.map((o) => [o.fingerprint, o.leaf]));
        for (const r of rows.values()) {
          const was = current.get(r.fingerprint);
          if (was === r.leaf) continue;
          if (was !== undefined) closed.push({ fingerprint: r.fingerprint, leaf: was });
          opened.push(r);
        }
        for (const [fingerprint, leaf] of current) if (!rows.has(fingerprint)) closed.push({ fingerprint, leaf });

        const header: RunHeader = {
          format: 1,
          seq,
          runId: run.runId,
          stream,
          ...(run.command ? { command: run.command } : {}),
          scope: run.scope,
          collectedAt: run.collectedAt,
          finishedAt: run.finishedAt,
          scanTime: run.scanTime,
          evaluatedAt: run.evaluatedAt,
          recordedAt: now().toISOString(),
          tool: run.tool,
          snapshot: run.snapshot,
          rules: { count: run.rules.length, packVersion: run.rulePack, digest: rulesDigestOf(run.rules) },
          frameworks: run.frameworks,
          resources: run.resources,
          complete: run.complete,
          accounts: run.accounts,
          summary: run.summary,
          gaps: run.gaps,
          ...(run.suppressions ? { suppressions: run.suppressions } : {}),
          listings: run.listings,
          findings: { count: rows.size, digest: findingsDigest(rows.values()), opened: opened.length, closed: closed.length, changesDigest: changesDigest(opened, closed) },
          controls: { count: run.controls.length, digest: rowsDigest(run.controls.map(controlRowForDigest)) },
        };
        // The header as stored is exactly the text hashed, so a verifier hashes what it reads.
        const headerText = canonicalJson(header);
        const digest = recordDigest(header);
        const hash = chainHash(head.hash, digest);
        await this.db.run(
          `INSERT INTO runs (seq, run_id, stream, kind, command, collected_at, collected_day, recorded_at, complete, findings, header, record_digest, prev_hash, chain_hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [seq, run.runId, stream, run.scope.kind, run.command ?? '', run.collectedAt, dayOf(run.collectedAt), header.recordedAt, run.complete ? 1 : 0, rows.size, headerText, digest, head.hash, hash],
        );
        await this.closeSpans(stream, closed.map((c) => c.fingerprint), seq, run.collectedAt);
        await this.db.insertMany(
          'findings',
          FINDING_COLUMNS,
          opened.map((r) => [r.fingerprint, r.ruleId, r.resourceId, r.resourceType, r.provider, r.account, r.region, r.resourceName ?? null, r.source ?? null]),
          true,
        );
        await this.db.insertMany(
          'spans',
          SPAN_COLUMNS,
          opened.map((r) => [stream, r.fingerprint, seq, run.collectedAt, r.status, r.originalStatus ?? null, r.severity, r.ruleVersion, r.message, r.evidenceDigest, r.unknownReasons ?? null, r.suppression ?? null, r.leaf]),
        );
        await this.db.insertMany(
          'rules',
          [
            { name: 'rule_id', type: 'text' },
            { name: 'version', type: 'text' },
            { name: 'content_hash', type: 'text' },
            { name: 'record', type: 'text' },
          ],
          run.rules.map((r) => [r.id, r.version, r.contentHash, canonicalJson(r)]),
          true,
        );
        await this.db.insertMany(
          'run_rules',
          [
            { name: 'seq', type: 'int' },
            { name: 'rule_id', type: 'text' },
            { name: 'version', type: 'text' },
          ],
          run.rules.map((r) => [seq, r.id, r.version]),
        );
        await this.db.insertMany(
          'criteria',
          [
            { name: 'framework', type: 'text' },
            { name: 'control_id', type: 'text' },
            { name: 'title', type: 'text' },
            { name: 'category', type: 'text' },
            { name: 'note', type: 'text' },
          ],
          run.criteria.map((c) => [c.framework, c.id, c.title, c.category, c.note ?? null]),
          true,
        );
        await this.db.insertMany(
          'controls',
          CONTROL_COLUMNS,
          run.controls.map((c) => [seq, c.framework, c.control, c.account, c.status, c.pass, c.fail, c.unknown, c.muted, c.mutedUnknown]),
        );

        await this.db.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', [seq, hash]);
        const stored: StoredRun = {
          seq,
          runId: run.runId,
          stream,
          kind: run.scope.kind,
          collectedAt: run.collectedAt,
          day: dayOf(run.collectedAt),
          recordedAt: header.recordedAt,
          complete: run.complete,
          findings: rows.size,
          header,
          recordDigest: digest,
          prevHash: head.hash,
          chainHash: hash,
        };
        return { run: stored, opened: opened.length, closed: closed.length };
      });
    } catch (err) {
      throw storeError(this.where, 'could not record the run (the store is unchanged)', err);
    }
  }

  private async closeSpans(stream: string, fingerprints: string[], seq: number, at: string): Promise<void> {
    if (fingerprints.length === 0) return;
    if (this.db.dialect === 'postgres') {
      for (let i = 0; i < fingerprints.length; i += 10_000) {
        await this.db.run('UPDATE spans SET closed_by = ?, closed_at = ? WHERE stream = ? AND closed_by IS NULL AND fingerprint = ANY(?::text[])', [seq, at, stream, fingerprints.slice(i, i + 10_000)]);
      }
      return;
    }
    for (const fp of fingerprints) await this.db.run('UPDATE spans SET closed_by = ?, closed_at = ? WHERE stream = ? AND fingerprint = ? AND closed_by IS NULL', [seq, at, stream, fp]);
  }

  // ---- reading ----

  private async read<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(this.where, doing, err);
    }
  }

  /** Runs in chain order, optionally only those gathered on days from..to (inclusive, YYYY-MM-DD). */
  async runs(filter: { fromDay?: string; toDay?: string; fromSeq?: number; toSeq?: number } = {}): Promise<StoredRun[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (filter.fromDay) add('collected_day >= ?', filter.fromDay);
    if (filter.toDay) add('collected_day <= ?', filter.toDay);
    if (filter.fromSeq !== undefined) add('seq >= ?', filter.fromSeq);
    if (filter.toSeq !== undefined) add('seq <= ?', filter.toSeq);
    return this.read('could not read runs', async () =>
      (await this.db.all(`SELECT * FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`, params)).map(toStoredRun),
    );
  }

  /** A run by id (or a unique prefix of it, as `git` allows), or by sequence number. */
  async run(ref: string): Promise<StoredRun | undefined> {
    return this.read('could not read the run', async () => {
      if (/^\d+$/.test(ref)) {
        const bySeq = await this.db.all('SELECT * FROM runs WHERE seq = ?', [Number(ref)]);
        if (bySeq.length) return toStoredRun(bySeq[0]);
      }
      const rows = await this.db.all('SELECT * FROM runs WHERE run_id = ? OR run_id LIKE ? ORDER BY seq LIMIT 2', [ref, `${ref.replace(/[%_]/g, '')}%`]);
      const exact = rows.find((r) => r.run_id === ref);
      if (exact) return toStoredRun(exact);
      if (rows.length > 1) throw new StoreError(`run id prefix '${ref}' is ambiguous: give more characters`);
      return rows.length ? toStoredRun(rows[0]) : undefined;
    });
  }

  /** Chain position and hash of the newest run (seq 0 and GENESIS when none). */
  async chainHead(): Promise<{ seq: number; hash: string }> {
    return this.read('could not read the chain head', () => this.head(false));
  }

  /** Roll-up rows of the runs with seq in [fromSeq, toSeq]. */
  async controls(fromSeq: number, toSeq: number): Promise<(ControlRow & { seq: number })[]> {
    return this.read('could not read roll-ups', async () =>
      (await this.db.all('SELECT * FROM controls WHERE seq >= ? AND seq <= ? ORDER BY seq, framework, control_id, account', [fromSeq, toSeq])).map(controlFromRow),
    );
  }

  /** Rules in force in the runs with seq in [fromSeq, toSeq]. */
  async runRules(fromSeq: number, toSeq: number): Promise<{ seq: number; rule: RuleInForce }[]> {
    return this.read('could not read rules', async () =>
      (
        await this.db.all<{ seq: number; record: string }>(
          'SELECT rr.seq, r.record FROM run_rules rr JOIN rules r ON r.rule_id = rr.rule_id AND r.version = rr.version WHERE rr.seq >= ? AND rr.seq <= ? ORDER BY rr.seq, rr.rule_id',
          [fromSeq, toSeq],
        )
      ).map((r) => ({ seq: Number(r.seq), rule: JSON.parse(r.record) as RuleInForce })),
    );
  }

  /** Spans of `stream` present in some run with seq in [fromSeq, toSeq]. */
  async spans(stream: string, fromSeq: number, toSeq: number): Promise<SpanRow[]> {
    return this.read('could not read findings', async () =>
      (await this.db.all(`${SPAN_SELECT} WHERE s.stream = ? AND s.start_seq <= ? AND (s.closed_by IS NULL OR s.closed_by > ?) ORDER BY s.fingerprint, s.start_seq`, [stream, toSeq, fromSeq])).map(toSpan),
    );
  }

  /** Every span of every stream (for lifecycles), optionally of one fingerprint. */
  async allSpans(fingerprint?: string): Promise<SpanRow[]> {
    return this.read('could not read findings', async () =>
      (await this.db.all(`${SPAN_SELECT}${fingerprint ? ' WHERE s.fingerprint = ?' : ''} ORDER BY s.fingerprint, s.start_seq`, fingerprint ? [fingerprint] : [])).map(toSpan),
    );
  }

  /** Titles (and, for criteria without rules, the evidence to ask for) of every criterion recorded. */
  async criteria(): Promise<CriterionInfo[]> {
    return this.read('could not read criteria', async () =>
      (await this.db.all('SELECT * FROM criteria ORDER BY framework, control_id')).map((r) => ({
        framework: r.framework as string,
        id: r.control_id as string,
        title: r.title as string,
        category: r.category as string,
        ...(r.note ? { note: r.note as string } : {}),
      })),
    );
  }

  async checkpoints(): Promise<Checkpoint[]> {
    return this.read('could not read checkpoints', async () =>
      (await this.db.all('SELECT * FROM checkpoints ORDER BY seq')).map((r) => ({
        seq: Number(r.seq),
        createdAt: r.created_at as string,
        body: r.body as string,
        signature: r.signature as string,
        publicKey: r.public_key as string,
      })),
    );
  }

  // ---- retention ----

  /**
   * Removes the oldest runs — the longest prefix of the chain gathered before `cutoffDay` — and
   * everything only they referenced, leaving a checkpoint signed by `sign` in their place: the
   * first kept run links to it, so the rest of the chain stays verifiable.
   */
  async prune(
    cutoffDay: string,
    keepDays: number,
    sign: (body: string) => { signature: string; publicKey: string },
    now: () => Date = () => new Date(),
  ): Promise<{ pruned: number; checkpoint?: Checkpoint }> {
    try {
      return await this.db.transaction(async () => {
        const head = await this.head(true);
        const kept = await this.db.all<{ seq: number }>('SELECT MIN(seq) AS seq FROM runs WHERE collected_day >= ?', [cutoffDay]);
        const firstKept = kept[0]?.seq === null || kept[0]?.seq === undefined ? head.seq + 1 : Number(kept[0].seq);
        const doomed = await this.db.all<{ seq: number; chain_hash: string; collected_at: string }>(
          'SELECT seq, chain_hash, collected_at FROM runs WHERE seq < ? ORDER BY seq',
          [firstKept],
        );
        if (doomed.length === 0) return { pruned: 0 };
        const last = doomed[doomed.length - 1];
        const previous = (await this.db.all<{ body: string }>('SELECT body FROM checkpoints ORDER BY seq DESC LIMIT 1'))[0];
        const times = doomed.map((d) => d.collected_at).sort();
        const body: CheckpointBody = {
          format: 1,
          kind: 'trustscan-history-checkpoint',
          seq: Number(last.seq),
          chainHash: last.chain_hash,
          runsPruned: doomed.length,
          firstPrunedSeq: Number(doomed[0].seq),
          prunedCollectedFrom: times[0] ?? null,
          prunedCollectedTo: times[times.length - 1] ?? null,
          keepDays,
          createdAt: now().toISOString(),
          tool: `trustscan ${TOOL_VERSION}`,
          previous: previous ? recordDigest(JSON.parse(previous.body) as object) : null,
        };
        const text = canonicalJson(body);
        const { signature, publicKey } = sign(text);
        const s = Number(last.seq);
        await this.db.run('DELETE FROM spans WHERE closed_by IS NOT NULL AND closed_by <= ?', [s]);
        await this.db.run('DELETE FROM controls WHERE seq <= ?', [s]);
        await this.db.run('DELETE FROM run_rules WHERE seq <= ?', [s]);
        await this.db.run('DELETE FROM runs WHERE seq <= ?', [s]);
        await this.db.run('DELETE FROM findings WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.fingerprint = findings.fingerprint)');
        await this.db.run('DELETE FROM rules WHERE NOT EXISTS (SELECT 1 FROM run_rules rr WHERE rr.rule_id = rules.rule_id AND rr.version = rules.version)');
        const checkpoint: Checkpoint = { seq: s, createdAt: body.createdAt, body: text, signature, publicKey };
        await this.db.run('INSERT INTO checkpoints (seq, created_at, body, signature, public_key) VALUES (?, ?, ?, ?, ?)', [s, body.createdAt, text, signature, publicKey]);
        return { pruned: doomed.length, checkpoint };
      });
    } catch (err) {
      throw storeError(this.where, 'could not prune (the store is unchanged)', err);
    }
  }
}

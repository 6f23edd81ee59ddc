import type BetterSqlite3 from 'better-sqlite3';
import type { Column, Db, Row } from './db';

/** How long a recorder waits for another one's write lock before giving up (WAL lets readers go on meanwhile). */
export const SQLITE_BUSY_TIMEOUT_MS = 60_000;

/**
 * The embedded backend: one SQLite file through better-sqlite3 (synchronous; wrapped in promises
 * so the store's code is the same as for PostgreSQL). WAL lets `history` readers run while a scan
 * records; the busy timeout makes a second recorder wait for the first instead of failing.
 */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  readonly lockSuffix = '';
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  private constructor(private readonly db: BetterSqlite3.Database) {}

  /** Opens (or creates) the file. `readonly` never creates nor writes. */
  static async open(file: string, opts: { readonly?: boolean } = {}): Promise<SqliteDb> {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    try {
      db.pragma('foreign_keys = ON');
      // 64 MB of page cache: a first run inserts a whole organisation's findings into indexes
      // with random keys, which thrashes the default 2 MB cache.
      db.pragma('cache_size = -65536');
      if (!opts.readonly && !db.readonly) {
        db.pragma('journal_mode = WAL');
        // A committed run survives a power cut, not only a crash of the process.
        db.pragma('synchronous = FULL');
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteDb(db);
  }

  get readonly(): boolean {
    return this.db.readonly;
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async all<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }

  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }

  async insertMany(table: string, columns: Column[], rows: unknown[][], onConflictIgnore = false): Promise<void> {
    if (rows.length === 0) return;
    const stmt = this.prepare(
      `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${onConflictIgnore ? ' ON CONFLICT DO NOTHING' : ''}`,
    );
    for (const r of rows) stmt.run(...r);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so two recorders
    // never both read the chain head and then race to append after it.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

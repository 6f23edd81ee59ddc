import type { Client } from 'pg';
import { type Column, type Db, numberPlaceholders, type Row } from './db';

/** Rows per bulk INSERT … SELECT FROM unnest(…): one round trip each. */
const CHUNK = 5000;

/**
 * The shared backend: one connection to PostgreSQL through `pg`. The connection string comes
 * from the user (`postgres://…`); libpq's variables (PGPASSWORD, PGSSLMODE, …) and ~/.pgpass
 * fill in what it leaves out, so a password need not be on the command line.
 */
export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly lockSuffix = ' FOR UPDATE';

  private constructor(private readonly client: Client) {}

  static async open(url: string): Promise<PostgresDb> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 15_000, application_name: 'trustscan' });
    // A connection dropped while idle must not crash the process as an unhandled 'error' event;
    // the next query reports it.
    client.on('error', () => undefined);
    await client.connect();
    // Our timestamps are ISO strings; keep the session in UTC anyway for anything the server formats.
    await client.query("SET TIME ZONE 'UTC'");
    return new PostgresDb(client);
  }

  async all<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    const r = await this.client.query(numberPlaceholders(sql), params);
    return r.rows as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    const r = await this.client.query(numberPlaceholders(sql), params);
    return r.rowCount ?? 0;
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async insertMany(table: string, columns: Column[], rows: unknown[][], onConflictIgnore = false): Promise<void> {
    const names = columns.map((c) => c.name).join(', ');
    const arrays = columns.map((c, i) => `$${i + 1}::${c.type === 'int' ? 'integer' : 'text'}[]`).join(', ');
    const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})${onConflictIgnore ? ' ON CONFLICT DO NOTHING' : ''}`;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await this.client.query(
        sql,
        columns.map((_, c) => chunk.map((r) => r[c] ?? null)),
      );
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const out = await fn();
      await this.client.query('COMMIT');
      return out;
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

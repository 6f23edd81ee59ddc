/**
 * The little SQL the history store needs, behind one interface so the store's logic is written
 * once for SQLite and PostgreSQL. Statements use `?` placeholders (the PostgreSQL driver numbers
 * them); every value is TEXT or INTEGER so both engines store and return the same things.
 */

export type Dialect = 'sqlite' | 'postgres';

/** A column of a bulk insert: its name and SQL type (PostgreSQL needs it to unnest arrays). */
export interface Column {
  name: string;
  type: 'text' | 'int';
}

export type Row = Record<string, unknown>;

export interface Db {
  readonly dialect: Dialect;
  /** Rows of a query. */
  all<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Inserts many rows at once (`onConflictIgnore`: rows whose key exists are skipped). */
  insertMany(table: string, columns: Column[], rows: unknown[][], onConflictIgnore?: boolean): Promise<void>;
  /**
   * Runs `fn` in a transaction that holds the store's write lock from its first statement
   * (SQLite: BEGIN IMMEDIATE; PostgreSQL: the caller locks a row with `lockSuffix`), and rolls it
   * back on any error, so a failed or interrupted write leaves the store as it was.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** What to append to a SELECT to lock the rows it reads until the transaction ends. */
  readonly lockSuffix: string;
  close(): Promise<void>;
}

/** Placeholders `?` → `$1, $2, …` (our statements never contain a literal question mark). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

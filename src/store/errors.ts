import { UsageError } from '../core/errors';

/**
 * A history store problem the user can fix (full disk, read-only file, unreachable server,
 * a store written by a newer trustscan): exit code 2 with one clear line, never a stack trace.
 */
export class StoreError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * The store was refused outright (written by a newer trustscan, not a trustscan store, a bad
 * URL): reported before any work, since no retry can help.
 */
export class StoreRefused extends StoreError {
  constructor(message: string) {
    super(message);
    this.name = 'StoreRefused';
  }
}

/** Plain words for the database errors a user can meet; anything else keeps the driver's message. */
function explain(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const msg = e?.message ?? String(err);
  if (code.startsWith('SQLITE_READONLY') || code === '25006' || code === 'EROFS') return 'the store is read-only';
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return 'no space left on the device (disk full)';
  if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC' || code === 'EFBIG') return `could not write to the store (${msg})`;
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database';
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM') return `cannot open the store (${msg})`;
  if (code === 'SQLITE_BUSY') return 'another process has held the store locked for too long';
  if (code === 'SQLITE_CORRUPT') return 'the database file is corrupt';
  if (code === '42501') return `permission denied (${msg})`;
  if (code === '28P01' || code === '28000') return `authentication failed (${msg})`;
  if (code === '3D000') return `the database does not exist (${msg})`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') return `cannot reach the server (${msg})`;
  if (/timeout/i.test(msg)) return `the server did not answer in time (${msg})`;
  return msg;
}

/** Wraps a driver error as a StoreError naming the store and what was being done. */
export function storeError(where: string, doing: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(`history store ${where}: ${doing}: ${explain(err)}`);
}

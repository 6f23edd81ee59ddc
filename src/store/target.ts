import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../core/errors';

/** Where the history lives: a SQLite file (the default) or a PostgreSQL database. */
export type HistoryTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** Environment variable naming the store when neither --history VALUE nor trustscan.yaml does. */
export const HISTORY_ENV = 'TRUSTSCAN_HISTORY';

/**
 * The per-user default store: `$XDG_DATA_HOME/trustscan/history.db` (or
 * `~/.local/share/trustscan/history.db`) on Linux and other Unixes,
 * `~/Library/Application Support/trustscan/history.db` on macOS,
 * `%LOCALAPPDATA%\trustscan\history.db` on Windows.
 */
export function defaultHistoryFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'trustscan', 'history.db');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'trustscan', 'history.db');
  const base = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(base, 'trustscan', 'history.db');
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/**
 * Resolves a store named on the command line (`--history VALUE`, or `true` for `--history`
 * alone), in trustscan.yaml (already resolved against the file's folder), or by TRUSTSCAN_HISTORY.
 * The command line wins; `--history` alone means the configured store, else the default file.
 */
export function resolveHistoryTarget(cli: string | boolean | undefined, config: string | boolean | undefined, env: NodeJS.ProcessEnv, cwd: string): HistoryTarget | undefined {
  const named = (v: string, base: string): HistoryTarget => {
    if (isPostgresUrl(v)) {
      try {
        new URL(v);
      } catch {
        throw new UsageError(`history store '${redact(v)}' is not a valid PostgreSQL URL (postgres://user@host:port/database)`);
      }
      return { kind: 'postgres', url: v };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) throw new UsageError(`history store '${redact(v)}': only a file path or a postgres:// URL is supported`);
    return { kind: 'sqlite', file: resolve(base, v) };
  };
  const fallback = (): HistoryTarget => {
    if (typeof config === 'string') return named(config, cwd);
    if (env[HISTORY_ENV]) return named(env[HISTORY_ENV]!, cwd);
    return { kind: 'sqlite', file: defaultHistoryFile(env) };
  };
  if (typeof cli === 'string') return named(cli, cwd);
  if (cli === true) return fallback();
  if (cli === false) return undefined;
  if (config === false || config === undefined) return undefined;
  return fallback();
}

/** Like resolveHistoryTarget, for commands that read the store: the store is always wanted. */
export function resolveStoreToRead(cli: string | undefined, config: string | boolean | undefined, env: NodeJS.ProcessEnv, cwd: string): HistoryTarget {
  return resolveHistoryTarget(cli ?? true, config === false ? undefined : config, env, cwd)!;
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|key/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

export function describeTarget(t: HistoryTarget): string {
  return t.kind === 'sqlite' ? t.file : redact(t.url);
}

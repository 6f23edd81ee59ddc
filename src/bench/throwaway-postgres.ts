import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real, throwaway PostgreSQL server for the tests and the history benchmark: `initdb` in a temporary folder, started by
 * `pg_ctl` on a free loopback port, removed afterwards. Never a mock. Debian's `postgresql`
 * package provides the binaries (.ci/run installs it and sets TRUSTSCAN_REQUIRE_POSTGRES=1, which
 * makes their absence a failure); on a developer machine without them the PostgreSQL half of the
 * store tests is skipped with a loud message. TRUSTSCAN_TEST_POSTGRES_URL uses a server of yours
 * instead (each test works in its own schema).
 */

export interface PgServer {
  url: string;
  /** A URL for a fresh, empty schema of its own. */
  freshUrl(): string;
  stop(): Promise<void>;
}

function findBinDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** initdb and postgres refuse to run as root: run them as the `postgres` user (or nobody). */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    if (r.status === 0) {
      const g = spawnSync('id', ['-g', user], { encoding: 'utf8' });
      return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
    }
  }
  throw new Error('running as root and no postgres or nobody user to run PostgreSQL as');
}

let schemaCounter = 0;

function server(url: string, stop: () => Promise<void>): PgServer {
  return {
    url,
    freshUrl: () => {
      const u = new URL(url);
      u.searchParams.set('schema', `t_${process.pid}_${Date.now().toString(36)}_${++schemaCounter}`);
      return u.toString();
    },
    stop,
  };
}

export const POSTGRES_REQUIRED = process.env.TRUSTSCAN_REQUIRE_POSTGRES === '1';

/** Starts a server, or returns undefined (after a loud warning) when PostgreSQL is not installed and not required. */
export async function startPostgres(): Promise<PgServer | undefined> {
  if (process.env.TRUSTSCAN_TEST_POSTGRES_URL) return server(process.env.TRUSTSCAN_TEST_POSTGRES_URL, async () => undefined);
  const bin = findBinDir();
  if (!bin) {
    const msg = 'PostgreSQL binaries (initdb, pg_ctl) not found: the PostgreSQL half of the history store tests is SKIPPED. Install Debian\'s postgresql package (as .ci/run does) to run it.';
    if (POSTGRES_REQUIRED) throw new Error(`${msg} TRUSTSCAN_REQUIRE_POSTGRES=1 makes this a failure.`);
    console.warn(`\n!!!!!!!!\n${msg}\n!!!!!!!!\n`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-pg-'));
  const as = unprivileged();
  if (as) chownSync(dir, as.uid, as.gid);
  const run = (cmd: string, args: string[]): void => {
    const full = as ? ['setpriv', `--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', join(bin, cmd), ...args] : [join(bin, cmd), ...args];
    execFileSync(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'trustscan', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`;
  try {
    run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return server(`postgres://trustscan@127.0.0.1:${port}/postgres`, async () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

import { constants, promises as fs, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { outputFileError } from './errors';

/**
 * Writing output files without ever destroying what is not ours:
 *
 * - A regular file (or a new one) is written atomically: a temporary file in the same folder,
 *   flushed, then renamed over the target, so readers see the old or the complete new content.
 *   An existing file keeps its permission bits.
 * - A device, a FIFO, a socket, and any path under /dev or /proc (/dev/stdout, /dev/fd/N) is
 *   written in place, opened for appending: renaming over it would replace the device node
 *   (a copy of /dev/null) with a regular file, and truncating would destroy a `>>` redirection.
 * - A symbolic link is followed deliberately: its target is written (atomically, in the
 *   target's folder when the target is a regular file) and the link stays a link.
 * - A folder is refused.
 * - Temporary files are named `.NAME.tmp-PID-RANDOM`. A run that is interrupted (SIGINT,
 *   SIGTERM, SIGHUP) removes its own; one killed outright leaves them behind, and the next run
 *   writing the same file removes those whose process is gone (or that are a day old).
 *
 * Every failure (a read-only, immutable or full folder…) is an InputError naming the file.
 */

const STALE_MS = 24 * 3600 * 1000;

function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

// ---- interrupted runs ---------------------------------------------------------------------

const live = new Set<string>();
let handlersInstalled = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onSignal(signal: NodeJS.Signals): void {
  for (const tmp of live) {
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // already gone, or not ours to remove any more
    }
  }
  live.clear();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Die of the same signal, as the default handler would have.
  process.kill(process.pid, signal);
}

/** Removes `tmp` (a file, or a folder and what is in it) if the run is interrupted before `untrackTemporary`. */
export function trackTemporary(tmp: string): void {
  track(tmp);
}

export function untrackTemporary(tmp: string): void {
  untrack(tmp);
}

function track(tmp: string): void {
  live.add(tmp);
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const s of SIGNALS) process.on(s, onSignal);
  }
}

function untrack(tmp: string): void {
  live.delete(tmp);
}

function processGone(pid: number): boolean {
  if (pid === process.pid) return true; // an earlier process with our pid (containers reuse pids)
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes temporary files of `file` left by runs that were killed. Returns how many. */
export function removeStaleTemporaries(file: string): number {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const p = join(dir, name);
    if (live.has(p)) continue;
    try {
      const st = statSync(p);
      if (!st.isFile()) continue;
      if (processGone(Number(m[1])) || Date.now() - st.mtimeMs > STALE_MS) {
        unlinkSync(p);
        removed++;
      }
    } catch {
      // raced with its owner: leave it
    }
  }
  return removed;
}

// ---- where and how to write --------------------------------------------------------------

/** How an output path is written. */
export interface OutputPlacement {
  /** The path as given. */
  file: string;
  /** What is written: the path itself, or a symbolic link's final target. */
  target: string;
  /** Written in place (devices, FIFOs, /dev/stdout) rather than by rename. */
  inPlace: boolean;
  /** Permission bits of the existing regular file, kept on replacement. */
  mode?: number;
}

function isSpecialPath(p: string): boolean {
  return /^\/(dev|proc)\//.test(p);
}

/** Follows symbolic links (also dangling ones) to the path that would be written. */
async function followLinks(file: string): Promise<string> {
  let p = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const st = await fs.lstat(p).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (!st?.isSymbolicLink()) return p;
    p = resolve(dirname(p), await fs.readlink(p));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

/** The real path of `p` (links resolved), for paths that may not exist yet: the deepest existing ancestor is resolved. */
export async function realPathOf(p: string): Promise<string> {
  const target = await followLinks(p);
  const rest: string[] = [];
  let at = target;
  for (;;) {
    try {
      return join(await fs.realpath(at), ...rest.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return target;
      rest.push(basename(at));
      at = up;
    }
  }
}

/**
 * Decides how `file` is written, and checks now that it can be: not a folder, its folder
 * exists and takes a new file (a temporary file is created and removed). Stale temporary files
 * of earlier killed runs are removed on the way.
 */
export async function placeOutput(file: string): Promise<OutputPlacement> {
  try {
    if (isSpecialPath(resolve(file))) return { file, target: file, inPlace: true };
    const target = await followLinks(file);
    const st = await fs.stat(target).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (st?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (st && !st.isFile()) return { file, target, inPlace: true };
    const dir = await fs.stat(dirname(target)).catch(() => null);
    if (!dir?.isDirectory()) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
    removeStaleTemporaries(target);
    // Probe: a read-only, immutable or foreign folder fails here, before any work is done.
    const probe = tempPathFor(target);
    await (await fs.open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600)).close();
    await fs.unlink(probe);
    return { file, target, inPlace: false, ...(st ? { mode: st.mode & 0o7777 } : {}) };
  } catch (e) {
    throw outputFileError(file, e);
  }
}

// ---- writing ------------------------------------------------------------------------------

/**
 * A file written as a stream and made visible by `commit()`: atomically for regular files (a
 * temporary file renamed over the target; `abort()` or a crash leaves the target as it was), in
 * place for devices and FIFOs.
 */
export class AtomicFileStream {
  private constructor(
    readonly file: string,
    private readonly placement: OutputPlacement,
    private readonly tmp: string | null,
    readonly out: Writable,
  ) {
    // Errors surface through write()/commit() (see `errored`), never as an unhandled event.
    out.on('error', () => undefined);
  }

  /** Opens the output now, so an unwritable target fails before any work is done. */
  static async open(file: string, placement?: OutputPlacement): Promise<AtomicFileStream> {
    const place = placement ?? (await placeOutput(file));
    try {
      if (place.inPlace) {
        const handle = await fs.open(place.target, 'a');
        return new AtomicFileStream(file, place, null, handle.createWriteStream());
      }
      const tmp = tempPathFor(place.target);
      // Tracked before it exists: a signal arriving while the open completes still removes it.
      track(tmp);
      const handle = await fs.open(tmp, 'w', place.mode ?? 0o666).catch((e: unknown) => {
        untrack(tmp);
        throw e;
      });
      if (place.mode !== undefined) await handle.chmod(place.mode);
      return new AtomicFileStream(file, place, tmp, handle.createWriteStream());
    } catch (e) {
      throw outputFileError(file, e);
    }
  }

  async commit(): Promise<void> {
    try {
      if (this.out.errored) throw this.out.errored;
      this.out.end();
      await finished(this.out);
      if (this.tmp) {
        await fs.rename(this.tmp, this.placement.target);
        untrack(this.tmp);
      }
    } catch (e) {
      await this.abort();
      throw outputFileError(this.file, e);
    }
  }

  async abort(): Promise<void> {
    this.out.destroy();
    if (this.tmp) {
      await fs.rm(this.tmp, { force: true });
      untrack(this.tmp);
    }
  }
}

/** Writes a whole file (see AtomicFileStream for how). */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  await streamFileAtomic(file, async (out) => {
    await writeChunk(out, content);
  });
}

/**
 * Streams into `file` (see AtomicFileStream) once `produce` resolves; a failure (or a crash)
 * leaves no partial file under the target name.
 */
export async function streamFileAtomic(file: string, produce: (out: Writable) => Promise<void>): Promise<void> {
  const f = await AtomicFileStream.open(file);
  try {
    await produce(f.out);
  } catch (err) {
    await f.abort();
    throw err;
  }
  await f.commit();
}

/** Writes a chunk, waiting for 'drain' when the stream's buffer is full (backpressure). */
export function writeChunk(out: Writable, chunk: string | Buffer): Promise<void> | undefined {
  if (out.errored) return Promise.reject(out.errored);
  if (out.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => { out.off('error', onError); resolve(); };
    const onError = (e: Error): void => { out.off('drain', onDrain); reject(e); };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

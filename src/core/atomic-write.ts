import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';

function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Writes a file so that readers only ever see the old or the complete new content: the text goes
 * to a temporary file in the same directory, is flushed, then renamed over the target.
 */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * A file written as a stream under a temporary name and renamed over `file` by `commit()`;
 * `abort()` (or a crash) leaves no partial file under the target name.
 */
export class AtomicFileStream {
  private constructor(
    readonly file: string,
    private readonly tmp: string,
    readonly out: Writable,
  ) {
    // Errors surface through write()/commit() (see `errored`), never as an unhandled event.
    out.on('error', () => undefined);
  }

  /** Creates the temporary file now, so an unwritable target fails before any work is done. */
  static async open(file: string): Promise<AtomicFileStream> {
    const tmp = tempPathFor(file);
    const handle = await fs.open(tmp, 'w');
    return new AtomicFileStream(file, tmp, handle.createWriteStream());
  }

  async commit(): Promise<void> {
    if (this.out.errored) throw this.out.errored;
    this.out.end();
    await finished(this.out);
    await fs.rename(this.tmp, this.file);
  }

  async abort(): Promise<void> {
    this.out.destroy();
    await fs.rm(this.tmp, { force: true });
  }
}

/**
 * Streams into a temporary file and renames it over `file` once `produce` resolves; a failure
 * (or a crash) leaves no partial file under the target name.
 */
export async function streamFileAtomic(file: string, produce: (out: Writable) => Promise<void>): Promise<void> {
  const f = await AtomicFileStream.open(file);
  try {
    await produce(f.out);
    await f.commit();
  } catch (err) {
    await f.abort();
    throw err;
  }
}

/** Writes a chunk, waiting for 'drain' when the stream's buffer is full (backpressure). */
export function writeChunk(out: Writable, chunk: string): Promise<void> | undefined {
  if (out.errored) return Promise.reject(out.errored);
  if (out.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => { out.off('error', onError); resolve(); };
    const onError = (e: Error): void => { out.off('drain', onDrain); reject(e); };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

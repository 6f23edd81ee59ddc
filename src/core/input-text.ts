import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileError, InputError } from './errors';

/**
 * Reading input files (and standard input) as text, the same way for every reader: a UTF-8
 * byte-order mark is skipped, UTF-16 and UTF-32 are named as such, binary data (a NUL byte, as
 * in /dev/zero) and text that is not UTF-8 are refused, and nothing is read past a size limit,
 * so an endless input stops with a message instead of exhausting memory. Works on regular
 * files, devices, FIFOs and pipes alike: a file's size is never trusted, bytes are counted.
 */

const MiB = 1024 * 1024;

/** Size limits, documented in the README ("Input limits"). */
export const INPUT_LIMITS = {
  /** A YAML file: trustscan.yaml, a rule, a suppressions file. */
  yaml: 16 * MiB,
  /**
   * A JSON document read whole (a snapshot in the one-document form, results, a baseline).
   * Just under the longest string V8 can hold (2^29 − 24 characters).
   */
  document: 500 * MiB,
  /** One line of an NDJSON file (a snapshot record, a finding). */
  line: 64 * MiB,
} as const;

export function formatSize(bytes: number): string {
  return bytes >= MiB ? `${Math.round(bytes / MiB)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** What a limit is for, in messages: "larger than the 16 MiB limit for a YAML file". */
export interface LimitSpec {
  bytes: number;
  /** e.g. "a YAML file", "a snapshot read as one JSON document". */
  what: string;
  /** Added to the message: what to do instead. */
  hint?: string;
}

export function tooLarge(name: string, limit: LimitSpec): InputError {
  return InputError.at({ file: name }, `larger than the ${formatSize(limit.bytes)} limit for ${limit.what} (an endless stream, or the wrong file?)${limit.hint ? `. ${limit.hint}` : ''}`);
}

/** The encoding named by a byte-order mark, or by the NUL bytes of ASCII text in UTF-16/32. */
function foreignEncoding(head: Buffer): string | undefined {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return 'UTF-32LE (byte-order mark FF FE 00 00)';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return 'UTF-32BE (byte-order mark 00 00 FE FF)';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'UTF-16LE (byte-order mark FF FE)';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE (byte-order mark FE FF)';
  // Without a mark: ASCII text in UTF-16 has every other byte NUL.
  if (head.length >= 4) {
    const n = Math.min(head.length & ~1, 64);
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i++) {
      if (head[i] !== 0) continue;
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
    const pairs = n / 2;
    if (oddNul >= pairs * 0.75 && evenNul === 0) return 'UTF-16LE (no byte-order mark)';
    if (evenNul >= pairs * 0.75 && oddNul === 0) return 'UTF-16BE (no byte-order mark)';
  }
  return undefined;
}

/**
 * Checks bytes as they arrive and decodes them as UTF-8. One per input; `push` each chunk in
 * order, then `end`.
 */
export class TextInputDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private bytes = 0;
  private first = true;

  constructor(
    readonly name: string,
    private readonly limit?: LimitSpec,
  ) {}

  push(chunk: Buffer): string {
    if (this.first && chunk.length > 0) {
      this.first = false;
      const enc = foreignEncoding(chunk);
      if (enc) throw InputError.at({ file: this.name }, `the text is encoded in ${enc}; trustscan reads UTF-8: convert it (e.g. iconv -f UTF-16 -t UTF-8)`);
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw InputError.at({ file: this.name }, `binary data, not text (a NUL byte at byte ${this.bytes + nul + 1}): is it the right file?`);
    this.bytes += chunk.length;
    if (this.limit && this.bytes > this.limit.bytes) throw tooLarge(this.name, this.limit);
    try {
      return this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.notUtf8();
    }
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.notUtf8();
    }
  }

  private notUtf8(): InputError {
    return InputError.at({ file: this.name }, `not valid UTF-8 text (in the first ${formatSize(Math.max(this.bytes, 1024))}): save it as UTF-8`);
  }
}

/** Opens `file` for reading; errors name the file. */
export function openInput(file: string): Readable {
  return createReadStream(file, { highWaterMark: 1 << 16 });
}

/** Decoded text chunks of a stream, checked and limited (see TextInputDecoder). */
export async function* textChunks(stream: NodeJS.ReadableStream, name: string, limit?: LimitSpec): AsyncGenerator<string, void, void> {
  const decoder = new TextInputDecoder(name, limit);
  try {
    for await (const chunk of stream) {
      const text = decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      if (text) yield text;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fileError(name, e);
  } finally {
    (stream as Readable).destroy?.();
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Reads a whole input (a file, or a stream such as stdin) as text, within `limit`. */
export async function readInputText(source: string | { stream: NodeJS.ReadableStream; name: string }, limit: LimitSpec): Promise<string> {
  const { stream, name } = typeof source === 'string' ? { stream: openInput(source), name: source } : source;
  return collectText(textChunks(stream, name, limit), name, limit);
}

/** `readInputText` for callers that are synchronous (the rule loader). */
export function readInputTextSync(file: string, limit: LimitSpec): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw fileError(file, Object.assign(new Error(), { code: 'EISDIR' }));
    const decoder = new TextInputDecoder(file, limit);
    const buf = Buffer.allocUnsafe(1 << 16);
    let text = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      text += decoder.push(buf.subarray(0, n));
    }
    return text + decoder.end();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fileError(file, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Lines of decoded text (without their `\n` or `\r\n`), numbered from 1. A line longer than
 * `lineLimit` characters stops the read: an input without line breaks is not line-delimited.
 */
export async function* textLines(chunks: AsyncIterable<string>, name: string, lineLimit: LimitSpec = { bytes: INPUT_LIMITS.line, what: 'one line' }): AsyncGenerator<string, void, void> {
  let partial = '';
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      let line = partial + chunk.slice(start, nl);
      partial = '';
      if (line.endsWith('\r')) line = line.slice(0, -1);
      yield line;
      start = nl + 1;
    }
    partial += chunk.slice(start);
    if (partial.length > lineLimit.bytes) throw tooLarge(name, lineLimit);
  }
  if (partial !== '') yield partial.endsWith('\r') ? partial.slice(0, -1) : partial;
}

/**
 * Reads chunks until the first line is complete (or `max` characters are in), so a reader can
 * decide what the input is; `all` then yields everything from the start, once.
 */
export async function peekHead(chunks: AsyncGenerator<string, void, void>, max: number): Promise<{ head: string; all: () => AsyncGenerator<string, void, void> }> {
  let head = '';
  let next = await chunks.next();
  while (!next.done) {
    head += next.value;
    if (head.indexOf('\n') !== -1 || head.length >= max) break;
    next = await chunks.next();
  }
  const ended = next.done === true;
  async function* all(): AsyncGenerator<string, void, void> {
    if (head) yield head;
    if (ended) return;
    for (;;) {
      const n = await chunks.next();
      if (n.done) return;
      yield n.value;
    }
  }
  return { head, all };
}

/** Collects chunks into one string, refusing more than `limit` characters. */
export async function collectText(chunks: AsyncIterable<string>, name: string, limit: LimitSpec): Promise<string> {
  let text = '';
  for await (const t of chunks) {
    text += t;
    if (text.length > limit.bytes) throw tooLarge(name, limit);
  }
  return text;
}

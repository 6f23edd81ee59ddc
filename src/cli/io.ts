import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../core/atomic-write';
import { writeAroundProgress } from '../pipeline/progress';
import { colorsFor, type Colors } from '../report/style';

/** The streams a command talks to; tests pass their own. */
export interface CliIO {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  /** Where `-` reads from. */
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'pretty', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface GlobalOptions {
  logLevel: LogLevel;
  /** json: pino lines for machines; pretty: coloured, on a terminal; text: one plain line per entry (the default off a terminal). */
  logFormat?: LogFormat;
  color?: boolean;
  /** -q/--quiet: errors only on stderr, no progress line. */
  quiet?: boolean;
}

/*
 * pino and pino-pretty are required when the first logger is made, not when the CLI starts:
 * `--version` and `--help` never log.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const loadPino = (): typeof import('pino') => require('pino') as typeof import('pino');
const loadPretty = (): typeof import('pino-pretty') => require('pino-pretty') as typeof import('pino-pretty');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Structured (pino) logs on stderr: readable lines on a terminal, one plain line per entry when
 * stderr is a file or a pipe (CI logs, cron mail), JSON lines with `--log-format json` for
 * machines. Every line is written around the progress line, never over it.
 */
export function createLogger(io: CliIO, opts: GlobalOptions): Logger {
  const pino = loadPino();
  const format = opts.logFormat ?? (io.stderr.isTTY ? 'pretty' : 'text');
  const base = { level: opts.logLevel, base: { name: 'trustscan' }, timestamp: pino.stdTimeFunctions.isoTime };
  const destination = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _enc, done): void {
      writeAroundProgress(io.stderr, String(chunk));
      done();
    },
  });
  if (format === 'json') return pino(base, { write: (s: string): void => void writeAroundProgress(io.stderr, s) });
  const pretty = format === 'pretty';
  const stream = loadPretty()({
    destination,
    sync: true,
    colorize: pretty && (opts.color ?? (io.stderr.isTTY === true && io.env.NO_COLOR === undefined)),
    ignore: 'pid,hostname,name',
    translateTime: pretty ? 'HH:MM:ss' : 'UTC:yyyy-mm-dd"T"HH:MM:ss.l"Z"',
    singleLine: !pretty,
  });
  return pino(base, stream);
}

export function stdoutColors(io: CliIO, opts: GlobalOptions): Colors {
  if (opts.color === false) return colorsFor(false, {});
  if (opts.color === true) return colorsFor(true, { FORCE_COLOR: '1' });
  return colorsFor(io.stdout.isTTY === true, io.env);
}

export function terminalWidth(io: CliIO): number {
  return io.stdout.isTTY && io.stdout.columns ? Math.max(80, io.stdout.columns) : 140;
}

/** Writes a command's output: to stdout, or atomically to `file`. */
export async function emit(io: CliIO, text: string, file?: string): Promise<void> {
  if (file && file !== '-') {
    await writeFileAtomic(file, text);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    io.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

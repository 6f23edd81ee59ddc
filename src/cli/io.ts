import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../core/atomic-write';
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

export interface GlobalOptions {
  logLevel: LogLevel;
  logFormat?: 'json' | 'pretty';
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

/** Structured logs on stderr: JSON lines, or readable lines on a terminal (`--log-format`). */
export function createLogger(io: CliIO, opts: GlobalOptions): Logger {
  const pino = loadPino();
  const format = opts.logFormat ?? (io.stderr.isTTY ? 'pretty' : 'json');
  const base = { level: opts.logLevel, base: { name: 'trustscan' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') {
    const stream = loadPretty()({
      destination: io.stderr,
      sync: true,
      colorize: opts.color ?? (io.stderr.isTTY === true && io.env.NO_COLOR === undefined),
      ignore: 'pid,hostname,name',
      translateTime: 'HH:MM:ss',
    });
    return pino(base, stream);
  }
  return pino(base, io.stderr);
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

/**
 * Errors a user can fix. The CLI prints their message as one line and exits with `exitCode`;
 * anything else is a bug and is reported with a stack trace only at debug level.
 */

/** Exit codes, documented in the README and in `trustscan --help`. */
export const EXIT = {
  /** Ran; nothing at or above the --fail-on threshold. */
  OK: 0,
  /** Ran; findings at or above the --fail-on threshold. */
  FINDINGS: 1,
  /** Bad usage or bad input (file missing, malformed rule, snapshot, config). */
  INPUT: 2,
  /** Internal error: a bug in trustscan. */
  INTERNAL: 3,
} as const;

/** A location in an input file. Line and column are 1-based. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer into the document, when there is no line (e.g. a JSON snapshot). */
  pointer?: string;
}

export function formatLocation(loc: Location): string {
  let s = loc.file;
  if (loc.line !== undefined) {
    s += `:${loc.line}`;
    if (loc.column !== undefined) s += `:${loc.column}`;
  }
  if (loc.pointer !== undefined) s += ` at ${loc.pointer === '' ? '/' : loc.pointer}`;
  return s;
}

/** One problem in one input file. */
export interface Problem extends Location {
  message: string;
}

export function formatProblem(p: Problem): string {
  // One problem, one line: messages quoting input may carry newlines.
  return `${formatLocation(p)}: ${p.message.replace(/\s*\n\s*/g, ' ')}`;
}

/** Bad input: one or more located problems. Exit code 2. */
export class InputError extends Error {
  readonly exitCode = EXIT.INPUT;
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
  }
  static at(loc: Location, message: string): InputError {
    return new InputError([{ ...loc, message }]);
  }
}

/** Bad command-line usage. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.INPUT;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Node's ENOENT/EACCES/EISDIR as an InputError naming the file. */
export function fileError(file: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory, expected a file'
    : code === 'ENOTDIR' ? 'not a directory'
    : (err as Error)?.message ?? String(err);
  return InputError.at({ file }, reason);
}

/** Why a file system operation failed, in words (Node's codes are not for users). */
const IO_REASONS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (an immutable file or folder?)',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error on the device',
  ENXIO: 'no reader on the other end (a FIFO nobody reads?)',
  EBUSY: 'the file is busy',
  EMFILE: 'too many open files',
  EXDEV: 'cannot rename across file systems',
  EEXIST: 'a file of that name is in the way (a folder is needed there)',
};

/** The file system error codes an output can meet that are the environment's, not a bug. */
export function isEnvironmentIoError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && code in IO_REASONS;
}

/** A failure to write an output file, as an InputError (exit 2) naming the file. */
export function outputFileError(file: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const reason = (code && IO_REASONS[code]) ?? (err as Error)?.message ?? String(err);
  return InputError.at({ file }, `cannot write the output: ${reason}`);
}

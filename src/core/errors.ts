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

import type { Logger } from 'pino';
import { type CallFailure, CallLedger, type CallPlace, type Limit } from '../../../collect/calls';
import type { CoverageOutcome, Provider } from '../../../core/types';
import { type AnswerTable, fieldProblem, InvalidAnswerError } from './answer-shape';
import type { CoverageRecorder } from './coverage';
import { withDeadline } from './deadline';
import { attemptsOf, classifyError, errorCode, errorMessage } from './errors';

export type { Limit };

export type CallResult<T> = { ok: true; value: T } | (CallFailure & { code: string });

/** `service` as in the coverage contract: `iam`, `s3`, `s3control`, `cloudtrail`, … */
export interface CallSpec extends CallPlace {
  /** Error codes that mean "not configured": a fact, so the call counts as ok and answers null. */
  absent?: readonly string[];
  /**
   * Errors that mean "not configured" but share their code with real failures (Macie answers
   * AccessDeniedException with "Macie is not enabled"): decided by code and message together.
   */
  absentWhen?: (code: string, message: string) => boolean;
}

/** Sends one request; hand `signal` to the SDK (`{ abortSignal: signal }`) so the deadline can stop it. */
export type Send<T> = (signal: AbortSignal) => Promise<T>;

export interface CallRules {
  /** What each operation's answer must hold, per `service:Operation`. */
  answers: AnswerTable;
  /** Time for one call, all attempts included, counted from when it gets its limiter slot. */
  callTimeoutMs: number;
  /** Provider name for the coverage. */
  provider: Provider;
}

/**
 * Runs the API calls of one account: each HTTP request waits for a slot of the account's limiter
 * and of the scan-wide one, its attempts (retries) and pages are counted, and its outcome is
 * recorded in the coverage. Callers get a result, never an exception, so a failure can only become
 * a recorded gap, not a silently empty list. An answer without what its operation promises, and a
 * call without a complete answer before its deadline, are failures like an HTTP 5xx.
 */
export class AccountCalls {
  private readonly ledger: CallLedger;

  constructor(
    readonly account: string,
    private readonly limit: Limit,
    coverage: CoverageRecorder,
    log: Logger,
    private readonly rules: CallRules,
    private readonly onRequests: (n: number) => void = () => {},
  ) {
    this.ledger = new CallLedger(rules.provider, account, coverage, log);
  }

  /** One request under the limiters and the deadline, its answer checked against the operation's shape. */
  private async send<T>(spec: CallSpec, send: Send<T>): Promise<T> {
    const key = `${spec.service}:${spec.operation}`;
    const shape = this.rules.answers[key];
    // A programming error, caught by the tests: an operation nobody declared cannot be checked.
    if (!shape) throw new Error(`no answer shape is declared for ${key}: add it to the answer table`);
    const out = await this.limit(() => withDeadline(this.rules.callTimeoutMs, send));
    const problem = fieldProblem(shape, out);
    if (problem) throw Object.assign(new InvalidAnswerError(problem, 200), { $metadata: (out as { $metadata?: unknown })?.$metadata });
    return out;
  }

  private fail<T>(spec: CallSpec, err: unknown, calls: number): CallResult<T> {
    return { ...this.ledger.failed(spec, classifyError(err), errorMessage(err, calls), calls), code: errorCode(err) };
  }

  private ok(spec: CallSpec, calls: number): void {
    this.ledger.ok(spec, calls);
  }

  /** Records a failure that is not an SDK error (a report that never completed, an unreadable answer). */
  gap(spec: CallSpec, outcome: CoverageOutcome, message: string): void {
    this.ledger.failed(spec, outcome, message, 0);
  }

  /** One request (the SDK retries inside it). */
  async one<T>(spec: CallSpec, send: Send<T>): Promise<CallResult<T | null>> {
    try {
      const out = await this.send(spec, send);
      const n = attemptsOf(out);
      this.onRequests(n);
      this.ok(spec, n);
      return { ok: true, value: out };
    } catch (err) {
      const n = attemptsOf(err);
      this.onRequests(n);
      if (spec.absent?.includes(errorCode(err)) || spec.absentWhen?.(errorCode(err), String((err as { message?: unknown })?.message ?? ''))) {
        this.ok(spec, n);
        return { ok: true, value: null };
      }
      return this.fail(spec, err, n);
    }
  }

  /**
   * A paginated operation: every page, one coverage entry. A failure on any page fails the whole
   * listing — a partial list must not look complete. An `absent` error on the first page (the
   * feature is not in use) is an empty listing.
   */
  async pages<T>(spec: CallSpec, send: (token: string | undefined, signal: AbortSignal) => Promise<T>, next: (page: T) => string | undefined): Promise<CallResult<T[]>> {
    const out: T[] = [];
    let calls = 0;
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      let page: T;
      try {
        page = await this.send(spec, (signal) => send(token, signal));
      } catch (err) {
        const n = attemptsOf(err);
        calls += n;
        this.onRequests(n);
        if (out.length === 0 && spec.absent?.includes(errorCode(err))) {
          this.ok(spec, calls);
          return { ok: true, value: out };
        }
        return this.fail(spec, err, calls);
      }
      const n = attemptsOf(page);
      calls += n;
      this.onRequests(n);
      out.push(page);
      token = next(page) || undefined;
      if (token === undefined) break;
      if (seen.has(token)) return this.fail(spec, new Error(`pagination token repeated (${token.slice(0, 40)}): the service looped`), calls);
      seen.add(token);
    }
    this.ok(spec, calls);
    return { ok: true, value: out };
  }
}

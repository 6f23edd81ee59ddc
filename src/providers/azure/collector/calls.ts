import type { Logger } from 'pino';
import { type CallFailure, CallLedger, type CallPlace, type Limit } from '../../../collect/calls';
import type { CoverageOutcome } from '../../../core/types';
import type { CoverageRecorder } from './coverage';
import { classifyError, errorCode, errorMessage } from './errors';
import { answerProblem, type CallTrace, type Expect, newTrace, withTrace } from './http';

export type { Limit };

export type CallResult<T> = { ok: true; value: T } | (CallFailure & { code: string });

/**
 * `service` as in the coverage contract: `storage`, `keyvault`, `network`, `monitor`, `security`,
 * `sql`, `authorization`, `resourcegraph`, `subscriptions`; `operation` is the REST operation id
 * (`StorageAccounts_List`, `BlobServices_GetServiceProperties`, …); `region` the one the call
 * concerns (a resource's location), or `global`; `resourceId` a lower-case ARM id.
 */
export interface CallSpec extends CallPlace {
  /** Error codes that mean "not configured": a fact, so the call counts as ok and answers null. */
  absent?: readonly string[];
  /** What a successful answer must hold (default: `list` for pages, `document` for one). */
  expect?: Expect;
}

export interface CallSettings {
  /** Time one logical call (one page, with its retries) may take before it is abandoned (ms). */
  callTimeoutMs: number;
}

/**
 * Runs the API calls of one subscription, shaped like the AWS collector's AccountCalls: each
 * request waits for a slot of the subscription's limiter and of the scan-wide one; its requests
 * (pages and retries) are counted; its outcome is recorded in the coverage. Callers get a result,
 * never an exception, so a failure can only become a recorded gap, not a silently empty list.
 * An answer that lacks what the operation promises, a paging loop and a timeout are gaps too.
 */
export class SubscriptionCalls {
  private readonly ledger: CallLedger;

  constructor(
    readonly account: string,
    private readonly limit: Limit,
    coverage: CoverageRecorder,
    log: Logger,
    private readonly settings: CallSettings,
    private readonly onRequests: (n: number) => void = () => {},
  ) {
    this.ledger = new CallLedger('azure', account, coverage, log, { accountField: 'subscription' });
  }

  private fail<T>(spec: CallSpec, err: unknown, calls: number): CallResult<T> {
    return { ...this.ledger.failed(spec, classifyError(err), errorMessage(err, calls), calls), code: errorCode(err) };
  }

  private ok(spec: CallSpec, calls: number): void {
    this.ledger.ok(spec, calls);
  }

  /** Records a failure that is not an SDK error (a subscription not visible, an unreadable answer). */
  gap(spec: CallSpec, outcome: CoverageOutcome, message: string, calls = 0): void {
    this.ledger.failed(spec, outcome, message, calls);
  }

  /** Records a success made outside this class (a shared tenant-wide query). */
  succeeded(spec: CallSpec, calls: number): void {
    this.ledger.ok(spec, calls);
  }

  /** One attempt of `fn` (its HTTP retries inside) under both limiters, traced and timed out. */
  private run<T>(trace: CallTrace, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.limit(() => withTrace(trace, () => fn(AbortSignal.timeout(this.settings.callTimeoutMs))));
  }

  private settle(trace: CallTrace, counted: number): number {
    const n = trace.requests - counted;
    this.onRequests(n);
    return n;
  }

  /** One request (the SDK retries inside it): a GET of one document, or a list answered in one piece. */
  async one<T>(spec: CallSpec, send: (signal: AbortSignal) => Promise<T>): Promise<CallResult<T | null>> {
    const trace = newTrace(spec.expect ?? 'document');
    try {
      const out = await this.run(trace, send);
      const n = this.settle(trace, 0);
      const problem = answerProblem(trace);
      if (problem) return this.malformed(spec, problem, n);
      this.ok(spec, n);
      return { ok: true, value: out };
    } catch (err) {
      const n = this.settle(trace, 0);
      // The client choked on an answer that was not the promised one: say so, not its TypeError.
      if (trace.badAnswer) return this.malformed(spec, trace.badAnswer, n);
      if (spec.absent?.includes(errorCode(err))) {
        this.ok(spec, n);
        return { ok: true, value: null };
      }
      return this.fail(spec, err, Math.max(n, 1));
    }
  }

  /**
   * A listing the SDK pages through nextLink (`client.x.list().byPage()`): every page, one
   * coverage entry. A failure on any page fails the whole listing — a partial list must not look
   * complete. An `absent` error on the first page is an empty listing.
   */
  async list<T>(spec: CallSpec, pages: (signal: AbortSignal) => AsyncIterableIterator<T[]>): Promise<CallResult<T[]>> {
    const trace = newTrace(spec.expect ?? 'list');
    const out: T[] = [];
    let iterator: AsyncIterableIterator<T[]> | undefined;
    // The whole listing shares one deadline: the SDK's pager takes its signal once.
    const signal = AbortSignal.timeout(this.settings.callTimeoutMs);
    try {
      for (;;) {
        const step = await this.run(trace, () => (iterator ??= pages(signal)).next());
        if (step.done) break;
        out.push(...(step.value ?? []));
      }
    } catch (err) {
      const n = this.settle(trace, 0);
      if (trace.badAnswer) return this.malformed(spec, trace.badAnswer, n);
      if (out.length === 0 && spec.absent?.includes(errorCode(err))) {
        this.ok(spec, n);
        return { ok: true, value: [] };
      }
      return this.fail(spec, err, Math.max(n, 1));
    }
    const n = this.settle(trace, 0);
    const problem = answerProblem(trace);
    if (problem) return this.malformed(spec, problem, n);
    this.ok(spec, n);
    return { ok: true, value: out };
  }

  /**
   * A paginated operation driven by a continuation token (Resource Graph's `$skipToken`), like
   * the AWS call layer's `pages`: a repeated token is a loop, and a gap.
   */
  async pages<T>(spec: CallSpec, send: (token: string | undefined, signal: AbortSignal) => Promise<T>, next: (page: T) => string | undefined): Promise<CallResult<T[]>> {
    const trace = newTrace(spec.expect ?? 'list');
    const out: T[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      let page: T;
      try {
        page = await this.run(trace, (signal) => send(token, signal));
      } catch (err) {
        const n = this.settle(trace, 0);
        if (trace.badAnswer) return this.malformed(spec, trace.badAnswer, n);
        return this.fail(spec, err, Math.max(n, 1));
      }
      out.push(page);
      token = next(page) || undefined;
      if (token === undefined) break;
      if (seen.has(token)) return this.fail(spec, new Error(`continuation token repeated (${token.slice(0, 40)}): the service looped`), this.settle(trace, 0));
      seen.add(token);
    }
    const n = this.settle(trace, 0);
    if (trace.badAnswer) return this.malformed(spec, trace.badAnswer, n);
    this.ok(spec, n);
    return { ok: true, value: out };
  }

  /** An answer that is not the one the operation promises: an `error` gap. */
  private malformed<T>(spec: CallSpec, message: string, calls: number): CallResult<T> {
    return { ...this.ledger.failed(spec, 'error', message, Math.max(calls, 1)), code: 'MalformedAnswer' };
  }
}

import type { Logger } from 'pino';
import { type CallFailure, CallLedger, type CallPlace, type Limit } from '../../../collect/calls';
import type { CoverageOutcome } from '../../../core/types';
import type { CoverageRecorder } from './coverage';
import { CallTimeoutError, classifyError, errorMessage, httpStatusOf, isRetryable, MalformedAnswerError, type RawAnswer } from './errors';
import { attempts, type AttemptStore } from './transport';

export type { Limit };

export type CallResult<T> = { ok: true; value: T } | (CallFailure & { status: number | undefined });

/** Our retries: the gax clients do not retry on the HTTP path, and Storage/googleapis ones are told not to. */
export interface RetrySettings {
  /** Requests per call, the first included. */
  maxAttempts: number;
  /** Backoff before retry n is random × min(maxDelayMs, baseDelayMs × 2^(n-1)) (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt that has not answered after this long is abandoned (and retried). */
  timeoutMs: number;
}

/** Eight attempts ride out a quota burst (about 40 s of waiting at worst) while limiters keep the pressure bounded. */
export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 20_000, timeoutMs: 60_000 };

/** What a client method gets to pass on: our retries only, and our timeout. */
export interface SendOptions {
  retry: null;
  timeout: number;
}

/** `service` as in coverage: `cloudresourcemanager`, `iam`, `storage`, `cloudkms`, `logging`, `compute`, `sqladmin`, `serviceusage`; `region` is `global` or a location. */
export interface CallSpec extends CallPlace {
  /** HTTP statuses that mean "not configured": a fact, so the call counts as ok and answers null. */
  absent?: readonly number[];
  /** Top-level fields every answer carries (a policy's etag, a project's projectId): one missing is an error. */
  promise?: readonly string[];
  /** A listing's item field: a non-empty answer carrying neither it nor nextPageToken is an error. */
  list?: string;
  /** What the decoded answer must satisfy beyond its shape (every binding of a policy has its role); the problem, or undefined. */
  check?: (value: unknown) => string | undefined;
  /** The raw answer, for clients whose requests do not pass our transport (Storage, googleapis): they return it. */
  rawOf?: (value: unknown) => unknown;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Why a 2xx answer is not what the operation promises; undefined when it is. */
function answerProblem(spec: CallSpec, raw: RawAnswer | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.json === undefined) return `the answer is not JSON (${raw.text ?? 'empty body'})`;
  if (!isObject(raw.json)) return `the answer is not a JSON object (${JSON.stringify(raw.json).slice(0, 60)})`;
  const keys = Object.keys(raw.json);
  for (const f of spec.promise ?? []) if (!(f in raw.json)) return `the answer lacks '${f}'`;
  // A list, or a map of lists for aggregated listings (Compute's items by region).
  if (spec.list && spec.list in raw.json && !Array.isArray(raw.json[spec.list]) && !isObject(raw.json[spec.list])) return `'${spec.list}' in the answer is not a list`;
  if (spec.list && keys.length > 0 && !keys.some((k) => k === spec.list || k === 'nextPageToken' || k === 'unreachable' || k === 'kind')) {
    return `the answer carries neither '${spec.list}' nor 'nextPageToken' (fields: ${keys.slice(0, 5).join(', ')})`;
  }
  return undefined;
}

function rawFromError(err: unknown): RawAnswer | undefined {
  const res = (err as { response?: { status?: unknown; data?: unknown } })?.response;
  if (res && typeof res.status === 'number') return { status: res.status, ...(isObject(res.data) ? { json: res.data } : {}) };
  return undefined;
}

/**
 * Runs the API calls of one project (or organization, or folder): every attempt waits for a slot of
 * the unit's limiter and of the scan-wide one, is abandoned after `timeoutMs`, and is retried with
 * backoff when it failed transiently (429, 5xx, timeout, dropped connection); a 2xx answer that is
 * not what the operation promises is an error too. Each logical call becomes one coverage entry
 * with its outcome and the requests it took. Callers get a result, never an exception.
 */
export class ProjectCalls {
  private readonly ledger: CallLedger;

  constructor(
    readonly account: string,
    private readonly limit: Limit,
    coverage: CoverageRecorder,
    log: Logger,
    private readonly retry: RetrySettings,
    private readonly onRequests: (n: number) => void = () => {},
  ) {
    // An API that is off is a fact about the project, not a problem of the scan: no warning.
    this.ledger = new CallLedger('gcp', account, coverage, log, { quiet: ['not-enabled'] });
  }

  /** Records a failure that is not a call's (an answer the collector could not use). */
  gap(spec: CallSpec, outcome: CoverageOutcome, message: string): void {
    this.ledger.failed(spec, outcome, message, 0);
  }

  /**
   * One request with our retries. `send` gets the options to pass to the client method.
   * Resolves to the value, or to `{failed}` with what the last attempt saw.
   */
  private async attempt<T>(spec: CallSpec, send: (o: SendOptions) => Promise<T>): Promise<{ value: T; requests: number } | { err: unknown; raw: RawAnswer | undefined; requests: number }> {
    const { maxAttempts, baseDelayMs, maxDelayMs, timeoutMs } = this.retry;
    for (let n = 1; ; n++) {
      const store: AttemptStore = {};
      let err: unknown;
      try {
        const value = await this.limit(() =>
          attempts.run(store, () => {
            let timer: NodeJS.Timeout | undefined;
            const call = send({ retry: null, timeout: timeoutMs });
            const timeout = new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new CallTimeoutError(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
            });
            call.catch(() => {}); // a late failure of an abandoned attempt is not unhandled
            return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
          }),
        );
        this.onRequests(1);
        const raw = store.raw ?? (spec.rawOf ? { status: 200, json: spec.rawOf(value) } : undefined);
        const problem = answerProblem(spec, raw) ?? spec.check?.(value);
        if (!problem) return { value, requests: n };
        err = new MalformedAnswerError(problem);
        return { err, raw: undefined, requests: n };
      } catch (e) {
        this.onRequests(1);
        err = e;
      }
      const raw = store.raw ?? rawFromError(err);
      // A 2xx whose body the client could not decode: what the service promised never came.
      if (raw && raw.status < 300) return { err: new MalformedAnswerError(answerProblem(spec, raw) ?? `the answer could not be decoded (${(err as Error)?.message ?? err})`), raw: undefined, requests: n };
      if (n >= maxAttempts || !isRetryable(err, raw)) return { err, raw, requests: n };
      await sleep(Math.floor(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1))));
    }
  }

  private failed<T>(spec: CallSpec, err: unknown, raw: RawAnswer | undefined, calls: number): CallResult<T> {
    return { ...this.ledger.failed(spec, classifyError(err, raw), errorMessage(err, raw, calls), calls), status: httpStatusOf(err, raw) };
  }

  /** One logical call. */
  async one<T>(spec: CallSpec, send: (o: SendOptions) => Promise<T>): Promise<CallResult<T | null>> {
    const r = await this.attempt(spec, send);
    if ('value' in r) {
      this.ledger.ok(spec, r.requests);
      return { ok: true, value: r.value };
    }
    const status = httpStatusOf(r.err, r.raw);
    if (status !== undefined && spec.absent?.includes(status) && !(r.err instanceof MalformedAnswerError)) {
      this.ledger.ok(spec, r.requests);
      return { ok: true, value: null };
    }
    return this.failed(spec, r.err, r.raw, r.requests);
  }

  /**
   * A paginated listing: every page, one coverage entry. A failure on any page fails the whole
   * listing (a partial list must not look complete), and so does a page token seen twice.
   */
  async pages<T>(spec: CallSpec, send: (token: string | undefined, o: SendOptions) => Promise<T>, next: (page: T) => string | null | undefined): Promise<CallResult<T[]>> {
    const out: T[] = [];
    let calls = 0;
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const r = await this.attempt(spec, (o) => send(token, o));
      calls += r.requests;
      if (!('value' in r)) return this.failed(spec, r.err, r.raw, calls);
      out.push(r.value);
      token = next(r.value) || undefined;
      if (token === undefined) break;
      if (seen.has(token)) return this.failed(spec, new MalformedAnswerError(`page token repeated (${token.slice(0, 40)}): the service looped`), undefined, calls);
      seen.add(token);
    }
    this.ledger.ok(spec, calls);
    return { ok: true, value: out };
  }
}

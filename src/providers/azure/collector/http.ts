import { AsyncLocalStorage } from 'node:async_hooks';
import { createDefaultHttpClient, type HttpClient, type PipelineRequest, type PipelineResponse, RestError } from '@azure/core-rest-pipeline';

/**
 * The HTTP layer under every Azure client. It sees each request of a logical call (pages and
 * retries included), through the call's trace in async-local storage, so the call layer can:
 * count requests per operation, notice an answer that lacks what the operation promises (a 200
 * without `value`, an HTML page from a proxy), stop a paging loop (a nextLink answered before),
 * and give each request a timeout. It also adds the extra certificate authorities to trust.
 */

/** What an operation's successful answers must contain. */
export type Expect = 'list' | 'document' | 'graph';

export interface CallTrace {
  expect: Expect;
  /** HTTP requests sent for the call. */
  requests: number;
  /** GET URLs already answered with success: asking again means the pages loop. */
  answered: Set<string>;
  /** Why an answer was not the one promised (the first such answer). */
  badAnswer?: string;
  /** nextLinks answered but not yet requested: a client that stops early would leave a partial list. */
  pendingNext: Set<string>;
}

/** A URL compared without its api-version (clients may add or replace it on a nextLink). */
function pageKey(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('api-version');
    u.searchParams.sort();
    return `${u.host.toLowerCase()}${u.pathname.toLowerCase()}?${u.searchParams.toString()}`;
  } catch {
    return url;
  }
}

/** Why the call's answers are incomplete or not the promised ones, if they are. */
export function answerProblem(trace: CallTrace): string | undefined {
  if (trace.badAnswer) return trace.badAnswer;
  if (trace.pendingNext.size > 0) return 'the service answered with more pages (nextLink) than the client followed: the list is incomplete';
  return undefined;
}

const traces = new AsyncLocalStorage<CallTrace>();

/** Runs `fn` with `trace` as the current call's trace. */
export function withTrace<T>(trace: CallTrace, fn: () => Promise<T>): Promise<T> {
  return traces.run(trace, fn);
}

export function newTrace(expect: Expect): CallTrace {
  return { expect, requests: 0, answered: new Set(), pendingNext: new Set() };
}

function checkAnswer(trace: CallTrace, res: PipelineResponse): void {
  if (trace.badAnswer) return;
  const text = res.bodyAsText ?? '';
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    trace.badAnswer = `answered ${res.status} with a body that is not JSON (${(res.headers.get('content-type') ?? 'no content type').slice(0, 60)})`;
    return;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    trace.badAnswer = `answered ${res.status} without a JSON object`;
    return;
  }
  const b = body as Record<string, unknown>;
  if (typeof b.nextLink === 'string' && b.nextLink !== '') trace.pendingNext.add(pageKey(b.nextLink));
  if (trace.expect === 'list' && !Array.isArray(b.value)) trace.badAnswer = `answered ${res.status} without the 'value' list the operation promises`;
  if (trace.expect === 'graph' && !Array.isArray(b.data)) trace.badAnswer = `answered ${res.status} without the 'data' rows a Resource Graph query promises`;
}

export interface HttpSettings {
  /** Extra certificate authorities (PEM) to trust. */
  ca?: string;
  /** Timeout of one HTTP request (ms). */
  requestTimeoutMs: number;
}

export class TracingHttpClient implements HttpClient {
  private readonly inner: HttpClient = createDefaultHttpClient();
  /**
   * One object for every request: the Node client keeps its keep-alive agents per TLS settings
   * object, so a fresh object per request would mean a new connection and TLS handshake each time.
   */
  private readonly tls: PipelineRequest['tlsSettings'];

  constructor(private readonly settings: HttpSettings) {
    this.tls = settings.ca ? { ca: settings.ca } : undefined;
  }

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (this.tls && !request.tlsSettings) request.tlsSettings = this.tls;
    if (!request.timeout) request.timeout = this.settings.requestTimeoutMs;
    const trace = traces.getStore();
    if (trace) {
      if (request.method === 'GET' && trace.answered.has(request.url)) {
        throw new RestError(`the service's nextLink points back to a page already read (${request.url.slice(0, 120)}): the pages loop`, { code: 'PaginationLoop' });
      }
      trace.requests++;
      trace.pendingNext.delete(pageKey(request.url));
    }
    const res = await this.inner.sendRequest(request);
    if (trace && res.status >= 200 && res.status < 300) {
      if (request.method === 'GET') trace.answered.add(request.url);
      checkAnswer(trace, res);
    }
    return res;
  }
}

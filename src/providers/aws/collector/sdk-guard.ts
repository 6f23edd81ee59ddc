import { ConfiguredRetryStrategy, isThrottlingError } from '@smithy/core/retry';
import type { DeserializeHandler, DeserializeHandlerArguments, HandlerExecutionContext, Pluggable, RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import type { Logger } from 'pino';
import { type AnswerTable, describeBody, documentProblem, inspectBody, InvalidAnswerError, isErrorDocument } from './answer-shape';
import { type AttemptFailure, retryVerdict } from './retry-policy';

/**
 * The AWS SDK side of the answer checks, the retry policy and the logging: a middleware that reads
 * each raw answer before the SDK decodes it, a retry strategy that retries only what may pass, and
 * the SDK's warnings routed to the structured logger.
 */

/** Error codes with which an endpoint says it does not implement an operation: final, not transient. */
const NOT_IMPLEMENTED = new Set(['NotImplemented', 'NotImplementedException', 'UnknownOperationException', 'InvalidAction', 'UnsupportedOperation', 'UnsupportedOperationException']);
/** Connection failures that repeat as long as nothing changes on the other side. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: unknown;
}

/** The SDK could not decode the body (an XML or JSON parser failed on it). */
export function isParseError(err: unknown): boolean {
  const e = err as SdkLikeError;
  return e instanceof SyntaxError || /Deserialization error|XML parse error|is not valid JSON|Unexpected (token|end of JSON)/.test(e?.message ?? '');
}

/** What a failed attempt was, in the retry policy's terms. */
export function attemptFailure(err: unknown): AttemptFailure {
  const e = (err ?? {}) as SdkLikeError;
  const code = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const out: AttemptFailure = {};
  if (status !== undefined) out.status = status;
  if (isThrottlingError(err as Parameters<typeof isThrottlingError>[0])) out.throttled = true;
  if (NOT_IMPLEMENTED.has(code)) out.notImplemented = true;
  if (err instanceof InvalidAnswerError) out.foreignBody = err.body ?? 'text';
  else if (isParseError(err)) out.foreignBody = 'truncated';
  if (e.code && UNREACHABLE.has(e.code)) out.unreachable = e.code;
  return out;
}

/**
 * Retries what may pass and gives up at once on what will not (see retry-policy.ts); the backoff
 * and the attempt budget are those of ConfiguredRetryStrategy.
 */
export class TransientRetryStrategy extends ConfiguredRetryStrategy {
  /** The failure that led to each retry token, so the next failure can be compared with it. */
  private readonly before = new WeakMap<object, AttemptFailure>();

  override async refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken> {
    const now = attemptFailure(info.error);
    const verdict = retryVerdict(now, this.before.get(token));
    if (verdict === 'stop') throw new Error('not retried: the same answer would come again');
    const next = await super.refreshRetryTokenForRetry(token, verdict === 'retry' && info.errorType !== 'THROTTLING' ? { ...info, errorType: 'TRANSIENT' } : info);
    this.before.set(next, now);
    return next;
  }
}

async function readAll(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    return Buffer.concat(chunks);
  }
  return new Uint8Array();
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

const isRawResponse = (r: unknown): r is RawResponse => !!r && typeof (r as RawResponse).statusCode === 'number' && typeof (r as RawResponse).headers === 'object';

/**
 * Reads every raw answer of a client before the SDK decodes it, and refuses what is not the
 * operation's document: a 2xx whose body is empty, HTML, cut short or rooted elsewhere, and an
 * error status whose body is no error document of the protocol (a proxy's page). The refusal is an
 * InvalidAnswerError carrying the status, so the retry policy can judge it.
 *
 * It sits right after the deserializer in the stack (inside it, next to the wire), so the body
 * it reads is handed on to the SDK as bytes.
 */
export function answerCheckPlugin(service: string, table: AnswerTable): Pluggable<object, object> {
  return {
    applyToStack(stack) {
      stack.addRelativeTo(
        (next: DeserializeHandler<object, object>, context: HandlerExecutionContext) => async (args: DeserializeHandlerArguments<object>) => {
          const result = await next(args);
          const response = result.response;
          const operation = String(context.commandName ?? '').replace(/Command$/, '');
          const shape = table[`${service}:${operation}`];
          if (!shape || !isRawResponse(response)) return result;
          const bytes = await readAll(response.body);
          response.body = bytes;
          const info = inspectBody(bytes);
          const status = response.statusCode;
          const fail = (message: string): never => {
            const err = new InvalidAnswerError(message, status, info.complete ? info.kind : 'truncated');
            Object.assign(err, { $metadata: { httpStatusCode: status }, $fault: status >= 500 ? 'server' : 'client' });
            Object.defineProperty(err, '$response', { value: response, enumerable: false });
            throw err;
          };
          if (status >= 200 && status < 300) {
            const problem = documentProblem(shape.document, info);
            if (problem) fail(`HTTP ${status} with ${problem}`);
          } else if (!isErrorDocument(info) && !Object.keys(response.headers).some((h) => h.toLowerCase() === 'x-amzn-errortype')) {
            fail(`HTTP ${status} with ${describeBody(info)}, not an error of the service`);
          }
          return result;
        },
        { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'trustscanAnswerCheck', override: true },
      );
    },
  };
}

const text = (args: unknown[]): string =>
  args
    .map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a)))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 1000);

/** What the SDK's per-command log line names, without the input and output it also carries. */
function commandOf(a: unknown[]): Record<string, unknown> {
  const o = (a[0] ?? {}) as { clientName?: unknown; commandName?: unknown; error?: { name?: unknown } };
  return { client: o.clientName, command: o.commandName, error: o.error?.name };
}

/**
 * A logger for the SDK clients. Warnings (a socket pool at capacity, a request over its timeout)
 * go to pino at warn level, tagged with their source. The clients also log every command: at info
 * on success and at error on failure, each with the command's input and output, which may carry
 * account data. A failed command is already a coverage entry with its own message, so those lines
 * go to debug with the client, command and error names only; info and debug are dropped.
 */
export function sdkLogger(log: Logger): { trace(): void; debug(): void; info(): void; warn(...a: unknown[]): void; error(...a: unknown[]): void } {
  return {
    trace() {},
    debug() {},
    info() {},
    warn: (...a: unknown[]) => log.warn({ source: 'aws-sdk' }, text(a)),
    error: (...a: unknown[]) => {
      if (typeof a[0] === 'object' && a[0] !== null && 'commandName' in a[0]) log.debug({ source: 'aws-sdk', ...commandOf(a) }, 'SDK command failed');
      else log.warn({ source: 'aws-sdk' }, text(a));
    },
  };
}

let captures = 0;
let savedWarn: typeof console.warn | undefined;
let savedListeners: ((w: Error) => void)[] = [];

/**
 * While a collection runs, the SDK's own `console.warn` calls (values of an unexpected type in an
 * answer, default region notices) and Node process warnings go to the structured logger instead
 * of plain text on stderr. Returns the function that puts things back; nested captures share one.
 */
export function captureSdkWarnings(log: Logger): () => void {
  if (captures++ === 0) {
    const route = sdkLogger(log);
    // Re-pointed, not called: the SDK calls console.warn directly in places no logger reaches.
    // eslint-disable-next-line no-console
    savedWarn = console.warn;
    // eslint-disable-next-line no-console
    console.warn = (...a: unknown[]) => route.warn(...a);
    savedListeners = process.listeners('warning') as ((w: Error) => void)[];
    process.removeAllListeners('warning');
    process.on('warning', (w: Error) => route.warn(w));
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--captures > 0) return;
    // eslint-disable-next-line no-console
    console.warn = savedWarn!;
    process.removeAllListeners('warning');
    for (const l of savedListeners) process.on('warning', l);
  };
}

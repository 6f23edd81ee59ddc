import type { CoverageOutcome } from '../../../core/types';

/**
 * What a failed Google Cloud call means. The clients report failures in several shapes (a gax
 * GoogleError with a gRPC code, a Gaxios error with an HTTP status, a parse error for an HTML
 * page): the HTTP status our transport saw is the first evidence, the gRPC code the second.
 */

/** The answer as our transport saw it (status and body), when the call reached the server. */
export interface RawAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body was not JSON. */
  json?: unknown;
  /** The first characters of a body that is not JSON. */
  text?: string;
}

/** A transient failure worth retrying (429, 5xx, timeouts, dropped connections). */
export class RetryableError extends Error {}

/** An answer that is not what the operation promises (HTML from a proxy, a missing field). */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswer';
}

/** A call that did not answer in time. */
export class CallTimeoutError extends Error {
  override name = 'Timeout';
}

const GRPC_TO_HTTP: Record<number, number> = { 3: 400, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401, 4: 504 };
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'ECONNABORTED']);

export function httpStatusOf(err: unknown, raw: RawAnswer | undefined): number | undefined {
  if (raw && raw.status >= 400) return raw.status;
  const e = err as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  if (typeof e?.response?.status === 'number') return e.response.status;
  if (typeof e?.status === 'number') return e.status;
  if (typeof e?.code === 'number') return e.code >= 100 ? e.code : GRPC_TO_HTTP[e.code];
  return undefined;
}

/** The error reason Google puts in google.rpc.ErrorInfo (SERVICE_DISABLED, IAM_PERMISSION_DENIED, …). */
export function reasonOf(err: unknown, raw: RawAnswer | undefined): string | undefined {
  const details = ((raw?.json as { error?: { details?: unknown; errors?: { reason?: unknown }[] } } | undefined)?.error) ?? undefined;
  for (const d of Array.isArray(details?.details) ? (details.details as { reason?: unknown }[]) : []) if (typeof d?.reason === 'string') return d.reason;
  for (const d of Array.isArray(details?.errors) ? details.errors : []) if (typeof d?.reason === 'string') return d.reason;
  const e = err as { reason?: unknown; errors?: { reason?: unknown }[] };
  if (typeof e?.reason === 'string') return e.reason;
  if (Array.isArray(e?.errors) && typeof e.errors[0]?.reason === 'string') return e.errors[0].reason;
  return undefined;
}

const DISABLED_REASONS = new Set(['SERVICE_DISABLED', 'accessNotConfigured', 'API_DISABLED']);

/** The API is not enabled in the project: nothing of that kind can be read there. */
export function isServiceDisabled(err: unknown, raw: RawAnswer | undefined): boolean {
  const reason = reasonOf(err, raw);
  if (reason && DISABLED_REASONS.has(reason)) return true;
  const message = (err as Error)?.message ?? '';
  return httpStatusOf(err, raw) === 403 && /has not been used in project .* or it is disabled/i.test(message);
}

export function isRetryable(err: unknown, raw: RawAnswer | undefined): boolean {
  if (err instanceof CallTimeoutError || err instanceof RetryableError) return true;
  const status = httpStatusOf(err, raw);
  if (status === 429 || status === 408 || (status !== undefined && status >= 500)) return true;
  if (reasonOf(err, raw) === 'RATE_LIMIT_EXCEEDED' || reasonOf(err, raw) === 'rateLimitExceeded') return true;
  // A dropped connection arrives wrapped ("Unexpected Gaxios Error", "fetch failed"): the
  // network code is on a cause further down.
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK.has(code)) return true;
    if (/^(fetch failed|socket hang up|other side closed)$/i.test((e as Error).message ?? '')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function classifyError(err: unknown, raw: RawAnswer | undefined): CoverageOutcome {
  if (err instanceof MalformedAnswerError || err instanceof CallTimeoutError) return 'error';
  if (isServiceDisabled(err, raw)) return 'not-enabled';
  const status = httpStatusOf(err, raw);
  if (status === 429) return 'throttled';
  if (status === 403 || status === 401) return 'denied';
  return 'error';
}

/** One line for coverage and logs: status, reason and message, never tokens or request details. */
export function errorMessage(err: unknown, raw: RawAnswer | undefined, attempts: number): string {
  const status = httpStatusOf(err, raw);
  const reason = reasonOf(err, raw);
  const jsonMessage = (raw?.json as { error?: { message?: unknown } } | undefined)?.error?.message;
  let text = typeof jsonMessage === 'string' ? jsonMessage : ((err as Error)?.message ?? String(err));
  if (raw && raw.json === undefined && raw.text !== undefined && raw.status >= 400) text = `non-JSON answer: ${raw.text}`;
  const head = [status ? `HTTP ${status}` : (err as Error)?.name || 'Error', reason].filter(Boolean).join(' ');
  const line = `${head}: ${text}`.replace(/\s+/g, ' ').replace(/(Bearer|access_token)[^\s,]*/gi, '$1 [redacted]').slice(0, 500);
  return attempts > 1 ? `${line} (gave up after ${attempts} attempts)` : line;
}

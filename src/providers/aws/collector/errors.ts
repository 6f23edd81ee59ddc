import { isThrottlingError } from '@smithy/core/retry';
import type { CoverageOutcome } from '../../../core/types';
import { InvalidAnswerError } from './answer-shape';
import { DeadlineError } from './deadline';
import { isParseError } from './sdk-guard';

/**
 * What a failed AWS call means for the snapshot. Denials, throttling that outlived the retries,
 * disabled regions and other errors all become gaps (coverage entries and unknown paths); the
 * "not configured" answers each operation documents are facts instead, and never reach here.
 */

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'AllAccessDisabled',
  'Forbidden',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'Throttled',
]);
const NOT_ENABLED = new Set(['OptInRequired', 'SubscriptionRequiredException', 'InvalidRegion']);

/** The service's error code (`AccessDenied`, `NoSuchBucketPolicy`, …), or the error's name. */
export function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string };
  return e?.Code ?? e?.name ?? e?.code ?? 'Error';
}

export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** HTTP requests an SDK call made, retries included (1 when the SDK did not say). */
export function attemptsOf(x: unknown): number {
  const n = (x as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
  return typeof n === 'number' && n > 0 ? n : 1;
}

/** Connection failures, in words: the endpoint could not be reached at all. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name does not resolve',
  EAI_AGAIN: 'host name could not be resolved (DNS did not answer)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** Why the endpoint could not be reached (connection refused, unknown host…), or undefined when it answered or the failure came later. */
export function unreachableReason(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; name?: string };
  if (e?.code && NETWORK[e.code]) return NETWORK[e.code];
  if (e?.name === 'TimeoutError' && /without establishing a connection/.test(e.message ?? '')) return 'no connection could be set up in time';
  return undefined;
}

export function classifyError(err: unknown): CoverageOutcome {
  // Not an answer of the service: whatever its status, it grants or denies nothing.
  if (err instanceof InvalidAnswerError) return httpStatus(err) === 429 ? 'throttled' : 'error';
  if (err instanceof DeadlineError) return 'error';
  const code = errorCode(err);
  if (NOT_ENABLED.has(code)) return 'not-enabled';
  if (THROTTLED.has(code) || isThrottlingError(err as Parameters<typeof isThrottlingError>[0])) return 'throttled';
  if (DENIED.has(code) || httpStatus(err) === 403) return 'denied';
  return 'error';
}

/** The first line of an SDK message, without the SDK's advice to inspect hidden fields. */
function sdkSentence(raw: string): string {
  return raw.split('\n')[0].replace(/^@aws-sdk\s+/, '').replace(/\s*Deserialization error:.*$/s, '').trim();
}

/** What went wrong, in our words: an unreadable or foreign answer, a timeout, an unreachable endpoint, else the service's code and message. */
function describe(err: unknown): string {
  const raw = (err as Error)?.message ?? String(err);
  if (err instanceof InvalidAnswerError) return `not a valid answer: ${raw}`;
  if (err instanceof DeadlineError) return raw;
  const unreachable = unreachableReason(err);
  if (unreachable) return `endpoint unreachable: ${unreachable}`;
  const e = err as { code?: string; name?: string };
  if (e?.code === 'ECONNRESET' || e?.code === 'EPIPE') return 'the connection was closed before the answer was complete';
  if (e?.name === 'TimeoutError') return `no answer in time (${sdkSentence(raw).replace(/^@smithy\/node-http-handler - \[ERROR\] /, '')})`;
  if (isParseError(err)) {
    const status = httpStatus(err);
    const what = /XML/.test(raw) ? 'XML' : /JSON|token/.test(raw) ? 'JSON' : 'the expected format';
    return `not a valid answer: ${status ? `HTTP ${status} with ` : ''}a body that is not ${what} (${sdkSentence(raw).replace(/^(XML parse error: |SyntaxError: )/, '')})`;
  }
  const code = errorCode(err);
  return raw && raw !== code && raw !== 'UnknownError' ? `${code}: ${raw}` : code;
}

/** One line for the coverage entry and the logs: what happened, never request details or credentials. */
export function errorMessage(err: unknown, attempts: number): string {
  const oneLine = describe(err).replace(/\s+/g, ' ').slice(0, 500);
  return attempts > 1 ? `${oneLine} (gave up after ${attempts} attempts)` : oneLine;
}

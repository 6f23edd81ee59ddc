import { isThrottlingError } from '@smithy/core/retry';
import type { CoverageOutcome } from '../../../core/types';

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

export function classifyError(err: unknown): CoverageOutcome {
  const code = errorCode(err);
  if (NOT_ENABLED.has(code)) return 'not-enabled';
  if (THROTTLED.has(code) || isThrottlingError(err as Parameters<typeof isThrottlingError>[0])) return 'throttled';
  if (DENIED.has(code) || httpStatus(err) === 403) return 'denied';
  return 'error';
}

/** One line for the coverage entry and the logs: code and message, never request details or credentials. */
export function errorMessage(err: unknown, attempts: number): string {
  const code = errorCode(err);
  const raw = (err as Error)?.message ?? String(err);
  const message = raw && raw !== code && raw !== 'UnknownError' ? `${code}: ${raw}` : code;
  const oneLine = message.replace(/\s+/g, ' ').slice(0, 500);
  return attempts > 1 ? `${oneLine} (gave up after ${attempts} attempts)` : oneLine;
}

import type { CoverageOutcome } from '../../../core/types';

/**
 * What a failed Azure Resource Manager call means for the snapshot. ARM answers errors as
 * `{"error": {"code", "message"}}`, which the SDK turns into a RestError with `code` and
 * `statusCode`. Denials, throttling that outlived the retries, unregistered resource providers and
 * everything else all become gaps (coverage entries and unknown paths).
 */

const DENIED = new Set([
  'AuthorizationFailed',
  'LinkedAuthorizationFailed',
  'AuthorizationPermissionMismatch',
  'InvalidAuthenticationToken',
  'InvalidAuthenticationTokenTenant',
  'ExpiredAuthenticationToken',
  'AuthenticationFailed',
  'Forbidden',
  'Unauthorized',
  'InsufficientPermissions',
]);
const THROTTLED = new Set(['TooManyRequests', 'Throttled', 'ThrottlingError', 'SubscriptionRequestsThrottled', 'TenantRequestsThrottled', 'RateLimiting', 'RateLimitExceeded']);
/** The subscription does not use the service's resource provider: nothing of it was read. */
const NOT_ENABLED = new Set([
  'MissingSubscriptionRegistration',
  'SubscriptionNotRegistered',
  'NoRegisteredProviderFound',
  'ResourceProviderNotRegistered',
  'FeatureNotSupportedForAccount',
]);

export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: string };
  return typeof e?.code === 'string' && e.code ? e.code : (e?.name ?? 'Error');
}

export function httpStatus(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function classifyError(err: unknown): CoverageOutcome {
  const code = errorCode(err);
  const status = httpStatus(err);
  if (NOT_ENABLED.has(code)) return 'not-enabled';
  if (THROTTLED.has(code) || status === 429) return 'throttled';
  if (DENIED.has(code) || status === 401 || status === 403) return 'denied';
  return 'error';
}

/** One line for the coverage entry and the logs: code and message, never request details or tokens. */
export function errorMessage(err: unknown, attempts: number): string {
  const code = errorCode(err);
  let raw = (err as Error)?.message ?? String(err);
  // RestError messages may echo a body: keep the first line, and never a bearer token.
  raw = raw.split('\n')[0].replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer ***');
  const message = raw && raw !== code ? `${code}: ${raw}` : code;
  const oneLine = message.replace(/\s+/g, ' ').slice(0, 500);
  return attempts > 1 ? `${oneLine} (gave up after ${attempts} attempts)` : oneLine;
}

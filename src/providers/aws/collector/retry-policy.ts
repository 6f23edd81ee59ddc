import type { BodyKind } from './answer-shape';

/**
 * Which failed attempts are worth another. Retrying is for what may pass: throttling, a gateway
 * or load balancer that is busy (502, 503, 504), a service error the service itself calls
 * internal, a reset connection, a timeout. An endpoint that does not implement an operation
 * answers the same way every time — 501, "not implemented", or the same HTML error page of a web
 * framework — and eight attempts with backoff only turn a gap into minutes of waiting.
 *
 * The honest line between the two: an answer that names itself final (501, a "not implemented"
 * code) stops at once; an answer that is not the protocol's document at all (HTML, an empty or
 * cut-off body, plain text) says nothing about whether it will pass, so it gets one more attempt
 * and stops when that attempt brings the same status and the same kind of body. Gateways' 502 to
 * 504 and throttling keep the full retry budget whatever their body says.
 *
 * Nothing here names a cloud: the SDK glue turns an SDK error into these facts.
 */

export interface AttemptFailure {
  /** HTTP status, when an answer came. */
  status?: number;
  /** The service called its error final: the operation is not implemented there. */
  notImplemented?: boolean;
  /** Set when the answer was not a document of the protocol (an HTML page, an empty body…). */
  foreignBody?: BodyKind | 'truncated';
  /** A connection that could not be made: refused, or a host name that does not resolve. */
  unreachable?: string;
  throttled?: boolean;
}

/** `retry`: try again (transient); `stop`: record the gap now; `usual`: the SDK's own classification decides. */
export type RetryVerdict = 'retry' | 'stop' | 'usual';

const GATEWAY = new Set([429, 502, 503, 504]);

const sameFailure = (a: AttemptFailure, b: AttemptFailure): boolean =>
  a.status === b.status && a.foreignBody === b.foreignBody && a.unreachable === b.unreachable;

/** The verdict on a failed attempt, given the failure of the attempt before it (if any) in the same call. */
export function retryVerdict(now: AttemptFailure, previous: AttemptFailure | undefined): RetryVerdict {
  if (now.throttled) return 'usual';
  if (now.notImplemented || now.status === 501) return 'stop';
  if (now.foreignBody !== undefined) {
    if (now.status !== undefined && GATEWAY.has(now.status)) return 'retry';
    // A 3xx or 4xx is final by HTTP's own definition, whatever page came with it.
    if (now.status !== undefined && now.status >= 300 && now.status < 500) return 'stop';
    return previous && sameFailure(now, previous) ? 'stop' : 'retry';
  }
  if (now.unreachable !== undefined) return previous && sameFailure(now, previous) ? 'stop' : 'retry';
  return 'usual';
}

/**
 * A time limit on one call, all its attempts and waits included. The call gets an AbortSignal to
 * hand to its SDK (which then stops the request in flight and any backoff); the caller gets a
 * DeadlineError at the deadline even if the SDK does not stop at once.
 *
 * Nothing here names a cloud.
 */

export class DeadlineError extends Error {
  override readonly name = 'CallTimeout';
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`} (the call timeout)`);
  }
}

export function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeadlineError(ms);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  const work = run(controller.signal);
  // After the deadline the SDK's own rejection (an AbortError) has nobody to tell.
  work.catch(() => {});
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

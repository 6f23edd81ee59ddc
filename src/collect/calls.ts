import type { Logger } from 'pino';
import type { CoverageRecorder } from '../core/coverage-recorder';
import type { CoverageOutcome, Provider } from '../core/types';

/** Runs `fn` when a slot of the limiters is free. */
export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

/** Where a call was made, as its coverage entry records it. */
export interface CallPlace {
  /** Service as in the coverage contract and the type registry's `service:Operation`. */
  service: string;
  operation: string;
  /** Region the call was made in, or `global`. */
  region: string;
  /** Set when the call concerns one resource: the gap then applies to it only. */
  resourceId?: string;
  /** Resource types a failure leaves incomplete beyond what the type registry knows. */
  affects?: string[];
}

/**
 * A call that failed, as every provider's call layer hands it to the collector: `op` is the
 * operation in the type registry's `service:Operation` form, written by the same code that
 * writes the coverage entry, so a draft can turn it into the paths the registry says it fills.
 */
export interface CallFailure {
  ok: false;
  op: string;
  outcome: CoverageOutcome;
  message: string;
}

/** The operation of a call, as the type registry and the coverage's service and operation spell it. */
export function opOf(place: Pick<CallPlace, 'service' | 'operation'>): string {
  return `${place.service}:${place.operation}`;
}

/**
 * The coverage side of one account's calls (an account, a project, a subscription): an ok call
 * is recorded with the requests it took; a failure with its message, the resource it concerned
 * and the types it leaves incomplete, and is logged once.
 */
export class CallLedger {
  constructor(
    private readonly provider: Provider,
    readonly account: string,
    private readonly coverage: CoverageRecorder,
    private readonly log: Logger,
    private readonly options: {
      /** The log field naming the account (`subscription` on Azure). */
      accountField?: string;
      /** Outcomes that are facts about the account rather than problems of the scan: logged at debug. */
      quiet?: readonly CoverageOutcome[];
    } = {},
  ) {}

  ok(place: CallPlace, calls: number): void {
    this.coverage.record({ provider: this.provider, account: this.account, region: place.region, service: place.service, operation: place.operation, outcome: 'ok', calls });
  }

  /** Records a failed call (or an answer that could not be used) and says which operation it was. */
  failed(place: CallPlace, outcome: CoverageOutcome, message: string, calls: number): CallFailure {
    this.coverage.record({
      provider: this.provider,
      account: this.account,
      region: place.region,
      service: place.service,
      operation: place.operation,
      outcome,
      message,
      calls,
      ...(place.resourceId !== undefined ? { resourceId: place.resourceId } : {}),
      ...(place.affects ? { affects: place.affects } : {}),
    });
    const op = opOf(place);
    const field = this.options.accountField ?? 'account';
    if (this.options.quiet?.includes(outcome)) this.log.debug({ [field]: this.account, op }, message);
    else this.log.warn({ [field]: this.account, region: place.region, op, resource: place.resourceId, outcome }, message);
    return { ok: false, op, outcome, message };
  }
}

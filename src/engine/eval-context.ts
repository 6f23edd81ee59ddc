import type { SnapshotIndex } from './snapshot-index';

/** What every compiled condition receives besides its target. */
export interface EvalContext {
  /** Scan time in epoch milliseconds: date comparisons measure from it. */
  now: number;
  index: SnapshotIndex;
}

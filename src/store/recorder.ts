import type { Logger } from 'pino';
import type { Finding, Results } from '../core/types';
import { StoreError, StoreRefused } from './errors';
import { buildRunRecord, type RunInputs } from './run-adapter';
import { ControlTally, findingRow, type LeafedRow } from './run-record';
import { HistoryStore, type RecordOutcome } from './store';
import { describeTarget, type HistoryTarget } from './target';

/**
 * Checks, before any work, that the store can be used: a store that must be refused (written by
 * a newer trustscan, not a trustscan store) stops the command now (exit 2). One that merely
 * cannot be opened now (server down, read-only, full disk) is only warned about: the scan still
 * runs and writes its outputs, and recording is tried again at the end.
 */
export async function checkHistoryTarget(target: HistoryTarget, log: Logger): Promise<void> {
  try {
    const store = await HistoryStore.open(target);
    await store.close();
  } catch (err) {
    if (err instanceof StoreRefused || !(err instanceof StoreError)) throw err;
    log.warn(`${err.message}; the run's outputs will still be written, then recording is tried again`);
  }
}

/**
 * The history store as one more sink of the results pipeline: it takes each finding as it is
 * produced (keeping only the row it stores, not the evidence) and, once every other output is
 * written, records the run in one transaction.
 */
export class HistoryRecorder {
  private readonly rows: LeafedRow[] = [];
  private readonly tally = new ControlTally();

  constructor(
    readonly target: HistoryTarget,
    private readonly inputs: RunInputs,
  ) {}

  add(f: Finding): void {
    this.rows.push(findingRow(f));
    this.tally.add(f);
  }

  /** Records the run; a StoreError (exit 2) says why it could not, and the store is then unchanged. */
  async commit(results: Results, log: Logger): Promise<RecordOutcome> {
    const started = Date.now();
    const record = buildRunRecord(results, this.inputs, this.rows, this.tally.finish());
    const store = await HistoryStore.open(this.target);
    try {
      const out = await store.record(record);
      log.info(
        { store: describeTarget(this.target), runId: out.run.runId, seq: out.run.seq, findings: out.run.findings, changed: out.opened, closed: out.closed, ms: Date.now() - started },
        'run recorded in the history store',
      );
      return out;
    } finally {
      await store.close();
    }
  }
}

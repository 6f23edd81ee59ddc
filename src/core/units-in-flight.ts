import pLimit from 'p-limit';

/**
 * How many units (accounts, projects, subscriptions) a collector works on at once: enough to keep
 * the overall call limit busy while some units wait on their own chains of calls (list, then
 * describe each), and no more. Every unit started holds its SDK clients, its queued calls and its
 * partial resources until it ends: starting all of an organization's units at once made a
 * collector's memory grow with the organization (past 3 GB at 2,000 small AWS accounts, where the
 * heap limit ends the process) and made every unit finish only at the end of the scan.
 */
export function unitsInFlight(concurrency: number, perUnit: number): number {
  return Math.max(2, 4 * Math.ceil(concurrency / Math.max(1, perUnit)));
}

/** Runs `scan` over `units`, at most `inFlight` at a time, in order; resolves when all have ended. */
export async function scanUnits<T>(units: readonly T[], inFlight: number, scan: (unit: T) => Promise<void>): Promise<void> {
  const limit = pLimit(Math.max(1, inFlight));
  await Promise.all(units.map((u) => limit(() => scan(u))));
}

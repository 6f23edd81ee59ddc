import type { CoverageEntry } from './types';

/**
 * Collects the outcome of every operation, for every provider's collector. Successful calls are
 * summed per account, region and operation (one entry with `calls`), so a scan of thousands of
 * resources does not write thousands of "ok" lines; every failure keeps its own entry, with the resource it concerned, so the engine
 * can turn exactly that resource's properties into UNKNOWN.
 */
export class CoverageRecorder {
  private readonly ok = new Map<string, CoverageEntry>();
  private readonly failures: CoverageEntry[] = [];

  record(entry: CoverageEntry): void {
    if (entry.outcome !== 'ok') {
      this.failures.push(entry);
      return;
    }
    const key = `${entry.account}\u0000${entry.region}\u0000${entry.service}\u0000${entry.operation}`;
    const prev = this.ok.get(key);
    if (prev) prev.calls = (prev.calls ?? 0) + (entry.calls ?? 1);
    else {
      const summed: CoverageEntry = { ...entry, calls: entry.calls ?? 1 };
      delete summed.resourceId;
      this.ok.set(key, summed);
    }
  }

  /** Every entry, ok ones first, in a stable order. */
  entries(): CoverageEntry[] {
    const order = (c: CoverageEntry): string => `${c.account}\u0000${c.region === 'global' ? '' : c.region}\u0000${c.service}\u0000${c.operation}\u0000${c.resourceId ?? ''}`;
    const sort = (list: CoverageEntry[]): CoverageEntry[] => list.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    return [...sort([...this.ok.values()]), ...sort([...this.failures])];
  }

  /** Total HTTP requests recorded. */
  totalCalls(): number {
    let n = 0;
    for (const c of this.ok.values()) n += c.calls ?? 0;
    for (const c of this.failures) n += c.calls ?? 0;
    return n;
  }

  /** HTTP requests per `service:Operation`. */
  callsByOperation(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of [...this.ok.values(), ...this.failures]) {
      const k = `${c.service}:${c.operation}`;
      out[k] = (out[k] ?? 0) + (c.calls ?? 0);
    }
    return out;
  }
}

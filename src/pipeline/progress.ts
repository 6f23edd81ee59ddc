/**
 * Progress of a long collection on a terminal: accounts, accounts × regions and service units
 * done, and API calls made, redrawn in place on stderr at most four times a second. Silent when
 * stderr is not a terminal (CI logs, cron mail, a SIEM pipe) or when disabled.
 */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** The progress line being drawn on each stream, so other writers can keep clear of it. */
const active = new WeakMap<object, Progress>();

/**
 * Writes `text` (whole lines: a log line) to a stream that may carry a progress line: the line is
 * wiped first and drawn again after, so the text is never overwritten nor left glued to it.
 */
export function writeAroundProgress(stream: ProgressStream, text: string): unknown {
  const p = active.get(stream);
  p?.wipe();
  const r = stream.write(text);
  p?.redraw();
  return r;
}

export class Progress {
  private accounts = { done: 0, total: 0 };
  private regions = { done: 0, total: 0 };
  private units = { done: 0, total: 0 };
  private calls = 0;
  private timer: NodeJS.Timeout | null = null;
  private drawn = false;
  readonly enabled: boolean;

  constructor(private readonly stream: ProgressStream, enabled = true) {
    this.enabled = enabled && stream.isTTY === true;
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
    active.set(this.stream, this);
  }

  /** Removes the drawn line (before someone else writes). */
  wipe(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** Draws the line again at once, if it is running. */
  redraw(): void {
    if (this.timer) this.draw();
  }

  addAccounts(n: number): void {
    this.accounts.total += n;
  }
  accountDone(): void {
    this.accounts.done++;
  }
  addRegions(n: number): void {
    this.regions.total += n;
  }
  regionDone(): void {
    this.regions.done++;
  }
  addUnits(n: number): void {
    this.units.total += n;
  }
  unitDone(): void {
    this.units.done++;
  }
  requests(n: number): void {
    this.calls += n;
  }

  line(): string {
    const a = this.accounts;
    const r = this.regions;
    const u = this.units;
    return `collecting: accounts ${a.done}/${a.total} · account-regions ${r.done}/${r.total} · services ${u.done}/${u.total} · ${this.calls} API calls`;
  }

  private draw(): void {
    this.stream.write(`\r\x1b[2K${this.line()}`);
    this.drawn = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (active.get(this.stream) === this) active.delete(this.stream);
    this.wipe();
  }
}

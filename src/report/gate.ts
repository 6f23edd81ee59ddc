import { type Finding, SEVERITIES, type Severity } from '../core/types';
import type { Baseline } from './baseline';

export interface GateOptions {
  failOn?: Severity;
  failOnUnknown?: boolean;
  baseline?: Baseline;
}

export interface GateVerdict {
  failed: boolean;
  /** Failing findings at or above the threshold that count (not muted, not in the baseline). */
  failing: number;
  /** UNKNOWN findings that count (not muted, not in the baseline). */
  unknown: number;
  /** Counted FAIL findings per severity. */
  failBySeverity: Record<Severity, number>;
  /** FAIL / UNKNOWN findings left out because the baseline already has them. */
  inBaseline: number;
  reasons: string[];
}

/**
 * The CI gate, fed one finding at a time (so it works on a stream): fails on unmuted FAIL
 * findings at or above `failOn`, and with `failOnUnknown` on unmuted UNKNOWN findings; with a
 * baseline, findings already in it do not count.
 */
export class Gate {
  private readonly failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  private unknown = 0;
  private inBaseline = 0;

  constructor(readonly options: GateOptions) {}

  add(f: Finding): void {
    if (f.status !== 'FAIL' && f.status !== 'UNKNOWN') return;
    if (this.options.baseline?.has(f)) {
      this.inBaseline++;
      return;
    }
    if (f.status === 'FAIL') this.failBySeverity[f.severity]++;
    else this.unknown++;
  }

  verdict(): GateVerdict {
    const { failOn, failOnUnknown, baseline } = this.options;
    const limit = failOn ? SEVERITIES.indexOf(failOn) : -1;
    const failing = SEVERITIES.reduce((n, s, i) => (i <= limit ? n + this.failBySeverity[s] : n), 0);
    const reasons: string[] = [];
    const known = baseline ? ' not in the baseline' : '';
    if (failing > 0) reasons.push(`${failing} finding(s)${known} failed at or above ${failOn}`);
    if (failOnUnknown && this.unknown > 0) reasons.push(`${this.unknown} finding(s)${known} could not be evaluated (--fail-on-unknown)`);
    return { failed: reasons.length > 0, failing, unknown: this.unknown, failBySeverity: { ...this.failBySeverity }, inBaseline: this.inBaseline, reasons };
  }
}

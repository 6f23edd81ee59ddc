import type { ControlException, ControlResult, Finding, Status } from '../core/types';
import { manualNote, SOC2_CRITERIA } from './soc2-catalogue';

/** What the roll-up needs to know of a rule. */
export interface RuleRef {
  id: string;
  soc2: string[];
}

function emptyCounts(): Record<Status, number> {
  return { PASS: 0, FAIL: 0, UNKNOWN: 0, MUTED: 0 };
}

/**
 * Folds findings, one at a time, into the SOC 2 roll-up, so it works on a stream as well as on
 * an array. One row per criterion of the catalogue:
 * - FAIL when any mapped finding fails;
 * - else UNKNOWN when any could not be evaluated (muted or not: a waiver is not evidence);
 * - else PASS when mapped findings passed (muted ones are listed as exceptions);
 * - MANUAL when no loaded rule maps to the criterion, or none of them found anything to check.
 */
export class Soc2Rollup {
  private readonly counts = new Map<string, Record<Status, number>>();
  private readonly exceptions = new Map<string, ControlException[]>();
  private readonly rulesBy = new Map<string, Set<string>>();
  /** Criteria with a muted finding that was UNKNOWN: a waiver does not supply the missing evidence. */
  private readonly mutedUnknown = new Map<string, number>();

  constructor(rules: readonly RuleRef[]) {
    for (const c of SOC2_CRITERIA) {
      this.counts.set(c.id, emptyCounts());
      this.exceptions.set(c.id, []);
      this.rulesBy.set(c.id, new Set());
    }
    for (const r of rules) for (const id of r.soc2) this.rulesBy.get(id)?.add(r.id);
  }

  add(f: Finding): void {
    for (const id of f.soc2) {
      const counts = this.counts.get(id);
      if (!counts) continue;
      counts[f.status]++;
      if (f.status === 'MUTED' && f.suppression) {
        const s = f.suppression;
        const ex: ControlException = { fingerprint: f.fingerprint, ruleId: f.ruleId, resourceId: f.resource.id, reason: s.reason, expires: s.expires };
        if (s.owner) ex.owner = s.owner;
        if (s.ticket) ex.ticket = s.ticket;
        ex.originalStatus = s.originalStatus;
        this.exceptions.get(id)!.push(ex);
        if (s.originalStatus === 'UNKNOWN') this.mutedUnknown.set(id, (this.mutedUnknown.get(id) ?? 0) + 1);
      }
    }
  }

  finish(): ControlResult[] {
    return SOC2_CRITERIA.map((c) => {
      const counts = this.counts.get(c.id)!;
      const rules = [...this.rulesBy.get(c.id)!].sort();
      const exceptions = this.exceptions.get(c.id)!;
      const mutedUnknown = this.mutedUnknown.get(c.id) ?? 0;
      let status: ControlResult['status'];
      let note: string;
      if (rules.length === 0) {
        status = 'MANUAL';
        note = manualNote(c.id);
      } else if (counts.FAIL > 0) {
        status = 'FAIL';
        note = `${counts.FAIL} failing finding(s)${counts.UNKNOWN ? `, ${counts.UNKNOWN} not evaluated` : ''}.`;
      } else if (counts.UNKNOWN + mutedUnknown > 0) {
        status = 'UNKNOWN';
        note =
          `No failures, but ${counts.UNKNOWN + mutedUnknown} finding(s) could not be evaluated` +
          `${mutedUnknown ? ` (${mutedUnknown} of them muted by a suppression)` : ''}: the evidence is incomplete.`;
      } else if (counts.PASS + counts.MUTED === 0) {
        status = 'MANUAL';
        note = 'Rules map to this criterion but found no resources to check: no automated evidence.';
      } else {
        status = 'PASS';
        note = `All ${counts.PASS} finding(s) passed on a complete evaluation${exceptions.length ? `, with ${exceptions.length} accepted exception(s)` : ''}.`;
      }
      return { id: c.id, category: c.category, title: c.title, status, counts, rules, complete: counts.UNKNOWN + mutedUnknown === 0, note, exceptions };
    });
  }
}

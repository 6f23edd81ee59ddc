import type { ControlException, ControlResult, ControlStatus, Finding, FrameworkRollup, Status } from '../core/types';
import { CONTROL_STATUSES } from '../core/types';
import { type Framework, frameworkRef, PRIMARY_FRAMEWORK } from './framework';

/** What the roll-up needs to know of a rule: the criteria it maps to, per framework. */
export interface RuleRef {
  id: string;
  /** Framework id → criteria ids (the primary framework's included). */
  mapping: Record<string, string[]>;
}

function emptyCounts(): Record<Status, number> {
  return { PASS: 0, FAIL: 0, UNKNOWN: 0, MUTED: 0 };
}

/** Criteria of `framework` a finding gives evidence for. */
export function criteriaOf(f: Finding, framework: string): readonly string[] {
  return framework === PRIMARY_FRAMEWORK ? f.soc2 : (f.frameworks?.[framework] ?? []);
}

/**
 * Folds findings, one at a time, into one framework's roll-up, so it works on a stream as well as
 * on an array. One row per criterion of the framework:
 * - FAIL when any mapped finding fails;
 * - else UNKNOWN when any could not be evaluated (muted or not: a waiver is not evidence);
 * - else PASS when mapped findings passed (muted ones are listed as exceptions);
 * - MANUAL when no loaded rule maps to the criterion, or none of them found anything to check.
 */
export class Rollup {
  private readonly counts = new Map<string, Record<Status, number>>();
  private readonly exceptions = new Map<string, ControlException[]>();
  private readonly rulesBy = new Map<string, Set<string>>();
  /** Criteria with a muted finding that was UNKNOWN: a waiver does not supply the missing evidence. */
  private readonly mutedUnknown = new Map<string, number>();

  constructor(
    readonly framework: Framework,
    rules: readonly RuleRef[],
  ) {
    for (const c of framework.criteria) {
      this.counts.set(c.id, emptyCounts());
      this.exceptions.set(c.id, []);
      this.rulesBy.set(c.id, new Set());
    }
    for (const r of rules) for (const id of r.mapping[framework.id] ?? []) this.rulesBy.get(id)?.add(r.id);
  }

  add(f: Finding): void {
    for (const id of criteriaOf(f, this.framework.id)) {
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

  finish(): FrameworkRollup {
    const controls = this.framework.criteria.map((c): ControlResult => {
      const counts = this.counts.get(c.id)!;
      const rules = [...this.rulesBy.get(c.id)!].sort();
      const exceptions = this.exceptions.get(c.id)!;
      const mutedUnknown = this.mutedUnknown.get(c.id) ?? 0;
      let status: ControlResult['status'];
      let note: string;
      if (rules.length === 0) {
        status = 'MANUAL';
        note = c.gap ?? c.manual ?? 'No automated rule maps to this criterion: the auditor needs other evidence.';
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
      return { id: c.id, category: c.group, title: c.title, status, counts, rules, complete: counts.UNKNOWN + mutedUnknown === 0, note, exceptions };
    });
    const summary = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length])) as Record<ControlStatus, number>;
    return { framework: frameworkRef(this.framework), summary, controls };
  }
}

/** The roll-ups of several frameworks, fed the same findings. */
export class Rollups {
  private readonly rollups: Rollup[];

  constructor(frameworks: readonly Framework[], rules: readonly RuleRef[]) {
    this.rollups = frameworks.map((f) => new Rollup(f, rules));
  }

  add(f: Finding): void {
    for (const r of this.rollups) r.add(f);
  }

  finish(): Record<string, FrameworkRollup> {
    return Object.fromEntries(this.rollups.map((r) => [r.framework.id, r.finish()]));
  }
}

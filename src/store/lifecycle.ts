import { SEVERITIES, type Severity, type Status, type Suppression } from '../core/types';
import type { SpanRow } from './store';

/**
 * A finding's life across runs, by fingerprint: when it was first and last seen, each period it
 * failed (found → fixed, or still open, or no longer seen), how long it was UNKNOWN, and the
 * waivers that muted it. Muted failures count as failing (the risk is accepted, not fixed);
 * UNKNOWN neither starts nor ends a failure (nothing was shown either way); a failure counts as
 * fixed only when the finding is seen PASS afterwards — a finding that just stops appearing
 * (resource deleted, or a listing that failed) is "no longer seen", never "fixed".
 */

const DAY = 86_400_000;

export interface FailureEpisode {
  found: string;
  /** When it was seen fixed (PASS), or last seen failing before it disappeared. */
  ended?: string;
  resolution: 'open' | 'fixed' | 'not-seen';
  /** Days from found to ended (or to the last run, while open). */
  days: number;
  severity: Severity;
  /** Muted by a waiver at some point of it (an accepted risk rather than an unnoticed failure). */
  muted: boolean;
}

export interface SuppressionUse {
  reason: string;
  expires: string;
  owner?: string;
  ticket?: string;
  source?: string;
  originalStatus: Suppression['originalStatus'];
  firstApplied: string;
  lastApplied: string;
  /** The waiver ran out while the finding still failed (seen FAIL after the expiry day). */
  expiredWhileFailing: boolean;
}

export interface FindingLifecycle {
  fingerprint: string;
  ruleId: string;
  resourceId: string;
  resourceType: string;
  provider: string;
  account: string;
  region: string;
  resourceName?: string;
  /** Latest state. */
  status: Status;
  severity: Severity;
  message: string;
  /** Still reported by the latest run of its scope. */
  current: boolean;
  firstSeen: string;
  lastSeen: string;
  failures: FailureEpisode[];
  /** Times it failed again after being seen fixed. */
  reopened: number;
  /** Days it was UNKNOWN (or muted while UNKNOWN). */
  daysUnknown: number;
  /** Age of the open failure in days (0 when not failing). */
  ageDays: number;
  suppressions: SuppressionUse[];
}

export function isFailing(s: Pick<SpanRow, 'status' | 'originalStatus'>): boolean {
  return s.status === 'FAIL' || (s.status === 'MUTED' && s.originalStatus === 'FAIL');
}

function isUnknown(s: Pick<SpanRow, 'status' | 'originalStatus'>): boolean {
  return s.status === 'UNKNOWN' || (s.status === 'MUTED' && s.originalStatus === 'UNKNOWN');
}

const days = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / DAY);

/**
 * Lifecycles of every fingerprint in `spans` (sorted by fingerprint, then start). `lastRunAt`
 * gives, per stream, when its latest run gathered evidence: the end of every span still current.
 */
export function lifecycles(spans: SpanRow[], lastRunAt: Map<string, string>): FindingLifecycle[] {
  const out: FindingLifecycle[] = [];
  let i = 0;
  while (i < spans.length) {
    let j = i;
    while (j < spans.length && spans[j].fingerprint === spans[i].fingerprint) j++;
    out.push(lifecycleOf(spans.slice(i, j), lastRunAt));
    i = j;
  }
  return out;
}

export function lifecycleOf(spansOfOne: SpanRow[], lastRunAt: Map<string, string>): FindingLifecycle {
  const spans = [...spansOfOne].sort((a, b) => a.startAt.localeCompare(b.startAt) || a.startSeq - b.startSeq);
  const endOf = (s: SpanRow): string => s.closedAt ?? lastRunAt.get(s.stream) ?? s.startAt;
  const last = spans[spans.length - 1];
  const failures: FailureEpisode[] = [];
  let open: FailureEpisode | undefined;
  let reopened = 0;
  let daysUnknown = 0;
  let lastEnd = spans[0].startAt;
  const sups = new Map<string, SuppressionUse & { fingerprintFailAfter?: boolean }>();
  for (const s of spans) {
    // A gap (not seen for a while) ends an open failure as "not seen".
    if (open && s.startAt > lastEnd && !isFailing(s)) {
      open.ended = lastEnd;
      open.resolution = 'not-seen';
      open.days = days(open.found, lastEnd);
      open = undefined;
    }
    if (isFailing(s)) {
      if (!open) {
        if (failures.some((f) => f.resolution === 'fixed')) reopened++;
        open = { found: s.startAt, resolution: 'open', days: 0, severity: s.severity, muted: false };
        failures.push(open);
      }
      open.severity = s.severity;
      if (s.status === 'MUTED') open.muted = true;
    } else if (s.status === 'PASS' && open) {
      open.ended = s.startAt;
      open.resolution = 'fixed';
      open.days = days(open.found, s.startAt);
      open = undefined;
    }
    if (isUnknown(s)) daysUnknown += days(s.startAt, endOf(s));
    if (s.suppression) {
      const sup = JSON.parse(s.suppression) as Suppression;
      const key = `${sup.source ?? ''}\u0000${sup.reason}\u0000${sup.expires}`;
      const use = sups.get(key);
      if (!use) {
        sups.set(key, {
          reason: sup.reason,
          expires: sup.expires,
          ...(sup.owner ? { owner: sup.owner } : {}),
          ...(sup.ticket ? { ticket: sup.ticket } : {}),
          ...(sup.source ? { source: sup.source } : {}),
          originalStatus: sup.originalStatus,
          firstApplied: s.startAt,
          lastApplied: endOf(s),
          expiredWhileFailing: false,
        });
      } else if (endOf(s) > use.lastApplied) use.lastApplied = endOf(s);
    }
    if (s.status === 'FAIL') {
      for (const use of sups.values()) if (s.startAt.slice(0, 10) > use.expires) use.expiredWhileFailing = true;
    }
    if (endOf(s) > lastEnd) lastEnd = endOf(s);
  }
  const current = last.closedBy === null;
  if (open) {
    if (current) open.days = days(open.found, endOf(last));
    else {
      open.ended = lastEnd;
      open.resolution = 'not-seen';
      open.days = days(open.found, lastEnd);
    }
  }
  const lc: FindingLifecycle = {
    fingerprint: last.fingerprint,
    ruleId: last.ruleId,
    resourceId: last.resourceId,
    resourceType: last.resourceType,
    provider: last.provider,
    account: last.account,
    region: last.region,
    status: last.status,
    severity: last.severity,
    message: last.message,
    current,
    firstSeen: spans[0].startAt,
    lastSeen: lastEnd,
    failures,
    reopened,
    daysUnknown: Math.round(daysUnknown * 10) / 10,
    ageDays: open && open.resolution === 'open' ? Math.round(open.days * 10) / 10 : 0,
    suppressions: [...sups.values()],
  };
  if (last.resourceName) lc.resourceName = last.resourceName;
  return lc;
}

export interface TimeToFix {
  severity: Severity;
  fixed: number;
  open: number;
  meanDays: number | null;
  p50Days: number | null;
  p90Days: number | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[idx] * 10) / 10;
}

/** Mean and percentile (nearest rank) time to fix per severity, over failures fixed since `since`. */
export function timeToFix(all: FindingLifecycle[], since?: string): TimeToFix[] {
  return SEVERITIES.map((severity) => {
    const fixed: number[] = [];
    let open = 0;
    for (const lc of all) {
      for (const f of lc.failures) {
        if (f.severity !== severity) continue;
        if (f.resolution === 'open') open++;
        else if (f.resolution === 'fixed' && (!since || (f.ended ?? '') >= since)) fixed.push(f.days);
      }
    }
    fixed.sort((a, b) => a - b);
    const mean = fixed.length ? Math.round((fixed.reduce((a, b) => a + b, 0) / fixed.length) * 10) / 10 : null;
    return { severity, fixed: fixed.length, open, meanDays: mean, p50Days: percentile(fixed, 50), p90Days: percentile(fixed, 90) };
  });
}

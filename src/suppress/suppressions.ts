import type { Finding, Resource, SuppressionNotice, SuppressionReport } from '../core/types';
import { ownValue } from '../core/property-path';
import { globMatcher, type Matcher } from './glob';

/**
 * One suppression (waiver) entry, as validated from trustscan.yaml or a --suppressions file.
 * Every given criterion must match (globs for rule, resource, account and region; each listed
 * tag must be present with a value matching its glob); `reason` and `expires` are mandatory.
 */
export interface SuppressionEntry {
  rule?: string;
  resource?: string;
  account?: string;
  region?: string;
  tags?: Record<string, string>;
  reason: string;
  /** Last day the entry applies (YYYY-MM-DD, UTC): it stops applying the day after. */
  expires: string;
  owner?: string;
  ticket?: string;
  /** `file:line` of the entry, carried into muted findings and reports. */
  source: string;
}

const DAY_MS = 86_400_000;

/** The first instant at which an entry no longer applies. */
export function expiryInstant(expires: string): number {
  return Date.parse(`${expires}T00:00:00Z`) + DAY_MS;
}

interface Compiled {
  entry: SuppressionEntry;
  rule: Matcher | null;
  resource: Matcher | null;
  account: Matcher | null;
  region: Matcher | null;
  tags: [string, Matcher][];
  used: number;
}

function notice(e: SuppressionEntry): SuppressionNotice {
  const match: Record<string, unknown> = {};
  for (const k of ['rule', 'resource', 'account', 'region', 'tags'] as const) if (e[k] !== undefined) match[k] = e[k];
  const n: SuppressionNotice = { source: e.source, reason: e.reason, expires: e.expires, match };
  if (e.owner) n.owner = e.owner;
  if (e.ticket) n.ticket = e.ticket;
  return n;
}

/**
 * Applies suppressions to findings as they are produced. Only FAIL and UNKNOWN findings are
 * muted (a passing finding needs no waiver); the first matching entry wins. Entries whose expiry
 * is before the scan time are set aside and reported, and so are entries that matched nothing.
 */
export class Suppressor {
  private readonly active: Compiled[] = [];
  private readonly expired: SuppressionEntry[] = [];
  private muted = 0;

  constructor(entries: readonly SuppressionEntry[], scanTime: Date) {
    const t = scanTime.getTime();
    for (const entry of entries) {
      if (expiryInstant(entry.expires) <= t) {
        this.expired.push(entry);
        continue;
      }
      this.active.push({
        entry,
        rule: globMatcher(entry.rule),
        resource: globMatcher(entry.resource),
        account: globMatcher(entry.account),
        region: globMatcher(entry.region),
        tags: Object.entries(entry.tags ?? {}).map(([k, v]) => [k, globMatcher(v)!]),
        used: 0,
      });
    }
  }

  private matches(c: Compiled, f: Finding, r: Resource | null): boolean {
    if (c.rule && !c.rule(f.ruleId)) return false;
    if (c.resource && !c.resource(f.resource.id)) return false;
    if (c.account && !c.account(f.resource.account)) return false;
    if (c.region && !c.region(f.resource.region)) return false;
    for (const [k, m] of c.tags) {
      const v = ownValue(r?.tags, k);
      if (!m(typeof v === 'string' ? v : undefined)) return false;
    }
    return true;
  }

  /** Mutes `f` when an active entry matches it (suitable as `EvaluateOptions.decorate`). */
  readonly apply = (f: Finding, r: Resource | null): void => {
    if (f.status !== 'FAIL' && f.status !== 'UNKNOWN') return;
    for (const c of this.active) {
      if (!this.matches(c, f, r)) continue;
      c.used++;
      this.muted++;
      const e = c.entry;
      f.suppression = { reason: e.reason, expires: e.expires, source: e.source, originalStatus: f.status };
      if (e.owner) f.suppression.owner = e.owner;
      if (e.ticket) f.suppression.ticket = e.ticket;
      f.status = 'MUTED';
      return;
    }
  };

  /** What the entries did: call after every finding went through `apply`. */
  report(): SuppressionReport {
    return {
      muted: this.muted,
      expired: this.expired.map(notice),
      unused: this.active.filter((c) => c.used === 0).map((c) => notice(c.entry)),
      active: this.active.map((c) => ({ ...notice(c.entry), muted: c.used })),
    };
  }
}

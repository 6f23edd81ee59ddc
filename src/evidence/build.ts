import { STATUSES, type Status } from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { lifecycles } from '../store/lifecycle';
import type { StoredRun } from '../store/run-header';
import { type ControlRow, type RuleInForce, statusFromCounts } from '../store/run-record';
import type { Checkpoint, HistoryStore, SpanRow } from '../store/store';
import type { ChainLink } from '../store/verify';
import type {
  AcceptedRisk,
  CriterionEvidence,
  DayStatus,
  EvidencePack,
  FailureEntry,
  PopulationItem,
  RuleChange,
  RuleVersionInForce,
  RunLogEntry,
  TimelineDay,
} from './model';
import { EVIDENCE_SCHEMA_VERSION } from './model';
import { drawSample, sampleSize } from './sample';

/**
 * Builds an evidence pack for a period from the history store: the runs of the period whose
 * scope meets the requested accounts (cloud runs only: infrastructure-code runs are CI gates, not
 * evidence of how the system operated), the day-by-day status of every criterion, the population
 * tested and a sample of it, the failures and accepted risks, and the rule versions in force —
 * plus the chain data that lets `evidence verify` prove it was not edited.
 */

export interface EvidenceOptions {
  from: string;
  to: string;
  /** Accounts to cover: `provider:account` or `account` (any provider); empty: every account the period's runs scanned. */
  scope: string[];
  seed: string;
  sample?: number;
  now?: Date;
}

/** What goes under chain/ in the pack, for verification. */
export interface ChainData {
  links: ChainLink[];
  spans: SpanRow[];
  controls: (ControlRow & { seq: number })[];
  rules: { seq: number; id: string; version: string; contentHash: string }[];
  checkpoints: Checkpoint[];
  /** Runs whose data is in the pack (the in-scope runs of the period). */
  dataRuns: number[];
}

const DAY = 86_400_000;

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const accountKey = (provider: string, id: string): string => `${provider}:${id}`;

/** Whether a run is part of the pack: a cloud run whose accounts meet the scope. */
export function runInScope(header: { scope: { kind: string; accounts: { provider: string; id: string }[] } }, scope: Set<string> | null): boolean {
  if (header.scope.kind !== 'runtime') return false;
  if (!scope) return true;
  return header.scope.accounts.some((a) => scope.has(accountKey(a.provider, a.id)));
}

function resolveScope(requested: string[], runs: StoredRun[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) if (r.kind === 'runtime') for (const a of r.header.scope.accounts) seen.add(accountKey(a.provider, a.id));
  if (requested.length === 0) return [...seen].sort();
  const out = new Set<string>();
  for (const want of requested) {
    if (want.includes(':')) out.add(want);
    else {
      const hits = [...seen].filter((k) => k.slice(k.indexOf(':') + 1) === want);
      if (hits.length) hits.forEach((h) => out.add(h));
      // An account no run of the period covered is still in scope: every day is a gap for it.
      else out.add(`?:${want}`);
    }
  }
  return [...out].sort();
}

type Sums = { pass: number; fail: number; unknown: number; muted: number; mutedUnknown: number };
type DayInfo = Map<string, { runs: number[]; missing: string[]; sums: Map<string, Sums> }>;

/**
 * For each day: the runs gathered that day, the accounts of the scope none of them covered, and
 * per criterion the roll-up counts of the in-scope accounts, summed over those runs.
 */
export function dayTable(
  days: string[],
  runs: { seq: number; day: string; accounts: { provider: string; id: string }[] }[],
  controls: (ControlRow & { seq: number })[],
  scopeList: string[],
): { gaps: EvidencePack['gaps']; dayInfo: DayInfo } {
  const scope = new Set(scopeList);
  const wildcard = new Map(scopeList.filter((k) => k.startsWith('?:')).map((k) => [k.slice(2), k]));
  const inScope = (provider: string, id: string): string | undefined => (scope.has(accountKey(provider, id)) ? accountKey(provider, id) : wildcard.get(id));
  const runsByDay = new Map<string, typeof runs>();
  for (const r of runs) push(runsByDay, r.day, r);
  const rowsBySeq = new Map<number, (ControlRow & { seq: number })[]>();
  for (const c of controls) if (c.account !== '*') push(rowsBySeq, c.seq, c);
  const gaps: EvidencePack['gaps'] = [];
  const dayInfo: DayInfo = new Map();
  for (const day of days) {
    const dayRuns = runsByDay.get(day) ?? [];
    const covered = new Set<string>();
    for (const r of dayRuns) {
      for (const a of r.accounts) {
        const k = inScope(a.provider, a.id);
        if (k) covered.add(k);
      }
    }
    const missing = scopeList.filter((k) => !covered.has(k)).map((k) => (k.startsWith('?:') ? k.slice(2) : k));
    if (dayRuns.length === 0) gaps.push({ day, kind: 'no-run', missing });
    else if (missing.length) gaps.push({ day, kind: 'partial', missing });
    const sums = new Map<string, Sums>();
    for (const r of dayRuns) {
      for (const c of rowsBySeq.get(r.seq) ?? []) {
        const colon = c.account.indexOf(':');
        if (!inScope(c.account.slice(0, colon), c.account.slice(colon + 1))) continue;
        const key = `${c.framework}\u0000${c.control}`;
        const s = sums.get(key) ?? { pass: 0, fail: 0, unknown: 0, muted: 0, mutedUnknown: 0 };
        s.pass += c.pass;
        s.fail += c.fail;
        s.unknown += c.unknown;
        s.muted += c.muted;
        s.mutedUnknown += c.mutedUnknown;
        sums.set(key, s);
      }
    }
    dayInfo.set(day, { runs: dayRuns.map((r) => r.seq), missing, sums });
  }
  return { gaps, dayInfo };
}

/** A criterion's status day by day: GAP without a run; never PASS when an account went unscanned. */
export function timelineOf(days: string[], dayInfo: DayInfo, criterionKey: string): TimelineDay[] {
  return days.map((day) => {
    const d = dayInfo.get(day)!;
    let status: DayStatus;
    if (d.runs.length === 0) status = 'GAP';
    else {
      const sum = d.sums.get(criterionKey);
      status = sum ? statusFromCounts(sum) : 'MANUAL';
      if (d.missing.length && status === 'PASS') status = 'UNKNOWN';
    }
    return { day, status, runs: d.runs, missing: d.missing };
  });
}

const emptyCounts = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** How many values of sorted `xs` lie in [lo, hi). */
function countIn(xs: number[], lo: number, hi: number): number {
  const lower = (v: number): number => {
    let a = 0;
    let b = xs.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (xs[m] < v) a = m + 1;
      else b = m;
    }
    return a;
  };
  return lower(hi) - lower(lo);
}

export async function buildEvidencePack(store: HistoryStore, opts: EvidenceOptions): Promise<{ pack: EvidencePack; chain: ChainData }> {
  const days = daysBetween(opts.from, opts.to);
  const periodRuns = await store.runs({ fromDay: opts.from, toDay: opts.to });
  const scopeList = resolveScope(opts.scope, periodRuns);
  const scope = new Set(scopeList);
  const wildcard = new Map(scopeList.filter((k) => k.startsWith('?:')).map((k) => [k.slice(2), k]));
  const inScopeAccount = (provider: string, id: string): string | undefined => (scope.has(accountKey(provider, id)) ? accountKey(provider, id) : wildcard.get(id));
  const runs = periodRuns.filter((r) => r.kind === 'runtime' && r.header.scope.accounts.some((a) => inScopeAccount(a.provider, a.id)));
  const bySeq = new Map(runs.map((r) => [r.seq, r]));

  // Chain segment: every run between the period's first and last, whatever its scope.
  const firstSeq = periodRuns.length ? periodRuns[0].seq : null;
  const lastSeq = periodRuns.length ? periodRuns[periodRuns.length - 1].seq : null;
  const segment = firstSeq === null ? [] : await store.runs({ fromSeq: firstSeq, toSeq: lastSeq! });
  const minData = runs.length ? runs[0].seq : 0;
  const maxData = runs.length ? runs[runs.length - 1].seq : -1;

  const controls = runs.length ? (await store.controls(minData, maxData)).filter((c) => bySeq.has(c.seq)) : [];
  const runRules = runs.length ? (await store.runRules(minData, maxData)).filter((r) => bySeq.has(r.seq)) : [];
  const criteriaInfo = await store.criteria();

  // Findings: spans of every in-scope stream, from its beginning to its last run of the period
  // (for lifecycles: when a failure was found may lie before the period).
  const streams = new Map<string, number[]>();
  for (const r of runs) push(streams, r.stream, r.seq);
  const allSpans: SpanRow[] = [];
  const packSpans: SpanRow[] = [];
  const lastRunAt = new Map<string, string>();
  for (const [stream, seqs] of streams) {
    const first = seqs[0];
    const last = seqs[seqs.length - 1];
    lastRunAt.set(stream, bySeq.get(last)!.collectedAt);
    for (const s of await store.spans(stream, 1, last)) {
      // As of the period's end: a span that closed later is still current then.
      const clipped: SpanRow = s.closedBy !== null && s.closedBy > last ? { ...s, closedBy: null, closedAt: null } : s;
      allSpans.push(clipped);
      if (s.startSeq <= last && (s.closedBy === null || s.closedBy > first)) packSpans.push(s);
    }
  }
  allSpans.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : a.startSeq - b.startSeq));

  // Rule → criteria, per rule version.
  const ruleCriteria = new Map<string, Map<string, string[]>>();
  const rulesByRunSeq = new Map<number, RuleInForce[]>();
  for (const { seq, rule } of runRules) {
    ruleCriteria.set(`${rule.id}@${rule.version}`, new Map(Object.entries(rule.frameworks)));
    push(rulesByRunSeq, seq, rule);
  }
  const criteriaOf = (ruleId: string, version: string, framework?: string): string[] => {
    const m = ruleCriteria.get(`${ruleId}@${version}`);
    if (!m) return [];
    if (framework) return m.get(framework) ?? [];
    return [...m.entries()].flatMap(([fw, ids]) => ids.map((id) => (fw === 'soc2' ? id : `${fw}:${id}`)));
  };

  // Frameworks and their criteria: SOC 2 first, every criterion the runs rolled up.
  const frameworks = new Map<string, { id: string; title: string; version: string }>();
  for (const r of runs) for (const f of r.header.frameworks) frameworks.set(f.id, f);
  const criteriaKeys = new Map<string, { framework: string; id: string }>();
  for (const c of controls) if (c.account === '*') criteriaKeys.set(`${c.framework}\u0000${c.control}`, { framework: c.framework, id: c.control });
  const info = new Map(criteriaInfo.map((c) => [`${c.framework}\u0000${c.id}`, c]));

  const runsByDay = new Map<string, StoredRun[]>();
  for (const r of runs) push(runsByDay, r.day, r);
  const { gaps, dayInfo } = dayTable(days, runs.map((r) => ({ seq: r.seq, day: r.day, accounts: r.header.scope.accounts })), controls, scopeList);

  // Lifecycles of the in-scope findings, as of the period's end.
  const lcs = lifecycles(allSpans, lastRunAt);
  const from = `${opts.from}T00:00:00.000Z`;
  const toEnd = new Date(Date.parse(`${opts.to}T00:00:00Z`) + DAY).toISOString();
  const lastVersion = new Map<string, string>();
  for (const s of allSpans) lastVersion.set(s.fingerprint, s.ruleVersion);
  const failures: FailureEntry[] = [];
  for (const lc of lcs) {
    for (const f of lc.failures) {
      if (f.found >= toEnd) continue;
      if (f.resolution !== 'open' && (f.ended ?? '') < from) continue;
      failures.push({
        fingerprint: lc.fingerprint,
        ruleId: lc.ruleId,
        resourceId: lc.resourceId,
        resourceType: lc.resourceType,
        account: `${lc.provider}:${lc.account}`,
        region: lc.region,
        severity: f.severity,
        criteria: criteriaOf(lc.ruleId, lastVersion.get(lc.fingerprint) ?? ''),
        found: f.found,
        ...(f.ended ? { ended: f.ended } : {}),
        resolution: f.resolution,
        days: Math.round(f.days * 10) / 10,
        muted: f.muted,
        message: lc.message,
      });
    }
  }
  failures.sort((a, b) => a.found.localeCompare(b.found) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId));

  const risks = new Map<string, AcceptedRisk>();
  for (const lc of lcs) {
    for (const u of lc.suppressions) {
      if (u.lastApplied < from || u.firstApplied >= toEnd) continue;
      const key = `${u.source ?? ''}\u0000${u.reason}\u0000${u.expires}`;
      const r = risks.get(key) ?? {
        reason: u.reason,
        ...(u.owner ? { owner: u.owner } : {}),
        ...(u.ticket ? { approval: u.ticket } : {}),
        expires: u.expires,
        ...(u.source ? { source: u.source } : {}),
        firstApplied: u.firstApplied,
        lastApplied: u.lastApplied,
        findings: 0,
        unknownFindings: 0,
        criteria: [],
        expiredWhileFailing: false,
        rules: [],
      };
      r.findings++;
      if (u.originalStatus === 'UNKNOWN') r.unknownFindings++;
      if (u.firstApplied < r.firstApplied) r.firstApplied = u.firstApplied;
      if (u.lastApplied > r.lastApplied) r.lastApplied = u.lastApplied;
      r.expiredWhileFailing ||= u.expiredWhileFailing;
      r.rules = [...new Set([...r.rules, lc.ruleId])].sort();
      r.criteria = [...new Set([...r.criteria, ...criteriaOf(lc.ruleId, lastVersion.get(lc.fingerprint) ?? '')])].sort();
      risks.set(key, r);
    }
  }
  const acceptedRisks = [...risks.values()].sort((a, b) => a.expires.localeCompare(b.expires) || a.reason.localeCompare(b.reason));

  // Population per criterion: resources evaluated in the period by the rules mapped to it.
  const seqsByStream = new Map([...streams].map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
  const populations = new Map<string, Map<string, PopulationItem>>();
  for (const s of packSpans) {
    const seqs = seqsByStream.get(s.stream)!;
    const n = countIn(seqs, s.startSeq, s.closedBy ?? Number.MAX_SAFE_INTEGER);
    if (n === 0) continue;
    const m = ruleCriteria.get(`${s.ruleId}@${s.ruleVersion}`);
    if (!m) continue;
    const key = `${s.provider}|${s.account}|${s.region}|${s.resourceType}|${s.resourceId}`;
    const seenFrom = s.startAt;
    const seenTo = s.closedAt && s.closedBy !== null && s.closedBy <= seqs[seqs.length - 1] ? s.closedAt : bySeq.get(seqs[seqs.length - 1])!.collectedAt;
    for (const [fw, ids] of m) {
      for (const id of ids) {
        const pk = `${fw}\u0000${id}`;
        let pop = populations.get(pk);
        if (!pop) populations.set(pk, (pop = new Map()));
        let item = pop.get(key);
        if (!item) {
          item = {
            key,
            resourceId: s.resourceId,
            resourceType: s.resourceType,
            provider: s.provider,
            account: s.account,
            region: s.region,
            ...(s.resourceName ? { name: s.resourceName } : {}),
            rules: [],
            runs: 0,
            statusRuns: emptyCounts(),
            firstSeen: seenFrom,
            lastSeen: seenTo,
          };
          pop.set(key, item);
        }
        if (!item.rules.includes(s.ruleId)) item.rules.push(s.ruleId);
        item.statusRuns[s.status] += n;
        item.runs = Math.max(item.runs, n);
        if (seenFrom < item.firstSeen) item.firstSeen = seenFrom;
        if (seenTo > item.lastSeen) item.lastSeen = seenTo;
      }
    }
  }
  for (const pop of populations.values()) for (const item of pop.values()) item.rules.sort();

  // Listing calls behind the populations.
  const listingAgg = new Map<string, { operation: string; resourceTypes: string[]; runs: Set<number>; ok: number; failed: number }>();
  for (const r of runs) {
    for (const l of r.header.listings) {
      if (!inScopeAccount(l.provider, l.account)) continue;
      const a = listingAgg.get(l.operation) ?? { operation: l.operation, resourceTypes: l.resourceTypes, runs: new Set<number>(), ok: 0, failed: 0 };
      a.runs.add(r.seq);
      a.ok += l.ok;
      a.failed += l.failed;
      listingAgg.set(l.operation, a);
    }
  }

  // Failures and risks per criterion, counted once (not a scan of every failure per criterion).
  const failuresPer = new Map<string, number>();
  for (const f of failures) for (const c of f.criteria) failuresPer.set(c, (failuresPer.get(c) ?? 0) + 1);
  const risksPer = new Map<string, number>();
  for (const r of acceptedRisks) for (const c of r.criteria) risksPer.set(c, (risksPer.get(c) ?? 0) + 1);
  const rulesPer = new Map<string, Set<string>>();
  for (const { rule } of runRules) {
    for (const [fw, ids] of Object.entries(rule.frameworks)) {
      for (const id of ids) {
        const k = `${fw}\u0000${id}`;
        let set = rulesPer.get(k);
        if (!set) rulesPer.set(k, (set = new Set()));
        set.add(rule.id);
      }
    }
  }
  const criteria: CriterionEvidence[] = [];
  const fwOrder = (fw: string): string => (fw === 'soc2' ? '0' : `1${fw}`);
  const keys = [...criteriaKeys.values()].sort((a, b) => fwOrder(a.framework).localeCompare(fwOrder(b.framework)) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const populationOut: EvidencePack['populations'] = [];
  for (const { framework, id } of keys) {
    const k = `${framework}\u0000${id}`;
    const meta = info.get(k);
    const rules = [...(rulesPer.get(k) ?? [])].sort();
    const timeline = timelineOf(days, dayInfo, k);
    const counts = { PASS: 0, FAIL: 0, UNKNOWN: 0, MANUAL: 0, GAP: 0 } as Record<DayStatus, number>;
    for (const t of timeline) counts[t.status]++;
    const items = [...(populations.get(k)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const size = sampleSize(items.length, opts.sample);
    const byType: Record<string, number> = {};
    for (const i of items) byType[i.resourceType] = (byType[i.resourceType] ?? 0) + 1;
    const types = new Set(Object.keys(byType));
    const listings = [...listingAgg.values()]
      .filter((l) => l.resourceTypes.some((t) => types.has(t)))
      .map((l) => ({ operation: l.operation, resourceTypes: l.resourceTypes, runs: l.runs.size, ok: l.ok, failed: l.failed }))
      .sort((a, b) => a.operation.localeCompare(b.operation));
    const label = framework === 'soc2' ? id : `${framework}:${id}`;
    criteria.push({
      framework,
      id,
      title: meta?.title ?? id,
      category: meta?.category ?? framework,
      rules,
      ...(meta?.note && rules.length === 0 ? { manualNote: meta.note } : {}),
      days: counts,
      timeline,
      population: { size: items.length, byType, listings },
      sample: {
        size,
        rule: opts.sample === undefined ? 'guidance: all below 5, 5 up to 50, 10% up to 250, 25 above' : `requested: ${opts.sample}`,
        items: drawSample(items, (i) => i.key, size, opts.seed, framework, id).map(({ item, rank }) => ({ ...item, rank })),
      },
      failures: failuresPer.get(label) ?? 0,
      acceptedRisks: risksPer.get(label) ?? 0,
    });
    if (items.length) populationOut.push({ framework, criterion: id, items });
  }

  // Rule versions in force and their changes over the period.
  const versions = new Map<string, RuleVersionInForce>();
  for (const { seq, rule } of runRules) {
    const day = bySeq.get(seq)!.day;
    const k = `${rule.id}@${rule.version}`;
    const v = versions.get(k) ?? { ruleId: rule.id, version: rule.version, contentHash: rule.contentHash, title: rule.title, severity: rule.severity, from: day, to: day, runs: 0 };
    if (day < v.from) v.from = day;
    if (day > v.to) v.to = day;
    v.runs++;
    versions.set(k, v);
  }
  const ruleChanges: RuleChange[] = [];
  let previous: Map<string, string> | undefined;
  for (const r of runs) {
    const now = new Map((rulesByRunSeq.get(r.seq) ?? []).map((x) => [x.id, x.version]));
    if (previous) {
      for (const [id, v] of now) {
        const was = previous.get(id);
        if (was === undefined) ruleChanges.push({ ruleId: id, change: 'added', day: r.day, toVersion: v });
        else if (was !== v) ruleChanges.push({ ruleId: id, change: 'changed', day: r.day, fromVersion: was, toVersion: v });
      }
      for (const [id, was] of previous) if (!now.has(id)) ruleChanges.push({ ruleId: id, change: 'removed', day: r.day, fromVersion: was });
    }
    previous = now;
  }

  const runLog: RunLogEntry[] = runs.map((r) => ({
    seq: r.seq,
    runId: r.runId,
    day: r.day,
    collectedAt: r.collectedAt,
    evaluatedAt: r.header.evaluatedAt,
    recordedAt: r.recordedAt,
    scope: r.header.scope,
    complete: r.complete,
    resources: r.header.resources,
    findings: r.header.summary.byStatus,
    gaps: r.header.gaps.map((g) => ({ provider: g.provider, account: g.account, region: g.region, operation: `${g.service}:${g.operation}`, outcome: g.outcome, ...(g.message ? { message: g.message } : {}) })),
    rulePack: r.header.rules.packVersion,
    snapshotSha256: r.header.snapshot.sha256,
    chainHash: r.chainHash,
  }));

  const storeHead = await store.chainHead();
  const pack: EvidencePack = {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    period: { from: opts.from, to: opts.to, days: days.length },
    scope: { accounts: scopeList.map((k) => (k.startsWith('?:') ? k.slice(2) : k)), requested: opts.scope },
    sampling: { seed: opts.seed, requested: opts.sample ?? 'guidance', method: 'rank by sha256("<seed>:<framework>:<criterion>:<item key>"), ascending; take the first N' },
    chain: {
      firstSeq,
      lastSeq,
      startsAfter: segment.length ? segment[0].prevHash : null,
      head: segment.length ? segment[segment.length - 1].chainHash : null,
      storeHead,
    },
    summary: {
      runs: runs.length,
      daysWithRuns: days.filter((d) => (runsByDay.get(d) ?? []).length > 0).length,
      gapDays: gaps.filter((g) => g.kind === 'no-run').length,
      partialDays: gaps.filter((g) => g.kind === 'partial').length,
      incompleteRuns: runs.filter((r) => !r.complete).length,
      failures: failures.length,
      acceptedRisks: acceptedRisks.length,
      ruleChanges: ruleChanges.length,
    },
    frameworks: [...frameworks.values()].sort((a, b) => fwOrder(a.id).localeCompare(fwOrder(b.id))),
    runs: runLog,
    gaps,
    criteria,
    populations: populationOut,
    failures,
    acceptedRisks,
    rules: [...versions.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.from.localeCompare(b.from)),
    ruleChanges,
  };
  const chain: ChainData = {
    links: segment.map((r) => ({ seq: r.seq, recordDigest: r.recordDigest, prevHash: r.prevHash, chainHash: r.chainHash, header: r.header })),
    spans: packSpans,
    controls,
    rules: runRules.map((r) => ({ seq: r.seq, id: r.rule.id, version: r.rule.version, contentHash: r.rule.contentHash })),
    checkpoints: await store.checkpoints(),
    dataRuns: runs.map((r) => r.seq),
  };
  return { pack, chain };
}

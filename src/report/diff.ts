import { type FindingRef, effectiveStatus } from './baseline';
import type { Colors } from './style';
import { type CellSpec, renderGrid } from './terminal-table';

/**
 * What changed between two runs, by fingerprint: findings only in the new run (new), only in
 * the old one (resolved: the resource or the rule is gone), in both with another status
 * (status-changed: fixed, regressed, …), and in both with the same status (unchanged).
 * A muted finding compares as the status it had before muting, with the mute noted.
 */

export interface DiffEntry {
  fingerprint: string;
  ruleId: string;
  severity: string;
  resource: FindingRef['resource'];
  title?: string;
  /** Status in the old run (absent for new findings). */
  before?: string;
  /** Status in the new run (absent for resolved findings). */
  after?: string;
}

/** The diff, as `trustscan diff --format json` writes it. */
export interface FindingsDiff {
  oldFile: string;
  newFile: string;
  counts: { new: number; resolved: number; statusChanged: number; unchanged: number };
  new: DiffEntry[];
  resolved: DiffEntry[];
  statusChanged: DiffEntry[];
  unchanged: DiffEntry[];
}

function label(f: FindingRef): string {
  return f.status === 'MUTED' ? `${effectiveStatus(f)} (muted)` : f.status;
}

function entry(f: FindingRef, before?: FindingRef, after?: FindingRef): DiffEntry {
  const e: DiffEntry = { fingerprint: f.fingerprint, ruleId: f.ruleId, severity: f.severity, resource: f.resource };
  if (f.title) e.title = f.title;
  if (before) e.before = label(before);
  if (after) e.after = label(after);
  return e;
}

export function diffFindings(oldFile: string, oldFindings: FindingRef[], newFile: string, newFindings: FindingRef[]): FindingsDiff {
  const before = new Map(oldFindings.map((f) => [f.fingerprint, f]));
  const seen = new Set<string>();
  const d: FindingsDiff = { oldFile, newFile, counts: { new: 0, resolved: 0, statusChanged: 0, unchanged: 0 }, new: [], resolved: [], statusChanged: [], unchanged: [] };
  for (const f of newFindings) {
    seen.add(f.fingerprint);
    const o = before.get(f.fingerprint);
    if (!o) d.new.push(entry(f, undefined, f));
    else if (label(o) !== label(f)) d.statusChanged.push(entry(f, o, f));
    else d.unchanged.push(entry(f, o, f));
  }
  for (const o of oldFindings) if (!seen.has(o.fingerprint)) d.resolved.push(entry(o, o, undefined));
  d.counts = { new: d.new.length, resolved: d.resolved.length, statusChanged: d.statusChanged.length, unchanged: d.unchanged.length };
  return d;
}

/** For people: counts, then every change that matters (passing findings appearing or vanishing are only counted). */
export function renderDiffTable(d: FindingsDiff, c: Colors, width: number, all = false): string {
  const out: string[] = [];
  out.push(c.bold(`Findings: ${d.counts.new} new, ${d.counts.resolved} resolved, ${d.counts.statusChanged} changed status, ${d.counts.unchanged} unchanged`));
  out.push(c.dim(`old: ${d.oldFile}\nnew: ${d.newFile}`));
  const rows: [string, DiffEntry][] = [
    ...d.new.filter((e) => all || e.after !== 'PASS').map((e): [string, DiffEntry] => ['new', e]),
    ...d.resolved.filter((e) => all || e.before !== 'PASS').map((e): [string, DiffEntry] => ['resolved', e]),
    ...d.statusChanged.map((e): [string, DiffEntry] => ['changed', e]),
  ];
  if (rows.length) {
    const cells = rows.map(([kind, e]): CellSpec[] => [
      kind,
      e.before ?? '-',
      e.after ?? '-',
      e.severity,
      e.ruleId,
      [e.resource.name ?? e.resource.id, { text: `${e.resource.account}/${e.resource.region}`, paint: c.dim }],
    ]);
    out.push(renderGrid(['Change', 'Before', 'After', 'Severity', 'Rule', 'Resource'], [10, 16, 16, 10, 38, Math.max(30, width - 100)], cells, c));
  } else {
    out.push('No failing, unknown or muted finding appeared, disappeared or changed status.');
  }
  const hidden = d.new.length + d.resolved.length + d.statusChanged.length - rows.length;
  if (hidden > 0) out.push(c.dim(`(${hidden} passing finding(s) appeared or disappeared: --all lists them)`));
  return `${out.join('\n')}\n`;
}

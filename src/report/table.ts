import { type Finding, type Results, SEVERITIES } from '../core/types';
import { renderControlsTable, rollupHeading, selectRollups } from './controls-table';
import { type CellSpec, renderGrid } from './terminal-table';
import { type Colors, paintSeverity, paintStatus } from './style';
import { visible } from './visible';

export interface TableOptions {
  colors: Colors;
  /** Terminal width in columns. */
  width: number;
  /** Also list PASS findings. */
  verbose?: boolean;
  /** Frameworks whose roll-up to show (`all` for every one; default: SOC 2). */
  frameworks?: readonly string[];
}

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

function byImportance(a: Finding, b: Finding): number {
  const status = (f: Finding): number => (f.status === 'FAIL' ? 0 : f.status === 'UNKNOWN' ? 1 : f.status === 'MUTED' ? 2 : 3);
  return (
    status(a) - status(b) ||
    SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)! ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resource.id.localeCompare(b.resource.id)
  );
}

function where(f: Finding): string {
  const src = f.resource.source;
  if (src?.file) return visible(`${src.file}${src.line ? `:${src.line}` : ''}`);
  return visible(`${f.resource.account}/${f.resource.region}`);
}

/** What the Detail column says: why a finding is UNKNOWN, what is wrong for FAIL, the rule otherwise. */
function detailOf(f: Finding): string {
  if (f.status === 'UNKNOWN') return (f.unknownReasons ?? []).map(visible).join('\n');
  const failed = f.status === 'FAIL' || f.suppression?.originalStatus === 'FAIL';
  if (!failed) return visible(f.title);
  // A rule's own fail message names the problem; the default one restates the title.
  return visible(f.message.startsWith('Not met — ') ? `Not met: ${f.title}` : f.message);
}

/** A readable report for a terminal: summary, findings that need attention, and the SOC 2 table. */
export function renderTable(results: Results, opts: TableOptions): string {
  const c = opts.colors;
  const s = results.summary;
  const scan = results.scan;
  const out: string[] = [];
  out.push(c.bold(`trustscan ${scan.tool.version} — ${scan.resources} resources, ${scan.rules.count} rules, scan time ${scan.scanTime}`));
  out.push(
    `Findings: ${paintStatus(c, 'FAIL')} ${s.byStatus.FAIL}  ${paintStatus(c, 'UNKNOWN')} ${s.byStatus.UNKNOWN}  ` +
      `${paintStatus(c, 'PASS')} ${s.byStatus.PASS}  ${paintStatus(c, 'MUTED')} ${s.byStatus.MUTED}` +
      `   failing by severity: ${SEVERITIES.filter((x) => s.failBySeverity[x] > 0).map((x) => `${paintSeverity(c, x)} ${s.failBySeverity[x]}`).join('  ') || 'none'}`,
  );
  out.push(
    scan.complete
      ? c.green('Evaluation complete: every rule could be evaluated.')
      : c.yellow(`Evaluation INCOMPLETE: ${s.byStatus.UNKNOWN} finding(s) could not be evaluated (${scan.gaps.length} failed API operation(s) in the snapshot).`),
  );
  const sup = scan.suppressions;
  if (sup) {
    const notes = [sup.expired.length ? `${sup.expired.length} expired (no longer applied)` : '', sup.unused.length ? `${sup.unused.length} matched nothing` : ''].filter(Boolean);
    out.push(`Suppressions: ${sup.muted} finding(s) muted${notes.length ? c.yellow(`; ${notes.join(', ')}: see the warnings`) : ''}.`);
  }
  const listed = results.findings.filter((f) => opts.verbose || f.status !== 'PASS').sort(byImportance);
  if (listed.length) {
    const detailWidth = Math.max(30, opts.width - 94);
    const rows = listed.map((f): CellSpec[] => [
      { text: f.status, paint: (t) => paintStatus(c, f.status).replace(f.status, t) },
      { text: f.severity, paint: (t) => paintSeverity(c, f.severity).replace(f.severity, t) },
      visible(f.ruleId),
      visible(f.resource.name ?? f.resource.id),
      // The place goes in the wide column: file paths and ARNs must not be cut.
      [{ text: where(f), paint: c.dim }, detailOf(f)],
    ]);
    out.push(renderGrid(['Status', 'Severity', 'Rule', 'Resource', 'Detail'], [9, 10, 38, 30, detailWidth], rows, c));
  } else {
    out.push(c.green('No failing or unknown findings.'));
  }
  for (const rollup of selectRollups(results.frameworks, opts.frameworks)) {
    out.push('');
    out.push(c.bold(rollupHeading(rollup)));
    out.push(renderControlsTable(rollup, { colors: c, width: opts.width }));
  }
  return `${out.join('\n')}\n`;
}

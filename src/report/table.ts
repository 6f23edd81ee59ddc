import { type Finding, type Results, SEVERITIES } from '../core/types';
import { renderControlsTable, rollupHeading, selectRollups } from './controls-table';
import { type CellSpec, printedColumns, renderGrid, type Segment, wrapText } from './terminal-table';
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

/** Columns the five-column findings table needs (its detail column at 30); below it, three columns. */
const WIDE_LAYOUT = 123;
/** The narrowest table drawn (the classic terminal). */
const MIN_WIDTH = 80;

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
  const counts = `Findings: ${paintStatus(c, 'FAIL')} ${s.byStatus.FAIL}  ${paintStatus(c, 'UNKNOWN')} ${s.byStatus.UNKNOWN}  ${paintStatus(c, 'PASS')} ${s.byStatus.PASS}  ${paintStatus(c, 'MUTED')} ${s.byStatus.MUTED}`;
  const severities = `failing by severity: ${SEVERITIES.filter((x) => s.failBySeverity[x] > 0).map((x) => `${paintSeverity(c, x)} ${s.failBySeverity[x]}`).join('  ') || 'none'}`;
  // Both on one line when it fits the terminal, else one under the other.
  out.push(printedColumns(counts) + 3 + printedColumns(severities) <= opts.width ? `${counts}   ${severities}` : `${counts}\n${severities[0].toUpperCase()}${severities.slice(1)}`);
  const completeness = scan.complete
    ? 'Evaluation complete: every rule could be evaluated.'
    : `Evaluation INCOMPLETE: ${s.byStatus.UNKNOWN} finding(s) could not be evaluated (${scan.gaps.length} failed API operation(s) in the snapshot).`;
  out.push(...wrapText(completeness, opts.width).map((l) => (scan.complete ? c.green(l) : c.yellow(l))));
  const sup = scan.suppressions;
  if (sup) {
    const notes = [sup.expired.length ? `${sup.expired.length} expired (no longer applied)` : '', sup.unused.length ? `${sup.unused.length} matched nothing` : ''].filter(Boolean);
    out.push(`Suppressions: ${sup.muted} finding(s) muted${notes.length ? c.yellow(`; ${notes.join(', ')}: see the warnings`) : ''}.`);
  }
  const listed = results.findings.filter((f) => opts.verbose || f.status !== 'PASS').sort(byImportance);
  if (listed.length) {
    const status = (f: Finding): Segment => ({ text: f.status, paint: (t) => paintStatus(c, f.status).replace(f.status, t) });
    const severity = (f: Finding): Segment => ({ text: f.severity, paint: (t) => paintSeverity(c, f.severity).replace(f.severity, t) });
    // The place goes in the wide column: file paths and ARNs must not be cut.
    const detail = (f: Finding): Segment[] => [{ text: where(f), paint: c.dim }, detailOf(f)];
    if (opts.width >= WIDE_LAYOUT) {
      const rows = listed.map((f): CellSpec[] => [status(f), severity(f), visible(f.ruleId), visible(f.resource.name ?? f.resource.id), detail(f)]);
      out.push(renderGrid(['Status', 'Severity', 'Rule', 'Resource', 'Detail'], [9, 10, 38, 30, opts.width - (WIDE_LAYOUT - 30)], rows, c));
    } else {
      // A narrow terminal (80 columns): status over severity, rule over resource, the detail beside.
      const inner = Math.max(MIN_WIDTH, opts.width) - 4 - 10;
      const finding = Math.floor(inner / 2);
      const rows = listed.map((f): CellSpec[] => [[status(f), severity(f)], [visible(f.ruleId), { text: visible(f.resource.name ?? f.resource.id), paint: c.bold }], detail(f)]);
      out.push(renderGrid(['Status', 'Rule / resource', 'Detail'], [10, finding, inner - finding], rows, c));
    }
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

import type { ControlStatus, FrameworkRollup } from '../core/types';
import { type Colors, paintStatus } from './style';
import { type CellSpec, printedColumns, renderGrid, wrapText } from './terminal-table';
import { visible } from './visible';

export interface ControlsTableOptions {
  colors: Colors;
  width: number;
  /** Show MANUAL criteria too (default: only criteria with automated evidence, plus a count of the rest). */
  all?: boolean;
}

/** A framework's roll-up as a terminal table. */
export function renderControlsTable(rollup: FrameworkRollup, opts: ControlsTableOptions): string {
  const c = opts.colors;
  const controls = rollup.controls;
  const shownRows = opts.all ? controls : controls.filter((x) => x.status !== 'MANUAL');
  const ruleWidth = Math.max(20, Math.min(60, opts.width - 70));
  const rows = shownRows.map((x): CellSpec[] => [
    x.id,
    { text: x.status, paint: (t) => paintStatus(c, x.status).replace(x.status, t) },
    x.counts.PASS,
    x.counts.FAIL,
    x.counts.UNKNOWN,
    x.counts.MUTED,
    x.rules.length ? [visible(x.title), { text: visible(x.rules.join(', ')), paint: c.dim }] : visible(x.title),
  ]);
  const grid = renderGrid(['Criterion', 'Status', 'Pass', 'Fail', 'Unknown', 'Muted', 'Title / rules'], [11, 9, 6, 6, 9, 7, ruleWidth + 2], rows, c);
  const tally = (s: ControlStatus): number => rollup.summary[s];
  const counts =
    `${shortName(rollup)} criteria: ${paintStatus(c, 'PASS')} ${tally('PASS')}  ${paintStatus(c, 'FAIL')} ${tally('FAIL')}  ` +
    `${paintStatus(c, 'UNKNOWN')} ${tally('UNKNOWN')}  ${paintStatus(c, 'MANUAL')} ${tally('MANUAL')}`;
  const hidden = '(MANUAL criteria hidden: --all shows them)';
  const summary = opts.all ? counts : `${counts}${printedColumns(counts) + 2 + hidden.length <= opts.width ? '  ' : '\n'}${c.dim(hidden)}`;
  const exceptions = controls.flatMap((x) => x.exceptions.map((e) => ({ criterion: x.id, ...e })));
  const exceptionLines = exceptions.length
    ? `\nExceptions (muted findings):\n${exceptions
        .flatMap((e) => wrapText(visible(`${e.criterion} ${e.ruleId} ${e.resourceId} — ${e.reason} (owner ${e.owner ?? '-'}, expires ${e.expires})`), Math.max(40, opts.width - 4)).map((l, i) => `${i ? '    ' : '  '}${l}`))
        .join('\n')}`
    : '';
  return `${grid}\n${summary}${exceptionLines}\n`;
}

/** "SOC 2", "CIS …": how a framework is named in a one-line summary. */
export function shortName(rollup: FrameworkRollup): string {
  return rollup.framework.id === 'soc2' ? 'SOC 2' : rollup.framework.id;
}

/** The heading of a framework's table: its title and version. */
export function rollupHeading(rollup: FrameworkRollup): string {
  return `${rollup.framework.title} (${rollup.framework.version})`;
}

/** The roll-ups to show: those named (all of them for `all`), else the primary framework's. */
export function selectRollups(frameworks: Record<string, FrameworkRollup>, wanted: readonly string[] | undefined): FrameworkRollup[] {
  if (!wanted || wanted.length === 0) return frameworks.soc2 ? [frameworks.soc2] : Object.values(frameworks).slice(0, 1);
  if (wanted.includes('all')) return Object.values(frameworks);
  return wanted.map((id) => frameworks[id]).filter((r): r is FrameworkRollup => r !== undefined);
}

import type { ControlResult, ControlStatus } from '../core/types';
import { type Colors, paintStatus } from './style';
import { type CellSpec, renderGrid } from './terminal-table';
import { visible } from './visible';

export interface ControlsTableOptions {
  colors: Colors;
  width: number;
  /** Show MANUAL criteria too (default: only criteria with automated evidence, plus a count of the rest). */
  all?: boolean;
}

/** The SOC 2 roll-up as a terminal table. */
export function renderControlsTable(controls: readonly ControlResult[], opts: ControlsTableOptions): string {
  const c = opts.colors;
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
  const tally = (s: ControlStatus): number => controls.filter((x) => x.status === s).length;
  const summary =
    `SOC 2 criteria: ${paintStatus(c, 'PASS')} ${tally('PASS')}  ${paintStatus(c, 'FAIL')} ${tally('FAIL')}  ` +
    `${paintStatus(c, 'UNKNOWN')} ${tally('UNKNOWN')}  ${paintStatus(c, 'MANUAL')} ${tally('MANUAL')}` +
    (opts.all ? '' : c.dim(`  (MANUAL criteria hidden: --all shows them)`));
  const exceptions = controls.flatMap((x) => x.exceptions.map((e) => ({ criterion: x.id, ...e })));
  const exceptionLines = exceptions.length
    ? `\nExceptions (muted findings):\n${exceptions.map((e) => visible(`  ${e.criterion} ${e.ruleId} ${e.resourceId} — ${e.reason} (owner ${e.owner ?? '-'}, expires ${e.expires})`)).join('\n')}`
    : '';
  return `${grid}\n${summary}${exceptionLines}\n`;
}

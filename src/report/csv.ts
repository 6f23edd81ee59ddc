import { stringify } from 'csv-stringify/sync';
import type { Finding, Results } from '../core/types';
import { visibleKeepLines } from './visible';

/** One row per finding, for spreadsheets and ad-hoc analysis. */

export const CSV_COLUMNS = [
  'status',
  'severity',
  'rule',
  'title',
  'resource_id',
  'resource_name',
  'resource_type',
  'provider',
  'account',
  'region',
  'file',
  'line',
  'soc2',
  'message',
  'unknown_reasons',
  'suppression_reason',
  'suppression_expires',
  'suppression_owner',
  'suppression_ticket',
  'fingerprint',
] as const;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) gets a leading
 * apostrophe: resource names and tags come from the cloud and must not execute on an auditor's laptop.
 */
export function safeCell(v: string): string {
  return visibleKeepLines(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
}

function row(f: Finding): string[] {
  const r = f.resource;
  const s = f.suppression;
  const cells = [
    f.status,
    f.severity,
    f.ruleId,
    f.title,
    r.id,
    r.name ?? '',
    r.type,
    r.provider,
    r.account,
    r.region,
    r.source?.file ?? '',
    r.source?.line !== undefined ? String(r.source.line) : '',
    f.soc2.join(' '),
    f.message,
    (f.unknownReasons ?? []).join('; '),
    s?.reason ?? '',
    s?.expires ?? '',
    s?.owner ?? '',
    s?.ticket ?? '',
    f.fingerprint,
  ];
  return cells.map(safeCell);
}

export function renderCsv(results: Results): string {
  return stringify([[...CSV_COLUMNS], ...results.findings.map(row)], { record_delimiter: 'unix' });
}

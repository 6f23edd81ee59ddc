import { UsageError } from '../core/errors';

/** The output formats, what each is for and the file name it gets in --output-dir. */

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'ocsf', 'sarif', 'junit', 'csv', 'markdown', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FormatInfo {
  /** File name used under --output-dir. */
  file: string;
  /** Written finding by finding while the evaluation runs (constant memory). */
  streams: boolean;
  /** Needs every finding in memory at the end (the others stream, or need only counts). */
  needsFindings: boolean;
  description: string;
}

export const FORMATS: Record<OutputFormat, FormatInfo> = {
  table: { file: 'report.txt', streams: false, needsFindings: true, description: 'readable report for a terminal' },
  json: { file: 'results.json', streams: true, needsFindings: false, description: 'the results contract (trustscan schema results)' },
  ndjson: { file: 'findings.ndjson', streams: true, needsFindings: false, description: 'one finding per line, for a SIEM pipe' },
  ocsf: { file: 'findings.ocsf.ndjson', streams: true, needsFindings: false, description: 'OCSF 1.3.0 Compliance Finding events (class 2003), one per line' },
  sarif: { file: 'results.sarif', streams: false, needsFindings: true, description: 'SARIF 2.1.0 for code scanning' },
  junit: { file: 'junit.xml', streams: false, needsFindings: true, description: 'JUnit XML test report' },
  csv: { file: 'findings.csv', streams: false, needsFindings: true, description: 'one row per finding' },
  markdown: { file: 'summary.md', streams: false, needsFindings: false, description: 'short summary for a CI job summary or a PR comment' },
  html: { file: 'report.html', streams: false, needsFindings: true, description: 'self-contained, offline HTML report' },
};

/** Parses one --format value: FORMAT or FORMAT=FILE (FILE '-' is stdout). */
export function parseFormatSpec(value: string): { format: OutputFormat; file?: string } {
  const eq = value.indexOf('=');
  const name = (eq === -1 ? value : value.slice(0, eq)).trim().toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(name)) throw new UsageError(`unknown format '${name}': expected one of ${OUTPUT_FORMATS.join(', ')}, optionally as FORMAT=FILE`);
  if (eq === -1) return { format: name as OutputFormat };
  const file = value.slice(eq + 1);
  if (file === '') throw new UsageError(`'${value}': no file after '='`);
  return { format: name as OutputFormat, ...(file === '-' ? {} : { file }) };
}


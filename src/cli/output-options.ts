import { type Command, Option } from 'commander';
import type { Logger } from 'pino';
import { EXIT } from '../core/errors';
import type { Results, Severity } from '../core/types';
import { renderJson, renderNdjsonLine } from '../report/json';
import { renderTable } from '../report/table';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';
import { collect, failsGate, parseDate, parseSeverity } from './options';

/**
 * The output and gate options shared by every command that produces results (evaluate, scan,
 * iac), so they behave the same everywhere.
 */

export const OUTPUT_FORMATS = ['json', 'ndjson', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputOptions {
  rules?: string[];
  format: OutputFormat;
  output?: string;
  failOn?: Severity;
  now?: Date;
  verbose?: boolean;
  /** ARN patterns of principals allowed to hold admin / privilege-escalation rights. */
  privileged?: string[];
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  ran, and nothing failed at or above --fail-on (always 0 without --fail-on)
  1  ran, and findings failed at or above --fail-on (or, for 'rules test', a case failed)
  2  usage or input error: bad option, missing file, malformed rule, snapshot or results file
  3  internal error (a bug: please report it with the output of --log-level debug)`;

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--rules <dir>', 'rule directory or file (repeatable; "builtin" = the rules shipped with trustscan)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write the output to this file (atomically) instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding fails at or above this severity (critical, high, medium, low, info)', parseSeverity)
    .option('--now <datetime>', 'scan time for date rules (default: the snapshot start time)', parseDate)
    .option('-v, --verbose', 'table format: list passing findings too')
    .option(
      '--privileged <arn-pattern>',
      'IAM principal (or policy) ARN allowed to hold admin or privilege-escalation rights; * and ? wildcards (repeatable)',
      collect,
    )
    .addHelpText('after', EXIT_CODES_HELP);
}

/** Renders results in the requested format, writes them, and returns the gate's exit code. */
export async function writeResults(results: Results, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  if (!results.scan.complete) {
    log.warn({ unknown: results.summary.byStatus.UNKNOWN, gaps: results.scan.gaps.length }, 'evaluation incomplete: some findings are UNKNOWN');
  }
  let text: string;
  if (opts.format === 'json') text = renderJson(results);
  else if (opts.format === 'ndjson') text = results.findings.map(renderNdjsonLine).join('');
  else {
    const toFile = opts.output !== undefined && opts.output !== '-';
    text = renderTable(results, {
      colors: toFile ? stdoutColors(io, { ...global, color: false }) : stdoutColors(io, global),
      width: toFile ? 140 : terminalWidth(io),
      verbose: opts.verbose,
    });
  }
  await emit(io, text, opts.output);
  return failsGate(results.summary.failBySeverity, opts.failOn) ? EXIT.FINDINGS : EXIT.OK;
}

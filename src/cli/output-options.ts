import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Catalog } from '../catalog';
import { UsageError } from '../core/errors';
import type { JsonSchema } from '../core/resource-types/schema-helpers';
import type { OutputOptions, PlanEnvironment } from '../pipeline/output-plan';
import { OUTPUT_FORMATS, parseFormatSpec } from '../report/formats';
import type { OutputIO } from '../pipeline/run';
import { type CliIO, type GlobalOptions, stdoutColors, terminalWidth } from './io';
import { collect, collectSeverities, collectStatuses, parseDate, parseSeverity } from './options';

/**
 * The output and gate options shared by every command that produces results (evaluate, scan,
 * iac), so they behave the same everywhere: formats (several per run), output files and folder,
 * trustscan.yaml, suppressions, baseline, frameworks and the gate. The work itself is done by
 * the pipeline (src/pipeline/): commands plan their outputs with `prepareOutput`, then call
 * `evaluateAndWrite` or `writeResults`.
 */

export type { OutputOptions };

export const EXIT_CODES_HELP = `
Exit codes:
  0  ran, and the gate passed (always 0 without --fail-on / --fail-on-unknown)
  1  ran, and the gate failed: unmuted findings (not in --baseline) failed at or above --fail-on,
     or could not be evaluated with --fail-on-unknown (for 'rules test': a case failed)
  2  usage or input error: bad option, missing file, malformed rule, snapshot, config,
     suppressions, baseline, framework or results file
  3  internal error (a bug: please report it with the output of --log-level debug)`;

function collectFormat(value: string, previous: string[] | undefined): string[] {
  try {
    parseFormatSpec(value);
  } catch (e) {
    if (e instanceof UsageError) throw new InvalidArgumentError(e.message);
    throw e;
  }
  return collect(value, previous);
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--rules <dir>', 'rule directory or file (repeatable; "builtin" = the rules shipped with trustscan)', collect)
    .option('--format <format>', `output format, or FORMAT=FILE; repeatable (${OUTPUT_FORMATS.join(', ')}; default table)`, collectFormat)
    .option('-o, --output <file>', 'write the (single) format given without a file to this file or s3://bucket/key, atomically, instead of stdout')
    .option('--output-dir <dir>', 'write each format given without a file into this folder or s3://bucket/prefix/ (every file format when no --format is given)')
    .option('--severity <list>', 'write only findings of these severities (comma-separated, repeatable); roll-ups and the gate still count every finding', collectSeverities)
    .option('--status <list>', 'write only findings of these statuses (PASS, FAIL, UNKNOWN, MUTED; comma-separated, repeatable), e.g. FAIL,UNKNOWN for a SIEM', collectStatuses)
    .option('--rule <id-glob>', 'run only the rules whose id matches (* and ? wildcards; repeatable)', collect)
    .option('--skip-rule <id-glob>', 'do not run the rules whose id matches (* and ? wildcards; repeatable)', collect)
    .option('--fail-on <severity>', 'gate: exit 1 when an unmuted finding fails at or above this severity (critical, high, medium, low, info)', parseSeverity)
    .option('--fail-on-unknown', 'gate: exit 1 when an unmuted finding could not be evaluated')
    .option('--baseline <file>', 'gate: count only findings not in this earlier results (json) or findings (ndjson) file (or s3://bucket/key)')
    .option('--suppressions <file>', 'suppressions (waivers) file, in addition to those of trustscan.yaml (repeatable)', collect)
    .option('--framework <id>', 'framework whose roll-up the table, markdown and html outputs show (repeatable; "all"; default soc2)', collect)
    .option('--framework-file <file>', 'framework definition file or folder (frameworks/schema.json) added to the built-in ones (repeatable)', collect)
    .addOption(new Option('--config <file>', 'config file (default: trustscan.yaml in the working directory, if any)'))
    .option('--no-config', 'ignore trustscan.yaml')
    .option('--now <datetime>', 'scan time for date rules and suppression expiry (default: the snapshot start time)', parseDate)
    .option('-v, --verbose', 'table format: list passing findings too')
    .option(
      '--privileged <arn-pattern>',
      'IAM principal (or policy) ARN allowed to hold admin or privilege-escalation rights; * and ? wildcards (repeatable)',
      collect,
    )
    .option('--allow-outside-cwd', 'let the output paths of trustscan.yaml (formats, outputDir) point outside the working directory')
    .option('--history [store]', 'record the run in the history store: a SQLite file or a postgres:// URL (alone: trustscan.yaml\'s history, $TRUSTSCAN_HISTORY, else the per-user store)')
    .option('--no-history', 'do not record the run, whatever trustscan.yaml says')
    .addHelpText('after', EXIT_CODES_HELP);
}

/** The pipeline's view of the command's streams and terminal. */
export function outputIO(io: CliIO, global: GlobalOptions): OutputIO {
  return { stdout: io.stdout, env: io.env, cwd: io.cwd, stdoutColors: stdoutColors(io, global), width: terminalWidth(io) };
}

/** Where plans resolve paths, and which provider sections trustscan.yaml may hold. */
export function planEnvironment(io: CliIO, catalog: Catalog): PlanEnvironment {
  return { cwd: io.cwd, env: io.env, configSections: configSections(catalog), providerNames: Object.fromEntries(catalog.providers.map((p) => [p.id, p.shortName])) };
}

/** Provider id → schema of its trustscan.yaml section, for the providers that declare one. */
export function configSections(catalog: Catalog): Record<string, JsonSchema> {
  return Object.fromEntries(catalog.providers.filter((p) => p.collector?.configSchema).map((p) => [p.id, p.collector!.configSchema!]));
}

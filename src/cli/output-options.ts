import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { AtomicFileStream, writeChunk, writeFileAtomic } from '../core/atomic-write';
import { EXIT, InputError, UsageError } from '../core/errors';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import type { Finding, Results, Severity, Snapshot } from '../core/types';
import { TOOL_VERSION } from '../core/version';
import { Evaluation } from '../engine/evaluate';
import type { CompiledRule } from '../engine/rule-types';
import { loadConfig, loadSuppressionsFile, type TrustscanConfig } from '../config/config';
import { Baseline } from '../report/baseline';
import { renderCsv } from '../report/csv';
import { FORMATS, OUTPUT_FORMATS, type OutputFormat } from '../report/formats';
import { Gate, type GateVerdict } from '../report/gate';
import { renderHtmlChunks } from '../report/html';
import { renderJsonChunks, renderNdjsonLine } from '../report/json';
import { renderJunit } from '../report/junit';
import { renderMarkdown, WorstFindings } from '../report/markdown';
import { renderOcsfLine } from '../report/ocsf';
import { renderSarif } from '../report/sarif';
import { renderTable } from '../report/table';
import { type SuppressionEntry, Suppressor } from '../suppress/suppressions';
import { checkHistoryTarget, HistoryRecorder } from '../store/recorder';
import { type HistoryTarget, resolveHistoryTarget } from '../store/target';
import { type CliIO, type GlobalOptions, stdoutColors, terminalWidth } from './io';
import { collect, parseDate, parseSeverity } from './options';

/**
 * The output and gate options shared by every command that produces results (evaluate, scan,
 * iac), so they behave the same everywhere: formats (several per run), output files and folder,
 * trustscan.yaml, suppressions, baseline and the gate. Commands call `addOutputOptions` on
 * their definition, then `evaluateAndWrite` (streams findings while evaluating) or
 * `writeResults` (for results already in memory).
 */

export { OUTPUT_FORMATS, type OutputFormat };

export interface OutputOptions {
  rules?: string[];
  /** FORMAT or FORMAT=FILE, repeatable. */
  format?: string[];
  output?: string;
  outputDir?: string;
  failOn?: Severity;
  failOnUnknown?: boolean;
  baseline?: string;
  suppressions?: string[];
  /** --config FILE, or false for --no-config. */
  config?: string | false;
  now?: Date;
  verbose?: boolean;
  /** ARN patterns of principals allowed to hold admin / privilege-escalation rights. */
  privileged?: string[];
  /** --history [STORE] (true: the configured or default store), or false for --no-history. */
  history?: string | boolean;
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  ran, and the gate passed (always 0 without --fail-on / --fail-on-unknown)
  1  ran, and the gate failed: unmuted findings (not in --baseline) failed at or above --fail-on,
     or could not be evaluated with --fail-on-unknown (for 'rules test': a case failed)
  2  usage or input error: bad option, missing file, malformed rule, snapshot, config,
     suppressions, baseline or results file
  3  internal error (a bug: please report it with the output of --log-level debug)`;

/** Parses one --format value: FORMAT or FORMAT=FILE (FILE '-' is stdout). */
export function parseFormatSpec(value: string): { format: OutputFormat; file?: string } {
  const eq = value.indexOf('=');
  const name = (eq === -1 ? value : value.slice(0, eq)).trim().toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(name)) throw new InvalidArgumentError(`unknown format '${name}': expected one of ${OUTPUT_FORMATS.join(', ')}, optionally as FORMAT=FILE`);
  if (eq === -1) return { format: name as OutputFormat };
  const file = value.slice(eq + 1);
  if (file === '') throw new InvalidArgumentError(`'${value}': no file after '='`);
  return { format: name as OutputFormat, ...(file === '-' ? {} : { file }) };
}

function collectFormat(value: string, previous: string[] | undefined): string[] {
  parseFormatSpec(value);
  return collect(value, previous);
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--rules <dir>', 'rule directory or file (repeatable; "builtin" = the rules shipped with trustscan)', collect)
    .option('--format <format>', `output format, or FORMAT=FILE; repeatable (${OUTPUT_FORMATS.join(', ')}; default table)`, collectFormat)
    .option('-o, --output <file>', 'write the (single) format given without a file to this file, atomically, instead of stdout')
    .option('--output-dir <dir>', 'write each format given without a file into this folder (every file format when no --format is given)')
    .option('--fail-on <severity>', 'gate: exit 1 when an unmuted finding fails at or above this severity (critical, high, medium, low, info)', parseSeverity)
    .option('--fail-on-unknown', 'gate: exit 1 when an unmuted finding could not be evaluated')
    .option('--baseline <file>', 'gate: count only findings not in this earlier results (json) or findings (ndjson) file')
    .option('--suppressions <file>', 'suppressions (waivers) file, in addition to those of trustscan.yaml (repeatable)', collect)
    .addOption(new Option('--config <file>', 'config file (default: trustscan.yaml in the working directory, if any)'))
    .option('--no-config', 'ignore trustscan.yaml')
    .option('--now <datetime>', 'scan time for date rules and suppression expiry (default: the snapshot start time)', parseDate)
    .option('-v, --verbose', 'table format: list passing findings too')
    .option(
      '--privileged <arn-pattern>',
      'IAM principal (or policy) ARN allowed to hold admin or privilege-escalation rights; * and ? wildcards (repeatable)',
      collect,
    )
    .option('--history [store]', 'record the run in the history store: a SQLite file or a postgres:// URL (alone: trustscan.yaml\'s history, $TRUSTSCAN_HISTORY, else the per-user store)')
    .option('--no-history', 'do not record the run, whatever trustscan.yaml says')
    .addHelpText('after', EXIT_CODES_HELP);
}

/** One output: a format and where it goes (no file: stdout). */
export interface OutputTarget {
  format: OutputFormat;
  file?: string;
}

/** The options once trustscan.yaml, the suppressions and the baseline are read and checked. */
export interface OutputPlan {
  config?: TrustscanConfig;
  /** Rule directories: the command line's, else the config's (undefined: built-in rules). */
  rules?: string[];
  targets: OutputTarget[];
  failOn?: Severity;
  failOnUnknown: boolean;
  baseline?: Baseline;
  suppressions: SuppressionEntry[];
  /** ARN patterns of principals allowed admin / privilege-escalation rights (command line, else config). */
  privileged: string[];
  now?: Date;
  verbose?: boolean;
  /** Where to record the run (none: not recorded). */
  history?: HistoryTarget;
}

/** Works out where each format goes; every conflict is a usage error (exit 2) before any work. */
export function planTargets(specs: string[], output: string | undefined, outputDir: string | undefined, cwd: string): OutputTarget[] {
  const parsed: { format: OutputFormat; file?: string }[] = specs.length
    ? specs.map(parseFormatSpec)
    : outputDir
      ? OUTPUT_FORMATS.filter((f) => f !== 'table').map((format) => ({ format }))
      : [{ format: 'table' }];
  const targets: OutputTarget[] = parsed.map((p) => ({ format: p.format, file: p.file ?? (outputDir ? resolve(cwd, outputDir, FORMATS[p.format].file) : undefined) }));
  const fileless = targets.filter((t) => t.file === undefined);
  if (output !== undefined && output !== '-') {
    if (fileless.length === 0) throw new UsageError(`-o/--output '${output}': every format already has a file`);
    if (fileless.length > 1) throw new UsageError(`-o/--output names one file, but ${fileless.length} formats have none (${fileless.map((t) => t.format).join(', ')}): use --format FORMAT=FILE or --output-dir`);
    fileless[0].file = output;
  }
  const stdout = targets.filter((t) => t.file === undefined);
  if (stdout.length > 1) throw new UsageError(`only one format can go to stdout, got ${stdout.map((t) => t.format).join(', ')}: give the others a file (--format sarif=results.sarif) or use --output-dir`);
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    t.file = resolve(cwd, t.file);
    if (seen.has(t.file)) throw new UsageError(`two outputs would write ${t.file}`);
    seen.add(t.file);
  }
  return targets;
}

const plans = new WeakMap<OutputOptions, Promise<OutputPlan>>();

/**
 * Reads trustscan.yaml (command-line options win), the suppressions and the baseline, and plans
 * the outputs. Everything that can be wrong with them is reported now, before a large snapshot
 * is read. Memoized per options object, so commands may call it early and again later.
 */
export function prepareOutput(opts: OutputOptions, io: CliIO, log: Logger): Promise<OutputPlan> {
  let plan = plans.get(opts);
  if (!plan) {
    plan = buildPlan(opts, io, log);
    plans.set(opts, plan);
  }
  return plan;
}

async function buildPlan(opts: OutputOptions, io: CliIO, log: Logger): Promise<OutputPlan> {
  const config = opts.config === false ? undefined : await loadConfig(opts.config === undefined ? undefined : resolve(io.cwd, opts.config), io.cwd);
  if (config) log.debug({ file: config.file }, 'config loaded');
  const outputDir = opts.outputDir ?? config?.outputDir;
  const targets = planTargets(opts.format ?? config?.formats ?? [], opts.output, outputDir, io.cwd);
  if (outputDir && targets.some((t) => t.file?.startsWith(resolve(io.cwd, outputDir)))) await fs.mkdir(resolve(io.cwd, outputDir), { recursive: true });
  for (const t of targets) {
    if (!t.file) continue;
    const dir = dirname(t.file);
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st?.isDirectory()) throw InputError.at({ file: t.file }, `cannot write ${t.format} output: folder ${dir} does not exist`);
  }
  const suppressions = [...(config?.suppressions ?? [])];
  for (const file of opts.suppressions ?? []) suppressions.push(...(await loadSuppressionsFile(resolve(io.cwd, file))));
  const baselineFile = opts.baseline ? resolve(io.cwd, opts.baseline) : config?.baseline;
  const baseline = baselineFile ? await Baseline.load(baselineFile) : undefined;
  if (baseline) log.info({ file: baselineFile, findings: baseline.size }, 'baseline loaded');
  const history = resolveHistoryTarget(opts.history, config?.history, io.env, io.cwd);
  if (history) await checkHistoryTarget(history, log);
  return {
    config,
    rules: opts.rules ?? config?.rules,
    targets,
    failOn: opts.failOn ?? config?.failOn,
    failOnUnknown: opts.failOnUnknown ?? config?.failOnUnknown ?? false,
    baseline,
    suppressions,
    privileged: opts.privileged ?? config?.privileged ?? [],
    now: opts.now,
    verbose: opts.verbose,
    history,
  };
}

interface Sink {
  target: OutputTarget;
  write(chunk: string): Promise<void> | undefined;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

async function openSink(target: OutputTarget, io: CliIO): Promise<Sink> {
  if (!target.file) {
    return { target, write: (chunk) => writeChunk(io.stdout, chunk), commit: async () => undefined, abort: async () => undefined };
  }
  const f = await AtomicFileStream.open(target.file);
  return { target, write: (chunk) => writeChunk(f.out, chunk), commit: () => f.commit(), abort: () => f.abort() };
}

/** Writes a whole document (atomically to a file), chunk by chunk with backpressure when it comes in chunks. */
async function writeDocument(target: OutputTarget, doc: Document, io: CliIO): Promise<void> {
  if (typeof doc === 'string') {
    if (target.file) await writeFileAtomic(target.file, doc);
    else await new Promise<void>((ok, fail) => io.stdout.write(doc, (e) => (e ? fail(e) : ok())));
    return;
  }
  const sink = await openSink(target, io);
  try {
    for (const chunk of doc) {
      const wait = sink.write(chunk);
      if (wait) await wait;
    }
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
}

/** Where findings come from: batches as they are produced, then the finished results. */
interface FindingSource {
  batches: Iterable<Finding[]>;
  finish(): Results;
}

/** A rendered document: one string, or chunks for the formats that can be as large as the scan. */
type Document = string | Iterable<string>;

function renderDocument(format: OutputFormat, results: Results, target: OutputTarget, ctx: { plan: OutputPlan; io: CliIO; global: GlobalOptions; gate: GateVerdict; worst: WorstFindings; time: number }): Document {
  const { plan, io, global } = ctx;
  switch (format) {
    case 'json':
      return renderJsonChunks(results);
    case 'ndjson':
      return results.findings.map(renderNdjsonLine).join('');
    case 'ocsf':
      return results.findings.map((f) => renderOcsfLine(f, { toolVersion: TOOL_VERSION, time: ctx.time })).join('');
    case 'sarif':
      return renderSarif(results, { cwd: io.cwd, baseline: plan.baseline });
    case 'junit':
      return renderJunit(results);
    case 'csv':
      return renderCsv(results);
    case 'markdown':
      return renderMarkdown(results, { worst: ctx.worst, gate: ctx.gate, failOn: plan.failOn, failOnUnknown: plan.failOnUnknown, baselineFile: plan.baseline?.file });
    case 'html':
      return renderHtmlChunks(results);
    case 'table': {
      const toFile = target.file !== undefined;
      return renderTable(results, {
        colors: toFile ? stdoutColors(io, { ...global, color: false }) : stdoutColors(io, global),
        width: toFile ? 140 : terminalWidth(io),
        verbose: plan.verbose,
      });
    }
  }
}

/**
 * Drives findings into every output: streaming formats (ndjson, ocsf) are written finding by
 * finding, awaiting the consumer (backpressure); the others are rendered from the finished
 * results. Files are written atomically; on any error no partial file is left. Then the
 * markdown summary goes to $GITHUB_STEP_SUMMARY when set, and the gate decides the exit code.
 */
async function produce(plan: OutputPlan, source: FindingSource, io: CliIO, global: GlobalOptions, log: Logger, recorder?: HistoryRecorder): Promise<number> {
  const time = Date.now();
  const gate = new Gate({ failOn: plan.failOn, failOnUnknown: plan.failOnUnknown, baseline: plan.baseline });
  const worst = new WorstFindings();
  const streamed = plan.targets.filter((t) => FORMATS[t.format].streams);
  const sinks: Sink[] = [];
  const committed: Sink[] = [];
  try {
    for (const t of streamed) sinks.push(await openSink(t, io));
    const lines = sinks.map((s) => (s.target.format === 'ocsf' ? (f: Finding) => renderOcsfLine(f, { toolVersion: TOOL_VERSION, time }) : renderNdjsonLine));
    for (const batch of source.batches) {
      for (const f of batch) {
        gate.add(f);
        worst.add(f);
        recorder?.add(f);
        for (let i = 0; i < sinks.length; i++) {
          const wait = sinks[i].write(lines[i](f));
          if (wait) await wait;
        }
      }
    }
    const results = source.finish();
    const verdict = gate.verdict();
    const ctx = { plan, io, global, gate: verdict, worst, time };
    for (const t of plan.targets) {
      if (FORMATS[t.format].streams) continue;
      await writeDocument(t, renderDocument(t.format, results, t, ctx), io);
    }
    for (const s of sinks) {
      await s.commit();
      committed.push(s);
    }
    reportRun(results, plan, verdict, log);
    await stepSummary(results, ctx, log);
    // Last, once every output is written: a store that cannot take the run (full, read-only,
    // unreachable) then fails the command with exit 2 without costing the user the outputs.
    if (recorder) await recorder.commit(results, log);
    return verdict.failed ? EXIT.FINDINGS : EXIT.OK;
  } catch (err) {
    for (const s of sinks) if (!committed.includes(s)) await s.abort();
    throw err;
  }
}

function reportRun(results: Results, plan: OutputPlan, verdict: GateVerdict, log: Logger): void {
  if (!results.scan.complete) {
    log.warn({ unknown: results.summary.byStatus.UNKNOWN, gaps: results.scan.gaps.length }, 'evaluation incomplete: some findings are UNKNOWN');
  }
  const sup = results.scan.suppressions;
  for (const e of sup?.expired ?? []) log.warn({ source: e.source, expires: e.expires }, `suppression expired on ${e.expires} and no longer applies: ${e.reason}`);
  for (const e of sup?.unused ?? []) log.warn({ source: e.source }, `suppression matched no failing or unknown finding (stale or mistyped?): ${e.reason}`);
  if (sup) log.info({ muted: sup.muted }, 'suppressions applied');
  for (const r of verdict.reasons) log.info({ gate: 'failed' }, r);
  if (plan.baseline) log.info({ inBaseline: verdict.inBaseline }, 'findings already in the baseline were not counted');
}

/** Appends the markdown summary to the GitHub Actions job summary file, when there is one. */
async function stepSummary(results: Results, ctx: { plan: OutputPlan; io: CliIO; gate: GateVerdict; worst: WorstFindings }, log: Logger): Promise<void> {
  const file = ctx.io.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const text = renderMarkdown(results, { worst: ctx.worst, gate: ctx.gate, failOn: ctx.plan.failOn, failOnUnknown: ctx.plan.failOnUnknown, baselineFile: ctx.plan.baseline?.file });
  try {
    await fs.appendFile(file, `${text}\n`);
  } catch (e) {
    log.warn({ file, err: (e as Error).message }, 'could not append to $GITHUB_STEP_SUMMARY');
  }
}

/**
 * Evaluates `rules` against `snapshot` and writes every planned output, streaming findings into
 * the ndjson and ocsf outputs as they are produced (findings are only kept in memory when some
 * other format needs them). Suppressions mute findings before they are counted. Returns the
 * gate's exit code.
 */
export async function evaluateAndWrite(
  snapshot: Snapshot,
  rules: readonly CompiledRule[],
  registry: ResourceTypeRegistry,
  file: string | undefined,
  opts: OutputOptions,
  io: CliIO,
  global: GlobalOptions,
  log: Logger,
): Promise<number> {
  const plan = await prepareOutput(opts, io, log);
  const started = Date.now();
  const now = plan.now ?? new Date(snapshot.metadata.startedAt);
  const suppressor = plan.suppressions.length ? new Suppressor(plan.suppressions, now) : undefined;
  const collect = plan.targets.some((t) => !FORMATS[t.format].streams);
  const evaluation = new Evaluation(snapshot, rules, registry, {
    now,
    file,
    collect,
    settings: { privilegedPrincipals: plan.privileged },
    decorate: suppressor?.apply,
    suppressionReport: suppressor ? () => suppressor.report() : undefined,
  });
  let stats: ReturnType<Evaluation['finish']>['stats'] | undefined;
  let summary: { findings: Results['summary']['byStatus']; complete: boolean } | undefined;
  const code = await produce(
    plan,
    {
      batches: evaluation.batches(),
      finish: () => {
        const done = evaluation.finish();
        stats = done.stats;
        summary = { findings: done.results.summary.byStatus, complete: done.results.scan.complete };
        return done.results;
      },
    },
    io,
    global,
    log,
    plan.history ? new HistoryRecorder(plan.history, { snapshot, rules, registry }) : undefined,
  );
  log.info({ rules: rules.length, ...stats, ...summary, ms: Date.now() - started, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, 'evaluation finished');
  return code;
}

/**
 * Writes results already in memory in every planned format and returns the gate's exit code.
 * Suppressions are applied while evaluating (they need the resources' tags), so they are not
 * re-applied here.
 */
export async function writeResults(results: Results, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const plan = await prepareOutput(opts, io, log);
  if (plan.suppressions.length && !results.scan.suppressions) {
    log.warn('suppressions apply while evaluating: these results were produced without them and are written as they are');
  }
  return produce(plan, { batches: [results.findings], finish: () => results }, io, global, log);
}

import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { type OutputPlacement, placeOutput, realPathOf } from '../core/atomic-write';
import { InputError, outputFileError, UsageError } from '../core/errors';
import type { JsonSchema } from '../core/resource-types/schema-helpers';
import type { Finding, Severity, Status } from '../core/types';
import { loadConfig, loadSuppressionsFile, type TrustscanConfig } from '../config/config';
import { checkHistoryTarget } from '../store/recorder';
import { type HistoryTarget, resolveHistoryTarget } from '../store/target';
import { Baseline } from '../report/baseline';
import { FORMATS, OUTPUT_FORMATS, type OutputFormat, parseFormatSpec } from '../report/formats';
import { isRemotePath, remoteFile, remoteFileIn, withLocalCopy } from '../parts/remote-file';
import type { SuppressionEntry } from '../suppress/suppressions';

/**
 * What a run produces and how it is judged: output formats and where each goes, trustscan.yaml,
 * suppressions, the baseline and the gate. Every command that produces results (evaluate, scan,
 * iac) and every programmatic caller plans its outputs here, so they behave the same.
 */

export { OUTPUT_FORMATS, type OutputFormat, parseFormatSpec };

/** Where relative paths resolve, and the provider sections trustscan.yaml may have. */
export interface PlanEnvironment {
  cwd: string;
  /** For $TRUSTSCAN_HISTORY and the per-user data folder (default: none). */
  env?: NodeJS.ProcessEnv;
  /** Provider id → JSON Schema of its section of trustscan.yaml. */
  configSections?: Readonly<Record<string, JsonSchema>>;
  /** Provider id → short name (OCSF's cloud.provider). */
  providerNames?: Readonly<Record<string, string>>;
}

/** The options of a run that produces results, as the command line (or an API caller) gives them. */
export interface OutputOptions {
  rules?: string[];
  /** FORMAT or FORMAT=FILE, repeatable. */
  format?: string[];
  output?: string;
  outputDir?: string;
  /**
   * Inserted in the file names --output-dir gives each format (`results-TAG.json`): the workers
   * of a sharded scan writing to one folder or prefix each keep their own files.
   */
  nameTag?: string;
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
  /** Frameworks whose roll-up the human formats show (`all` for every one; default: SOC 2). */
  framework?: string[];
  /** Framework definition files (or folders) added to the built-in ones. */
  frameworkFile?: string[];
  /** Let trustscan.yaml name output paths outside the working directory. */
  allowOutsideCwd?: boolean;
  /** --history [STORE] (true: the configured or default store), or false for --no-history. */
  history?: string | boolean;
  /** Write only findings of these severities / statuses (roll-ups and the gate see every finding). */
  severity?: Severity[];
  status?: Status[];
  /** Rule id globs to run (--rule) and to leave out (--skip-rule). */
  rule?: string[];
  skipRule?: string[];
}

/** One output: a format and where it goes (no file: stdout). */
export interface OutputTarget {
  format: OutputFormat;
  file?: string;
  /** Not asked for by name: one of every format that --output-dir writes when no --format is given. */
  implicit?: boolean;
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
  /** Frameworks whose roll-up the human formats show. */
  frameworks?: string[];
  /** Framework files added to the built-in ones (command line, else config; absolute paths). */
  frameworkFiles: string[];
  /** Provider id → short name. */
  providerNames: Readonly<Record<string, string>>;
  now?: Date;
  verbose?: boolean;
  /** How each output file is written (device, FIFO, link, regular file), checked before any work. */
  placements: Map<string, OutputPlacement>;
  /** Where to record the run (none: not recorded). */
  history?: HistoryTarget;
  /** Which findings the outputs carry (undefined: all). */
  keep?: (f: Finding) => boolean;
}

/** A format's usual file name with `tag` after its stem: `findings-shard-0-of-2.ocsf.ndjson`. */
export function taggedName(name: string, tag: string | undefined): string {
  if (!tag) return name;
  const dot = name.indexOf('.');
  return dot === -1 ? `${name}-${tag}` : `${name.slice(0, dot)}-${tag}${name.slice(dot)}`;
}

/**
 * Works out where each format goes; every conflict is a usage error (exit 2) before any work.
 * A file is a local path (made absolute) or an object in a bucket (see parts/remote-file.ts),
 * and so is --output-dir.
 */
export function planTargets(specs: string[], output: string | undefined, outputDir: string | undefined, cwd: string, nameTag?: string): OutputTarget[] {
  const parsed: { format: OutputFormat; file?: string; implicit?: boolean }[] = specs.length
    ? specs.map(parseFormatSpec)
    : outputDir
      ? OUTPUT_FORMATS.filter((f) => f !== 'table').map((format) => ({ format, implicit: true }))
      : [{ format: 'table' }];
  const inDir = (dir: string, format: OutputFormat): string => {
    const name = taggedName(FORMATS[format].file, nameTag);
    return isRemotePath(dir) ? remoteFileIn(dir, name) : resolve(cwd, dir, name);
  };
  const targets: OutputTarget[] = parsed.map((p) => ({ format: p.format, file: p.file ?? (outputDir ? inDir(outputDir, p.format) : undefined), ...(p.implicit ? { implicit: true } : {}) }));
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
    t.file = isRemotePath(t.file) ? remoteFile(t.file) : resolve(cwd, t.file);
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
export function prepareOutput(opts: OutputOptions, io: PlanEnvironment, log: Logger): Promise<OutputPlan> {
  let plan = plans.get(opts);
  if (!plan) {
    plan = buildPlan(opts, io, log);
    plans.set(opts, plan);
  }
  return plan;
}

async function buildPlan(opts: OutputOptions, io: PlanEnvironment, log: Logger): Promise<OutputPlan> {
  const config = await loadConfig(opts.config === false ? false : opts.config === undefined ? undefined : resolve(io.cwd, opts.config), io.cwd, io.configSections, io.env);
  if (config) log.debug({ file: config.file }, 'config loaded');
  const outputDir = opts.outputDir ?? config?.outputDir;
  const targets = planTargets(opts.format ?? config?.formats ?? [], opts.output, outputDir, io.cwd, opts.nameTag);
  // A pull request can edit trustscan.yaml: its output paths stay inside the working directory.
  const configPaths = new Set<string>();
  if (opts.format === undefined && config?.formats && !config.fromEnv?.has('formats')) for (const t of targets) if (t.file && t.file !== opts.output && t.file !== resolve(io.cwd, opts.output ?? '')) configPaths.add(t.file);
  if (opts.outputDir === undefined && config?.outputDir && !config.fromEnv?.has('outputDir')) for (const t of targets) if (t.file && isInDir(t.file, config.outputDir, io.cwd)) configPaths.add(t.file);
  if (config && configPaths.size && !opts.allowOutsideCwd) {
    const root = await realPathOf(io.cwd);
    for (const file of configPaths) {
      // An object in a bucket is outside the working directory too: the run's credentials would carry the results wherever the file says.
      if (isRemotePath(file)) throw InputError.at({ file: config.file }, `output ${file} is a bucket, outside the working directory ${root}: a configuration file may only write inside it (--allow-outside-cwd allows it)`);
      const real = await realPathOf(file);
      if (real !== root && !real.startsWith(`${root}/`)) {
        throw InputError.at({ file: config.file }, `output path ${file}${real !== file ? ` (really ${real})` : ''} is outside the working directory ${root}: a configuration file may only write inside it (--allow-outside-cwd allows it)`);
      }
    }
  }
  // --output-dir is created when missing (with its parents); the folder of -o FILE or FORMAT=FILE must exist.
  // A bucket has no folders to create: a prefix is part of each object's key.
  if (outputDir && !isRemotePath(outputDir) && targets.some((t) => t.file?.startsWith(resolve(io.cwd, outputDir)))) {
    await fs.mkdir(resolve(io.cwd, outputDir), { recursive: true }).catch((e: unknown) => {
      throw outputFileError(resolve(io.cwd, outputDir), e);
    });
  }
  const placements = new Map<string, OutputPlacement>();
  for (const t of targets) {
    if (!t.file || isRemotePath(t.file)) continue;
    const dir = dirname(t.file);
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st?.isDirectory()) throw InputError.at({ file: t.file }, `cannot write ${t.format} output: folder ${dir} does not exist`);
    placements.set(t.file, await placeOutput(t.file));
  }
  const suppressions = [...(config?.suppressions ?? [])];
  for (const file of opts.suppressions ?? []) suppressions.push(...(await loadSuppressionsFile(resolve(io.cwd, file))));
  const baselineFile = opts.baseline ? (isRemotePath(opts.baseline) ? remoteFile(opts.baseline) : resolve(io.cwd, opts.baseline)) : config?.baseline;
  // A baseline in a bucket is read from a temporary copy; messages name the object.
  const baseline = baselineFile ? await withLocalCopy(baselineFile, io.env ?? {}, (local) => Baseline.load(local, baselineFile)) : undefined;
  if (baseline) log.info({ file: baselineFile, findings: baseline.size }, 'baseline loaded');
  const history = resolveHistoryTarget(opts.history, config?.history, io.env ?? {}, io.cwd);
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
    frameworks: opts.framework,
    providerNames: io.providerNames ?? {},
    frameworkFiles: opts.frameworkFile ? opts.frameworkFile.map((f) => resolve(io.cwd, f)) : (config?.frameworks ?? []),
    now: opts.now,
    verbose: opts.verbose,
    placements,
    history,
    keep: findingFilter(opts.severity, opts.status),
  };
}

/** Whether `file` is one --output-dir `dir` gives a format (a bucket prefix or a folder). */
function isInDir(file: string, dir: string, cwd: string): boolean {
  return isRemotePath(dir) ? isRemotePath(file) && file.startsWith(remoteFileIn(dir, '')) : file.startsWith(resolve(cwd, dir));
}

/** --severity / --status as a predicate; undefined when every finding is written. */
export function findingFilter(severity: readonly Severity[] | undefined, status: readonly Status[] | undefined): ((f: Finding) => boolean) | undefined {
  if (!severity?.length && !status?.length) return undefined;
  const sev = severity?.length ? new Set(severity) : undefined;
  const st = status?.length ? new Set(status) : undefined;
  return (f) => (!sev || sev.has(f.severity)) && (!st || st.has(f.status));
}


import { promises as fs } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { AtomicFileStream, writeChunk } from '../core/atomic-write';
import { EXIT, outputFileError, UsageError } from '../core/errors';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import type { Finding, Results, RunStamp, Snapshot } from '../core/types';
import { TOOL_VERSION } from '../core/version';
import type { FrameworkCatalog } from '../compliance/framework';
import { Evaluation } from '../engine/evaluate';
import type { CompiledRule } from '../engine/rule-types';
import { renderCsv } from '../report/csv';
import { FORMATS, type OutputFormat } from '../report/formats';
import { Gate, type GateVerdict } from '../report/gate';
import { renderHtmlChunks } from '../report/html';
import { checkFindingsFit } from '../report/fit';
import { JsonResultsStream, renderJsonChunks } from '../report/json';
import { renderFindingEventLine } from '../report/siem-event';
import { renderJunit } from '../report/junit';
import { renderMarkdown, WorstFindings } from '../report/markdown';
import { type OcsfContext, renderOcsfLine } from '../report/ocsf';
import { renderSarif, sarifRefusal } from '../report/sarif';
import type { Colors } from '../report/style';
import { colorsFor } from '../report/style';
import { renderTable } from '../report/table';
import { HistoryRecorder } from '../store/recorder';
import { outlineOf } from '../store/run-adapter';
import { Suppressor } from '../suppress/suppressions';
import { isRemotePath, RemoteFileStream } from '../parts/remote-file';
import { type OutputOptions, type OutputPlan, type OutputTarget, prepareOutput } from './output-plan';

/**
 * The results pipeline as a library: evaluate → suppress → gate → write every planned output.
 * The CLI commands, a scheduled worker and the tests all go through `evaluateAndWrite` (or
 * `writeResults` for results already in memory).
 */

/** Where outputs without a file go, and how the terminal looks. */
export interface OutputIO {
  stdout: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Colours for the table on stdout (files never get colours). */
  stdoutColors: Colors;
  /** Width of the table on stdout. */
  width: number;
}

/** What to evaluate with: the compiled rules and the catalogue they were compiled against. */
export interface EvaluationInputs {
  rules: readonly CompiledRule[];
  registry: ResourceTypeRegistry;
  frameworks: FrameworkCatalog;
}

interface Sink {
  target: OutputTarget;
  write(chunk: string): Promise<void> | undefined;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

async function openSink(target: OutputTarget, io: OutputIO, plan: OutputPlan): Promise<Sink> {
  if (!target.file) {
    return { target, write: (chunk) => writeChunk(io.stdout, chunk), commit: async () => undefined, abort: async () => undefined };
  }
  const file = target.file;
  // A file in a bucket is written locally, then sent whole by commit(); a local one is renamed into place.
  const f = isRemotePath(file) ? await RemoteFileStream.open(file, io.env) : await AtomicFileStream.open(file, plan.placements.get(file));
  const named = (e: unknown): never => {
    throw outputFileError(file, e);
  };
  return { target, write: (chunk) => writeChunk(f.out, chunk)?.catch(named), commit: () => f.commit(), abort: () => f.abort() };
}

/** Writes a whole document (atomically to a file), chunk by chunk with backpressure when it comes in chunks. */
async function writeDocument(target: OutputTarget, doc: Document, io: OutputIO, plan: OutputPlan): Promise<void> {
  if (typeof doc === 'string' && !target.file) {
    await new Promise<void>((ok, fail) => io.stdout.write(doc, (e) => (e ? fail(e) : ok())));
    return;
  }
  const sink = await openSink(target, io, plan);
  try {
    for (const chunk of typeof doc === 'string' ? [doc] : doc) {
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
export interface FindingSource {
  /** The run the findings belong to, known before the first one (streamed events carry it). */
  run: RunStamp;
  /** Framework id → the standard's name (title and version), for OCSF's `compliance.standards`. */
  standards: Readonly<Record<string, string>>;
  batches: Iterable<Finding[]>;
  finish(): Results;
}

/** Framework id → the standard's name OCSF shows, from a catalogue or from finished results. */
export function standardNames(frameworks: Iterable<{ id: string; title: string; version: string }>): Record<string, string> {
  return Object.fromEntries([...frameworks].map((f) => [f.id, `${f.title} ${f.version}`]));
}

/** The run stamp and standards of results already finished (re-rendered, or read back). */
function finishedSource(results: Results): FindingSource {
  return {
    run: { runId: results.scan.runId, scanTime: results.scan.scanTime },
    standards: standardNames(Object.values(results.frameworks).map((r) => r.framework)),
    batches: [results.findings],
    finish: () => results,
  };
}

/** A rendered document: one string, or chunks for the formats that can be as large as the scan. */
type Document = string | Iterable<string>;

function renderDocument(format: OutputFormat, results: Results, target: OutputTarget, ctx: { plan: OutputPlan; io: OutputIO; gate: GateVerdict; worst: WorstFindings; ocsf: OcsfContext }): Document {
  const { plan, io } = ctx;
  switch (format) {
    case 'json':
      return renderJsonChunks(results);
    case 'ndjson':
      return results.findings.map((f) => renderFindingEventLine(f, ctx.ocsf.run)).join('');
    case 'ocsf':
      return results.findings.map((f) => renderOcsfLine(f, ctx.ocsf)).join('');
    case 'sarif':
      return renderSarif(results, { cwd: io.cwd, baseline: plan.baseline });
    case 'junit':
      return renderJunit(results);
    case 'csv':
      return renderCsv(results);
    case 'markdown':
      return renderMarkdown(results, { worst: ctx.worst, gate: ctx.gate, failOn: plan.failOn, failOnUnknown: plan.failOnUnknown, baselineFile: plan.baseline?.file, frameworks: plan.frameworks });
    case 'html':
      return renderHtmlChunks(results, { framework: plan.frameworks?.find((f) => f !== 'all') });
    case 'table': {
      const toFile = target.file !== undefined;
      return renderTable(results, {
        colors: toFile ? colorsFor(false, {}) : io.stdoutColors,
        width: toFile ? 140 : io.width,
        verbose: plan.verbose,
        frameworks: plan.frameworks,
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
export async function produceOutputs(plan: OutputPlan, source: FindingSource, io: OutputIO, log: Logger, recorder?: HistoryRecorder): Promise<number> {
  const ocsf: OcsfContext = { toolVersion: TOOL_VERSION, run: source.run, providerNames: plan.providerNames, frameworks: plan.frameworks, standards: source.standards };
  const gate = new Gate({ failOn: plan.failOn, failOnUnknown: plan.failOnUnknown, baseline: plan.baseline });
  const worst = new WorstFindings();
  const streamed = plan.targets.filter((t) => FORMATS[t.format].streams);
  const sinks: Sink[] = [];
  const committed: Sink[] = [];
  try {
    for (const t of streamed) sinks.push(await openSink(t, io, plan));
    // The json document streams too: its findings as they come, its head and tail around them.
    const json = new Map(sinks.filter((s) => s.target.format === 'json').map((s) => [s, new JsonResultsStream()]));
    const lines = sinks.map((s): ((f: Finding) => string) => {
      const doc = json.get(s);
      if (doc) return (f) => doc.item(f);
      return s.target.format === 'ocsf' ? (f) => renderOcsfLine(f, ocsf) : (f) => renderFindingEventLine(f, source.run);
    });
    for (const [s, doc] of json) {
      const wait = s.write(doc.head());
      if (wait) await wait;
    }
    for (const batch of source.batches) {
      for (const f of batch) {
        gate.add(f);
        worst.add(f);
        recorder?.add(f);
        if (plan.keep && !plan.keep(f)) continue;
        for (let i = 0; i < sinks.length; i++) {
          const wait = sinks[i].write(lines[i](f));
          if (wait) await wait;
        }
      }
    }
    const all = source.finish();
    // --severity / --status thin the findings written; the summary and roll-ups stay whole.
    const results = plan.keep ? { ...all, findings: all.findings.filter(plan.keep) } : all;
    const verdict = gate.verdict();
    const ctx = { plan, io, gate: verdict, worst, ocsf };
    // SARIF of runtime results is refused before any document is written (see report/sarif.ts);
    // when --output-dir wrote every format unasked, it is left out with a warning instead.
    const sarifRefused = plan.targets.some((t) => t.format === 'sarif') ? sarifRefusal(results) : undefined;
    if (sarifRefused && plan.targets.some((t) => t.format === 'sarif' && !t.implicit)) throw new UsageError(sarifRefused);
    for (const t of plan.targets) {
      if (FORMATS[t.format].streams) continue;
      if (t.format === 'sarif' && sarifRefused) {
        log.warn({ file: t.file }, `${FORMATS.sarif.file} not written: ${sarifRefused}`);
        continue;
      }
      await writeDocument(t, renderDocument(t.format, results, t, ctx), io, plan);
    }
    for (const [s, doc] of json) {
      const wait = s.write(doc.tail(results));
      if (wait) await wait;
    }
    for (const s of sinks) {
      await s.commit();
      committed.push(s);
    }
    reportRun(all, plan, verdict, log);
    await stepSummary(results, ctx, log);
    // Last, once every output is written: a store that cannot take the run (full, read-only,
    // unreachable) then fails the command with exit 2 without costing the user the outputs.
    if (recorder) await recorder.commit(all, log);
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
async function stepSummary(results: Results, ctx: { plan: OutputPlan; io: OutputIO; gate: GateVerdict; worst: WorstFindings }, log: Logger): Promise<void> {
  const file = ctx.io.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const text = renderMarkdown(results, { worst: ctx.worst, gate: ctx.gate, failOn: ctx.plan.failOn, failOnUnknown: ctx.plan.failOnUnknown, baselineFile: ctx.plan.baseline?.file, frameworks: ctx.plan.frameworks });
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
  inputs: EvaluationInputs,
  file: string | undefined,
  opts: OutputOptions,
  io: OutputIO,
  log: Logger,
): Promise<number> {
  const plan = await prepareOutput(opts, io, log);
  const started = Date.now();
  const now = plan.now ?? new Date(snapshot.metadata.startedAt);
  const suppressor = plan.suppressions.length ? new Suppressor(plan.suppressions, now) : undefined;
  const { rules, registry, frameworks } = inputs;
  const collect = plan.targets.some((t) => FORMATS[t.format].needsFindings);
  if (collect) checkFindingsFit(snapshot, rules, plan.targets.filter((t) => FORMATS[t.format].needsFindings).map((t) => t.format));
  const evaluation = new Evaluation(snapshot, rules, registry, {
    now,
    file,
    collect,
    frameworks,
    settings: { privilegedPrincipals: plan.privileged },
    decorate: suppressor?.apply,
    suppressionReport: suppressor ? () => suppressor.report() : undefined,
  });
  let stats: ReturnType<Evaluation['finish']>['stats'] | undefined;
  let summary: { findings: Results['summary']['byStatus']; complete: boolean } | undefined;
  const code = await produceOutputs(
    plan,
    {
      run: evaluation.run,
      standards: standardNames(frameworks.list()),
      batches: evaluation.batches(),
      finish: () => {
        const done = evaluation.finish();
        stats = done.stats;
        summary = { findings: done.results.summary.byStatus, complete: done.results.scan.complete };
        return done.results;
      },
    },
    io,
    log,
    plan.history ? new HistoryRecorder(plan.history, { snapshot: outlineOf(snapshot), rules, registry }) : undefined,
  );
  log.info({ rules: rules.length, ...stats, ...summary, ms: Date.now() - started, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, 'evaluation finished');
  return code;
}

/**
 * Writes results already in memory in every planned format and returns the gate's exit code.
 * Suppressions are applied while evaluating (they need the resources' tags), so they are not
 * re-applied here.
 */
export async function writeResults(results: Results, opts: OutputOptions, io: OutputIO, log: Logger): Promise<number> {
  const plan = await prepareOutput(opts, io, log);
  if (plan.suppressions.length && !results.scan.suppressions) {
    log.warn('suppressions apply while evaluating: these results were produced without them and are written as they are');
  }
  return produceOutputs(plan, finishedSource(results), io, log);
}

import type { Logger } from 'pino';
import { builtinCatalog, type Catalog, loadCatalog } from './catalog';
import { loadSnapshot, parseSnapshotText } from './core/snapshot-loader';
import type { Finding, FrameworkRollup, Results, Snapshot } from './core/types';
import { Evaluation, type EvaluateOptions } from './engine/evaluate';
import type { CompiledRule } from './engine/rule-types';

/**
 * trustscan as a library: the same path the CLI takes, for a scheduled worker, a service or a
 * test. Start from a catalogue (the provider plug-ins, their rules and the frameworks, built
 * once), load a snapshot, then either evaluate it whole (`evaluateSnapshot`), stream its
 * findings with flat memory (`streamFindings`), or run the whole pipeline with suppressions,
 * baseline, gate and output files (`evaluateAndWrite`, as `trustscan evaluate` does).
 *
 * ```ts
 * import { builtinCatalog, loadSnapshotFile, evaluateSnapshot } from 'trustscan';
 * const catalog = builtinCatalog();
 * const snapshot = await loadSnapshotFile('snapshot.json', catalog);
 * const { results } = evaluateSnapshot(snapshot, { catalog });
 * const soc2 = results.frameworks.soc2.summary; // { PASS, FAIL, UNKNOWN, MANUAL }
 * ```
 *
 * Every function throws an `InputError` (exported) for bad input, with the file and place.
 */

export { builtinCatalog, loadCatalog, type Catalog, type CatalogOptions } from './catalog';
export { EXIT, InputError, UsageError, formatProblem, type Problem } from './core/errors';
export type { CoverageGap, Finding, FrameworkRollup, Resource, Results, Snapshot, Status } from './core/types';
export { RESULTS_SCHEMA_VERSION } from './core/types';
export type { CompiledRule } from './engine/rule-types';
export type { ProviderPlugin } from './core/provider-plugin';
export { prepareOutput, type OutputOptions, type OutputPlan } from './pipeline/output-plan';
export { evaluateAndWrite, writeResults, type EvaluationInputs, type OutputIO } from './pipeline/run';

/** What an evaluation runs with: a catalogue (default: every built-in provider) and its rules (default: the built-in rules). */
export interface ApiEvaluateOptions extends Pick<EvaluateOptions, 'now' | 'file' | 'settings' | 'runId'> {
  catalog?: Catalog;
  /** Compiled rules, e.g. `catalog.loadRules(['my-rules/'])`; default: the catalogue's built-in rules. */
  rules?: readonly CompiledRule[];
}

/** Reads and validates a snapshot file (JSON or NDJSON) against the catalogue's resource types. */
export function loadSnapshotFile(file: string, catalog: Catalog = builtinCatalog()): Promise<Snapshot> {
  return loadSnapshot(file, catalog.registry);
}

/** Validates a snapshot given as text (JSON or NDJSON); `name` is used in messages. */
export function parseSnapshot(text: string, name: string, catalog: Catalog = builtinCatalog()): Snapshot {
  return parseSnapshotText(text, name, catalog.registry);
}

function evaluation(snapshot: Snapshot, opts: ApiEvaluateOptions, collect: boolean): Evaluation {
  const catalog = opts.catalog ?? builtinCatalog();
  const rules = opts.rules ?? catalog.loadRules();
  const { now, file, settings, runId } = opts;
  return new Evaluation(snapshot, rules, catalog.registry, { now, file, settings, runId, collect, frameworks: catalog.frameworks });
}

/** Evaluates a snapshot whole: every finding, the summary and a roll-up per applicable framework. */
export function evaluateSnapshot(snapshot: Snapshot, opts: ApiEvaluateOptions = {}): { results: Results } {
  const e = evaluation(snapshot, opts, true);
  e.runToEnd();
  return { results: e.finish().results };
}

/**
 * Streams the findings as they are produced, without keeping them: memory stays flat however
 * large the snapshot. The generator's return value is the results (summary, roll-ups, scan) with
 * an empty findings list.
 */
export function* streamFindings(snapshot: Snapshot, opts: ApiEvaluateOptions = {}): Generator<Finding, Results, void> {
  const e = evaluation(snapshot, opts, false);
  for (const batch of e.batches()) yield* batch;
  return e.finish().results;
}

/** The roll-up of one framework (default SOC 2) from results, or undefined when the run has none. */
export function rollupOf(results: Results, framework = 'soc2'): FrameworkRollup | undefined {
  return results.frameworks[framework];
}

/** A logger that drops everything, for `evaluateAndWrite` callers that do not log. */
export function silentLogger(): Logger {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pino = require('pino') as typeof import('pino');
  return pino.pino({ enabled: false });
}

/** Catalogue with extra framework files (an internal control set), as `--framework-file` does. */
export function catalogWithFrameworks(frameworkFiles: readonly string[]): Catalog {
  return loadCatalog({ frameworkFiles });
}

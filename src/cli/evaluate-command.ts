import type { Logger } from 'pino';
import { builtinCatalog, type Catalog, loadCatalog } from '../catalog';
import { UsageError } from '../core/errors';
import { loadSnapshot, parseSnapshotText } from '../core/snapshot-loader';
import type { Snapshot } from '../core/types';
import type { CompiledRule } from '../engine/rule-types';
import { type OutputOptions, type OutputPlan, prepareOutput } from '../pipeline/output-plan';
import { evaluateAndWrite } from '../pipeline/run';
import type { CliIO, GlobalOptions } from './io';
import { outputIO, planEnvironment } from './output-options';

/** What a command that evaluates needs first: its output plan, the catalogue and the compiled rules. */
export interface EvaluationSetup {
  plan: OutputPlan;
  catalog: Catalog;
  rules: CompiledRule[];
}

/**
 * trustscan.yaml, outputs, frameworks and rules, read and checked before any long work (a large
 * snapshot, a collection), so that a mistake in them is reported first.
 */
export async function prepareEvaluation(opts: OutputOptions, io: CliIO, log: Logger): Promise<EvaluationSetup> {
  const base = builtinCatalog();
  const plan = await prepareOutput(opts, planEnvironment(io, base), log);
  const catalog = plan.frameworkFiles.length ? loadCatalog({ frameworkFiles: plan.frameworkFiles }) : base;
  const rules = catalog.loadRules(plan.rules);
  return { plan, catalog, rules };
}

/** Evaluates an in-memory snapshot with the prepared rules and writes the results (also used by `scan` and `iac`). */
export function evaluateAndReport(snapshot: Snapshot, file: string | undefined, setup: EvaluationSetup, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const { catalog, rules } = setup;
  return evaluateAndWrite(snapshot, { rules, registry: catalog.registry, frameworks: catalog.frameworks }, file, opts, outputIO(io, global), log);
}

/** `trustscan evaluate <snapshot>`: rules → findings → roll-ups, rendered; returns the exit code. */
export async function evaluateCommand(snapshotFile: string, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const setup = await prepareEvaluation(opts, io, log);
  const started = Date.now();
  const registry = setup.catalog.registry;
  const snapshot = snapshotFile === '-' ? parseSnapshotText(await readAll(io.stdin), '<stdin>', registry) : await loadSnapshot(snapshotFile, registry);
  log.debug({ resources: snapshot.resources.length, coverage: snapshot.coverage.length, ms: Date.now() - started }, 'snapshot loaded');
  return evaluateAndReport(snapshot, snapshotFile === '-' ? undefined : snapshotFile, setup, opts, io, global, log);
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) throw new UsageError("no standard input to read the snapshot from ('-')");
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}

import type { Logger } from 'pino';
import { loadSnapshot, loadSnapshotStream } from '../core/snapshot-loader';
import { UsageError } from '../core/errors';
import type { Snapshot } from '../core/types';
import { loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import type { CompiledRule } from '../engine/rule-types';
import type { CliIO, GlobalOptions } from './io';
import { evaluateAndWrite, type OutputOptions, prepareOutput } from './output-options';
import { builtinFacts, builtinRegistry } from '../providers/builtin';

/** Evaluates an in-memory snapshot with the chosen rules and writes the results (also used by `scan`). */
export async function evaluateAndReport(
  snapshot: Snapshot,
  file: string | undefined,
  opts: OutputOptions,
  io: CliIO,
  global: GlobalOptions,
  log: Logger,
  preloaded?: CompiledRule[],
): Promise<number> {
  const plan = await prepareOutput(opts, io, log);
  const registry = builtinRegistry();
  const rules = preloaded ?? loadRulesOrThrow(resolveRuleDirs(plan.rules), registry, builtinFacts());
  return evaluateAndWrite(snapshot, rules, registry, file, opts, io, global, log);
}

/** `trustscan evaluate <snapshot>`: rules → findings → SOC 2 roll-up, rendered; returns the exit code. */
export async function evaluateCommand(snapshotFile: string, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  // Config, outputs and rules first: a mistake there is reported before a large snapshot is read.
  const plan = await prepareOutput(opts, io, log);
  const rules = loadRulesOrThrow(resolveRuleDirs(plan.rules), builtinRegistry(), builtinFacts());
  const started = Date.now();
  const snapshot = snapshotFile === '-' ? await loadSnapshotStream(stdinOf(io), '<stdin>', builtinRegistry()) : await loadSnapshot(snapshotFile, builtinRegistry());
  log.debug({ resources: snapshot.resources.length, coverage: snapshot.coverage.length, ms: Date.now() - started }, 'snapshot loaded');
  return evaluateAndReport(snapshot, snapshotFile === '-' ? undefined : snapshotFile, opts, io, global, log, rules);
}

function stdinOf(io: CliIO): NodeJS.ReadableStream {
  if (!io.stdin) throw new UsageError("no standard input to read the snapshot from ('-')");
  return io.stdin;
}

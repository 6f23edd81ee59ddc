import type { Logger } from 'pino';
import { builtinRegistry } from '../core/resource-types/index';
import { loadSnapshot, parseSnapshotText } from '../core/snapshot-loader';
import { UsageError } from '../core/errors';
import type { Snapshot } from '../core/types';
import { FactRegistry } from '../facts/index';
import { evaluate } from '../engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import type { CompiledRule } from '../engine/rule-types';
import type { CliIO, GlobalOptions } from './io';
import { type OutputOptions, writeResults } from './output-options';

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
  const registry = builtinRegistry();
  const started = Date.now();
  const rules = preloaded ?? loadRulesOrThrow(resolveRuleDirs(opts.rules), registry, new FactRegistry());
  const { results, stats } = evaluate(snapshot, rules, registry, { now: opts.now, file, settings: { privilegedPrincipals: opts.privileged ?? [] } });
  log.info({ rules: rules.length, ...stats, findings: results.summary.byStatus, complete: results.scan.complete, ms: Date.now() - started }, 'evaluation finished');
  return writeResults(results, opts, io, global, log);
}

/** `trustscan evaluate <snapshot>`: rules → findings → SOC 2 roll-up, rendered; returns the exit code. */
export async function evaluateCommand(snapshotFile: string, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  // Rules first: a broken rule is reported before a large snapshot is read.
  const rules = loadRulesOrThrow(resolveRuleDirs(opts.rules), builtinRegistry(), new FactRegistry());
  const started = Date.now();
  const snapshot = snapshotFile === '-' ? parseSnapshotText(await readAll(io.stdin), '<stdin>', builtinRegistry()) : await loadSnapshot(snapshotFile, builtinRegistry());
  log.debug({ resources: snapshot.resources.length, coverage: snapshot.coverage.length, ms: Date.now() - started }, 'snapshot loaded');
  return evaluateAndReport(snapshot, snapshotFile === '-' ? undefined : snapshotFile, opts, io, global, log, rules);
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) throw new UsageError("no standard input to read the snapshot from ('-')");
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}

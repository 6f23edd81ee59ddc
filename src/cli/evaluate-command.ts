import type { Logger } from 'pino';
import { builtinCatalog, type Catalog, loadCatalog } from '../catalog';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileError, InputError, UsageError } from '../core/errors';
import { mergeSnapshots } from '../core/snapshot-merge';
import { loadSnapshot, loadSnapshotStream } from '../core/snapshot-loader';
import type { Snapshot } from '../core/types';
import type { CompiledRule } from '../engine/rule-types';
import { globMatches } from '../suppress/glob';
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
  const rules = selectRules(catalog.loadRules(plan.rules), opts.rule, opts.skipRule);
  return { plan, catalog, rules };
}

/** --rule / --skip-rule: id globs; a pattern that matches no rule is a usage error (a typo would silently check nothing). */
export function selectRules(rules: CompiledRule[], only: readonly string[] | undefined, skip: readonly string[] | undefined): CompiledRule[] {
  for (const [flag, globs] of [['--rule', only], ['--skip-rule', skip]] as const) {
    for (const g of globs ?? []) if (!rules.some((r) => globMatches(g, r.def.id))) throw new UsageError(`${flag} '${g}' matches no rule id (see trustscan rules list)`);
  }
  const kept = rules.filter((r) => (!only?.length || only.some((g) => globMatches(g, r.def.id))) && !(skip ?? []).some((g) => globMatches(g, r.def.id)));
  if (kept.length === 0) throw new UsageError('--rule / --skip-rule leave no rule to run');
  return kept;
}

/** Evaluates an in-memory snapshot with the prepared rules and writes the results (also used by `scan` and `iac`). */
export function evaluateAndReport(snapshot: Snapshot, file: string | undefined, setup: EvaluationSetup, opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const { catalog, rules } = setup;
  return evaluateAndWrite(snapshot, { rules, registry: catalog.registry, frameworks: catalog.frameworks }, file, opts, outputIO(io, global), log);
}

/** Snapshot files named on the command line: a folder stands for the .json/.ndjson/.jsonl files in it. */
export async function snapshotFiles(args: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    if (a === '-') {
      out.push(a);
      continue;
    }
    const st = await fs.stat(resolve(cwd, a)).catch((e: unknown) => {
      throw fileError(a, e);
    });
    if (!st.isDirectory()) out.push(a);
    else {
      const names = (await fs.readdir(resolve(cwd, a))).filter((n) => /\.(json|ndjson|jsonl)$/i.test(n) && !n.startsWith('.')).sort();
      if (names.length === 0) throw InputError.at({ file: a }, 'folder holds no snapshot (.json, .ndjson or .jsonl) file');
      out.push(...names.map((n) => join(a, n)));
    }
  }
  if (out.filter((f) => f === '-').length > 1) throw new UsageError("standard input ('-') can be read once");
  // The same file named twice (directly and through its folder) is read once.
  const seen = new Set<string>();
  return out.filter((f) => f === '-' || (!seen.has(resolve(cwd, f)) && seen.add(resolve(cwd, f))));
}

/** `trustscan evaluate <snapshot…>`: rules → findings → roll-ups, rendered; returns the exit code. */
export async function evaluateCommand(args: string[], opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const setup = await prepareEvaluation(opts, io, log);
  const started = Date.now();
  const registry = setup.catalog.registry;
  const parts: { file: string; snapshot: Snapshot }[] = [];
  for (const file of await snapshotFiles(args, io.cwd)) {
    const snapshot = file === '-' ? await loadSnapshotStream(stdinOf(io), '<stdin>', registry) : await loadSnapshot(file, registry);
    parts.push({ file: file === '-' ? '<stdin>' : file, snapshot });
  }
  const snapshot = mergeSnapshots(parts);
  log.debug({ files: parts.length, resources: snapshot.resources.length, coverage: snapshot.coverage.length, ms: Date.now() - started }, 'snapshot loaded');
  const only = parts.length === 1 && parts[0].file !== '<stdin>' ? parts[0].file : undefined;
  return evaluateAndReport(snapshot, only, setup, opts, io, global, log);
}

function stdinOf(io: CliIO): NodeJS.ReadableStream {
  if (!io.stdin) throw new UsageError("no standard input to read the snapshot from ('-')");
  return io.stdin;
}

import type { Logger } from 'pino';
import { builtinRegistry } from '../core/resource-types/index';
import { loadSnapshot } from '../core/snapshot-loader';
import type { Severity } from '../core/types';
import { EXIT } from '../core/errors';
import { FactRegistry } from '../facts/index';
import { evaluate } from '../engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import { renderJson, renderNdjsonLine } from '../report/json';
import { renderTable } from '../report/table';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';
import { failsGate } from './options';

export const EVALUATE_FORMATS = ['json', 'ndjson', 'table'] as const;

export interface EvaluateCommandOptions {
  rules?: string[];
  format: (typeof EVALUATE_FORMATS)[number];
  output?: string;
  failOn?: Severity;
  now?: Date;
  verbose?: boolean;
}

/** `trustscan evaluate <snapshot>`: rules → findings → SOC 2 roll-up, rendered; returns the exit code. */
export async function evaluateCommand(snapshotFile: string, opts: EvaluateCommandOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const registry = builtinRegistry();
  const facts = new FactRegistry();
  const started = Date.now();
  const rules = loadRulesOrThrow(resolveRuleDirs(opts.rules), registry, facts);
  log.debug({ rules: rules.length, ms: Date.now() - started }, 'rules loaded');
  const snapshot = await loadSnapshot(snapshotFile, registry);
  log.debug({ resources: snapshot.resources.length, coverage: snapshot.coverage.length, ms: Date.now() - started }, 'snapshot loaded');
  const { results, stats } = evaluate(snapshot, rules, registry, { now: opts.now, file: snapshotFile });
  log.info(
    { ...stats, findings: results.summary.byStatus, complete: results.scan.complete, ms: Date.now() - started },
    'evaluation finished',
  );
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

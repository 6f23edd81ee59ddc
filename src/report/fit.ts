import { getHeapStatistics } from 'node:v8';
import { UsageError } from '../core/errors';
import type { Snapshot } from '../core/types';
import type { CompiledRule } from '../engine/rule-types';
import type { OutputFormat } from './formats';

/**
 * Formats that need every finding at once (table, SARIF, JUnit, CSV, HTML) keep them in memory
 * until the end. Before evaluating, the number of findings is bounded (rules × resources of
 * their types) and weighed against what the V8 heap may still grow to: a run that cannot fit
 * says so with exit 2 before it writes anything, instead of dying of an out-of-memory abort
 * half-way. json, ndjson and ocsf stream and are never refused.
 */

/** Heap bytes a kept finding takes, evidence included (measured on the synthetic benchmark, rounded up). */
export const BYTES_PER_FINDING = 1200;

/** An upper bound on the findings the rules can produce on `snapshot` (every resource of each rule's type). */
export function maxFindings(snapshot: Snapshot, rules: readonly CompiledRule[]): number {
  const perType = new Map<string, number>();
  for (const r of snapshot.resources) perType.set(r.type, (perType.get(r.type) ?? 0) + 1);
  let n = 0;
  for (const rule of rules) n += perType.get(rule.def.resourceType) ?? 0;
  return n;
}

export function checkFindingsFit(snapshot: Snapshot, rules: readonly CompiledRule[], formats: OutputFormat[], heap = getHeapStatistics()): void {
  const findings = maxFindings(snapshot, rules);
  const need = findings * BYTES_PER_FINDING;
  const room = heap.heap_size_limit - heap.used_heap_size;
  if (need <= room) return;
  const mb = (b: number): string => `${Math.round(b / 1024 / 1024).toLocaleString('en-US')} MiB`;
  throw new UsageError(
    `up to ${findings.toLocaleString('en-US')} findings would be kept in memory for --format ${[...new Set(formats)].join(', ')} (about ${mb(need)}), ` +
      `more than the ${mb(room)} this process can still use: write them with --format json, ndjson or ocsf (streamed, constant memory), ` +
      `or raise the limit (NODE_OPTIONS=--max-old-space-size=${Math.ceil((heap.used_heap_size + need * 1.2) / 1024 / 1024)})`,
  );
}

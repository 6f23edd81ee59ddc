import { readFileSync } from 'node:fs';
import type { Snapshot } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../../src/engine/rule-loader';
import { builtinFacts, builtinRegistry } from '../../src/catalog';
import { buildRunRecord, outlineOf } from '../../src/store/run-adapter';
import { ControlTally, findingRow, type LeafedRow, type RunRecord } from '../../src/store/run-record';
import { type SuppressionEntry, Suppressor } from '../../src/suppress/suppressions';
import { DEMO } from '../helpers';

/** Runs of the demo organisation through the real engine, night after night, with drift. */

let rules: ReturnType<typeof loadRulesOrThrow> | undefined;
export function builtinRules(): ReturnType<typeof loadRulesOrThrow> {
  rules ??= loadRulesOrThrow(resolveRuleDirs(undefined), builtinRegistry(), builtinFacts());
  return rules;
}

export function demo(day: string): Snapshot {
  const snap = JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;
  snap.metadata.startedAt = `${day}T02:00:00Z`;
  snap.metadata.finishedAt = `${day}T02:03:00Z`;
  return snap;
}

export const BACKUPS = 'arn:aws:s3:::acme-prod-backups';

/** The backups bucket's versioning, the usual fix of the tests. */
export function setVersioning(snap: Snapshot, status: 'Enabled' | 'Suspended'): Snapshot {
  const b = snap.resources.find((r) => r.id === BACKUPS)!;
  (b.properties.versioning as { status: string }).status = status;
  return snap;
}

/** Evaluates a snapshot with the built-in rules (and suppressions) and builds the store's record of it. */
export function recordOf(snapshot: Snapshot, suppressions: SuppressionEntry[] = []): RunRecord {
  const registry = builtinRegistry();
  const rows: LeafedRow[] = [];
  const tally = new ControlTally();
  const sup = suppressions.length ? new Suppressor(suppressions, new Date(snapshot.metadata.startedAt)) : undefined;
  const { results } = evaluate(snapshot, builtinRules(), registry, {
    decorate: sup?.apply,
    suppressionReport: sup ? () => sup.report() : undefined,
    onFinding: (f) => {
      rows.push(findingRow(f));
      tally.add(f);
    },
  });
  return buildRunRecord(results, { snapshot: outlineOf(snapshot), rules: builtinRules(), registry }, rows, tally.finish());
}

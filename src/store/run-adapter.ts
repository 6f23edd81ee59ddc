import { canonicalJson, sha256 } from '../core/hash';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { type CoverageEntry, PRIMARY_FRAMEWORK_ID, type Results, type Snapshot, type SnapshotMetadata, STATUSES, type Status } from '../core/types';
import type { CompiledRule } from '../engine/rule-types';
import type { AccountSummary, ControlRow, FrameworkRef, LeafedRow, ListingCall, RuleInForce, RunRecord, RunScope } from './run-record';

/**
 * The one place that knows how the results contract spells what a run record needs: the run
 * id, the snapshot's hash and every framework's roll-up come from the results (2.x); what they
 * do not carry (each rule's content hash, the listing calls, per-account roll-ups) is computed
 * here from the snapshot and the compiled rules.
 */

/**
 * What a run record needs of the snapshot: its metadata and coverage, and its resources counted
 * per account and by code file. A merge of sharded parts never holds every resource at once, so
 * it gives this outline rather than the snapshot.
 */
export interface SnapshotOutline {
  metadata: SnapshotMetadata;
  coverage: readonly CoverageEntry[];
  /** Resources per `provider:account`. */
  resourcesPerAccount: ReadonlyMap<string, number>;
  /** The code files the resources come from; absent for a runtime snapshot. */
  codeFiles?: string[];
}

/** The outline of a snapshot held whole. */
export function outlineOf(snapshot: Snapshot): SnapshotOutline {
  const perAccount = new Map<string, number>();
  for (const r of snapshot.resources) perAccount.set(`${r.provider}:${r.account}`, (perAccount.get(`${r.provider}:${r.account}`) ?? 0) + 1);
  const code = snapshot.resources.filter((r) => r.source.kind !== 'runtime');
  return {
    metadata: snapshot.metadata,
    coverage: snapshot.coverage,
    resourcesPerAccount: perAccount,
    ...(code.length ? { codeFiles: [...new Set(code.map((r) => r.source.file).filter((f): f is string => !!f))].sort() } : {}),
  };
}

export interface RunInputs {
  snapshot: SnapshotOutline;
  rules: readonly CompiledRule[];
  registry: ResourceTypeRegistry;
  /** The command that produced the run (scan, evaluate, iac), when known. */
  command?: string;
}

export function ruleInForce(r: CompiledRule): RuleInForce {
  return {
    id: r.def.id,
    version: r.version,
    contentHash: sha256(canonicalJson(r.def)),
    title: r.def.title,
    severity: r.def.severity,
    resourceType: r.def.resourceType,
    frameworks: { [PRIMARY_FRAMEWORK_ID]: r.def.soc2.map((c) => c.id), ...(r.def.frameworks ?? {}) },
  };
}

function scopeOf(snapshot: SnapshotOutline): RunScope {
  const code = snapshot.codeFiles !== undefined;
  const accounts = new Map(snapshot.metadata.accounts.map((a) => [`${a.provider}:${a.id}`, { provider: a.provider as string, id: a.id, ...(a.name ? { name: a.name } : {}) }]));
  for (const key of snapshot.resourcesPerAccount.keys()) {
    if (accounts.has(key)) continue;
    const at = key.indexOf(':');
    accounts.set(key, { provider: key.slice(0, at), id: key.slice(at + 1) });
  }
  const scope: RunScope = {
    kind: code ? 'iac' : 'runtime',
    providers: [...new Set(snapshot.metadata.providers as string[])].sort(),
    accounts: [...accounts.values()].sort((a, b) => `${a.provider}:${a.id}`.localeCompare(`${b.provider}:${b.id}`)),
  };
  if (code) scope.files = snapshot.codeFiles;
  return scope;
}

/** Listing operations per account, from the coverage and the type registry's operation map. */
function listingsOf(snapshot: SnapshotOutline, registry: ResourceTypeRegistry): ListingCall[] {
  const typesByOp = new Map<string, string[]>();
  for (const t of registry.list()) {
    for (const o of t.operations ?? []) {
      if (!o.lists) continue;
      typesByOp.set(o.op, [...(typesByOp.get(o.op) ?? []), t.type]);
    }
  }
  const calls = new Map<string, ListingCall>();
  for (const c of snapshot.coverage) {
    const op = `${c.service}:${c.operation}`;
    const types = typesByOp.get(op);
    if (!types) continue;
    const key = `${c.provider}:${c.account}:${op}`;
    let call = calls.get(key);
    if (!call) {
      call = { provider: c.provider, account: c.account, operation: op, resourceTypes: [...types].sort(), ok: 0, failed: 0 };
      calls.set(key, call);
    }
    if (c.outcome === 'ok') call.ok++;
    else call.failed++;
  }
  return [...calls.values()].sort((a, b) => `${a.provider}:${a.account}:${a.operation}`.localeCompare(`${b.provider}:${b.account}:${b.operation}`));
}

function accountsOf(snapshot: SnapshotOutline, results: Results, findings: LeafedRow[], scope: RunScope): AccountSummary[] {
  const byKey = new Map<string, AccountSummary>();
  const get = (provider: string, account: string): AccountSummary => {
    const key = `${provider}:${account}`;
    let a = byKey.get(key);
    if (!a) {
      a = { provider, account, resources: 0, findings: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>, gaps: 0, complete: true };
      byKey.set(key, a);
    }
    return a;
  };
  for (const a of scope.accounts) get(a.provider, a.id);
  for (const a of scope.accounts) get(a.provider, a.id).resources = snapshot.resourcesPerAccount.get(`${a.provider}:${a.id}`) ?? 0;
  for (const f of findings) {
    const a = get(f.provider, f.account);
    a.findings[f.status]++;
    if (f.status === 'UNKNOWN' || f.originalStatus === 'UNKNOWN') a.complete = false;
  }
  for (const g of results.scan.gaps) get(g.provider, g.account).gaps++;
  return [...byKey.values()].sort((a, b) => `${a.provider}:${a.account}`.localeCompare(`${b.provider}:${b.account}`));
}

/** Run-level roll-up rows of every framework as the results report them, then the per-account rows. */
function runControls(results: Results, perAccount: ControlRow[]): ControlRow[] {
  const out: ControlRow[] = Object.values(results.frameworks).flatMap((rollup) =>
    rollup.controls.map((c) => ({
      framework: rollup.framework.id,
      control: c.id,
      account: '*',
      status: c.status,
      pass: c.counts.PASS,
      fail: c.counts.FAIL,
      unknown: c.counts.UNKNOWN,
      muted: c.counts.MUTED,
      mutedUnknown: c.exceptions.filter((e) => e.originalStatus === 'UNKNOWN').length,
    })),
  );
  return [...out, ...perAccount];
}

export function buildRunRecord(results: Results, inputs: RunInputs, findings: LeafedRow[], perAccount: ControlRow[]): RunRecord {
  const { snapshot, rules, registry } = inputs;
  const scope = scopeOf(snapshot);
  const catalogue = rules.map(ruleInForce);
  const rollups = Object.values(results.frameworks);
  const record: RunRecord = {
    runId: results.scan.runId,
    scope,
    collectedAt: new Date(snapshot.metadata.startedAt).toISOString(),
    finishedAt: new Date(snapshot.metadata.finishedAt).toISOString(),
    scanTime: results.scan.scanTime,
    evaluatedAt: results.scan.evaluatedAt,
    tool: results.scan.tool,
    snapshot: { sha256: results.scan.snapshot.sha256, ...(results.scan.snapshot.file ? { file: results.scan.snapshot.file } : {}) },
    rulePack: results.scan.rules.packVersion,
    rules: catalogue,
    frameworks: rollups.map((r): FrameworkRef => ({ id: r.framework.id, title: r.framework.title, version: r.framework.version })),
    resources: results.scan.resources,
    complete: results.scan.complete,
    accounts: accountsOf(snapshot, results, findings, scope),
    summary: { findings: results.summary.findings, byStatus: results.summary.byStatus, failBySeverity: results.summary.failBySeverity },
    gaps: results.scan.gaps,
    listings: listingsOf(snapshot, registry),
    findings,
    controls: runControls(results, perAccount),
    criteria: rollups.flatMap((r) => r.controls.map((c) => ({ framework: r.framework.id, id: c.id, title: c.title, category: c.category, ...(c.rules.length === 0 ? { note: c.note } : {}) }))),
  };
  if (inputs.command) record.command = inputs.command;
  if (results.scan.suppressions) record.suppressions = results.scan.suppressions;
  return record;
}

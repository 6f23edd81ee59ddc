import { canonicalJson, sha256 } from '../core/hash';
import type { ControlStatus, CoverageGap, Finding, Severity, Status, SuppressionReport } from '../core/types';
import { leafOf } from './digest';

/**
 * What the history store records of one run, independent of how the results contract spells it:
 * `run-adapter.ts` builds it from the results (and the snapshot, until the results carry
 * everything), so a change of the contract touches that one adapter.
 */

/** A rule as it was in force for a run. */
export interface RuleInForce {
  id: string;
  /** The `ruleVersion` stamped on its findings (a short hash of its content). */
  version: string;
  /** SHA-256 of the rule's whole canonical content. */
  contentHash: string;
  title: string;
  severity: Severity;
  resourceType: string;
  /** Framework id → criteria the rule gives evidence for (`soc2` included). */
  frameworks: Record<string, string[]>;
}

export interface FrameworkRef {
  id: string;
  title: string;
  version: string;
}

export interface ScopeAccount {
  provider: string;
  id: string;
  name?: string;
}

/** What was scanned: accounts (projects, subscriptions) for a cloud run, files for infrastructure code. */
export interface RunScope {
  kind: 'runtime' | 'iac';
  providers: string[];
  accounts: ScopeAccount[];
  /** Infrastructure-code files checked (kind iac). */
  files?: string[];
}

/** A listing operation's outcomes in one run, over the regions it was called in. */
export interface ListingCall {
  provider: string;
  account: string;
  /** `service:Operation`, e.g. the call that lists a resource type. */
  operation: string;
  resourceTypes: string[];
  /** Regions (or `global`) where it succeeded / failed. */
  ok: number;
  failed: number;
}

export interface AccountSummary {
  provider: string;
  account: string;
  resources: number;
  findings: Record<Status, number>;
  gaps: number;
  complete: boolean;
}

/** The part of a finding the store keeps (the evidence itself only as a digest). */
export interface FindingRow {
  fingerprint: string;
  ruleId: string;
  resourceId: string;
  resourceType: string;
  provider: string;
  account: string;
  region: string;
  resourceName?: string;
  /** Infrastructure-code location, as JSON. */
  source?: string;
  status: Status;
  originalStatus?: Exclude<Status, 'MUTED'>;
  severity: Severity;
  ruleVersion: string;
  message: string;
  evidenceDigest: string;
  /** JSON array of the reasons a finding is UNKNOWN. */
  unknownReasons?: string;
  /** JSON of the waiver that muted it. */
  suppression?: string;
}

export type LeafedRow = FindingRow & { leaf: string };

/** One roll-up row: a criterion of a framework, for the whole run (account '*') or one account. */
export interface ControlRow {
  framework: string;
  control: string;
  /** `provider:account`, or '*' for the run as a whole. */
  account: string;
  status: ControlStatus;
  pass: number;
  fail: number;
  unknown: number;
  muted: number;
  mutedUnknown: number;
}

/** A criterion of a framework, for titles in reports (not part of what the chain hashes). */
export interface CriterionInfo {
  framework: string;
  id: string;
  title: string;
  category: string;
  /** For a criterion no rule maps to: the evidence an auditor needs instead. */
  note?: string;
}

export interface RunRecord {
  runId: string;
  command?: string;
  scope: RunScope;
  /** When the evidence was gathered (the snapshot's start): the run belongs to this day. */
  collectedAt: string;
  finishedAt: string;
  scanTime: string;
  evaluatedAt: string;
  tool: { name: string; version: string };
  snapshot: { sha256: string; file?: string };
  rulePack: string;
  rules: RuleInForce[];
  frameworks: FrameworkRef[];
  resources: number;
  complete: boolean;
  accounts: AccountSummary[];
  summary: { findings: number; byStatus: Record<Status, number>; failBySeverity: Record<Severity, number> };
  gaps: CoverageGap[];
  suppressions?: SuppressionReport;
  listings: ListingCall[];
  findings: LeafedRow[];
  controls: ControlRow[];
  criteria: CriterionInfo[];
}

/** The store's row of a finding, with its leaf hash. */
export function findingRow(f: Finding): LeafedRow {
  const row: FindingRow = {
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    resourceId: f.resource.id,
    resourceType: f.resource.type,
    provider: f.resource.provider,
    account: f.resource.account,
    region: f.resource.region,
    status: f.status,
    severity: f.severity,
    ruleVersion: f.ruleVersion,
    message: f.message,
    evidenceDigest: sha256(canonicalJson(f.evidence ?? {})),
  };
  if (f.resource.name !== undefined) row.resourceName = f.resource.name;
  if (f.resource.source && f.resource.source.kind !== 'runtime') row.source = canonicalJson(f.resource.source);
  if (f.suppression) {
    row.originalStatus = f.suppression.originalStatus;
    row.suppression = canonicalJson(f.suppression);
  }
  if (f.unknownReasons?.length) row.unknownReasons = canonicalJson(f.unknownReasons);
  return { ...row, leaf: leafOf(rowForLeaf(row)) };
}

/** The fields of a stored finding that its leaf hashes (whatever else the object carries). */
export function rowForLeaf(r: FindingRow): FindingRow {
  const row: FindingRow = {
    fingerprint: r.fingerprint,
    ruleId: r.ruleId,
    resourceId: r.resourceId,
    resourceType: r.resourceType,
    provider: r.provider,
    account: r.account,
    region: r.region,
    status: r.status,
    severity: r.severity,
    ruleVersion: r.ruleVersion,
    message: r.message,
    evidenceDigest: r.evidenceDigest,
  };
  for (const k of ['resourceName', 'source', 'originalStatus', 'unknownReasons', 'suppression'] as const) {
    if (r[k] !== undefined && r[k] !== null) (row as unknown as Record<string, unknown>)[k] = r[k];
  }
  return row;
}

/**
 * The roll-up decision (as in compliance/rollup.ts) from counts alone, so rows of several
 * accounts or runs can be summed and decided again: FAIL when any finding failed, else UNKNOWN
 * when any could not be evaluated (muted or not), else PASS when any passed or was muted, else
 * MANUAL (nothing automated to show).
 */
export function statusFromCounts(c: { pass: number; fail: number; unknown: number; muted: number; mutedUnknown: number }): ControlStatus {
  if (c.fail > 0) return 'FAIL';
  if (c.unknown + c.mutedUnknown > 0) return 'UNKNOWN';
  if (c.pass + c.muted > 0) return 'PASS';
  return 'MANUAL';
}

/** Folds findings into per-account roll-up counts for every framework they map to. */
export class ControlTally {
  private readonly rows = new Map<string, ControlRow>();

  add(f: Finding): void {
    const account = `${f.resource.provider}:${f.resource.account}`;
    const frameworks: Record<string, string[]> = { soc2: f.soc2, ...(f.frameworks ?? {}) };
    for (const [fw, ids] of Object.entries(frameworks)) {
      for (const id of new Set(ids)) {
        const key = `${fw}\u0000${id}\u0000${account}`;
        let row = this.rows.get(key);
        if (!row) {
          row = { framework: fw, control: id, account, status: 'MANUAL', pass: 0, fail: 0, unknown: 0, muted: 0, mutedUnknown: 0 };
          this.rows.set(key, row);
        }
        if (f.status === 'PASS') row.pass++;
        else if (f.status === 'FAIL') row.fail++;
        else if (f.status === 'UNKNOWN') row.unknown++;
        else {
          row.muted++;
          if (f.suppression?.originalStatus === 'UNKNOWN') row.mutedUnknown++;
        }
      }
    }
  }

  /** Per-account rows with their status decided. */
  finish(): ControlRow[] {
    return [...this.rows.values()].map((r) => ({ ...r, status: statusFromCounts(r) }));
  }
}

import { canonicalJson, sha256 } from '../core/hash';
import type { CoverageGap, Severity, Status, SuppressionReport } from '../core/types';
import type { AccountSummary, FrameworkRef, ListingCall, RunScope } from './run-record';

/**
 * A recorded run as the hash chain sees it: everything about the run except the bulk (findings,
 * roll-up rows, rule list), which it carries as counts and digests. Its canonical JSON is what
 * the record digest hashes, so any later edit of a run shows.
 */
export interface RunHeader {
  format: 1;
  seq: number;
  runId: string;
  /** Key of the run's scope: runs with equal scope form one stream, compared night to night. */
  stream: string;
  command?: string;
  scope: RunScope;
  collectedAt: string;
  finishedAt: string;
  scanTime: string;
  evaluatedAt: string;
  recordedAt: string;
  tool: { name: string; version: string };
  snapshot: { sha256: string; file?: string };
  rules: { count: number; packVersion: string; digest: string };
  frameworks: FrameworkRef[];
  resources: number;
  complete: boolean;
  accounts: AccountSummary[];
  summary: { findings: number; byStatus: Record<Status, number>; failBySeverity: Record<Severity, number> };
  gaps: CoverageGap[];
  suppressions?: SuppressionReport;
  listings: ListingCall[];
  findings: { count: number; digest: string; opened: number; closed: number; changesDigest: string };
  controls: { count: number; digest: string };
}

/** A run as stored: its header and its place in the chain. */
export interface StoredRun {
  seq: number;
  runId: string;
  stream: string;
  kind: RunScope['kind'];
  collectedAt: string;
  /** UTC day (YYYY-MM-DD) the evidence was gathered: the day the run counts for. */
  day: string;
  recordedAt: string;
  complete: boolean;
  findings: number;
  header: RunHeader;
  recordDigest: string;
  prevHash: string;
  chainHash: string;
}

export function streamOf(scope: RunScope): string {
  return sha256(canonicalJson({ kind: scope.kind, accounts: scope.accounts.map((a) => `${a.provider}:${a.id}`).sort(), files: scope.files ?? [] })).slice(0, 16);
}

export function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

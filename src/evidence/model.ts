import type { ControlStatus, Severity, Status } from '../core/types';
import type { FailureEpisode } from '../store/lifecycle';
import type { RunScope } from '../store/run-record';

/**
 * The evidence pack as data: what `evidence.json` holds (its JSON Schema is in schema.ts) and
 * what the HTML and CSV files render. Days are UTC calendar days, YYYY-MM-DD.
 */

export const EVIDENCE_SCHEMA_VERSION = '1.0';

/** A day's status for a criterion: a roll-up status, or GAP when no run gathered evidence that day. */
export type DayStatus = ControlStatus | 'GAP';

export interface RunLogEntry {
  seq: number;
  runId: string;
  day: string;
  collectedAt: string;
  evaluatedAt: string;
  recordedAt: string;
  scope: RunScope;
  complete: boolean;
  resources: number;
  findings: Record<Status, number>;
  /** Failed API operations (coverage gaps) of the run. */
  gaps: { provider: string; account: string; region: string; operation: string; outcome: string; message?: string }[];
  rulePack: string;
  snapshotSha256: string;
  chainHash: string;
}

export interface TimelineDay {
  day: string;
  status: DayStatus;
  /** Runs (seq) whose evidence counted for this day. */
  runs: number[];
  /** Accounts in scope that no run covered this day (the day is then never PASS). */
  missing: string[];
}

export interface PopulationItem {
  key: string;
  resourceId: string;
  resourceType: string;
  provider: string;
  account: string;
  region: string;
  name?: string;
  rules: string[];
  /** Runs of the period that evaluated it. */
  runs: number;
  /** Of those rule × run evaluations, how many ended in each status. */
  statusRuns: Record<Status, number>;
  firstSeen: string;
  lastSeen: string;
}

export interface SampleItem extends PopulationItem {
  rank: string;
}

export interface CriterionEvidence {
  framework: string;
  id: string;
  title: string;
  category: string;
  /** Rules mapped to it in the period. */
  rules: string[];
  /** What to ask for when no rule maps to it. */
  manualNote?: string;
  days: Record<DayStatus, number>;
  timeline: TimelineDay[];
  population: {
    size: number;
    byType: Record<string, number>;
    listings: { operation: string; resourceTypes: string[]; runs: number; ok: number; failed: number }[];
  };
  sample: { size: number; rule: string; items: SampleItem[] };
  failures: number;
  acceptedRisks: number;
}

export interface FailureEntry {
  fingerprint: string;
  ruleId: string;
  resourceId: string;
  resourceType: string;
  account: string;
  region: string;
  severity: Severity;
  criteria: string[];
  found: string;
  ended?: string;
  resolution: FailureEpisode['resolution'];
  days: number;
  muted: boolean;
  message: string;
}

export interface AcceptedRisk {
  reason: string;
  owner?: string;
  /** The ticket or change record that approved the waiver. */
  approval?: string;
  expires: string;
  source?: string;
  firstApplied: string;
  lastApplied: string;
  findings: number;
  /** Muted findings that were UNKNOWN, not failing: missing evidence, not an accepted risk. */
  unknownFindings: number;
  criteria: string[];
  expiredWhileFailing: boolean;
  rules: string[];
}

export interface RuleVersionInForce {
  ruleId: string;
  version: string;
  contentHash: string;
  title: string;
  severity: Severity;
  from: string;
  to: string;
  runs: number;
}

export interface RuleChange {
  ruleId: string;
  change: 'added' | 'removed' | 'changed';
  day: string;
  fromVersion?: string;
  toVersion?: string;
}

export interface EvidencePack {
  schemaVersion: string;
  generatedAt: string;
  tool: { name: string; version: string };
  period: { from: string; to: string; days: number };
  scope: { accounts: string[]; requested: string[] };
  sampling: { seed: string; requested: number | 'guidance'; method: string };
  chain: { firstSeq: number | null; lastSeq: number | null; startsAfter: string | null; head: string | null; storeHead: { seq: number; hash: string } };
  summary: { runs: number; daysWithRuns: number; gapDays: number; partialDays: number; incompleteRuns: number; failures: number; acceptedRisks: number; ruleChanges: number };
  frameworks: { id: string; title: string; version: string }[];
  runs: RunLogEntry[];
  gaps: { day: string; kind: 'no-run' | 'partial'; missing: string[] }[];
  criteria: CriterionEvidence[];
  populations: { framework: string; criterion: string; items: PopulationItem[] }[];
  failures: FailureEntry[];
  acceptedRisks: AcceptedRisk[];
  rules: RuleVersionInForce[];
  ruleChanges: RuleChange[];
}

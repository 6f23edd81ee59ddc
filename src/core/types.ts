/**
 * The contracts between pipeline stages. Each interface here is also a JSON document a user can
 * hold: a snapshot (collect → evaluate) and results (evaluate → report). Their JSON Schemas live
 * next door (snapshot-schema.ts, results-schema.ts); keep both in step.
 */
import type { ShardRecord } from './shard';

/** A provider plug-in's id (`aws`, `gcp`, `azure`, …): the first segment of its resource types. */
export type Provider = string;

/** Where a resource was read from: a live cloud API, or infrastructure code before deploy. */
export interface ResourceSource {
  kind: 'runtime' | 'terraform' | 'cloudformation';
  /** Infrastructure-code file the resource was declared in. */
  file?: string;
  /** 1-based line of the declaration in `file`. */
  line?: number;
  /** Terraform resource address or CloudFormation logical id. */
  address?: string;
  /**
   * Read from a runtime snapshot given as context to infrastructure code (`iac --context`): what
   * the code's resources depend on (the account's settings), consulted by facts and related
   * conditions but judged by no rule, since the code does not declare it.
   */
  context?: boolean;
}

/**
 * One cloud object in a snapshot.
 *
 * `properties` follows the JSON Schema registered for `type` (src/core/resource-types). A property
 * the collector could not read is still present (usually null) and its path is listed in
 * `unknown`; rules that read it yield UNKNOWN, never PASS.
 */
export interface Resource {
  /** Globally unique id: the ARN on AWS, the full resource name on GCP, the resource id on Azure. */
  id: string;
  /** Dotted type name, e.g. `aws.s3.bucket`. */
  type: string;
  provider: Provider;
  /** AWS account id, GCP project id, Azure subscription id. */
  account: string;
  /** Region, or `global` for global services (IAM, the S3 bucket list, the account itself). */
  region: string;
  name?: string;
  tags?: Record<string, string>;
  source: ResourceSource;
  properties: Record<string, unknown>;
  /**
   * Property paths that could not be read (dotted, `*` for every array element, e.g.
   * `acl`, `accessKeys.*.lastUsedDate`). Absent or empty when everything was read.
   */
  unknown?: string[];
  /**
   * Why an `unknown` path is unknown, keyed by the path as written in `unknown` (optional; the
   * engine falls back to a generic reason per source kind). Infrastructure-code collectors say
   * e.g. "aws_kms_key.logs arn is known only after apply".
   */
  unknownReasons?: Record<string, string>;
  /**
   * Paths listed in `unknown` whose value is not known but is certainly set: not null, not
   * absent (written exactly as in `unknown`). Infrastructure code uses it for a reference to an
   * attribute that every deployed resource has, such as `kms_key_id = aws_kms_key.logs.arn` or
   * `KMSKeyId: !GetAtt Key.Arn`. A rule's `exists` test on such a path is decided; every other
   * test of it (its contents, whether it is empty) stays UNKNOWN. Absent or empty when none.
   */
  present?: string[];
}

export const COVERAGE_OUTCOMES = ['ok', 'denied', 'throttled', 'not-enabled', 'error'] as const;
export type CoverageOutcome = (typeof COVERAGE_OUTCOMES)[number];

/**
 * One API operation the collector attempted in one account and region (pages and retries of
 * one logical call are one entry, with `calls` counting the HTTP requests).
 *
 * A non-`ok` outcome is a gap. The engine turns gaps into UNKNOWN through the operation → data
 * mapping of each resource type (`operations` in the type registry), plus the explicit fields
 * below, so a denied `GetBucketAcl` can never read as "bucket has no public ACL".
 */
export interface CoverageEntry {
  provider: Provider;
  account: string;
  /** Region the call was made in, or `global`. */
  region: string;
  /** Service as in the API's endpoint prefix: `iam`, `s3`, `cloudtrail`, … */
  service: string;
  /** API operation name as in the API reference: `GetBucketAcl`. */
  operation: string;
  outcome: CoverageOutcome;
  /** Error code and message as the service gave them (never credentials). */
  message?: string;
  /** HTTP requests made for this entry, including pages and retries. */
  calls?: number;
  /** Set when the call concerned one resource (e.g. a bucket); the gap then applies to it only. */
  resourceId?: string;
  /**
   * Resource types whose listing this failure leaves incomplete in `account`/`region`, beyond
   * what the type registry already knows; `*` means every type (e.g. a role that could not be assumed).
   */
  affects?: string[];
}

/**
 * Whether a coverage entry is a gap (data that could not be read). `not-enabled` without `affects`
 * says the service is not enabled where the call was made (a Google Cloud API disabled in a
 * project): nothing of that kind exists or can be used there, which is a fact, not a gap. With
 * `affects` (infrastructure code that trustscan does not read) it stays a gap.
 */
export function isCoverageGap(c: Pick<CoverageEntry, 'outcome' | 'affects'>): boolean {
  if (c.outcome === 'ok') return false;
  return !(c.outcome === 'not-enabled' && (c.affects === undefined || c.affects.length === 0));
}

export interface AccountRef {
  provider: Provider;
  id: string;
  name?: string;
}

export interface SnapshotMetadata {
  tool: { name: string; version: string };
  /** ISO 8601. Rules that compare dates ("older than 90 days") measure from this instant. */
  startedAt: string;
  finishedAt: string;
  providers: Provider[];
  accounts: AccountRef[];
  /** Free-form description of how the snapshot was made (command line without secrets, scenario name). */
  description?: string;
  /** Who collected it, per provider: the principal the credentials resolved to (provenance for an auditor). */
  collectedBy?: CollectorIdentity[];
  /** One part of a sharded scan: its shard and units (see core/shard.ts). */
  shard?: ShardRecord;
  /** The merge of a sharded scan's parts: what was merged and what was missing. */
  shards?: ShardsSummary[];
}

/**
 * The identity a collection ran as. Only the principal's name (an IAM ARN, a service account
 * e-mail, an Entra user or application), never a key or a token.
 */
export interface CollectorIdentity {
  provider: Provider;
  principal: string;
  /** How it reached each unit, when not directly (a role assumed in each account, impersonation). */
  via?: string;
}

/** Identities of several snapshots, each once (merges of snapshots and of shards). */
export function unionIdentities(lists: readonly (readonly CollectorIdentity[] | undefined)[]): CollectorIdentity[] | undefined {
  const seen = new Map<string, CollectorIdentity>();
  for (const l of lists) for (const i of l ?? []) seen.set(`${i.provider}\u0000${i.principal}\u0000${i.via ?? ''}`, i);
  return seen.size ? [...seen.values()] : undefined;
}

/** What a merge of sharded parts records. */
export interface ShardsSummary {
  count: number;
  provider: string;
  unitListSha256: string;
  /** Units of the whole scan. */
  units: number;
  parts: { index: number; file: string; units: number }[];
  /** Parts absent, unreadable or inconsistent: their units' findings are UNKNOWN. */
  missing: { index: number; units: string[]; reason: string }[];
}

export const SNAPSHOT_SCHEMA_VERSION = '1.0';

/**
 * Why a value of a resource from infrastructure code is unknown when it exists only in a live
 * account (a type's `runtimeOnly` paths): a verdict that waits only on such values is not reported
 * for code, one the code decides without them is.
 */
export const RUNTIME_ONLY_REASON = 'exists only in a live account (not in infrastructure code)';

/** A whole snapshot as one JSON document. The streaming (NDJSON) form is described in snapshot-schema.ts. */
export interface Snapshot {
  schemaVersion: string;
  metadata: SnapshotMetadata;
  resources: Resource[];
  coverage: CoverageEntry[];
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['PASS', 'FAIL', 'UNKNOWN', 'MUTED'] as const;
export type Status = (typeof STATUSES)[number];

/** Why a finding is MUTED: a waiver with an owner and an expiry (filled by suppressions). */
export interface Suppression {
  reason: string;
  expires: string;
  owner?: string;
  ticket?: string;
  /** File the suppression came from. */
  source?: string;
  /** Status the finding had before it was muted. */
  originalStatus: Exclude<Status, 'MUTED'>;
}

/** The resource a finding is about: its identity, and where it is declared for infrastructure code. */
export type FindingResource = Pick<Resource, 'id' | 'type' | 'provider' | 'account' | 'region' | 'name'> & { source?: ResourceSource };

/**
 * The verdict of one rule on one resource.
 *
 * `fingerprint` is a hash of the rule id and the resource identity (provider, account, region,
 * type, id) only, so the same problem keeps the same id from one night to the next and a SIEM
 * can de-duplicate on it.
 */
export interface Finding {
  ruleId: string;
  /** Hash of the rule's content: changes whenever the rule's logic or text changes. */
  ruleVersion: string;
  title: string;
  status: Status;
  severity: Severity;
  resource: FindingResource;
  /** SOC 2 Trust Services Criteria ids the rule supports, e.g. `CC6.1`. */
  soc2: string[];
  /** Other frameworks: key is a framework id such as `cis-aws-foundations-v3.0.0`. */
  frameworks?: Record<string, string[]>;
  message: string;
  /**
   * Values that decided the verdict, keyed by the property path read. A value that could not be
   * read is null here and its path is in `unknownEvidence`: a field never changes JSON type.
   */
  evidence: Record<string, unknown>;
  /** Where in `evidence` values could not be read (they are null there), as JSON Pointers (`/passwordEnabled`). */
  unknownEvidence?: string[];
  /** For UNKNOWN: each missing piece of data and why it is missing. */
  unknownReasons?: string[];
  remediation: string;
  fingerprint: string;
  suppression?: Suppression;
}

export const CONTROL_STATUSES = ['PASS', 'FAIL', 'UNKNOWN', 'MANUAL'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export interface ControlException {
  fingerprint: string;
  ruleId: string;
  resourceId: string;
  reason: string;
  owner?: string;
  expires: string;
  ticket?: string;
  /** Status the finding had before it was muted: a muted UNKNOWN is missing evidence, not an accepted failure. */
  originalStatus?: Exclude<Status, 'MUTED'>;
}

/** One criterion's row in a framework's roll-up. */
export interface ControlResult {
  id: string;
  /** The criterion's group in its framework (category, section). */
  category: string;
  title: string;
  status: ControlStatus;
  /** Findings per status among the rules mapped to this criterion. */
  counts: Record<Status, number>;
  /** Ids of the rules mapped to this criterion that were evaluated. */
  rules: string[];
  /** False when any mapped finding is UNKNOWN. */
  complete: boolean;
  /** Why the status is what it is, in a sentence (e.g. why MANUAL). */
  note: string;
  /** MUTED findings: accepted risks an auditor must see. */
  exceptions: ControlException[];
}

/** A suppression entry that did not take effect, as reported in the results. */
export interface SuppressionNotice {
  /** File and line of the entry. */
  source: string;
  reason: string;
  expires: string;
  owner?: string;
  ticket?: string;
  /** The entry's match criteria, as written (rule, resource, account, region, tags). */
  match: Record<string, unknown>;
}

/** What the suppressions did in this evaluation. */
export interface SuppressionReport {
  /** Findings muted. */
  muted: number;
  /** Entries past their expiry date: they no longer apply. */
  expired: SuppressionNotice[];
  /** Active entries that matched no failing or unknown finding: stale, or mistyped. */
  unused: SuppressionNotice[];
  /**
   * Every entry in force at the scan time (not expired), with the number of findings it muted:
   * the register of exceptions an auditor reads (those with `muted: 0` are also in `unused`).
   * Added within schema 2.0 as an optional member: results written before it lack it, and a
   * reader then groups the muted findings' `suppression` by entry instead.
   */
  active?: (SuppressionNotice & { muted: number })[];
}

/** A non-ok coverage entry, with the rules whose verdicts it made UNKNOWN. */
export interface CoverageGap extends CoverageEntry {
  rules: string[];
}

/** A rule as it was in force for a run: what an auditor needs to know which check gave the evidence. */
export interface RuleRecord {
  id: string;
  /** Hash of the rule's content (the `ruleVersion` of its findings). */
  version: string;
  title: string;
  severity: Severity;
  resourceType: string;
  /** Framework id → criteria the rule gives evidence for (`soc2` included). */
  frameworks: Record<string, string[]>;
}

/** Completeness of one scanned account (AWS account, Google Cloud project, Azure subscription). */
export interface AccountCompleteness {
  provider: Provider;
  account: string;
  resources: number;
  /** Findings per status for this account. */
  findings: Record<Status, number>;
  /** Failed API operations recorded for this account. */
  gaps: number;
  /** True when no finding of this account is UNKNOWN. */
  complete: boolean;
}

/**
 * What identifies a run in every event it emits, known before the first finding: the run id and
 * the scan time (the instant the snapshot describes), so streamed events carry them too.
 */
export interface RunStamp {
  runId: string;
  /** ISO 8601: the snapshot's start unless the evaluation was given another instant. */
  scanTime: string;
}

export interface ScanInfo {
  /** Unique id of this evaluation run (a UUID): the key a history store and a SIEM record it under. */
  runId: string;
  tool: { name: string; version: string };
  /**
   * The snapshot evaluated. `sha256` is the hash of its content (metadata, each resource and each
   * coverage entry serialized as JSON, one per line, in snapshot order), whatever file form it came in.
   */
  snapshot: SnapshotMetadata & { file?: string; sha256: string };
  /** Instant that date comparisons were measured from (the snapshot's startedAt unless overridden). */
  scanTime: string;
  evaluatedAt: string;
  /** The rule catalogue in force: how many, a version for the whole set, and each rule's id, version and mappings. */
  rules: { count: number; packVersion: string; catalog: RuleRecord[] };
  resources: number;
  /** True when no finding is UNKNOWN: every rule could be fully evaluated. */
  complete: boolean;
  /** Completeness per scanned account, ordered by provider and account. */
  accounts: AccountCompleteness[];
  gaps: CoverageGap[];
  /** Present when suppressions were configured. */
  suppressions?: SuppressionReport;
}

export interface ResultsSummary {
  findings: number;
  byStatus: Record<Status, number>;
  /** FAIL findings per severity. */
  failBySeverity: Record<Severity, number>;
}

/** One framework's roll-up: a row per criterion of the framework definition. */
export interface FrameworkRollup {
  framework: { id: string; title: string; version: string };
  /** Criteria per status. */
  summary: Record<ControlStatus, number>;
  controls: ControlResult[];
}

/**
 * 2.0: roll-ups per framework (`frameworks`, keyed by framework id) replace the single SOC 2
 * `controls` list and `summary.controls` of 1.x; the scan section describes the run (run id,
 * snapshot hash, completeness per account, the rule catalogue in force).
 * 2.1: an unreadable evidence value is null with its path in the finding's `unknownEvidence`
 * (2.0 wrote the string "(unknown)" in its place). Readers accept both.
 */
export const RESULTS_SCHEMA_VERSION = '2.1';
/** Results versions this build reads (diff, baseline, re-rendering). */
export const READABLE_RESULTS_VERSIONS = ['2.0', RESULTS_SCHEMA_VERSION] as const;

/** The framework whose roll-up every run carries. */
export const PRIMARY_FRAMEWORK_ID = 'soc2';

/** What `trustscan evaluate --format json` writes. */
export interface Results {
  schemaVersion: string;
  scan: ScanInfo;
  summary: ResultsSummary;
  findings: Finding[];
  /** Roll-up per framework id: always `soc2`, plus each framework that applies to the providers scanned. */
  frameworks: Record<string, FrameworkRollup>;
}

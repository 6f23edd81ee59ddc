import type { Dialect } from './db';

/**
 * The history store's tables, as numbered migrations. A store records the highest migration
 * applied in `trustscan_meta`; opening a store applies the missing ones in one transaction, and
 * refuses a store whose version is higher than this trustscan knows (it would misread it).
 * Never edit a released migration: add the next one.
 *
 * Tables:
 * - runs: one row per recorded run, in chain order (`seq`); `header` is the canonical JSON that
 *   `record_digest` hashes, and `chain_hash` links it to the previous run.
 * - rules, run_rules: each rule version once, and which versions each run used.
 * - controls: the roll-up of each run, per framework and criterion, for the whole run
 *   (account '*', as reported) and per account (so any subset of accounts can be rolled up).
 * - findings: a finding's identity (rule × resource), once per fingerprint.
 * - spans: a finding's state over consecutive runs of one scope (`stream`): present from run
 *   `start_seq` until the run `closed_by` where it changed or disappeared (NULL: still current).
 *   A night where nothing changed writes no span at all.
 * - criteria: titles of the criteria of each framework (as the last run that knew them said).
 * - checkpoints: signed records left by `history prune` in place of the runs it removed.
 */

export interface Migration {
  version: number;
  description: string;
  sql: (dialect: Dialect) => string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'runs, rules, controls, findings and their spans, checkpoints',
    sql: () => `
CREATE TABLE runs (
  seq INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  kind TEXT NOT NULL,
  command TEXT NOT NULL,
  collected_at TEXT NOT NULL,
  collected_day TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  complete INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  header TEXT NOT NULL,
  record_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  chain_hash TEXT NOT NULL
);
CREATE INDEX runs_day ON runs (collected_day, seq);
CREATE INDEX runs_stream ON runs (stream, seq);
CREATE TABLE chain_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE rules (
  rule_id TEXT NOT NULL,
  version TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (rule_id, version)
);
CREATE TABLE run_rules (
  seq INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
  rule_id TEXT NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY (seq, rule_id)
);
CREATE TABLE controls (
  seq INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
  framework TEXT NOT NULL,
  control_id TEXT NOT NULL,
  account TEXT NOT NULL,
  status TEXT NOT NULL,
  pass INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  unknown INTEGER NOT NULL,
  muted INTEGER NOT NULL,
  muted_unknown INTEGER NOT NULL,
  PRIMARY KEY (seq, framework, control_id, account)
);
CREATE TABLE findings (
  fingerprint TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  provider TEXT NOT NULL,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  resource_name TEXT,
  source TEXT
);
CREATE TABLE spans (
  stream TEXT NOT NULL,
  fingerprint TEXT NOT NULL REFERENCES findings (fingerprint),
  start_seq INTEGER NOT NULL,
  closed_by INTEGER,
  start_at TEXT NOT NULL,
  closed_at TEXT,
  status TEXT NOT NULL,
  original_status TEXT,
  severity TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence_digest TEXT NOT NULL,
  unknown_reasons TEXT,
  suppression TEXT,
  leaf TEXT NOT NULL,
  PRIMARY KEY (stream, fingerprint, start_seq)
);
CREATE INDEX spans_current ON spans (stream, fingerprint, leaf) WHERE closed_by IS NULL;
CREATE INDEX spans_fingerprint ON spans (fingerprint, start_seq);
CREATE TABLE criteria (
  framework TEXT NOT NULL,
  control_id TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (framework, control_id)
);
CREATE TABLE checkpoints (
  seq INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL,
  signature TEXT NOT NULL,
  public_key TEXT NOT NULL
);
`,
  },
];

/** The schema version this trustscan writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export const META_DDL = 'CREATE TABLE IF NOT EXISTS trustscan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

import type { Finding, RunStamp } from '../core/types';

/**
 * The finding events of `--format ndjson`, one per line: what a SIEM indexes. Each is the
 * results contract's `Finding` with two changes, so that an index with a strict mapping (one
 * type per field, as Elasticsearch, OpenSearch or Splunk's indexed fields infer it) takes every
 * event of every run and every cloud:
 *
 * - `runId` and `scanTime` (the instant the snapshot describes, not when the line was written)
 *   stamp every event; provider and account are in `resource`;
 * - `evidence` is filed under the resource type (`evidence.aws_ec2_vpc.flowLogs`), because the
 *   same property name means different things in different types (an AWS VPC's `flowLogs` is a
 *   list of flow logs, a Google subnetwork's a boolean); within one type a path has one schema
 *   type, and an unreadable value is null with its path in `unknownEvidence`.
 *
 * The line is still a finding for everything that reads findings back (`--baseline`, `diff`).
 */
export interface FindingEvent extends Omit<Finding, 'evidence'>, RunStamp {
  /** The finding's evidence under one key, the resource type with its dots as underscores. */
  evidence: Record<string, Record<string, unknown>>;
}

/** The key a finding's evidence is filed under: a SIEM would read the type's dots as nesting. */
export function evidenceKey(type: string): string {
  return type.replace(/\./g, '_');
}

/** The evidence of a finding, filed under its resource type (see `FindingEvent`). */
export function typedEvidence(f: Finding): Record<string, Record<string, unknown>> {
  return { [evidenceKey(f.resource.type)]: f.evidence };
}

export function findingEvent(f: Finding, run: RunStamp): FindingEvent {
  return { runId: run.runId, scanTime: run.scanTime, ...f, evidence: typedEvidence(f) };
}

/** One NDJSON line of `findingEvent`. */
export function renderFindingEventLine(f: Finding, run: RunStamp): string {
  return `${JSON.stringify(findingEvent(f, run))}\n`;
}

import type { Finding, RunStamp, Severity, Status } from '../core/types';
import { typedEvidence } from './siem-event';

/**
 * OCSF 1.3.0 Compliance Finding events (class_uid 2003), one per finding, written as NDJSON for
 * a SIEM. `time` is the scan time (the instant the snapshot describes) and
 * `metadata.correlation_uid` the run id, so every event of one run groups and sorts together
 * however late it is shipped. The `compliance` object carries ONE framework, the first asked for
 * (SOC 2 by default): its title as the standard, its criteria as requirements, the rule as the
 * control and the verdict as the compliance status; every framework's ids, each apart, are in
 * `unmapped.trustscan.frameworks`, so SOC 2 and CIS ids never share a field. `finding_info.uid`
 * is the finding's stable fingerprint, so a SIEM can de-duplicate on it. The evidence is filed
 * under the resource type with unknown values null and listed by path (see `siem-event.ts`).
 */

export const OCSF_VERSION = '1.3.0';

const SEVERITY_ID: Record<Severity, [number, string]> = {
  info: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

/** Compliance status_id: 1 Pass, 2 Warning (could not be evaluated), 3 Fail. */
const COMPLIANCE_STATUS: Record<Exclude<Status, 'MUTED'>, [number, string]> = {
  PASS: [1, 'Pass'],
  UNKNOWN: [2, 'Warning'],
  FAIL: [3, 'Fail'],
};

export interface OcsfContext {
  toolVersion: string;
  /** The run every event belongs to: its id and its scan time (the events' `time`). */
  run: RunStamp;
  /** Provider id → the name OCSF's `cloud.provider` carries (each provider plug-in's short name). */
  providerNames?: Readonly<Record<string, string>>;
  /** Frameworks asked for (`--framework`); the first is the one `compliance` carries (default SOC 2, `all`: every one). */
  frameworks?: readonly string[];
  /** Framework id → the standard's name as `compliance.standards` shows it (title and version). */
  standards?: Readonly<Record<string, string>>;
}

const PRIMARY = 'soc2';

export function ocsfEvent(f: Finding, ctx: OcsfContext): Record<string, unknown> {
  const [severityId, severity] = SEVERITY_ID[f.severity];
  const verdict = f.status === 'MUTED' ? (f.suppression?.originalStatus ?? 'FAIL') : f.status;
  const [complianceStatusId, complianceStatus] = COMPLIANCE_STATUS[verdict];
  const wanted = ctx.frameworks?.length && !ctx.frameworks.includes('all') ? ctx.frameworks : undefined;
  const all: Record<string, string[]> = { ...(f.soc2.length ? { [PRIMARY]: f.soc2 } : {}), ...f.frameworks };
  const frameworks = Object.entries(all).filter(([id]) => !wanted || wanted.includes(id)).map(([id, requirements]) => ({ id, requirements }));
  const primary = wanted?.[0] ?? PRIMARY;
  const r = f.resource;
  const resource: Record<string, unknown> = {
    uid: r.id,
    type: r.type,
    region: r.region,
    data: { provider: r.provider, account: r.account, ...(r.source ? { source: r.source } : {}) },
  };
  if (r.name !== undefined) resource.name = r.name;
  const compliance: Record<string, unknown> = {
    standards: [ctx.standards?.[primary] ?? primary],
    requirements: all[primary] ?? [],
    control: f.ruleId,
    status_id: complianceStatusId,
    status: complianceStatus,
    status_code: f.status,
  };
  if (f.unknownReasons?.length) compliance.status_detail = f.unknownReasons.join('; ');
  const time = Date.parse(ctx.run.scanTime);
  const event: Record<string, unknown> = {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2003,
    class_name: 'Compliance Finding',
    type_uid: 200301,
    type_name: 'Compliance Finding: Create',
    severity_id: severityId,
    severity,
    time,
    message: f.message,
    status_id: f.status === 'MUTED' ? 3 : 1,
    status: f.status === 'MUTED' ? 'Suppressed' : 'New',
    status_code: f.status,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'trustscan', vendor_name: 'trustscan', version: ctx.toolVersion },
      profiles: ['cloud'],
      correlation_uid: ctx.run.runId,
    },
    finding_info: {
      uid: f.fingerprint,
      title: f.title,
      desc: f.message,
      types: ['Configuration Compliance'],
      analytic: { uid: f.ruleId, name: f.title, type_id: 1, type: 'Rule', version: f.ruleVersion },
    },
    compliance,
    resources: [resource],
    cloud: { provider: ctx.providerNames?.[r.provider] ?? r.provider, region: r.region, account: { uid: r.account } },
    remediation: { desc: f.remediation },
    unmapped: {
      trustscan: {
        runId: ctx.run.runId,
        scanTime: ctx.run.scanTime,
        frameworks,
        evidence: typedEvidence(f),
        ...(f.unknownEvidence ? { unknownEvidence: f.unknownEvidence } : {}),
        ...(f.unknownReasons ? { unknownReasons: f.unknownReasons } : {}),
        ...(f.suppression ? { suppression: f.suppression } : {}),
      },
    },
  };
  return event;
}

export function renderOcsfLine(f: Finding, ctx: OcsfContext): string {
  return `${JSON.stringify(ocsfEvent(f, ctx))}\n`;
}

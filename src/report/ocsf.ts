import type { Finding, Severity, Status } from '../core/types';

/**
 * OCSF 1.3.0 Compliance Finding events (class_uid 2003), one per finding, written as NDJSON for
 * a SIEM. The `compliance` object carries the SOC 2 criteria (and other frameworks' ids) as
 * requirements, the rule as the control, and the verdict as the compliance status;
 * `finding_info.uid` is the finding's stable fingerprint, so a SIEM can de-duplicate on it.
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
  /** Event time (ms since the epoch): when the findings were produced. */
  time: number;
  /** Provider id → the name OCSF's `cloud.provider` carries (each provider plug-in's short name). */
  providerNames?: Readonly<Record<string, string>>;
  /** Frameworks whose ids go into `compliance.requirements` (default: all the finding maps to). */
  frameworks?: readonly string[];
}

export const SOC2_STANDARD = 'AICPA SOC 2 Trust Services Criteria (2017, revised points of focus 2022)';

export function ocsfEvent(f: Finding, ctx: OcsfContext): Record<string, unknown> {
  const [severityId, severity] = SEVERITY_ID[f.severity];
  const verdict = f.status === 'MUTED' ? (f.suppression?.originalStatus ?? 'FAIL') : f.status;
  const [complianceStatusId, complianceStatus] = COMPLIANCE_STATUS[verdict];
  const wanted = ctx.frameworks?.length && !ctx.frameworks.includes('all') ? ctx.frameworks : undefined;
  const frameworks = Object.fromEntries(Object.entries(f.frameworks ?? {}).filter(([id]) => !wanted || wanted.includes(id)));
  const soc2 = !wanted || wanted.includes('soc2') ? f.soc2 : [];
  const r = f.resource;
  const resource: Record<string, unknown> = {
    uid: r.id,
    type: r.type,
    region: r.region,
    data: { provider: r.provider, account: r.account, ...(r.source ? { source: r.source } : {}) },
  };
  if (r.name !== undefined) resource.name = r.name;
  const compliance: Record<string, unknown> = {
    standards: [...(soc2.length ? [SOC2_STANDARD] : []), ...Object.keys(frameworks)],
    requirements: [...soc2, ...Object.values(frameworks).flat()],
    control: f.ruleId,
    status_id: complianceStatusId,
    status: complianceStatus,
    status_code: f.status,
  };
  if (f.unknownReasons?.length) compliance.status_detail = f.unknownReasons.join('; ');
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
    time: ctx.time,
    message: f.message,
    status_id: f.status === 'MUTED' ? 3 : 1,
    status: f.status === 'MUTED' ? 'Suppressed' : 'New',
    status_code: f.status,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'trustscan', vendor_name: 'trustscan', version: ctx.toolVersion },
      profiles: ['cloud'],
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
        evidence: f.evidence,
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

import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Results, Severity } from '../core/types';
import type { Baseline } from './baseline';

/**
 * SARIF 2.1.0 for code scanning (GitHub and other SARIF viewers): one reporting descriptor per
 * trustscan rule, one result per failing finding (muted ones as suppressed results), a physical
 * location for infrastructure-code findings and a logical one (provider/account/region/resource)
 * for runtime findings, and the finding's fingerprint as a partial fingerprint so repeated
 * uploads de-duplicate.
 */

/** GitHub maps these to critical (>= 9.0), high (7.0–8.9), medium (4.0–6.9) and low (0.1–3.9). */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

export const FINGERPRINT_KEY = 'trustscanFingerprint/v1';

/** A source file as a SARIF URI: relative to the working directory (under %SRCROOT%) when inside it. */
function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  const abs = isAbsolute(file) ? file : undefined;
  const rel = abs ? relative(cwd, abs) : file;
  if (abs && (rel.startsWith('..') || isAbsolute(rel))) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(sep).join('/').replace(/^\.\//, ''), uriBaseId: '%SRCROOT%' };
}

function ruleDescriptor(f: Finding): Sarif.ReportingDescriptor {
  const criteria = f.soc2.join(', ');
  const frameworks = Object.entries(f.frameworks ?? {}).map(([k, v]) => `${k}: ${v.join(', ')}`);
  const text = [`${f.title}.`, `Remediation: ${f.remediation}`, `SOC 2 criteria: ${criteria || 'none'}.`, ...frameworks.map((x) => `${x}.`), `Details: trustscan rules show ${f.ruleId}`].join('\n');
  const markdown = [
    `**${f.title}**`,
    '',
    `**Remediation:** ${f.remediation}`,
    '',
    `**SOC 2 criteria:** ${criteria || 'none'}`,
    ...frameworks.map((x) => `\n**${x}**`),
    '',
    `Run \`trustscan rules show ${f.ruleId}\` for the rule's rationale and check.`,
  ].join('\n');
  return {
    id: f.ruleId,
    name: f.ruleId,
    shortDescription: { text: f.title },
    fullDescription: { text: `${f.title} (SOC 2 ${criteria || '-'})` },
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[f.severity],
      severity: f.severity,
      precision: 'very-high',
      tags: ['security', 'compliance', ...f.soc2.map((c) => `soc2/${c}`)],
      ruleVersion: f.ruleVersion,
    },
  };
}

function result(f: Finding, ruleIndex: number, cwd: string, baseline: Baseline | undefined): Sarif.Result {
  const r = f.resource;
  const logical: Sarif.LogicalLocation = { name: r.name ?? r.id, fullyQualifiedName: `${r.provider}/${r.account}/${r.region}/${r.id}`, kind: 'resource' };
  const location: Sarif.Location = { logicalLocations: [logical] };
  if (r.source?.file) {
    location.physicalLocation = { artifactLocation: artifactLocation(r.source.file, cwd), ...(r.source.line ? { region: { startLine: r.source.line } } : {}) };
    if (r.source.address) logical.fullyQualifiedName = r.source.address;
  }
  const out: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: f.message },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: { severity: f.severity, resourceType: r.type, account: r.account, region: r.region, soc2: f.soc2 },
  };
  if (f.suppression) {
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: f.suppression.reason,
        properties: { expires: f.suppression.expires, ...(f.suppression.owner ? { owner: f.suppression.owner } : {}), ...(f.suppression.ticket ? { ticket: f.suppression.ticket } : {}), ...(f.suppression.source ? { source: f.suppression.source } : {}) },
      },
    ];
  }
  if (baseline) out.baselineState = baseline.has(f) ? 'unchanged' : 'new';
  return out;
}

export function renderSarif(results: Results, opts: { cwd: string; baseline?: Baseline }): string {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const out: Sarif.Result[] = [];
  for (const f of results.findings) {
    let i = ruleIndex.get(f.ruleId);
    if (i === undefined) {
      i = rules.length;
      ruleIndex.set(f.ruleId, i);
      rules.push(ruleDescriptor(f));
    }
    const failing = f.status === 'FAIL' || (f.status === 'MUTED' && f.suppression?.originalStatus === 'FAIL');
    if (failing) out.push(result(f, i, opts.cwd, opts.baseline));
  }
  const s = results.summary;
  const notifications: Sarif.Notification[] = [];
  if (!results.scan.complete) {
    notifications.push({
      level: 'warning',
      message: { text: `Evaluation incomplete: ${s.byStatus.UNKNOWN} finding(s) could not be evaluated (${results.scan.gaps.length} failed API operation(s)); they are not results here, see the JSON results.` },
      descriptor: { id: 'trustscan/incomplete' },
    });
  }
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'trustscan', version: results.scan.tool.version, semanticVersion: results.scan.tool.version, rules } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications, properties: { scanTime: results.scan.scanTime } }],
        results: out,
        columnKind: 'unicodeCodePoints',
        properties: { complete: results.scan.complete, summary: s },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

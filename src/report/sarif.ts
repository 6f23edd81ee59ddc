import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { gzipSync } from 'node:zlib';
import { UsageError } from '../core/errors';
import type { Finding, Results, Severity } from '../core/types';
import type { Baseline } from './baseline';

/**
 * SARIF 2.1.0 for code scanning (GitHub and other SARIF viewers): one reporting descriptor per
 * trustscan rule, one result per failing finding (muted ones as suppressed results), located in
 * the infrastructure-code file and line it comes from, and the finding's fingerprint as a partial
 * fingerprint so repeated uploads de-duplicate.
 *
 * Code scanning rejects a whole upload when one result has no physical artifact location, and a
 * runtime finding (a bucket in an account) has no file: rather than invent one, SARIF of runtime
 * results is refused with a message naming the formats that fit. The log is also checked against
 * GitHub's documented hard limits before it is written, so an upload is never rejected later.
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

/**
 * GitHub code scanning's documented SARIF limits (docs: "SARIF results exceed limit", "SARIF file
 * is too large"): past a hard limit the whole upload is rejected. Tags past 10 are not shown.
 */
export const CODE_SCANNING_LIMITS = { runs: 20, resultsPerRun: 25_000, rulesPerRun: 25_000, locationsPerResult: 1_000, tagsPerRule: 20, tagsShown: 10, gzipBytes: 10 * 1024 * 1024 } as const;

/** Failing findings (what SARIF carries) that have no source file to point at. */
export function unlocatedFindings(results: Results): Finding[] {
  return results.findings.filter((f) => isFailing(f) && !f.resource.source?.file);
}

function isFailing(f: Finding): boolean {
  return f.status === 'FAIL' || (f.status === 'MUTED' && f.suppression?.originalStatus === 'FAIL');
}

/** Why these results cannot be SARIF for code scanning, or undefined when they can. */
export function sarifRefusal(results: Results): string | undefined {
  const missing = unlocatedFindings(results);
  if (missing.length === 0) return undefined;
  const providers = [...new Set(missing.map((f) => f.resource.provider))].join(', ');
  return (
    `SARIF needs a file location for every result (code scanning rejects the whole upload otherwise), but ${missing.length.toLocaleString('en-US')} failing finding(s) ` +
    `are on cloud resources (${providers}), not in a file: use SARIF for 'trustscan iac', and for runtime scans --format json, ndjson or ocsf (SIEM), html or markdown (people), junit (CI test reports)`
  );
}

/** Every documented code-scanning hard limit the log breaks (empty: the upload is accepted). */
export function codeScanningViolations(log: Sarif.Log, text = JSON.stringify(log)): string[] {
  const L = CODE_SCANNING_LIMITS;
  const out: string[] = [];
  if (log.runs.length > L.runs) out.push(`${log.runs.length} runs (limit ${L.runs})`);
  for (const run of log.runs) {
    const results = run.results ?? [];
    const rules = run.tool.driver.rules ?? [];
    if (results.length > L.resultsPerRun) out.push(`${results.length} results in a run (limit ${L.resultsPerRun})`);
    if (rules.length > L.rulesPerRun) out.push(`${rules.length} rules in a run (limit ${L.rulesPerRun})`);
    for (const r of rules) if ((r.properties?.tags?.length ?? 0) > L.tagsPerRule) out.push(`rule ${r.id} has ${r.properties!.tags!.length} tags (limit ${L.tagsPerRule})`);
    for (const r of results) {
      const locations = r.locations ?? [];
      if (locations.length > L.locationsPerResult) out.push(`a ${r.ruleId} result has ${locations.length} locations (limit ${L.locationsPerResult})`);
      if (!locations.length || locations.some((l) => !l.physicalLocation?.artifactLocation?.uri)) out.push(`a ${r.ruleId} result has no physical artifact location`);
    }
  }
  const gz = gzipSync(text).length;
  if (gz > L.gzipBytes) out.push(`${gz} bytes gzip-compressed (limit ${L.gzipBytes})`);
  return out;
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
      // Code scanning shows 10 tags and rejects more than 20.
      tags: ['security', 'compliance', ...f.soc2.map((c) => `soc2/${c}`)].slice(0, CODE_SCANNING_LIMITS.tagsShown),
      ruleVersion: f.ruleVersion,
    },
  };
}

function result(f: Finding, ruleIndex: number, cwd: string, baseline: Baseline | undefined): Sarif.Result {
  const r = f.resource;
  const source = r.source!; // sarifRefusal made sure every result has a file
  const logical: Sarif.LogicalLocation = { name: r.name ?? r.id, fullyQualifiedName: source.address ?? `${r.provider}/${r.account}/${r.region}/${r.id}`, kind: 'resource' };
  const location: Sarif.Location = {
    physicalLocation: { artifactLocation: artifactLocation(source.file!, cwd), region: { startLine: source.line && source.line > 0 ? source.line : 1 } },
    logicalLocations: [logical],
  };
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

/** The SARIF log; a UsageError (exit 2) when the results cannot be uploaded to code scanning. */
export function renderSarif(results: Results, opts: { cwd: string; baseline?: Baseline }): string {
  const refusal = sarifRefusal(results);
  if (refusal) throw new UsageError(refusal);
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
    if (isFailing(f)) out.push(result(f, i, opts.cwd, opts.baseline));
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
  const text = `${JSON.stringify(log, null, 2)}\n`;
  const broken = codeScanningViolations(log, text);
  if (broken.length) throw new UsageError(`SARIF would be rejected by code scanning: ${broken.slice(0, 3).join('; ')}: narrow the run (--severity, --rule) or use --format json`);
  return text;
}

import { type Finding, type Results, SEVERITIES, type Severity } from '../core/types';
import { selectRollups, shortName } from './controls-table';
import type { GateVerdict } from './gate';
import { visible } from './visible';

/**
 * A short summary for people in a pipeline: a GitHub job summary ($GITHUB_STEP_SUMMARY) or a
 * pull-request comment. Counts, the gate's verdict, the worst failing findings, the SOC 2
 * criteria that fail or lack evidence, and waivers that need attention.
 */

export const MARKDOWN_TOP = 20;

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

/**
 * Untrusted text in Markdown (a table cell, a list item): one line, control characters visible,
 * and every ASCII punctuation character backslash-escaped, so a name cannot open a link, an
 * image, a heading, emphasis, raw HTML or a new table cell in a GitHub job summary.
 */
export function mdCell(s: string): string {
  return visible(s.replace(/\s*\n\s*/g, ' ')).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Untrusted text in a code span, where backslash escapes do not work: no backticks, no cell breaks. */
export function mdCode(s: string): string {
  return visible(s.replace(/\s*\n\s*/g, ' ')).replace(/`/g, "'").replace(/\|/g, '\\|');
}

/** Keeps the `n` worst FAIL findings seen (by severity, then first seen), in bounded memory. */
export class WorstFindings {
  private readonly kept: Finding[] = [];
  private total = 0;

  constructor(private readonly n = MARKDOWN_TOP) {}

  add(f: Finding): void {
    if (f.status !== 'FAIL') return;
    this.total++;
    const rank = SEVERITY_RANK.get(f.severity)!;
    if (this.kept.length === this.n && rank >= SEVERITY_RANK.get(this.kept[this.kept.length - 1].severity)!) return;
    let i = this.kept.length;
    while (i > 0 && SEVERITY_RANK.get(this.kept[i - 1].severity)! > rank) i--;
    this.kept.splice(i, 0, f);
    if (this.kept.length > this.n) this.kept.pop();
  }

  get findings(): readonly Finding[] {
    return this.kept;
  }

  get seen(): number {
    return this.total;
  }
}

export interface MarkdownOptions {
  /** The worst failing findings (see WorstFindings). */
  worst: WorstFindings;
  gate: GateVerdict;
  failOn?: Severity;
  failOnUnknown?: boolean;
  baselineFile?: string;
  /** Frameworks whose roll-up to show (`all` for every one; default: SOC 2). */
  frameworks?: readonly string[];
}

function where(f: Finding): string {
  const r = f.resource;
  return r.source?.file ? `${r.source.file}${r.source.line ? `:${r.source.line}` : ''}` : `${r.account} / ${r.region}`;
}

export function renderMarkdown(results: Results, opts: MarkdownOptions): string {
  const s = results.summary;
  const scan = results.scan;
  const gated = opts.failOn !== undefined || opts.failOnUnknown;
  const out: string[] = [];
  const verdict = !gated ? '' : opts.gate.failed ? ' — ❌ gate failed' : ' — ✅ gate passed';
  out.push(`## trustscan${verdict}`, '');
  out.push(`${scan.resources} resources, ${scan.rules.count} rules, scan time ${scan.scanTime}.`, '');
  out.push('| FAIL | UNKNOWN | PASS | MUTED |', '| ---: | ---: | ---: | ---: |', `| ${s.byStatus.FAIL} | ${s.byStatus.UNKNOWN} | ${s.byStatus.PASS} | ${s.byStatus.MUTED} |`, '');
  const bySeverity = SEVERITIES.filter((x) => s.failBySeverity[x] > 0).map((x) => `${x} ${s.failBySeverity[x]}`);
  out.push(`Failing by severity: ${bySeverity.join(' · ') || 'none'}.`, '');
  out.push(
    scan.complete
      ? 'Evaluation complete: every rule could be evaluated.'
      : `> [!WARNING]\n> Evaluation **incomplete**: ${s.byStatus.UNKNOWN} finding(s) could not be evaluated (${scan.gaps.length} failed API operation(s)). Nothing was reported as passing without evidence.`,
    '',
  );
  if (gated) {
    const rule = [opts.failOn ? `fail on ${opts.failOn} or worse` : '', opts.failOnUnknown ? 'fail on unknown' : ''].filter(Boolean).join(', ');
    const base = opts.baselineFile ? ` Baseline \`${mdCell(opts.baselineFile)}\`: ${opts.gate.inBaseline} known finding(s) not counted.` : '';
    out.push(`**Gate** (${rule}): ${opts.gate.failed ? opts.gate.reasons.join('; ') : 'nothing counts against it'}.${base}`, '');
  }
  const worst = opts.worst.findings;
  if (worst.length) {
    out.push(`### Failing findings${opts.worst.seen > worst.length ? ` (worst ${worst.length} of ${opts.worst.seen})` : ''}`, '');
    out.push('| Severity | Rule | Resource | Where |', '| --- | --- | --- | --- |');
    for (const f of worst) out.push(`| ${f.severity} | \`${mdCode(f.ruleId)}\` ${mdCell(f.title)} | ${mdCell(f.resource.name ?? f.resource.id)} | ${mdCell(where(f))} |`);
    out.push('');
  }
  for (const rollup of selectRollups(results.frameworks, opts.frameworks)) {
    const c = rollup.summary;
    out.push(`### ${mdCell(shortName(rollup))}`, '', `Criteria: PASS ${c.PASS} · FAIL ${c.FAIL} · UNKNOWN ${c.UNKNOWN} · MANUAL ${c.MANUAL}.`, '');
    const attention = rollup.controls.filter((x) => x.status === 'FAIL' || x.status === 'UNKNOWN');
    if (attention.length) {
      out.push('| Criterion | Status | Why |', '| --- | --- | --- |');
      for (const x of attention) out.push(`| ${mdCell(x.id)} ${mdCell(x.title)} | ${x.status} | ${mdCell(x.note)} |`);
      out.push('');
    }
  }
  const sup = scan.suppressions;
  if (sup) {
    out.push(`### Suppressions`, '', `${sup.muted} finding(s) muted.`);
    for (const e of sup.expired) out.push(`- ⚠️ expired ${e.expires}, no longer applied: ${mdCell(e.reason)} (${mdCell(e.source)})`);
    for (const e of sup.unused) out.push(`- ⚠️ matched no failing or unknown finding: ${mdCell(e.reason)} (${mdCell(e.source)})`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

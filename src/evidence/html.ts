import type { CriterionEvidence, DayStatus, EvidencePack } from './model';

/**
 * The evidence pack for people: one self-contained HTML file (inline CSS, no script, no network:
 * a Content-Security-Policy forbids it) laid out to print to PDF — A4/Letter, tables whose rows
 * never split and whose headers repeat on every page, colours kept in print, and every status
 * spelled out in text, not only in colour.
 */

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Rows shown per table in the HTML; the CSV and JSON files always hold every row. */
export const HTML_ROW_LIMIT = 1000;

const COLOURS: Record<DayStatus, string> = { PASS: '#2e7d32', FAIL: '#c62828', UNKNOWN: '#f9a825', MANUAL: '#90a4ae', GAP: '#212121' };

const CSS = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 8mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
p, li { margin: 1mm 0; }
.meta { color: #444; }
code, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 8pt; overflow-wrap: anywhere; word-break: break-all; }
table { border-collapse: collapse; width: calc(100% - 1px); margin: 2mm 0 4mm; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; font-size: 8.5pt; overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; font-size: 7.5pt; word-break: normal; overflow-wrap: normal; hyphens: auto; }
.num { text-align: right; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2mm; margin: 3mm 0; }
.card { border: 1px solid #bbb; padding: 2mm; break-inside: avoid; }
.card b { display: block; font-size: 14pt; }
.status { font-weight: 600; }
.s-PASS { color: #2e7d32; } .s-FAIL { color: #c62828; } .s-UNKNOWN { color: #8d6e00; } .s-MANUAL { color: #546e7a; } .s-GAP { color: #000; }
.strip { width: 100%; height: 7mm; display: block; }
.criterion { break-inside: avoid; page-break-inside: avoid; }
.legend span { display: inline-block; margin-right: 4mm; }
.legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle; }
.note { background: #f5f5f5; border-left: 3px solid #999; padding: 1.5mm 2mm; }
.warn { border-left-color: #c62828; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } .noprint { display: none; } }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
`;

function table(head: string[], rows: string[][], opts: { num?: number[]; widths?: string[]; limit?: number; file?: string } = {}): string {
  const limit = opts.limit ?? HTML_ROW_LIMIT;
  const shown = rows.slice(0, limit);
  const cols = opts.widths ? `<colgroup>${opts.widths.map((w) => `<col style="width:${w}">`).join('')}</colgroup>` : '';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = shown.map((r) => `<tr>${r.map((c, i) => `<td${opts.num?.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  const more = rows.length > limit ? `<p class="note">${rows.length - limit} more rows are not shown here${opts.file ? `: see <code>${esc(opts.file)}</code>` : ''}.</p>` : '';
  return `<table>${cols}<thead><tr>${th}</tr></thead><tbody>${body || `<tr><td colspan="${head.length}">None.</td></tr>`}</tbody></table>${more}`;
}

const status = (s: string): string => `<span class="status s-${esc(s)}">${esc(s)}</span>`;
const day = (iso?: string): string => esc((iso ?? '').slice(0, 10));

/** One rectangle per day, coloured by status; the title of each names the day and status for screen readers. */
function strip(c: CriterionEvidence): string {
  const n = c.timeline.length;
  const rects = c.timeline.map((t, i) => `<rect x="${i}" y="0" width="${i === n - 1 ? 1 : 1.02}" height="10" fill="${COLOURS[t.status]}"><title>${t.day} ${t.status}</title></rect>`).join('');
  return `<svg class="strip" viewBox="0 0 ${Math.max(1, n)} 10" preserveAspectRatio="none" role="img" aria-label="daily status of ${esc(c.id)}">${rects}</svg>`;
}

/** Consecutive days with the same status, e.g. "2026-03-01 – 2026-03-04 FAIL". */
function ranges(c: CriterionEvidence, which: (s: DayStatus) => boolean): string[] {
  const out: string[] = [];
  let start: (typeof c.timeline)[number] | undefined;
  let prev: (typeof c.timeline)[number] | undefined;
  for (const t of [...c.timeline, undefined]) {
    if (start && (!t || t.status !== start.status || !which(t.status))) {
      out.push(`${start.day}${prev!.day !== start.day ? ` – ${prev!.day}` : ''} ${start.status}`);
      start = undefined;
    }
    if (t && which(t.status) && !start) start = t;
    prev = t;
  }
  return out;
}

export function renderEvidenceHtml(p: EvidencePack, files: { manifest: string; signed: boolean }): string {
  const label = (c: { framework: string; id: string }): string => (c.framework === 'soc2' ? c.id : `${c.framework} ${c.id}`);
  const automated = p.criteria.filter((c) => c.rules.length > 0);
  const manual = p.criteria.filter((c) => c.rules.length === 0);
  const s = p.summary;
  const parts: string[] = [];
  parts.push(`<h1>Evidence pack: ${esc(p.period.from)} to ${esc(p.period.to)}</h1>
<p class="meta">Scope: ${p.scope.accounts.length ? p.scope.accounts.map((a) => `<code>${esc(a)}</code>`).join(', ') : 'no account'} · ${p.period.days} day(s) ·
generated ${esc(p.generatedAt)} by ${esc(p.tool.name)} ${esc(p.tool.version)} · frameworks: ${p.frameworks.map((f) => esc(`${f.title}${f.version ? ` (${f.version})` : ''}`)).join('; ')}</p>
<div class="cards">
<div class="card"><b>${s.runs}</b>runs recorded</div>
<div class="card"><b>${s.daysWithRuns} / ${p.period.days}</b>days with evidence</div>
<div class="card"><b class="${s.gapDays ? 's-FAIL' : ''}">${s.gapDays}</b>days without any run (gaps)</div>
<div class="card"><b class="${s.partialDays ? 's-UNKNOWN' : ''}">${s.partialDays}</b>days with accounts not scanned</div>
<div class="card"><b class="${s.incompleteRuns ? 's-UNKNOWN' : ''}">${s.incompleteRuns}</b>runs with incomplete evidence</div>
<div class="card"><b>${s.failures}</b>failures in the period</div>
<div class="card"><b>${s.acceptedRisks}</b>accepted risks</div>
<div class="card"><b>${s.ruleChanges}</b>rule changes</div>
</div>
<p class="note">Each day counts the runs whose evidence was <em>gathered</em> that day (UTC). A day without a run is a <b>GAP</b>: nothing is carried over from the day before. A day on which some account of the scope was not scanned is never PASS. UNKNOWN means the evidence could not be read (access denied, throttling, …), not that the control passed. Verify this pack with <code>trustscan evidence verify &lt;folder&gt;</code>; the manifest (<code>${esc(files.manifest)}</code>) lists the SHA-256 of every file${files.signed ? ' and is signed (<code>manifest.sig</code>, Ed25519)' : ''}.</p>`);

  parts.push(`<h2 id="criteria">Criteria over the period</h2>
<p class="legend">${(Object.keys(COLOURS) as DayStatus[]).map((k) => `<span><i style="background:${COLOURS[k]}"></i>${k}</span>`).join('')}</p>`);
  for (const fw of p.frameworks) {
    const mine = automated.filter((c) => c.framework === fw.id);
    if (mine.length === 0) continue;
    parts.push(`<h3>${esc(fw.title)}${fw.version ? ` (${esc(fw.version)})` : ''}</h3>`);
    parts.push(
      table(
        ['criterion', 'title', 'PASS', 'FAIL', 'UNKNOWN', 'MANUAL', 'GAP', 'population', 'sample', 'failures', 'risks'],
        mine.map((c) => [
          `<a href="#c-${esc(c.framework)}-${esc(c.id)}">${esc(c.id)}</a>`,
          c.title === c.id ? '' : esc(c.title),
          String(c.days.PASS),
          String(c.days.FAIL),
          String(c.days.UNKNOWN),
          String(c.days.MANUAL),
          String(c.days.GAP),
          String(c.population.size),
          String(c.sample.size),
          String(c.failures),
          String(c.acceptedRisks),
        ]),
        { num: [2, 3, 4, 5, 6, 7, 8, 9, 10], widths: ['11%', '21%', '7%', '6%', '9%', '8%', '6%', '9%', '7%', '9%', '7%'] },
      ),
    );
  }

  for (const c of automated) {
    const bad = ranges(c, (st) => st !== 'PASS');
    parts.push(`<section class="criterion" id="c-${esc(c.framework)}-${esc(c.id)}">
<h3>${esc(label(c))}${c.title === c.id ? '' : ` — ${esc(c.title)}`}</h3>
${strip(c)}
<p>${c.days.PASS} day(s) PASS, ${c.days.FAIL} FAIL, ${c.days.UNKNOWN} UNKNOWN, ${c.days.MANUAL} MANUAL, ${c.days.GAP} GAP. Rules: ${c.rules.map((r) => `<code>${esc(r)}</code>`).join(', ')}.</p>
${bad.length ? `<p>Days not PASS: ${bad.slice(0, 60).map(esc).join('; ')}${bad.length > 60 ? `; … ${bad.length - 60} more (csv/timeline.csv)` : ''}.</p>` : '<p>Every day PASS.</p>'}
<p>Population tested: <b>${c.population.size}</b> resource(s)${Object.keys(c.population.byType).length ? ` (${Object.entries(c.population.byType).map(([t, n]) => `${esc(t)}: ${n}`).join(', ')})` : ''}, listed by ${c.population.listings.length ? c.population.listings.map((l) => `<code>${esc(l.operation)}</code> (${l.runs} runs, ${l.ok} calls ok${l.failed ? `, <span class="s-FAIL">${l.failed} failed</span>` : ''})`).join(', ') : 'no recorded listing call'}. Full list: <code>csv/population.csv</code>.</p>
<p>Sample of ${c.sample.size} (${esc(c.sample.rule)}; seed <code>${esc(p.sampling.seed)}</code>):</p>
${table(
  ['resource', 'type', 'account', 'region', 'runs', 'PASS', 'FAIL', 'UNKNOWN', 'MUTED'],
  c.sample.items.map((i) => [`<span class="mono">${esc(i.name ?? i.resourceId)}</span>`, esc(i.resourceType), esc(`${i.provider}:${i.account}`), esc(i.region), String(i.runs), String(i.statusRuns.PASS), String(i.statusRuns.FAIL), String(i.statusRuns.UNKNOWN), String(i.statusRuns.MUTED)]),
  { num: [4, 5, 6, 7, 8], widths: ['25%', '15%', '14%', '10%', '6%', '7%', '7%', '9%', '7%'] },
)}
</section>`);
  }

  parts.push(`<h2 id="gaps">Evidence gaps</h2>`);
  parts.push(table(['day', 'kind', 'accounts without a run'], p.gaps.map((g) => [day(g.day), g.kind === 'no-run' ? status('GAP') : 'partial', g.missing.map(esc).join(', ')]), { file: 'csv/gaps.csv', widths: ['18%', '12%', '70%'] }));

  parts.push(`<h2 id="runs">Run log</h2>`);
  parts.push(
    table(
      ['#', 'gathered (UTC)', 'run id', 'accounts', 'evidence', 'FAIL', 'UNKNOWN', 'failed calls', 'rule pack', 'snapshot sha256'],
      p.runs.map((r) => [
        String(r.seq),
        esc(r.collectedAt.replace('T', ' ').slice(0, 16)),
        `<span class="mono">${esc(r.runId)}</span>`,
        esc(r.scope.accounts.map((a) => `${a.provider}:${a.id}`).join(', ')),
        r.complete ? 'complete' : status('UNKNOWN').replace('UNKNOWN', 'incomplete'),
        String(r.findings.FAIL),
        String(r.findings.UNKNOWN),
        String(r.gaps.length),
        `<span class="mono">${esc(r.rulePack)}</span>`,
        `<span class="mono">${esc(r.snapshotSha256.slice(0, 16))}…</span>`,
      ]),
      { num: [0, 5, 6, 7], file: 'csv/runs.csv', widths: ['5%', '12%', '15%', '18%', '9%', '6%', '8%', '7%', '9%', '11%'] },
    ),
  );

  parts.push(`<h2 id="failures">Exceptions: failures in the period</h2>
<p>Every failure open at some time in the period, with when it was found and when it was seen fixed. "not seen" means the finding stopped appearing (resource deleted, or not listed) without being seen passing.</p>`);
  parts.push(
    table(
      ['severity', 'rule', 'resource', 'criteria', 'found', 'ended', 'resolution', 'days', 'muted'],
      p.failures.map((f) => [esc(f.severity), `<code>${esc(f.ruleId)}</code>`, `<span class="mono">${esc(f.resourceId)}</span>`, esc(f.criteria.join(', ')), day(f.found), day(f.ended), esc(f.resolution), String(f.days), f.muted ? 'yes' : '']),
      { num: [7], file: 'csv/failures.csv', widths: ['8%', '18%', '24%', '12%', '9%', '9%', '8%', '5%', '7%'] },
    ),
  );

  parts.push(`<h2 id="risks">Exceptions: accepted risks (waivers)</h2>`);
  parts.push(
    table(
      ['reason', 'owner', 'approval', 'expires', 'applied', 'findings', 'criteria', 'expired while failing'],
      p.acceptedRisks.map((r) => [
        esc(r.reason),
        esc(r.owner ?? ''),
        esc(r.approval ?? ''),
        day(r.expires),
        `${day(r.firstApplied)} – ${day(r.lastApplied)}`,
        `${r.findings}${r.unknownFindings ? ` (${r.unknownFindings} UNKNOWN: missing evidence)` : ''}`,
        esc(r.criteria.join(', ')),
        r.expiredWhileFailing ? status('FAIL').replace('FAIL', 'yes') : 'no',
      ]),
      { file: 'csv/accepted-risks.csv', widths: ['24%', '10%', '10%', '10%', '16%', '10%', '10%', '10%'] },
    ),
  );

  parts.push(`<h2 id="rules">Rules in force</h2>`);
  parts.push(
    p.ruleChanges.length
      ? table(['day', 'rule', 'change', 'from version', 'to version'], p.ruleChanges.map((c) => [day(c.day), `<code>${esc(c.ruleId)}</code>`, esc(c.change), `<span class="mono">${esc(c.fromVersion ?? '')}</span>`, `<span class="mono">${esc(c.toVersion ?? '')}</span>`]), { file: 'csv/rule-changes.csv' })
      : '<p>No rule changed during the period.</p>',
  );
  parts.push(
    table(
      ['rule', 'version', 'in force', 'runs', 'severity', 'content sha256'],
      p.rules.map((r) => [`<code>${esc(r.ruleId)}</code>`, `<span class="mono">${esc(r.version)}</span>`, `${day(r.from)} – ${day(r.to)}`, String(r.runs), esc(r.severity), `<span class="mono">${esc(r.contentHash.slice(0, 16))}…</span>`]),
      { num: [3], file: 'csv/rules.csv', widths: ['34%', '13%', '20%', '7%', '9%', '17%'] },
    ),
  );

  parts.push(`<h2 id="manual">Criteria without automated evidence</h2>
<p>No rule maps to these criteria: the auditor needs other evidence (the note says which).</p>`);
  parts.push(table(['criterion', 'title', 'evidence to ask for'], manual.map((c) => [esc(label(c)), esc(c.title), esc(c.manualNote ?? '')]), { widths: ['12%', '38%', '50%'] }));

  parts.push(`<h2 id="verify">Integrity</h2>
<p>Runs ${p.chain.firstSeq ?? '–'} to ${p.chain.lastSeq ?? '–'} of the store's hash chain are in <code>chain/</code>; the chain part starts after <code>${esc(p.chain.startsAfter ?? '–')}</code> and ends at <code>${esc(p.chain.head ?? '–')}</code>. When the pack was made the store's newest run was #${p.chain.storeHead.seq} (<code>${esc(p.chain.storeHead.hash)}</code>).</p>
<p><code>trustscan evidence verify &lt;folder&gt; [--public-key key.pub.pem] [--anchor HASH]</code> checks every file against the manifest, the signature, every run against the chain, every finding, roll-up row and rule against its run's digests, and recomputes the timeline and the samples.</p>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence pack ${esc(p.period.from)} – ${esc(p.period.to)}</title>
<style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}

import type { Finding, Results } from '../core/types';
import { encodeFindings } from './html-data';

/**
 * The HTML report: one self-contained file that works offline (styles, data and the page's script
 * are inlined; a Content-Security-Policy forbids any network access). It shows the scan's
 * completeness, counts and SVG charts, its provenance (run id, snapshot hash, tool and rule pack,
 * scan time, scope per account), a per-account summary, the matrix of any framework the results
 * roll up (SOC 2, benchmarks) with a switch between them, the register of exceptions, and a
 * findings table filterable and sortable by any column. Printing adds every FAIL and UNKNOWN
 * finding. Every number is computed in the page from the embedded results, so the page and the
 * JSON results cannot disagree. All text reaches the page through textContent or escaping.
 */

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Where the results go in the page template. */
const DATA = '\u0000results\u0000';

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
:root { --fail:#c62828; --unknown:#b26a00; --pass:#2e7d32; --muted:#6b6b6b; --manual:#00838f; --bg:#fafafa; --line:#ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: var(--bg); }
header { background: #1f2933; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { opacity: .85; font-size: 13px; }
main { padding: 16px 24px 48px; max-width: 1400px; margin: 0 auto; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
h2 { font-size: 16px; margin: 4px 0 12px; }
.banner { padding: 10px 14px; border-radius: 6px; margin: 12px 0; font-weight: 600; }
.banner.incomplete { background: #fff4e0; border: 1px solid #f0b64a; color: #7a4a00; }
.banner.complete { background: #e8f5e9; border: 1px solid #9ccc9f; color: #1b5e20; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 120px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fff; }
.card .n { font-size: 26px; font-weight: 700; }
.card.FAIL .n { color: var(--fail); } .card.UNKNOWN .n { color: var(--unknown); } .card.PASS .n { color: var(--pass); } .card.MUTED .n { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; }
.charts figure { margin: 0; height: 240px; position: relative; }
.charts figcaption { font-weight: 600; margin-bottom: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f3f4f6; position: sticky; top: 0; }
th.sortable { cursor: pointer; user-select: none; }
th.sortable[aria-sort=ascending]::after { content: " ▲"; } th.sortable[aria-sort=descending]::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.st { font-weight: 700; } .st.FAIL { color: var(--fail); } .st.UNKNOWN { color: var(--unknown); } .st.PASS { color: var(--pass); } .st.MUTED, .st.MANUAL { color: var(--muted); } .st.MANUAL { color: var(--manual); }
.sev { padding: 1px 6px; border-radius: 3px; font-size: 12px; } .sev.critical { background: #b71c1c; color: #fff; } .sev.high { background: #ffcdd2; } .sev.medium { background: #ffe0b2; } .sev.low { background: #e3f2fd; } .sev.info { background: #eee; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 10px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
.filters select, .filters input { font: inherit; padding: 3px 4px; min-width: 130px; }
.small { font-size: 12px; color: #555; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
tr.detail td { background: #fbfbfb; }
tr.finding { cursor: pointer; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
.pager { margin-top: 8px; display: flex; gap: 8px; align-items: center; }
a.crit { color: inherit; }
#soc2:not(.show-manual) tr.manual { display: none; }
.chart { height: 210px; }
#print-findings { display: none; }
#print-findings table { table-layout: fixed; font-size: 9px; }
#print-findings .mono { font-size: 9px; word-break: normal; overflow-wrap: anywhere; }
#print-findings .fp { white-space: nowrap; color: #555; }
#provenance th { width: 16em; background: none; font-weight: 600; }
@media print {
  /* A printout or PDF carries everything an auditor needs: the whole matrix (MANUAL criteria
     included), the register, the scope, and every FAIL and UNKNOWN finding in its own table
     instead of the one page of the interactive table. */
  .filters, .pager, #framework-switch, #toggle-manual, #findings { display: none !important; }
  #charts, figure { break-inside: avoid; }
  #print-findings { display: block; }
  #soc2 tr.manual { display: table-row !important; }
  th { position: static; }
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  section { break-inside: auto; border: none; padding: 0; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;

const APP = String.raw`
(function () {
  'use strict';
  var dataEl = document.getElementById('results-data');
  var D = JSON.parse(dataEl.textContent);
  var R = D.results;
  var INITIAL_FRAMEWORK = dataEl.getAttribute('data-framework') || 'soc2';
  var STATUSES = ['FAIL', 'UNKNOWN', 'PASS', 'MUTED'];
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var PAGE = 200, DAY = 86400000;
  var mark = function (n) { if (window.performance && performance.mark) performance.mark('trustscan:' + n); };
  mark('parsed');

  // The findings: one light object per finding from the embedded columns (html-data.ts). The
  // text that only a finding's detail needs (evidence, suppression, source) stays JSON until opened.
  var COLS = D.columns, N = D.count;
  // A "d" column's indexes: x.w base-36 digits per finding in the string x.i, decoded once.
  var DIGIT = {};
  for (var q = 0; q < 36; q++) DIGIT[q.toString(36).charCodeAt(0)] = q;
  function indexes(x) {
    if (x.ii) return x.ii;
    var s = x.i, w = x.w, out = new Array(N), p = 0;
    for (var n = 0; n < N; n++) {
      var v = 0;
      for (var k = 0; k < w; k++) v = v * 36 + DIGIT[s.charCodeAt(p++)];
      out[n] = v;
    }
    return (x.ii = out);
  }
  function column(c) {
    var x = COLS[c];
    if (x.v) return x.v;
    var out = new Array(N), d = x.d, i = indexes(x);
    for (var n = 0; n < N; n++) out[n] = d[i[n]];
    return out;
  }
  var cStatus = column('status'), cSeverity = column('severity'), cRule = column('ruleId'), cTitle = column('title'), cId = column('resource.id'),
    cType = column('resource.type'), cProvider = column('resource.provider'), cAccount = column('resource.account'), cRegion = column('resource.region'), cName = column('resource.name'),
    cMessage = column('message'), cFingerprint = column('fingerprint'), cSoc2 = column('soc2'), cFw = column('frameworks');
  var findings = new Array(N);
  for (var n = 0; n < N; n++) {
    var type = cType[n], dot = type.split('.');
    findings[n] = {
      n: n, status: cStatus[n], severity: cSeverity[n], ruleId: cRule[n], title: cTitle[n], id: cId[n], type: type, provider: cProvider[n], service: dot.length > 1 ? dot[1] : dot[0],
      account: cAccount[n], region: cRegion[n], name: cName[n] || '', message: messageOf(cMessage[n], cName[n]), fingerprint: cFingerprint[n], soc2: cSoc2[n], fw: cFw[n]
    };
  }
  // Messages are embedded as templates naming their resource (html-data.ts, messageOf).
  function messageOf(t, name) {
    if (t.charAt(0) === '\u0002') return t.slice(1).split('\u0001').join(name || '');
    return t.charAt(0) === '\u0003' ? t.slice(1) : t;
  }
  function field(f, c) { var x = COLS[c], t = x.v ? x.v[f.n] : x.d[indexes(x)[f.n]]; return t === null ? undefined : t; }
  function jsonField(f, c) { var t = field(f, c); return t === undefined ? undefined : JSON.parse(t); }
  var parsed = {};
  function parsedString(t) { return t === null || t === undefined ? undefined : (parsed[t] || (parsed[t] = JSON.parse(t))); }
  mark('decoded');

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) { if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c); });
    return e;
  }
  function where(f) { var s = jsonField(f, 'resource.source'); return s && s.file ? s.file + (s.line ? ':' + s.line : '') : f.account + '/' + f.region; }
  function accountName(id) { var a = (R.scan.snapshot.accounts || []).filter(function (x) { return x.id === id; })[0]; return a && a.name ? a.name : ''; }
  function row(cells, attrs) { return el('tr', attrs, cells.map(function (c) { return Array.isArray(c) ? el('td', c[1], [c[0]]) : el('td', null, [c === undefined || c === null ? '' : c]); })); }

  // Summary cards
  var cards = $('cards');
  STATUSES.forEach(function (s) {
    cards.appendChild(el('div', { 'class': 'card ' + s }, [el('div', { 'class': 'n', 'data-testid': 'count-' + s }, [R.summary.byStatus[s]]), el('div', null, [s + ' findings'])]));
  });
  // The framework whose roll-up the cards, the matrix and the criteria column show: a switch over
  // every roll-up the results carry (SOC 2, benchmarks, any other framework).
  var FW_IDS = Object.keys(R.frameworks);
  var fwId = R.frameworks[INITIAL_FRAMEWORK] ? INITIAL_FRAMEWORK : (R.frameworks.soc2 ? 'soc2' : FW_IDS[0]);
  function fwName(id) { return id === 'soc2' ? 'SOC 2' : R.frameworks[id].framework.title + ' ' + R.frameworks[id].framework.version; }
  function criteriaOf(f) { if (fwId === 'soc2') return parsedString(f.soc2) || []; var m = parsedString(f.fw); return (m && m[fwId]) || []; }
  var controlCards = {};
  ['FAIL', 'UNKNOWN', 'PASS', 'MANUAL'].forEach(function (s) {
    var n = el('div', { 'class': 'n st ' + s, 'data-testid': 'controls-' + s }, ['']);
    var label = el('div', null, ['']);
    controlCards[s] = { n: n, label: label };
    cards.appendChild(el('div', { 'class': 'card' }, [n, label]));
  });

  // Provenance: what was scanned, by what, when, and how completely.
  var scan = R.scan, snap = scan.snapshot;
  var prov = $('provenance-body');
  function fact(label, value, key) { prov.appendChild(el('tr', { 'data-fact': key }, [el('th', { scope: 'row' }, [label]), el('td', { 'class': 'mono' }, [value])])); }
  fact('Run id', scan.runId || 'not recorded (results written before run ids)', 'run-id');
  fact('Snapshot SHA-256', snap.sha256 || 'not recorded', 'snapshot-sha256');
  if (snap.file) fact('Snapshot file', snap.file, 'snapshot-file');
  // Snapshots from files, infrastructure code or older collectors carry no identity: say so.
  var who = (snap.collectedBy || []).map(function (i) { return i.provider + ': ' + i.principal + (i.via ? ' (' + i.via + ')' : ''); });
  fact('Scanning identity', who.length ? who.join('; ') : 'not recorded in the snapshot (written by hand, from infrastructure code, or by a collector before trustscan recorded it)', 'identity');
  if (snap.description) fact('How the snapshot was made', snap.description, 'description');
  fact('Collected by', snap.tool.name + ' ' + snap.tool.version + ', ' + snap.startedAt + ' to ' + snap.finishedAt, 'collected');
  fact('Evaluated by', scan.tool.name + ' ' + scan.tool.version + ' at ' + scan.evaluatedAt, 'tool');
  fact('Scan time (dates measured from)', scan.scanTime, 'scan-time');
  fact('Rule pack', scan.rules.count + ' rules, pack version ' + scan.rules.packVersion + ' (hash of every rule id and rule content version: the catalog in force)', 'rule-pack');
  fact('Frameworks', FW_IDS.map(function (id) { return fwName(id); }).join(', '), 'frameworks');
  fact('Providers', (snap.providers || []).join(', ') || '-', 'providers');
  var scope = $('scope-body');
  (scan.accounts || []).forEach(function (a) {
    var f = a.findings;
    scope.appendChild(row([a.provider, [a.account, { 'class': 'mono' }], accountName(a.account), [a.resources, { 'class': 'num' }], [f.FAIL + f.UNKNOWN + f.PASS + f.MUTED, { 'class': 'num' }], [a.gaps, { 'class': 'num' }],
      [a.complete ? 'complete' : 'INCOMPLETE', { 'class': 'st ' + (a.complete ? 'PASS' : 'UNKNOWN'), 'data-col': 'complete' }]], { 'data-account': a.account }));
  });

  // Completeness
  var gaps = scan.gaps;
  var gapBody = $('gaps-body');
  gaps.forEach(function (g) {
    gapBody.appendChild(row([g.account, g.region, g.service + ':' + g.operation, [g.outcome, { 'class': 'st UNKNOWN' }], [g.message || '', { 'class': 'small' }], [g.rules.join(', '), { 'class': 'small' }]]));
  });
  if (!gaps.length) $('gaps').hidden = true;

  // Per-account summary
  var accounts = D.accountCounts || {};
  if (!D.accountCounts) findings.forEach(function (f) {
    var a = accounts[f.account] || (accounts[f.account] = { FAIL: 0, UNKNOWN: 0, PASS: 0, MUTED: 0, resources: {} });
    a[f.status]++;
    a.resources[f.id] = 1;
  });
  var accountIds = Object.keys(accounts).sort();
  var accBody = $('accounts-body');
  accountIds.forEach(function (id) {
    var a = accounts[id];
    var bad = gaps.filter(function (g) { return g.account === id; }).length;
    accBody.appendChild(el('tr', { 'data-account': id }, [
      el('td', { 'class': 'mono' }, [id]), el('td', null, [accountName(id)]),
      el('td', { 'class': 'num', 'data-col': 'resources' }, [typeof a.resources === 'number' ? a.resources : Object.keys(a.resources).length]),
      el('td', { 'class': 'num st FAIL', 'data-col': 'FAIL' }, [a.FAIL]), el('td', { 'class': 'num st UNKNOWN', 'data-col': 'UNKNOWN' }, [a.UNKNOWN]),
      el('td', { 'class': 'num', 'data-col': 'PASS' }, [a.PASS]), el('td', { 'class': 'num', 'data-col': 'MUTED' }, [a.MUTED]),
      el('td', { 'class': 'num', 'data-col': 'gaps' }, [bad])
    ]));
  });

  // Framework matrix
  var ctlBody = $('controls-body');
  function renderMatrix() {
    var rollup = R.frameworks[fwId];
    ['FAIL', 'UNKNOWN', 'PASS', 'MANUAL'].forEach(function (s) {
      controlCards[s].n.textContent = String(rollup.summary[s]);
      controlCards[s].label.textContent = fwName(fwId) + ' criteria ' + s;
    });
    $('framework-title').textContent = rollup.framework.title + ' (' + rollup.framework.version + ')';
    var rowsOut = document.createDocumentFragment();
    rollup.controls.forEach(function (c) {
      var crit = el('a', { href: '#findings', 'class': 'crit', 'data-criterion': c.id }, [c.id]);
      crit.addEventListener('click', function () { $('f-criterion').value = c.id; $('f-status').value = ''; refresh(); });
      var ex = el('div', { 'class': 'small' }, c.exceptions.map(function (e) {
        return el('div', null, ['Exception: ' + e.ruleId + ' on ' + e.resourceId + ' — ' + e.reason + ' (owner ' + (e.owner || '-') + ', expires ' + e.expires + (e.ticket ? ', ' + e.ticket : '') + ')']);
      }));
      rowsOut.appendChild(el('tr', c.status === 'MANUAL' ? { 'data-criterion': c.id, 'class': 'manual' } : { 'data-criterion': c.id }, [
        el('td', null, [crit]), el('td', { 'class': 'small' }, [c.category]),
        el('td', null, [c.title, el('div', { 'class': 'small' }, [c.note])]),
        el('td', { 'class': 'st ' + c.status, 'data-col': 'status' }, [c.status]),
        el('td', { 'class': 'num', 'data-col': 'PASS' }, [c.counts.PASS]), el('td', { 'class': 'num', 'data-col': 'FAIL' }, [c.counts.FAIL]),
        el('td', { 'class': 'num', 'data-col': 'UNKNOWN' }, [c.counts.UNKNOWN]), el('td', { 'class': 'num', 'data-col': 'MUTED' }, [c.counts.MUTED]),
        el('td', { 'class': 'small mono' }, [c.rules.join(', '), ex])
      ]));
    });
    ctlBody.textContent = '';
    ctlBody.appendChild(rowsOut);
    // MANUAL criteria (no automated evidence) are collapsed: one click shows them.
    var manual = rollup.summary.MANUAL || 0;
    $('toggle-manual').hidden = manual === 0;
    $('toggle-manual').textContent = ($('soc2').classList.contains('show-manual') ? 'Hide the ' : 'Show the ') + manual + ' MANUAL criteria';
    var crit = $('f-criterion');
    while (crit.options.length > 1) crit.remove(1);
    $('f-criterion-label').firstChild.textContent = fwName(fwId) + ' criterion';
    fill('f-criterion', rollup.controls.filter(function (c) { return c.rules.length; }).map(function (c) { return c.id; }));
  }
  var fwSelect = $('f-framework');
  FW_IDS.forEach(function (id) { fwSelect.appendChild(el('option', { value: id }, [fwName(id)])); });
  fwSelect.value = fwId;
  if (FW_IDS.length < 2) $('framework-switch').hidden = true;
  $('toggle-manual').addEventListener('click', function () { $('soc2').classList.toggle('show-manual'); renderMatrix(); });
  fwSelect.addEventListener('change', function () { fwId = fwSelect.value; $('f-criterion').value = ''; renderMatrix(); refresh(); });

  // The register of exceptions: every suppression entry in force at the scan time, with the
  // findings it muted and the days it has left, and the expired ones flagged. Results that predate
  // scan.suppressions.active give the register from the muted findings and the unused entries.
  var sup = scan.suppressions;
  var register = [];
  if (sup) {
    if (sup.active) register = sup.active.map(function (e) { return { e: e, state: e.muted ? 'active' : 'unused', muted: e.muted }; });
    else {
      var seen = {};
      findings.forEach(function (f) {
        if (f.status !== 'MUTED') return;
        var s = jsonField(f, 'suppression');
        var key = [s.source, s.reason, s.expires, s.owner, s.ticket].join('\u0000');
        if (seen[key]) { seen[key].muted++; return; }
        register.push(seen[key] = { e: s, state: 'active', muted: 1 });
      });
      sup.unused.forEach(function (e) { register.push({ e: e, state: 'unused', muted: 0 }); });
    }
    sup.expired.forEach(function (e) { register.push({ e: e, state: 'expired', muted: 0 }); });
  }
  var scanDay = Date.parse(scan.scanTime.slice(0, 10) + 'T00:00:00Z');
  function daysLeft(expires) { return Math.round((Date.parse(expires + 'T00:00:00Z') - scanDay) / DAY); }
  var today = Date.now();
  var regBody = $('register-body');
  register.sort(function (a, b) { return (a.state === 'expired' ? 0 : 1) - (b.state === 'expired' ? 0 : 1) || cmp(a.e.expires, b.e.expires); });
  register.forEach(function (x) {
    var e = x.e, left = daysLeft(e.expires), st = x.state === 'expired' ? 'EXPIRED' : left <= 30 ? 'EXPIRES SOON' : x.state === 'unused' ? 'IN FORCE, MATCHED NOTHING' : 'IN FORCE';
    var since = x.state !== 'expired' && Date.parse(e.expires + 'T00:00:00Z') + DAY <= today ? ' (expired since the scan)' : '';
    regBody.appendChild(row([
      [st + since, { 'class': 'st ' + (x.state === 'expired' ? 'FAIL' : left <= 30 ? 'UNKNOWN' : 'PASS'), 'data-col': 'state' }],
      [e.owner || 'no owner', { 'data-col': 'owner' }], [e.reason, { 'data-col': 'reason' }], [e.ticket || 'none recorded', { 'data-col': 'approval' }],
      [e.expires, { 'data-col': 'expires' }], [left, { 'class': 'num', 'data-col': 'days-left' }], [x.muted, { 'class': 'num', 'data-col': 'muted' }],
      [e.match ? JSON.stringify(e.match) : '', { 'class': 'small mono' }], [e.source || '', { 'class': 'small mono', 'data-col': 'source' }]
    ], { 'class': 'exception ' + x.state }));
  });
  if (sup) { $('suppressions').hidden = false; $('sup-muted').textContent = String(sup.muted); }

  // Filters
  function fill(id, values) {
    var s = $(id);
    values.forEach(function (v) { s.appendChild(el('option', { value: v }, [v])); });
  }
  fill('f-status', STATUSES);
  fill('f-severity', SEVERITIES);
  var providers = {};
  findings.forEach(function (f) { providers[f.provider] = 1; });
  fill('f-provider', Object.keys(providers).sort());
  fill('f-account', accountIds);
  var services = {};
  findings.forEach(function (f) { services[f.service] = 1; });
  fill('f-service', Object.keys(services).sort());
  renderMatrix();
  var sortKey = 'status', sortDir = 1, page = 0, current = [];
  var rank = { FAIL: 0, UNKNOWN: 1, MUTED: 2, PASS: 3, critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  var keys = {
    status: function (f) { return rank[f.status]; }, severity: function (f) { return rank[f.severity]; },
    rule: function (f) { return f.ruleId; }, resource: function (f) { return f.name || f.id; },
    account: function (f) { return f.account; }, region: function (f) { return f.region; },
    service: function (f) { return f.service; }, soc2: function (f) { return criteriaOf(f).join(' '); }
  };
  function cmp(x, y) { return x < y ? -1 : x > y ? 1 : 0; }
  function refresh() {
    // The filter values are read once, not once per finding.
    var s = $('f-status').value, v = $('f-severity').value, p = $('f-provider').value, a = $('f-account').value, sv = $('f-service').value, c = $('f-criterion').value, q = $('f-text').value.toLowerCase();
    current = findings.filter(function (f) {
      if (s && f.status !== s) return false;
      if (v && f.severity !== v) return false;
      if (p && f.provider !== p) return false;
      if (a && f.account !== a) return false;
      if (sv && f.service !== sv) return false;
      if (c && criteriaOf(f).indexOf(c) === -1) return false;
      if (q && (f.hay || (f.hay = (f.ruleId + ' ' + f.title + ' ' + f.id + ' ' + f.name + ' ' + f.message).toLowerCase())).indexOf(q) === -1) return false;
      return true;
    });
    var key = keys[sortKey];
    current.sort(function (a, b) { return sortDir * cmp(key(a), key(b)) || cmp(rank[a.status], rank[b.status]) || cmp(rank[a.severity], rank[b.severity]) || cmp(a.ruleId, b.ruleId) || cmp(a.id, b.id); });
    page = 0;
    render();
  }
  function detail(f) {
    var parts = [el('div', null, [f.message]), el('div', { 'class': 'small' }, ['Remediation: ' + field(f, 'remediation')])];
    var unknown = jsonField(f, 'unknownReasons'), s = jsonField(f, 'suppression');
    if (unknown) parts.push(el('div', { 'class': 'small' }, ['Missing: ' + unknown.join('; ')]));
    if (s) parts.push(el('div', { 'class': 'small' }, ['Muted (was ' + s.originalStatus + '): ' + s.reason + ', owner ' + (s.owner || '-') + ', expires ' + s.expires]));
    parts.push(el('div', { 'class': 'small mono' }, ['Resource: ' + f.id + ' · fingerprint ' + f.fingerprint]));
    parts.push(el('pre', { 'class': 'mono' }, [JSON.stringify(jsonField(f, 'evidence'), null, 2)]));
    return el('tr', { 'class': 'detail' }, [el('td', { colspan: '8' }, parts)]);
  }
  function findingRow(f) {
    return el('tr', { 'class': 'finding', 'data-status': f.status, 'data-fingerprint': f.fingerprint }, [
      el('td', { 'class': 'st ' + f.status }, [f.status]), el('td', null, [el('span', { 'class': 'sev ' + f.severity }, [f.severity])]),
      el('td', { 'class': 'mono' }, [f.ruleId]), el('td', null, [f.name || f.id, el('div', { 'class': 'small' }, [f.type])]),
      el('td', { 'class': 'mono' }, [f.account]), el('td', null, [f.region]), el('td', null, [f.service]), el('td', { 'class': 'small' }, [criteriaOf(f).join(' ')])
    ]);
  }
  // Only one page of rows is in the document: the DOM stays small whatever the number of findings.
  function render() {
    var body = $('findings-body');
    var start = page * PAGE, rows = current.slice(start, start + PAGE), out = document.createDocumentFragment();
    rows.forEach(function (f) {
      var tr = findingRow(f);
      tr.title = where(f);
      var open = null;
      tr.addEventListener('click', function () { if (open) { open.remove(); open = null; } else { open = detail(f); tr.after(open); } });
      out.appendChild(tr);
    });
    body.textContent = '';
    body.appendChild(out);
    $('match-count').textContent = String(current.length);
    $('page-info').textContent = current.length ? (start + 1) + '–' + (start + rows.length) + ' of ' + current.length : 'no findings match';
    $('prev').disabled = page === 0;
    $('next').disabled = start + PAGE >= current.length;
  }
  ['f-status', 'f-severity', 'f-provider', 'f-account', 'f-service', 'f-criterion'].forEach(function (id) { $(id).addEventListener('change', refresh); });
  $('f-text').addEventListener('input', refresh);
  $('reset').addEventListener('click', function () { ['f-status', 'f-severity', 'f-provider', 'f-account', 'f-service', 'f-criterion', 'f-text'].forEach(function (id) { $(id).value = ''; }); refresh(); });
  $('prev').addEventListener('click', function () { page--; render(); });
  $('next').addEventListener('click', function () { page++; render(); });
  Array.prototype.forEach.call(document.querySelectorAll('th.sortable'), function (th) {
    th.addEventListener('click', function () {
      var k = th.getAttribute('data-sort');
      sortDir = sortKey === k ? -sortDir : 1;
      sortKey = k;
      Array.prototype.forEach.call(document.querySelectorAll('th.sortable'), function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
      refresh();
    });
  });
  mark('sections');
  // Non-PASS findings first: what needs attention.
  $('f-status').value = R.summary.byStatus.FAIL ? 'FAIL' : '';
  refresh();
  mark('table');

  // Printing: the on-screen table shows one page of the filtered findings, so a printout (or a
  // PDF) gets its own table of every FAIL and UNKNOWN finding, worst first, built when the browser
  // prepares to print (not at load: it can be tens of thousands of rows).
  function buildPrintTable() {
    var body = $('print-body');
    if (body.getAttribute('data-built') === 'true') return;
    var worst = findings.filter(function (f) { return f.status === 'FAIL' || f.status === 'UNKNOWN'; });
    worst.sort(function (a, b) { return cmp(rank[a.status], rank[b.status]) || cmp(rank[a.severity], rank[b.severity]) || cmp(a.ruleId, b.ruleId) || cmp(a.id, b.id); });
    var out = document.createDocumentFragment();
    worst.forEach(function (f) {
      out.appendChild(el('tr', null, [el('td', { 'class': 'st ' + f.status }, [f.status, el('div', null, [f.severity])]), el('td', { 'class': 'mono' }, [f.ruleId]),
        el('td', { 'class': 'mono' }, [f.id, el('div', { 'class': 'fp' }, [f.fingerprint])]), el('td', { 'class': 'mono' }, [f.account, el('div', null, [f.region])]), el('td', null, [f.message])]));
    });
    body.appendChild(out);
    $('print-count').textContent = String(worst.length);
    body.setAttribute('data-built', 'true');
  }
  window.addEventListener('beforeprint', buildPrintTable);
  if (window.matchMedia) { var mq = window.matchMedia('print'); if (mq.addListener) mq.addListener(function (e) { if (e.matches) buildPrintTable(); }); }

  // Charts: a few inline SVG bar charts drawn from the counts (no charting library to load).
  var colors = { FAIL: '#c62828', UNKNOWN: '#e09b2d', PASS: '#2e7d32', MUTED: '#9e9e9e' };
  function svgText(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'); }
  function bars(id, labels, series) {
    var W = 320, H = 170, left = 34, bw = (W - left) / Math.max(1, labels.length);
    var totals = labels.map(function (_, i) { return series.reduce(function (n, s) { return n + (s.values[i] || 0); }, 0); });
    var max = Math.max(1, Math.max.apply(null, totals));
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + W + ' ' + (H + 40) + '" width="100%" height="100%" role="img" aria-label="' + svgText($(id).getAttribute('aria-label')) + '">'];
    out.push('<line x1="' + left + '" y1="' + H + '" x2="' + W + '" y2="' + H + '" stroke="#999"/>');
    out.push('<text x="' + (left - 4) + '" y="14" font-size="10" text-anchor="end">' + max + '</text><text x="' + (left - 4) + '" y="' + H + '" font-size="10" text-anchor="end">0</text>');
    labels.forEach(function (label, i) {
      var x = left + i * bw + bw * 0.15, w = bw * 0.7, y = H;
      series.forEach(function (s) {
        var v = s.values[i] || 0;
        if (!v) return;
        var h = (v / max) * (H - 10);
        y -= h;
        out.push('<rect x="' + x.toFixed(1) + '" y="' + y.toFixed(1) + '" width="' + w.toFixed(1) + '" height="' + h.toFixed(1) + '" fill="' + (s.colors ? s.colors[i] : s.color) + '"><title>' + svgText(label + ': ' + v + ' ' + s.label) + '</title></rect>');
      });
      out.push('<text x="' + (x + w / 2).toFixed(1) + '" y="' + (H + 14) + '" font-size="10" text-anchor="middle">' + svgText(label.length > 16 ? label.slice(0, 15) + '…' : label) + '</text>');
    });
    if (series.length > 1) series.forEach(function (s, i) {
      out.push('<rect x="' + (left + i * 70) + '" y="' + (H + 26) + '" width="10" height="10" fill="' + s.color + '"/><text x="' + (left + i * 70 + 14) + '" y="' + (H + 35) + '" font-size="10">' + svgText(s.label) + '</text>');
    });
    out.push('</svg>');
    $(id).innerHTML = out.join('');
  }
  bars('chart-status', STATUSES, [{ label: 'findings', colors: STATUSES.map(function (s) { return colors[s]; }), values: STATUSES.map(function (s) { return R.summary.byStatus[s]; }) }]);
  bars('chart-severity', SEVERITIES, [{ label: 'failing', color: '#c62828', values: SEVERITIES.map(function (s) { return R.summary.failBySeverity[s]; }) }]);
  bars('chart-accounts', accountIds.map(function (id) { return accountName(id) || id; }), STATUSES.map(function (s) { return { label: s, color: colors[s], values: accountIds.map(function (id) { return accounts[id][s]; }) }; }));
  mark('ready');
  document.body.setAttribute('data-ready', 'true');
})();
`;
/**
 * Past this many findings the report embeds only the failing, unknown and muted ones, worst
 * first, up to this many, with per-account counts computed here: a page embedding a million
 * findings (over a gigabyte) is one no browser opens. The machine formats keep every finding.
 */
export const HTML_MAX_FINDINGS = 50_000;

const RANK: Record<string, number> = { FAIL: 0, UNKNOWN: 1, MUTED: 2, PASS: 3, critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** The findings the page embeds, and per-account counts when it cannot embed them all. */
function summarise(results: Results): { findings: Finding[]; accountCounts?: Record<string, Record<string, number>> } {
  if (results.findings.length <= HTML_MAX_FINDINGS) return { findings: results.findings };
  const accountCounts: Record<string, Record<string, number>> = {};
  const resources = new Map<string, Set<string>>();
  for (const f of results.findings) {
    const a = (accountCounts[f.resource.account] ??= { FAIL: 0, UNKNOWN: 0, PASS: 0, MUTED: 0, resources: 0 });
    a[f.status]++;
    let ids = resources.get(f.resource.account);
    if (!ids) resources.set(f.resource.account, (ids = new Set()));
    ids.add(f.resource.id);
  }
  for (const [account, ids] of resources) accountCounts[account].resources = ids.size;
  const findings = results.findings
    .filter((f) => f.status !== 'PASS')
    .sort((a, b) => RANK[a.status] - RANK[b.status] || RANK[a.severity] - RANK[b.severity])
    .slice(0, HTML_MAX_FINDINGS);
  return { findings, accountCounts };
}

/** The report in chunks: the embedded findings are written one by one, so a huge scan never becomes one string. */
export function* renderHtmlChunks(results: Results, opts: { framework?: string } = {}): Generator<string, void, void> {
  const scan = results.scan;
  const shown = summarise(results);
  const summarised = shown.accountCounts
    ? `<div class="banner incomplete" data-testid="summarised">This report embeds ${shown.findings.length.toLocaleString('en-US')} of ${results.findings.length.toLocaleString('en-US')} findings (the failing, unknown and muted ones, worst first): past ${HTML_MAX_FINDINGS.toLocaleString('en-US')} findings a browser cannot open the page. Counts, charts and the SOC 2 matrix cover every finding; the findings themselves are all in the machine formats (--format json, ndjson or csv).</div>`
    : '';
  const title = `trustscan report — ${scan.scanTime}`;
  const accounts = scan.snapshot.accounts.map((a) => (a.name ? `${a.name} (${a.id})` : a.id)).join(', ');
  const banner = scan.complete
    ? `<div class="banner complete" data-testid="completeness">Evaluation complete: every rule could be evaluated.</div>`
    : `<div class="banner incomplete" data-testid="completeness">Evaluation INCOMPLETE: ${results.summary.byStatus.UNKNOWN} finding(s) could not be evaluated because ${scan.gaps.length} API operation(s) failed. Nothing is reported as passing without evidence.</div>`;
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>trustscan report</h1>
  <div class="meta">trustscan ${esc(scan.tool.version)} · scan time ${esc(scan.scanTime)} · ${scan.resources} resources · ${scan.rules.count} rules (pack ${esc(scan.rules.packVersion)}) · accounts: ${esc(accounts || '-')}${scan.snapshot.file ? ` · snapshot ${esc(scan.snapshot.file)}` : ''}</div>
</header>
<main>
${banner}
${summarised}
<section id="summary"><h2>Summary</h2><div class="cards" id="cards"></div></section>
<section id="provenance"><h2>Provenance and scope</h2>
<table><tbody id="provenance-body"></tbody></table>
<h3 class="small">Scope: accounts, projects and subscriptions scanned</h3>
<table><thead><tr><th>Provider</th><th>Account / project / subscription</th><th>Name</th><th class="num">Resources</th><th class="num">Findings</th><th class="num">Failed API operations</th><th>Evaluation</th></tr></thead><tbody id="scope-body"></tbody></table></section>
<section id="charts"><h2>Charts</h2><div class="charts">
  <figure><figcaption>Findings by status</figcaption><div style="height:210px"><div id="chart-status" class="chart" aria-label="Findings by status" role="img"></div></div></figure>
  <figure><figcaption>Failing findings by severity</figcaption><div style="height:210px"><div id="chart-severity" class="chart" aria-label="Failing findings by severity" role="img"></div></div></figure>
  <figure><figcaption>Findings per account</figcaption><div style="height:210px"><div id="chart-accounts" class="chart" aria-label="Findings per account" role="img"></div></div></figure>
</div></section>
<section id="gaps"><h2>Scan completeness: failed API operations</h2>
<table><thead><tr><th>Account</th><th>Region</th><th>Operation</th><th>Outcome</th><th>Message</th><th>Rules affected</th></tr></thead><tbody id="gaps-body"></tbody></table></section>
<section id="accounts"><h2>Per account</h2>
<table><thead><tr><th>Account</th><th>Name</th><th class="num">Resources with findings</th><th class="num">Fail</th><th class="num">Unknown</th><th class="num">Pass</th><th class="num">Muted</th><th class="num">Failed API operations</th></tr></thead><tbody id="accounts-body"></tbody></table></section>
<section id="soc2"><h2 id="framework-title">SOC 2 Trust Services Criteria</h2>
<p id="framework-switch"><label>Framework <select id="f-framework"></select></label></p>
<p class="small">FAIL: a mapped finding failed · UNKNOWN: nothing failed but evidence is incomplete · PASS: every mapped finding passed on a complete evaluation · MANUAL: no automated evidence, the auditor needs other evidence. Click a criterion to see its findings.</p>
<p><button type="button" id="toggle-manual" data-testid="toggle-manual"></button></p>
<table><thead><tr><th>Criterion</th><th>Category</th><th>Title</th><th>Status</th><th class="num">Pass</th><th class="num">Fail</th><th class="num">Unknown</th><th class="num">Muted</th><th>Rules / exceptions</th></tr></thead><tbody id="controls-body"></tbody></table></section>
<section id="suppressions" hidden><h2>Register of exceptions</h2><p class="small"><span id="sup-muted">0</span> finding(s) muted. Every suppression entry in force at the scan time, and the expired ones (which no longer mute anything). Days left are counted from the scan date; an entry applies through its expiry date.</p>
<table><thead><tr><th>State</th><th>Owner</th><th>Reason</th><th>Approval / ticket</th><th>Expires</th><th class="num">Days left</th><th class="num">Findings muted</th><th>Matches</th><th>Defined in</th></tr></thead><tbody id="register-body"></tbody></table></section>
<section id="findings"><h2>Findings (<span id="match-count">0</span> shown of ${results.findings.length})</h2>
<div class="filters">
  <label>Status<select id="f-status"><option value="">all</option></select></label>
  <label>Severity<select id="f-severity"><option value="">all</option></select></label>
  <label>Provider<select id="f-provider"><option value="">all</option></select></label>
  <label>Account<select id="f-account"><option value="">all</option></select></label>
  <label>Service<select id="f-service"><option value="">all</option></select></label>
  <label id="f-criterion-label">SOC 2 criterion<select id="f-criterion"><option value="">all</option></select></label>
  <label>Search<input id="f-text" type="search" placeholder="rule, resource, message"></label>
  <button id="reset" type="button">Reset</button>
</div>
<table><thead><tr>
  <th class="sortable" data-sort="status" aria-sort="ascending">Status</th><th class="sortable" data-sort="severity">Severity</th><th class="sortable" data-sort="rule">Rule</th>
  <th class="sortable" data-sort="resource">Resource</th><th class="sortable" data-sort="account">Account</th><th class="sortable" data-sort="region">Region</th>
  <th class="sortable" data-sort="service">Service</th><th class="sortable" data-sort="soc2">Criteria</th>
</tr></thead><tbody id="findings-body"></tbody></table>
<div class="pager"><button id="prev" type="button">Previous</button><span id="page-info" class="small"></span><button id="next" type="button">Next</button></div>
</section>
<section id="print-findings"><h2>Every failing and unknown finding (<span id="print-count">0</span>)</h2>
<table><colgroup><col style="width:9%"><col style="width:20%"><col style="width:31%"><col style="width:12%"><col></colgroup>
<thead><tr><th>Status</th><th>Rule</th><th>Resource / fingerprint</th><th>Account / region</th><th>Message</th></tr></thead><tbody id="print-body"></tbody></table></section>
</main>
<script id="results-data" type="application/json" data-framework="${esc(opts.framework ?? 'soc2')}">${DATA}</script>
<script>${APP}</script>
</body>
</html>
`;
  const at = page.indexOf(DATA);
  yield page.slice(0, at);
  // {"results": the results without findings, "accountCounts"?, "count", "columns"}: see html-data.ts.
  yield `{"results":${scriptJson({ ...results, findings: [] })},${shown.accountCounts ? `"accountCounts":${scriptJson(shown.accountCounts)},` : ''}`;
  yield* encodeFindings(shown.findings, scriptJson);
  yield '}';
  yield page.slice(at + DATA.length);
}

export function renderHtml(results: Results, opts: { framework?: string } = {}): string {
  return [...renderHtmlChunks(results, opts)].join('');
}

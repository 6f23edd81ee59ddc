import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import type { Snapshot } from '../../src/core/types';
import { renderCsv } from '../../src/report/csv';
import { Gate } from '../../src/report/gate';
import { renderJunit } from '../../src/report/junit';
import { mdCell, renderMarkdown, WorstFindings } from '../../src/report/markdown';
import { colorsFor } from '../../src/report/style';
import { renderTable } from '../../src/report/table';
import { visible } from '../../src/report/visible';
import { demoResults, demoSnapshot, WAIVER } from './fixtures';

/** Names and tags that try to drive a terminal or inject Markdown, in every human-readable format. */

const ESC = '\u001b';
const HOSTILE = [
  `${ESC}]0;pwned${ESC}\\`, // retitle the terminal
  `${ESC}[2J${ESC}[H`, // clear the screen
  `${ESC}[32mALL CHECKS PASSED${ESC}[0m`, // print a fake verdict in green
  `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, // plant a hyperlink
  '\u009b31m', // a one-byte CSI (C1)
  '\u202eevil\u202c', // reorder the text shown
  '\r# heading', // overwrite the line, start a heading
  '| x | y |',
  '[link](https://evil.example) ![img](https://evil.example/x.png) <img src=x onerror=alert(1)> **bold** `code`',
].join(' ');

function hostileSnapshot(): Snapshot {
  const snap = demoSnapshot();
  for (const r of snap.resources) {
    if (r.type !== 'aws.s3.bucket') continue;
    r.name = `${r.name} ${HOSTILE}`;
    r.tags = { ...(r.tags ?? {}), note: HOSTILE };
  }
  return snap;
}

// eslint-disable-next-line no-control-regex -- detecting control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('hostile names in human-readable formats', () => {
  const results = demoResults([{ ...WAIVER, reason: `accepted ${HOSTILE}` }], hostileSnapshot());
  const named = results.findings.filter((f) => f.resource.name?.includes('ALL CHECKS'));

  it('the fixture has findings carrying the hostile name', () => {
    expect(named.length).toBeGreaterThan(5);
  });

  it('the terminal table shows control characters as escapes (without colours: no escape at all)', () => {
    const text = renderTable(results, { colors: colorsFor(false, {}), width: 200, verbose: true });
    expect(text).not.toMatch(CONTROLS);
    expect(text).toContain('\\x1b[32mALL');
    expect(text).toContain('\\u202e');
  });

  it('the coloured terminal table carries only its own colour sequences', () => {
    const text = renderTable(results, { colors: colorsFor(true, { FORCE_COLOR: '1' }), width: 200, verbose: true });
    // Every ESC in the output starts an SGR colour sequence (ESC [ digits m), nothing else.
    const escapes = text.match(new RegExp(`${ESC}[^m]*m?`, 'g')) ?? [];
    for (const e of escapes) expect(e).toMatch(new RegExp(`^${ESC}\\[[0-9;]*m$`));
    expect(text).not.toMatch(/\u009b|\u202e|\r/);
  });

  it('the markdown summary escapes every Markdown construct and keeps its table shape', () => {
    const worst = new WorstFindings(1000);
    for (const f of results.findings) worst.add(f);
    const md = renderMarkdown(results, { worst, gate: new Gate({}).verdict() });
    expect(md).not.toMatch(CONTROLS);
    const lines = md.split('\n');
    const header = lines.findIndex((l) => l.startsWith('| Severity | Rule |'));
    const rows = lines.slice(header + 2, lines.indexOf('', header));
    expect(rows.some((r) => r.includes('ALL CHECKS'))).toBe(true);
    // Every row has exactly the header's five cell separators: no injected cell.
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|')).toHaveLength(6);
    // No unescaped link, image, HTML, emphasis or heading character in a row with the name.
    for (const l of rows.filter((x) => x.includes('ALL CHECKS'))) expect(l.replace(/^\| [a-z]+ \| `[a-z0-9-]+`/, '')).not.toMatch(/(^|[^\\])[[\]<>!*#]/);
    expect(mdCell('[a](b) <i> # *x* | y')).toBe('\\[a\\]\\(b\\) \\<i\\> \\# \\*x\\* \\| y');
  });

  it('JUnit and CSV show control characters as escapes, and still parse', () => {
    const xml = renderJunit(results);
    expect(xml).not.toMatch(CONTROLS);
    expect(() => new XMLParser({ ignoreAttributes: false }).parse(xml)).not.toThrow();
    const csv = renderCsv(results);
    expect(csv).not.toMatch(CONTROLS);
    const rows = parseCsv(csv) as string[][];
    expect(rows.some((r) => r.some((c) => c.includes('\\x1b[32mALL CHECKS PASSED')))).toBe(true);
  });

  it('visible() names each control character', () => {
    expect(visible(`a${ESC}b\u0007\u009b\u202e\n`)).toBe('a\\x1bb\\x07\\x9b\\u202e\\x0a');
  });
});

import { readFileSync } from 'node:fs';
import type { Snapshot } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { renderTable } from '../../src/report/table';
import { renderGrid, wrapText } from '../../src/report/terminal-table';
import { colorsFor } from '../../src/report/style';
import { builtinCatalog } from '../../src/catalog';
import { DEMO } from '../helpers';

describe('terminal tables', () => {
  it('wraps on words and breaks words longer than a line', () => {
    expect(wrapText('the quick brown fox', 9)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('arn:aws:s3:::a-very-long-bucket-name', 12)).toEqual(['arn:aws:s3::', ':a-very-long', '-bucket-name']);
    expect(wrapText('a\nb c', 5)).toEqual(['a', 'b c']);
  });

  it('draws every line of every row to the same width, with or without colour', () => {
    const rows = [
      ['FAIL', [{ text: 'a long detail that wraps over several lines', paint: (s: string) => `\u001b[2m${s}\u001b[22m` }, 'second part']],
      ['PASS', 'short'],
    ];
    for (const color of [false, true]) {
      const out = renderGrid(['Status', 'Detail'], [8, 20], rows, colorsFor(color, color ? { FORCE_COLOR: '1' } : {}));
      // eslint-disable-next-line no-control-regex -- measuring without colour codes
      const widths = out.split('\n').map((l) => l.replace(/\u001b\[\d+m/g, '').length);
      expect(new Set(widths)).toEqual(new Set([8 + 20 + 3]));
      expect(out).toContain('a long detail that');
    }
  });

  it('renders a large table quickly', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [`rule-${i}`, `resource ${'x'.repeat(i % 90)}\nsecond line with words`]);
    const t = Date.now();
    renderGrid(['Rule', 'Resource'], [20, 60], rows, colorsFor(false, {}));
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('fits the terminal: every line of the demo report within 80, 100 and 160 columns, with and without colour', () => {
    const catalog = builtinCatalog();
    const { results } = evaluate(JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot, catalog.loadRules(), catalog.registry, { frameworks: catalog.frameworks });
    for (const width of [80, 100, 160]) {
      for (const color of [false, true]) {
        const out = renderTable(results, { colors: colorsFor(color, color ? { FORCE_COLOR: '1' } : {}), width, verbose: true, frameworks: ['all'] });
        // eslint-disable-next-line no-control-regex -- measuring without colour codes
        const lines = out.split('\n').map((l) => Array.from(l.replace(/\u001b\[[0-9;]*m/g, '')).length);
        expect(Math.max(...lines)).toBeLessThanOrEqual(width);
      }
    }
    // Narrow: three columns (status over severity, rule over resource); wide: five.
    expect(renderTable(results, { colors: colorsFor(false, {}), width: 80 })).toContain('│ Status   │ Rule / resource');
    expect(renderTable(results, { colors: colorsFor(false, {}), width: 160 })).toMatch(/│ Status +│ Severity +│ Rule +│ Resource +│ Detail/);
  });
});

import type { Colors } from './style';

/**
 * Bordered tables for terminals. Text is wrapped on plain text and coloured afterwards, so
 * widths are exact with or without colour. (cli-table3 was used first, but it re-measures every
 * multi-line cell character by character on each drawn line: a 100-row report took a second.)
 */

/** Part of a cell: plain text, or text with a colour applied after wrapping. Parts stack as lines. */
export type Segment = string | number | { text: string; paint: (s: string) => string };
export type CellSpec = Segment | Segment[];

/** Columns a string takes (code points; wide East Asian characters are rare in cloud names and count as one). */
function columns(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) n++; // a low surrogate completes the previous code point
  }
  return n;
}

/** Columns a possibly coloured string takes on a terminal (colour codes take none). */
export function printedColumns(s: string): number {
  // eslint-disable-next-line no-control-regex -- colour codes are what is removed
  return columns(s.replace(/\x1b\[[0-9;]*m/g, ''));
}

/** Greedy word wrap to `max` columns; words longer than a line are broken (ARNs, paths). */
export function wrapText(text: string, max: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      let w = word;
      while (columns(w) > max) {
        if (line) {
          out.push(line);
          line = '';
        }
        const chars = Array.from(w);
        out.push(chars.slice(0, max).join(''));
        w = chars.slice(max).join('');
      }
      if (!line) line = w;
      else if (columns(line) + 1 + columns(w) <= max) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

/** A cell as lines of [plain, painted] text fitting `inner` columns. */
function lines(spec: CellSpec, inner: number): [string, string][] {
  const parts = Array.isArray(spec) ? spec : [spec];
  return parts.flatMap((p): [string, string][] => {
    if (typeof p === 'object') return wrapText(p.text, inner).map((l) => [l, p.paint(l)]);
    return wrapText(String(p), inner).map((l) => [l, l]);
  });
}

/**
 * A table with fixed column widths (each including one space of padding on either side),
 * drawn with box characters; rows are separated by rules.
 */
export function renderGrid(head: string[], widths: number[], rows: CellSpec[][], c: Colors): string {
  const rule = (l: string, m: string, r: string): string => c.gray(l + widths.map((w) => '─'.repeat(w)).join(m) + r);
  const bar = c.gray('│');
  const draw = (cells: [string, string][][]): string[] => {
    const height = Math.max(1, ...cells.map((x) => x.length));
    const out: string[] = [];
    for (let i = 0; i < height; i++) {
      const parts = cells.map((cell, k) => {
        const [plain, painted] = cell[i] ?? ['', ''];
        return ` ${painted}${' '.repeat(Math.max(0, widths[k] - 2 - columns(plain)))} `;
      });
      out.push(bar + parts.join(bar) + bar);
    }
    return out;
  };
  const out = [rule('┌', '┬', '┐'), ...draw(head.map((h, k) => lines({ text: h, paint: c.bold }, widths[k] - 2)))];
  for (const row of rows) {
    out.push(rule('├', '┼', '┤'));
    out.push(...draw(row.map((cell, k) => lines(cell, widths[k] - 2))));
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

import type { Finding } from '../core/types';

/**
 * The findings as the HTML report embeds them: a table of distinct strings and one flat list of
 * indexes into it, a fixed number per finding. Findings repeat most of their text (rule title,
 * remediation, account, region, type, evidence of the same shape), so each distinct text is
 * written once; the page parses one array of numbers and one of strings instead of an object per
 * finding, which keeps a 10,000-resource report small and quick to open.
 *
 * `-1` is an absent optional field. Columns whose values are not strings (criteria lists,
 * evidence, suppression, source) hold the value's JSON text: the page parses them only when it
 * needs them (a finding's detail, the criteria of a framework).
 */
export const FINDING_COLUMNS = [
  'status', 'severity', 'ruleId', 'ruleVersion', 'title', 'resource.id', 'resource.type', 'resource.provider',
  'resource.account', 'resource.region', 'resource.name', 'message', 'remediation', 'fingerprint',
  'soc2', 'frameworks', 'evidence', 'unknownReasons', 'suppression', 'resource.source',
] as const;

/** Columns whose strings are JSON texts. */
export const JSON_COLUMNS: ReadonlySet<string> = new Set(['soc2', 'frameworks', 'evidence', 'unknownReasons', 'suppression', 'resource.source']);

function cell(f: Finding, column: (typeof FINDING_COLUMNS)[number]): unknown {
  if (column.startsWith('resource.')) return (f.resource as unknown as Record<string, unknown>)[column.slice('resource.'.length)];
  return (f as unknown as Record<string, unknown>)[column];
}

/**
 * The `"columns"`, `"rows"` and `"strings"` members of the embedded data, in chunks (a large
 * scan is never one string). `json` escapes a value for a script element.
 */
export function* encodeFindings(findings: readonly Finding[], json: (v: unknown) => string): Generator<string, void, void> {
  const index = new Map<string, number>();
  const strings: string[] = [];
  const id = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = strings.push(s) - 1));
    return i;
  };
  yield `"columns":${json(FINDING_COLUMNS)},"rows":[`;
  let chunk: number[] = [];
  let first = true;
  for (const f of findings) {
    for (const c of FINDING_COLUMNS) {
      const v = cell(f, c);
      chunk.push(v === undefined ? -1 : id(JSON_COLUMNS.has(c) ? JSON.stringify(v) : String(v)));
    }
    if (chunk.length >= 20_000) {
      yield (first ? '' : ',') + chunk.join(',');
      first = false;
      chunk = [];
    }
  }
  if (chunk.length) yield (first ? '' : ',') + chunk.join(',');
  yield '],"strings":[';
  for (let i = 0; i < strings.length; i += 1000) yield (i ? ',' : '') + strings.slice(i, i + 1000).map(json).join(',');
  yield ']';
}

/** The findings back from the embedded form (what the page does; tests use it to check the round trip). */
export function decodeFindings(data: { columns: string[]; rows: number[]; strings: string[] }): Finding[] {
  const k = data.columns.length;
  const out: Finding[] = [];
  for (let b = 0; b < data.rows.length; b += k) {
    const f: Record<string, unknown> = { resource: {} };
    data.columns.forEach((c, j) => {
      const i = data.rows[b + j];
      if (i === -1) return;
      const v = JSON_COLUMNS.has(c) ? (JSON.parse(data.strings[i]) as unknown) : data.strings[i];
      if (c.startsWith('resource.')) (f.resource as Record<string, unknown>)[c.slice('resource.'.length)] = v;
      else f[c] = v;
    });
    out.push(f as unknown as Finding);
  }
  return out;
}

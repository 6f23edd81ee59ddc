import type { Finding } from '../core/types';

/**
 * The findings as the HTML report embeds them: column by column, not an object per finding.
 * Findings repeat most of their text (status, rule, title, remediation, account, region, type,
 * criteria, evidence of the same shape), so a column with few distinct values is written as
 * `{"d": [distinct values], "w": width, "i": "indexes"}` — each finding's index into `d` as `w`
 * base-36 digits, all in one string (a string parses far faster than an array of numbers, and
 * is smaller) — and a column of mostly
 * distinct values (resource id, name, message, fingerprint) as `{"v": [each finding's value]}`.
 * The page parses a few arrays instead of tens of thousands of objects, and the file of a
 * 10,000-resource report shrinks to about a fifth.
 *
 * An absent optional field is `null` (in `d`, it is a distinct value like any other). Columns
 * whose values are not strings (criteria lists, evidence, suppression, source) hold the value's
 * JSON text: the page parses them only when it needs them (a finding's detail, a framework's
 * criteria).
 */
export const FINDING_COLUMNS = [
  'status', 'severity', 'ruleId', 'ruleVersion', 'title', 'resource.id', 'resource.type', 'resource.provider',
  'resource.account', 'resource.region', 'resource.name', 'message', 'remediation', 'fingerprint',
  'soc2', 'frameworks', 'evidence', 'unknownReasons', 'suppression', 'resource.source', 'other',
] as const;
type Column = (typeof FINDING_COLUMNS)[number];

/** Columns whose strings are JSON texts. */
export const JSON_COLUMNS: ReadonlySet<string> = new Set(['soc2', 'frameworks', 'evidence', 'unknownReasons', 'suppression', 'resource.source', 'other']);

const LISTED = new Set<string>(FINDING_COLUMNS.filter((c) => !c.startsWith('resource.')));
const LISTED_RESOURCE = new Set<string>(FINDING_COLUMNS.filter((c) => c.startsWith('resource.')).map((c) => c.slice('resource.'.length)));

/** Fields of a finding that no column names (added to the contract later): kept, so that nothing is lost. */
function other(f: Finding): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(f)) if (k !== 'resource' && !LISTED.has(k)) (out ??= {})[k] = v;
  for (const [k, v] of Object.entries(f.resource)) {
    if (LISTED_RESOURCE.has(k)) continue;
    out ??= {};
    ((out.resource ??= {}) as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** One column as embedded. */
export type EmbeddedColumn = { d: (string | null)[]; w: number; i: string } | { v: (string | null)[] };

/** Digits of each index in base 36 for a column of `distinct` values. */
function indexWidth(distinct: number): number {
  let w = 1;
  while (36 ** w < distinct) w++;
  return w;
}

/** The index of finding `n` in a `d` column. */
export function indexAt(col: { w: number; i: string }, n: number): number {
  return parseInt(col.i.slice(n * col.w, (n + 1) * col.w), 36);
}

/**
 * Messages name their resource ("… is public: acme-prod-assets"), which makes each distinct and
 * the message column the largest of the page. Written as a template instead — the name replaced
 * by NAME_MARK, the text prefixed by TEMPLATE — they collapse to a few distinct values. A message
 * that itself starts with a marker is prefixed by LITERAL, so every message round-trips.
 */
const TEMPLATE = '\u0002';
const LITERAL = '\u0003';
const NAME_MARK = '\u0001';

function messageCell(f: Finding): string {
  const name = f.resource.name;
  if (name && !name.includes(NAME_MARK) && f.message.includes(name) && !f.message.includes(NAME_MARK)) return TEMPLATE + f.message.split(name).join(NAME_MARK);
  return f.message.startsWith(TEMPLATE) || f.message.startsWith(LITERAL) ? LITERAL + f.message : f.message;
}

/** A message back from its cell (the page does the same). */
export function messageOf(cellText: string, name: string | undefined): string {
  if (cellText.startsWith(TEMPLATE)) return cellText.slice(1).split(NAME_MARK).join(name ?? '');
  return cellText.startsWith(LITERAL) ? cellText.slice(1) : cellText;
}

function cell(f: Finding, column: Column): string | null {
  if (column === 'message') return messageCell(f);
  const v =
    column === 'other' ? other(f) : column.startsWith('resource.') ? (f.resource as unknown as Record<string, unknown>)[column.slice('resource.'.length)] : (f as unknown as Record<string, unknown>)[column];
  if (v === undefined) return null;
  return JSON_COLUMNS.has(column) ? JSON.stringify(v) : String(v);
}

/** Writes a long array in pieces, each item through `item`. */
function* array<T>(items: readonly T[], item: (x: T) => string): Generator<string, void, void> {
  yield '[';
  for (let i = 0; i < items.length; i += 2000) yield (i ? ',' : '') + items.slice(i, i + 2000).map(item).join(',');
  yield ']';
}

/**
 * The `"count"` and `"columns"` members of the embedded data, in chunks (a large scan is never
 * one string). `json` escapes a value for a script element.
 */
export function* encodeFindings(findings: readonly Finding[], json: (v: unknown) => string): Generator<string, void, void> {
  yield `"count":${findings.length},"columns":{`;
  let first = true;
  for (const c of FINDING_COLUMNS) {
    const values = findings.map((f) => cell(f, c));
    const index = new Map<string | null, number>();
    const ids = values.map((v) => {
      let i = index.get(v);
      if (i === undefined) index.set(v, (i = index.size));
      return i;
    });
    yield `${first ? '' : ','}${json(c)}:`;
    first = false;
    if (index.size * 2 > values.length && values.length > 1) {
      yield '{"v":';
      yield* array(values, json);
    } else {
      const w = indexWidth(index.size);
      yield `{"d":`;
      yield* array([...index.keys()], json);
      yield `,"w":${w},"i":"`;
      for (let i = 0; i < ids.length; i += 4096) yield ids.slice(i, i + 4096).map((x) => x.toString(36).padStart(w, '0')).join('');
      yield '"';
    }
    yield '}';
  }
  yield '}';
}

/** The findings back from the embedded form (what the page does; tests use it to check the round trip). */
export function decodeFindings(data: { count: number; columns: Record<string, EmbeddedColumn> }): Finding[] {
  const out: Finding[] = Array.from({ length: data.count }, () => ({ resource: {} }) as unknown as Finding);
  for (const [c, col] of Object.entries(data.columns)) {
    for (let n = 0; n < data.count; n++) {
      const text = 'v' in col ? col.v[n] : col.d[indexAt(col, n)];
      if (text === null) continue;
      const v = JSON_COLUMNS.has(c) ? (JSON.parse(text) as unknown) : text;
      if (c === 'message') {
        out[n].message = v as string;
        continue;
      }
      if (c === 'other') {
        const { resource, ...rest } = v as Record<string, unknown>;
        Object.assign(out[n], rest);
        Object.assign(out[n].resource, resource);
      } else if (c.startsWith('resource.')) (out[n].resource as unknown as Record<string, unknown>)[c.slice('resource.'.length)] = v;
      else (out[n] as unknown as Record<string, unknown>)[c] = v;
    }
  }
  for (const f of out) f.message = messageOf(f.message, f.resource.name);
  return out;
}

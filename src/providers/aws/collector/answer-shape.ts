/**
 * Whether an answer is the answer an operation promises. An HTTP 200 with an empty body, an HTML
 * page from a proxy or captive portal, someone else's document, a body cut short or a document
 * without its list element is decoded by an SDK into empty results: read as facts, they would turn
 * into "no buckets", "no policy", "not public". Each operation declares, as data, what its answer
 * must be; an answer that is not is an error, like a 5xx.
 *
 * Nothing here names a cloud: the table of operations and the SDK glue live beside it.
 */

/** What a raw body is, before any SDK decodes it. */
export type BodyKind = 'empty' | 'html' | 'xml' | 'json' | 'text';

export interface BodyInfo {
  kind: BodyKind;
  /** Root element name (XML, HTML), without namespace prefix. */
  root?: string;
  /** False when the document is cut short: an XML root never closed, JSON that does not parse. */
  complete: boolean;
}

/** The document an operation answers with: an XML document with this root element, or a JSON object. */
export type DocumentRule = { xml: string } | { json: true };

/** A field that must be present; a list of names means "one of them". */
export type FieldRule = string | readonly string[];

export interface AnswerShape {
  /** The raw body's form (checked before decoding, where the SDK gives access to it). */
  document: DocumentRule;
  /** Dotted paths into the decoded answer that must be present (not undefined or null). */
  required?: readonly FieldRule[];
  /** Paths that must be non-empty strings (a document carried as the body). */
  nonEmpty?: readonly string[];
  /**
   * JSON documents carried as a string (a policy): each must parse as an object holding its
   * required keys. `{}` or a document without its statements is no policy, and read as one it
   * would grant nothing, so "not public".
   */
  documents?: readonly { path: string; required: readonly string[]; optional?: boolean }[];
  /** Pagination: when `flag` is true the answer must carry `token`, or the listing would end early. */
  more?: { flag: string; token: string };
}

/** Answer shapes per `service:Operation`, as named in the coverage. */
export type AnswerTable = Readonly<Record<string, AnswerShape>>;

/** An answer that is not the operation's answer; recorded as an `error` outcome. */
export class InvalidAnswerError extends Error {
  override readonly name = 'InvalidAnswer';
  constructor(
    message: string,
    /** HTTP status of the answer. */
    readonly status: number,
    /** What the body was, when the body itself was wrong. */
    readonly body?: BodyKind | 'truncated',
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Strips the XML prolog, comments, processing instructions and doctype at the start; returns the rest. */
function skipProlog(text: string): { rest: string; doctype: string | null } {
  let rest = text.replace(/^\uFEFF/, '').trimStart();
  let doctype: string | null = null;
  for (;;) {
    if (rest.startsWith('<?') || rest.startsWith('<!--')) {
      const close = rest.startsWith('<?') ? '?>' : '-->';
      const end = rest.indexOf(close);
      rest = end === -1 ? '' : rest.slice(end + close.length).trimStart();
    } else if (/^<!doctype/i.test(rest)) {
      const end = rest.indexOf('>');
      doctype = rest.slice(9, end === -1 ? undefined : end).trim().toLowerCase();
      rest = end === -1 ? '' : rest.slice(end + 1).trimStart();
    } else return { rest, doctype };
  }
}

/** Classifies a raw body: empty, HTML, XML (with its root), JSON, or other text. */
export function inspectBody(bytes: Uint8Array | string): BodyInfo {
  const text = typeof bytes === 'string' ? bytes : utf8.decode(bytes);
  if (text.trim() === '') return { kind: 'empty', complete: true };
  const { rest, doctype } = skipProlog(text);
  if (rest.startsWith('<')) {
    const m = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(rest);
    const root = m?.[2];
    if (doctype?.startsWith('html') || root?.toLowerCase() === 'html') return { kind: 'html', root: 'html', complete: true };
    if (!m) return { kind: 'text', complete: false };
    const tail = rest.trimEnd();
    const selfClosed = /^<[^>]*\/>$/.test(tail);
    const closes = new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${root!.replace(/[.-]/g, '\\$&')}\\s*>$`).test(tail);
    return { kind: 'xml', root, complete: selfClosed || closes };
  }
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      JSON.parse(t);
      return { kind: 'json', complete: true };
    } catch {
      return { kind: 'json', complete: false };
    }
  }
  return { kind: 'text', complete: true };
}

const DESCRIBE: Record<BodyKind, string> = { empty: 'an empty body', html: 'an HTML page', xml: 'an XML document', json: 'a JSON document', text: 'plain text' };

/** Words for a body: "an HTML page", "an XML document cut short", "an XML document <Foo>". */
export function describeBody(info: BodyInfo): string {
  if (!info.complete) return `${DESCRIBE[info.kind]} cut short`;
  return info.kind === 'xml' && info.root ? `an XML document <${info.root}>` : DESCRIBE[info.kind];
}

/** Why a successful answer's body is not the operation's document, or null when it is. */
export function documentProblem(rule: DocumentRule, info: BodyInfo): string | null {
  if ('xml' in rule) {
    if (info.kind === 'xml' && info.root === rule.xml && info.complete) return null;
    return `${describeBody(info)} instead of an XML document <${rule.xml}>`;
  }
  if (info.kind === 'json' && info.complete) return null;
  return `${describeBody(info)} instead of a JSON document`;
}

/**
 * Whether an error answer's body can be a service's error document (so the SDK can read its code):
 * a complete XML or JSON document. Which of the two is not checked, since one operation may answer
 * in one format and fail in the other (S3's bucket policy is JSON, its errors XML).
 */
export function isErrorDocument(info: BodyInfo): boolean {
  return (info.kind === 'xml' || info.kind === 'json') && info.complete;
}

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const seg of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Why a JSON document carried as a string is not a document with `required`, or null. */
function embeddedProblem(text: unknown, required: readonly string[]): string | null {
  if (typeof text !== 'string') return 'is not a document';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'is not a JSON document';
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'is not a JSON object';
  const lacking = required.filter((k) => !present((doc as Record<string, unknown>)[k]));
  return lacking.length ? `is a document without ${lacking.join(', ')}` : null;
}

/** Why a decoded answer lacks what the operation promises, or null when nothing is missing. */
export function fieldProblem(shape: AnswerShape, output: unknown): string | null {
  const missing: string[] = [];
  for (const rule of shape.required ?? []) {
    const names = typeof rule === 'string' ? [rule] : rule;
    if (!names.some((p) => present(at(output, p)))) missing.push(names.join(' or '));
  }
  for (const p of shape.nonEmpty ?? []) {
    const v = at(output, p);
    if (typeof v !== 'string' || v.trim() === '') missing.push(p);
  }
  if (missing.length) return `the answer lacks ${missing.join(', ')}`;
  for (const d of shape.documents ?? []) {
    // An optional document (a resource policy that may not exist) is checked only when sent.
    if (d.optional && !present(at(output, d.path))) continue;
    const problem = embeddedProblem(at(output, d.path), d.required);
    if (problem) return `${d.path} ${problem}`;
  }
  if (shape.more && at(output, shape.more.flag) === true && !present(at(output, shape.more.token))) {
    return `the answer says ${shape.more.flag} but carries no ${shape.more.token}: the rest of the listing cannot be read`;
  }
  return null;
}

import { createHash } from 'node:crypto';
import type { Answer, Ctx, FaultRule, Protocol } from './server';

/**
 * Answers broken the way proxies, captive portals and half-done emulators break them: empty
 * bodies, HTML pages, hollow documents, cut-off bodies, missing list elements. Each function
 * returns the broken answer, or null when the fault does not apply to this answer (nothing to
 * hollow out or to remove), so a test counts only the faults that really changed something.
 */

/** A deterministic number in [0, 1) for one call attempt: the same seed gives the same faults whatever the arrival order. */
export function draw(seed: number, ctx: Ctx, attempt: string | undefined, purpose: string): number {
  const key = [seed, purpose, ctx.service, ctx.operation, ctx.accountId, ctx.region, ctx.resource ?? '', attempt ?? '', JSON.stringify(ctx.json), ctx.params.toString()].join('\u0000');
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** A well-formed XHTML page: an XML parser reads it without complaint, which is the dangerous case. */
export const HTML_PAGE =
  '<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Network login</title></head>' +
  '<body><h1>Sign in to continue</h1><p>Your session has expired.</p></body></html>';

const XML_PROTOCOLS: readonly Protocol[] = ['query', 'ec2', 'rest-xml'];
const TAG = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

interface Element {
  name: string;
  start: number;
  end: number;
  /** Offset of the element's content (after its start tag); equals `end` for `<x/>`. */
  inner: number;
  innerEnd: number;
}

/** The direct child elements of the element whose content spans [from, to). */
function children(xml: string, from: number, to: number): Element[] {
  const out: Element[] = [];
  const stack: { name: string; start: number; inner: number }[] = [];
  TAG.lastIndex = from;
  for (let m = TAG.exec(xml); m && m.index < to; m = TAG.exec(xml)) {
    const [whole, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open && stack.length === 0) out.push({ name: open.name, start: open.start, end: m.index + whole.length, inner: open.inner, innerEnd: m.index });
    } else if (selfClosing) {
      if (stack.length === 0) out.push({ name, start: m.index, end: m.index + whole.length, inner: m.index + whole.length, innerEnd: m.index + whole.length });
    } else stack.push({ name, start: m.index, inner: m.index + whole.length });
  }
  return out;
}

/** The root element of an XML body (after the prolog), or null when the body is not XML. */
function root(xml: string): Element | null {
  const first = xml.replace(/^<\?xml[^>]*\?>/, '');
  const offset = xml.length - first.length;
  const top = children(xml, offset, xml.length);
  return top.length === 1 ? top[0] : null;
}

/** The element whose children are the answer's top-level fields: the `<XResult>` wrapper (Query), else the root. */
function container(xml: string, protocol: Protocol, operation: string): Element | null {
  const r = root(xml);
  if (!r || protocol !== 'query') return r;
  return children(xml, r.inner, r.innerEnd).find((c) => c.name === `${operation}Result`) ?? null;
}

const LIST_ITEMS = new Set(['member', 'item', 'entry', 'Bucket', 'Grant', 'Tag']);

/** A list element: empty, or holding only items. */
function isList(xml: string, e: Element): boolean {
  const items = children(xml, e.inner, e.innerEnd);
  if (items.length === 0) return xml.slice(e.inner, e.innerEnd).trim() === '';
  return items.every((i) => LIST_ITEMS.has(i.name));
}

function cut(body: string, remove: Element[]): string {
  let out = body;
  for (const e of [...remove].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + out.slice(e.end);
  return out;
}

function dropJson(value: unknown, element: string | undefined, top: boolean): { value: unknown; dropped: boolean } {
  if (!value || typeof value !== 'object') return { value, dropped: false };
  if (Array.isArray(value)) {
    let dropped = false;
    const out = value.map((v) => {
      const r = dropJson(v, element, false);
      dropped ||= r.dropped;
      return r.value;
    });
    return { value: out, dropped };
  }
  let dropped = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (element === undefined ? top && Array.isArray(v) : k === element) {
      dropped = true;
      continue;
    }
    const r = element === undefined ? { value: v, dropped: false } : dropJson(v, element, false);
    dropped ||= r.dropped;
    out[k] = r.value;
  }
  return { value: out, dropped };
}

function dropList(answer: Answer, protocol: Protocol, operation: string, element: string | undefined): Answer | null {
  const body = answer.body;
  if (XML_PROTOCOLS.includes(protocol) && body.trimStart().startsWith('<')) {
    if (element !== undefined) {
      const re = new RegExp(`<${element}(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</${element}>)`, 'g');
      const out = body.replace(re, '');
      return out === body ? null : { ...answer, body: out };
    }
    const c = container(body, protocol, operation);
    if (!c) return null;
    const lists = children(body, c.inner, c.innerEnd).filter((e) => isList(body, e));
    return lists.length ? { ...answer, body: cut(body, lists) } : null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const r = dropJson(parsed, element, true);
  return r.dropped ? { ...answer, body: JSON.stringify(r.value) } : null;
}

function hollow(answer: Answer, protocol: Protocol, operation: string, xmlns: string): Answer | null {
  if ((answer.status ?? 200) >= 300) return null; // an error answer has no document to hollow out
  switch (protocol) {
    case 'query':
      return { ...answer, body: `<${operation}Response xmlns="${xmlns}"><${operation}Result></${operation}Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></${operation}Response>` };
    case 'ec2':
      return { ...answer, body: `<${operation}Response xmlns="${xmlns}"><requestId>fake-request</requestId></${operation}Response>` };
    case 'json':
    case 'rest-json':
      return { ...answer, body: '{}' };
    case 'rest-xml': {
      const r = root(answer.body);
      if (!r) return answer.body.trim().startsWith('{') ? { ...answer, body: '{}' } : null;
      const start = answer.body.slice(r.start, r.inner).replace(/\/>$/, '>');
      return { ...answer, body: `<?xml version="1.0" encoding="UTF-8"?>${start}</${r.name}>` };
    }
  }
}

/** The answer `fault` makes of `answer`; `at` in [0, 1) places the cut of a truncated body. */
export function breakAnswer(fault: FaultRule, protocol: Protocol, operation: string, answer: Answer, xmlns: string, at: number): Answer | null {
  switch (fault.kind) {
    case 'empty':
      return { status: fault.status ?? 200, headers: answer.headers, body: '' };
    case 'html':
      return { status: fault.status ?? 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_PAGE };
    case 'hollow':
      return hollow(answer, protocol, operation, xmlns);
    case 'truncated':
      return answer.body.length < 2 ? null : { ...answer, body: answer.body.slice(0, 1 + Math.floor(at * (answer.body.length - 1))) };
    case 'drop-list':
      return dropList(answer, protocol, operation, fault.element);
    default:
      return null;
  }
}

import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { PartialJson, Unresolved } from '../values';
import { asSet, deepUnknown, equal, isObject, numberString, obj, OPEN, primitiveString, SETS, type TfObject, TfUnknown, typeName, type Value } from './values';

/**
 * Terraform's built-in functions, as far as configuration checking needs them. A function
 * that is not here, or one whose result changes at every run (timestamp, uuid), gives an
 * unknown value with its reason; a call Terraform would reject raises FunctionError, which the
 * evaluator turns into an unknown value with the message (or, in try/can, into the fallback).
 */

export class FunctionError extends Error {}

/** What a function may need besides its arguments: files, relative to the configuration. */
export interface FunctionHost {
  /** A file's text, or an unknown with why it is not read (outside the configuration's folder, too large). */
  readFile(path: string): string | TfUnknown;
  fileExists(path: string): boolean | TfUnknown;
  /** Renders a template file with variables (templatefile). */
  renderTemplate(path: string, vars: TfObject): Value;
}

interface FnDef {
  /** Handles unknown arguments itself; otherwise any unknown argument makes the result unknown. */
  lenient?: boolean;
  min?: number;
  max?: number;
  fn: (args: Value[], host: FunctionHost) => Value;
}

const fail = (msg: string): never => {
  throw new FunctionError(msg);
};

function str(v: Value, what = 'argument'): string {
  const s = primitiveString(v);
  if (s === undefined) fail(`${what} must be a string, got ${typeName(v)}`);
  return s!;
}

function num(v: Value, what = 'argument'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fail(`${what} must be a number, got ${typeName(v)}`);
}

function list(v: Value, what = 'argument'): Value[] {
  if (Array.isArray(v)) return v;
  return fail(`${what} must be a list, got ${typeName(v)}`);
}

function map(v: Value, what = 'argument'): TfObject {
  if (isObject(v)) return v;
  return fail(`${what} must be a map or object, got ${typeName(v)}`);
}

function bool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fail(`argument must be a bool, got ${typeName(v)}`);
}

/** Go's fmt verbs as Terraform's format() knows them (%s %d %f %v %q %t %x %o %b %e %%). */
export function format(spec: string, args: Value[]): string {
  let i = 0;
  return spec.replace(/%([-+ #0]*)(\d+|\*)?(?:\.(\d+))?(?:\[(\d+)\])?([a-zA-Z%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, argIdx: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (argIdx) i = Number(argIdx) - 1;
    if (i >= args.length) fail('not enough arguments for format');
    const a = args[i++];
    let out: string;
    switch (verb) {
      case 's':
        out = primitiveString(a) ?? fail(`%s needs a string, got ${typeName(a)}`);
        break;
      case 'q':
        out = JSON.stringify(str(a));
        break;
      case 'd':
        out = Math.trunc(num(a)).toString();
        break;
      case 'f':
      case 'F':
        out = num(a).toFixed(prec !== undefined ? Number(prec) : 6);
        break;
      case 'e':
        out = num(a).toExponential(prec !== undefined ? Number(prec) : 6);
        break;
      case 'g':
        out = String(num(a));
        break;
      case 't':
        out = String(bool(a));
        break;
      case 'x':
        out = typeof a === 'number' ? Math.trunc(a).toString(16) : Buffer.from(str(a)).toString('hex');
        break;
      case 'X':
        out = typeof a === 'number' ? Math.trunc(a).toString(16).toUpperCase() : Buffer.from(str(a)).toString('hex').toUpperCase();
        break;
      case 'o':
        out = Math.trunc(num(a)).toString(8);
        break;
      case 'b':
        out = Math.trunc(num(a)).toString(2);
        break;
      case 'v':
        out = primitiveString(a) ?? JSON.stringify(a);
        break;
      default:
        return fail(`unsupported format verb %${verb}`);
    }
    const w = width && width !== '*' ? Number(width) : 0;
    if (out.length < w) out = flags.includes('-') ? out.padEnd(w) : out.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return out;
  });
}

function jsonEncode(v: Value): string {
  return JSON.stringify(toJson(v));
}

function toJson(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toJson);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = toJson(v[k]);
    return out;
  }
  return v;
}

/** JSON from a decoded document: objects get null prototypes; no `__proto__` surprises. */
export function fromJson(v: unknown): Value {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') {
    const o = obj();
    for (const [k, x] of Object.entries(v)) o[k] = fromJson(x);
    return o;
  }
  return v as Value;
}

function flatten(v: Value[], out: Value[] = []): Value[] {
  for (const x of v) {
    if (Array.isArray(x)) flatten(x, out);
    else out.push(x);
  }
  return out;
}

/** Go RE2 syntax as far as JavaScript shares it; named groups `(?P<n>…)` are rewritten. */
function regex(pattern: string, flags = ''): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), flags);
  } catch {
    return fail('invalid regular expression');
  }
}

function regexResult(m: RegExpExecArray): Value {
  if (m.groups) return Object.assign(obj(), m.groups) as TfObject;
  if (m.length > 1) return m.slice(1).map((x) => x ?? '');
  return m[0];
}

function ipv4(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) fail('not an IPv4 address');
  let n = 0;
  for (const p of parts) {
    const x = Number(p);
    if (!/^\d+$/.test(p) || x > 255) fail('not an IPv4 address');
    n = n * 256 + x;
  }
  return n;
}

function ipv4String(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function cidr(s: string): { base: number; bits: number } {
  const [ip, bits] = s.split('/');
  if (bits === undefined || !/^\d+$/.test(bits) || Number(bits) > 32) return fail('only IPv4 CIDR blocks are supported');
  const b = Number(bits);
  const base = ipv4(ip);
  return { base: base - (base % 2 ** (32 - b)), bits: b };
}

const unsupported = (name: string): Value => new TfUnknown(`function ${name}() is not supported by trustscan`, 'unsupported');

export const FUNCTIONS: Record<string, FnDef> = {
  // Collections
  length: {
    min: 1,
    max: 1,
    lenient: true,
    fn: ([v]) => {
      if (v instanceof Unresolved) return v;
      if (typeof v === 'string') return [...v].length;
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return v[OPEN] ? v[OPEN]('*') : Object.keys(v).length;
      return fail(`length() needs a string, list or map, got ${typeName(v)}`);
    },
  },
  concat: {
    lenient: true,
    fn: (args) => {
      const u = args.find((a) => a instanceof Unresolved);
      if (u) return u;
      return args.flatMap((a) => list(a));
    },
  },
  merge: {
    lenient: true,
    fn: (args) => {
      const out = obj();
      for (const a of args) {
        if (a === null) continue;
        if (a instanceof Unresolved) return a;
        const m = map(a);
        if (m[OPEN]) return m[OPEN]('*');
        for (const k of Object.keys(m)) out[k] = m[k];
      }
      return out;
    },
  },
  lookup: {
    min: 2,
    max: 3,
    lenient: true,
    fn: ([m, k, d]) => {
      if (m instanceof Unresolved) return m;
      if (k instanceof Unresolved) return k;
      const mm = map(m);
      const key = str(k);
      if (key in mm) return mm[key];
      if (mm[OPEN]) return mm[OPEN](key);
      if (d === undefined) return fail('lookup() found no such key and no default was given');
      return d;
    },
  },
  element: {
    min: 2,
    max: 2,
    lenient: true,
    fn: ([l, i]) => {
      if (l instanceof Unresolved) return l;
      if (i instanceof Unresolved) return i;
      const xs = list(l);
      if (xs.length === 0) return fail('element() of an empty list');
      const n = Math.trunc(num(i));
      return xs[((n % xs.length) + xs.length) % xs.length];
    },
  },
  index: { min: 2, max: 2, fn: ([l, v]) => {
    const i = list(l).findIndex((x) => equal(x, v));
    return i < 0 ? fail('index(): the value is not in the list') : i;
  } },
  contains: {
    min: 2,
    max: 2,
    lenient: true,
    fn: ([l, v]) => {
      if (l instanceof Unresolved) return l;
      const xs = list(l);
      if (v instanceof Unresolved) return v;
      if (xs.some((x) => equal(x, v))) return true;
      const u = xs.find((x) => deepUnknown(x));
      return u ? deepUnknown(u)! : false;
    },
  },
  keys: {
    min: 1,
    max: 1,
    lenient: true,
    fn: ([m]) => {
      if (m instanceof Unresolved) return m;
      const mm = map(m);
      return mm[OPEN] ? mm[OPEN]('*') : Object.keys(mm).sort();
    },
  },
  values: {
    min: 1,
    max: 1,
    lenient: true,
    fn: ([m]) => {
      if (m instanceof Unresolved) return m;
      const mm = map(m);
      return mm[OPEN] ? mm[OPEN]('*') : Object.keys(mm).sort().map((k) => mm[k]);
    },
  },
  flatten: { min: 1, max: 1, lenient: true, fn: ([l]) => {
    if (l instanceof Unresolved) return l;
    const u = list(l).find((x) => x instanceof Unresolved);
    return u ?? flatten(list(l));
  } },
  distinct: { min: 1, max: 1, fn: ([l]) => {
    const out: Value[] = [];
    for (const x of list(l)) if (!out.some((y) => equal(x, y))) out.push(x);
    return out;
  } },
  compact: { min: 1, max: 1, fn: ([l]) => list(l).filter((x) => x !== null && x !== '').map((x) => str(x)) },
  coalesce: {
    lenient: true,
    fn: (args) => {
      for (const a of args) {
        if (a instanceof Unresolved) return a;
        if (a !== null && a !== '') return a;
      }
      return fail('coalesce(): no non-null, non-empty argument');
    },
  },
  coalescelist: {
    lenient: true,
    fn: (args) => {
      for (const a of args) {
        if (a instanceof Unresolved) return a;
        if (Array.isArray(a) && a.length > 0) return a;
      }
      return [];
    },
  },
  zipmap: { min: 2, max: 2, lenient: true, fn: ([k, v]) => {
    if (k instanceof Unresolved) return k;
    if (v instanceof Unresolved) return v;
    const ks = list(k);
    const vs = list(v);
    if (ks.length !== vs.length) fail('zipmap(): the lists have different lengths');
    const u = ks.find((x) => x instanceof Unresolved);
    if (u) return u;
    const out = obj();
    ks.forEach((x, i) => (out[str(x)] = vs[i]));
    return out;
  } },
  slice: { min: 3, max: 3, lenient: true, fn: ([l, a, b]) => {
    if (l instanceof Unresolved) return l;
    if (a instanceof Unresolved) return a;
    if (b instanceof Unresolved) return b;
    const xs = list(l);
    const from = num(a);
    const to = num(b);
    if (from < 0 || to > xs.length || from > to) fail('slice(): index out of range');
    return xs.slice(from, to);
  } },
  reverse: { min: 1, max: 1, lenient: true, fn: ([l]) => (l instanceof Unresolved ? l : [...list(l)].reverse()) },
  sort: { min: 1, max: 1, fn: ([l]) => list(l).map((x) => str(x)).sort() },
  range: {
    min: 1,
    max: 3,
    fn: (args) => {
      const [start, end, step] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), args[2] === undefined ? 1 : num(args[2])];
      if (step === 0) fail('range(): step must not be zero');
      const out: number[] = [];
      for (let x = start; step > 0 ? x < end : x > end; x += step) {
        out.push(x);
        if (out.length > 1024) fail('range(): more than 1024 elements');
      }
      return out;
    },
  },
  chunklist: { min: 2, max: 2, fn: ([l, n]) => {
    const xs = list(l);
    const size = num(n);
    if (size <= 0) return [xs];
    const out: Value[] = [];
    for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
    return out;
  } },
  one: { min: 1, max: 1, lenient: true, fn: ([l]) => {
    if (l instanceof Unresolved) return l;
    const xs = list(l);
    if (xs.length > 1) fail('one(): more than one element');
    return xs.length ? xs[0] : null;
  } },
  transpose: { min: 1, max: 1, fn: ([m]) => {
    const out = obj();
    const mm = map(m);
    for (const k of Object.keys(mm)) for (const v of list(mm[k])) ((out[str(v)] ??= []) as Value[]).push(k);
    return out;
  } },
  setunion: { fn: (args) => asSet(args.flatMap((a) => list(a))) },
  setintersection: { min: 1, fn: (args) => asSet(list(args[0]).filter((x) => args.slice(1).every((a) => list(a).some((y) => equal(x, y))))) },
  setsubtract: { min: 2, max: 2, fn: ([a, b]) => asSet(list(a).filter((x) => !list(b).some((y) => equal(x, y)))) },
  setproduct: { min: 1, fn: (args) => args.map((a) => list(a)).reduce<Value[][]>((acc, xs) => acc.flatMap((p) => xs.map((x) => [...p, x])), [[]]) },
  alltrue: { min: 1, max: 1, fn: ([l]) => list(l).every((x) => bool(x)) },
  anytrue: { min: 1, max: 1, fn: ([l]) => list(l).some((x) => bool(x)) },
  sum: { min: 1, max: 1, fn: ([l]) => list(l).reduce<number>((a, x) => a + num(x), 0) },

  // Type conversions
  tolist: { min: 1, max: 1, lenient: true, fn: ([v]) => (v instanceof Unresolved ? v : [...list(v)]) },
  toset: { min: 1, max: 1, lenient: true, fn: ([v]) => {
    if (v instanceof Unresolved) return v;
    const xs = list(v);
    // Duplicates cannot be merged while an element is unknown: how many there are is unknown.
    const u = xs.find((x) => deepUnknown(x));
    return u ? deepUnknown(u)! : asSet(xs.map((x) => (typeof x === 'number' || typeof x === 'boolean' ? primitiveString(x)! : x)));
  } },
  tomap: { min: 1, max: 1, lenient: true, fn: ([v]) => (v instanceof Unresolved ? v : map(v)) },
  tostring: { min: 1, max: 1, fn: ([v]) => (v === null ? null : str(v)) },
  tonumber: { min: 1, max: 1, fn: ([v]) => (v === null ? null : num(v)) },
  tobool: { min: 1, max: 1, fn: ([v]) => (v === null ? null : bool(v)) },
  sensitive: { min: 1, max: 1, lenient: true, fn: ([v]) => v },
  nonsensitive: { min: 1, max: 1, lenient: true, fn: ([v]) => v },
  type: { min: 1, max: 1, fn: () => unsupported('type') },

  // Strings
  format: { min: 1, fn: ([f, ...rest]) => format(str(f), rest) },
  formatlist: {
    min: 1,
    fn: ([f, ...rest]) => {
      const n = Math.max(0, ...rest.filter(Array.isArray).map((a) => (a as Value[]).length));
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(format(str(f), rest.map((a) => (Array.isArray(a) ? a[i] : a))));
      return out;
    },
  },
  join: { min: 2, max: 2, fn: ([sep, l]) => list(l).map((x) => str(x)).join(str(sep)) },
  split: { min: 2, max: 2, fn: ([sep, s]) => str(s).split(str(sep)) },
  upper: { min: 1, max: 1, fn: ([s]) => str(s).toUpperCase() },
  lower: { min: 1, max: 1, fn: ([s]) => str(s).toLowerCase() },
  title: { min: 1, max: 1, fn: ([s]) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()) },
  trimspace: { min: 1, max: 1, fn: ([s]) => str(s).trim() },
  chomp: { min: 1, max: 1, fn: ([s]) => str(s).replace(/(\r?\n)+$/, '') },
  trim: { min: 2, max: 2, fn: ([s, cut]) => {
    const chars = new Set(str(cut));
    const x = [...str(s)];
    let a = 0;
    let b = x.length;
    while (a < b && chars.has(x[a])) a++;
    while (b > a && chars.has(x[b - 1])) b--;
    return x.slice(a, b).join('');
  } },
  trimprefix: { min: 2, max: 2, fn: ([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)) },
  trimsuffix: { min: 2, max: 2, fn: ([s, p]) => (str(p) !== '' && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s)) },
  startswith: { min: 2, max: 2, fn: ([s, p]) => str(s).startsWith(str(p)) },
  endswith: { min: 2, max: 2, fn: ([s, p]) => str(s).endsWith(str(p)) },
  strcontains: { min: 2, max: 2, fn: ([s, p]) => str(s).includes(str(p)) },
  strrev: { min: 1, max: 1, fn: ([s]) => [...str(s)].reverse().join('') },
  substr: { min: 3, max: 3, fn: ([s, o, l]) => {
    const chars = [...str(s)];
    let off = num(o);
    if (off < 0) off = chars.length + off;
    const len = num(l);
    return chars.slice(off, len < 0 ? undefined : off + len).join('');
  } },
  replace: { min: 3, max: 3, fn: ([s, a, b]) => {
    const pat = str(a);
    const m = /^\/(.*)\/$/s.exec(pat);
    if (m) return str(s).replace(regex(m[1], 'g'), str(b).replace(/\$\{(\w+)\}/g, '$<$1>'));
    return str(s).split(pat).join(str(b));
  } },
  regex: { min: 2, max: 2, fn: ([p, s]) => {
    const m = regex(str(p)).exec(str(s));
    return m ? regexResult(m) : fail('regex(): no match');
  } },
  regexall: { min: 2, max: 2, fn: ([p, s]) => [...str(s).matchAll(regex(str(p), 'g'))].map(regexResult) },
  indent: { min: 2, max: 2, fn: ([n, s]) => str(s).replace(/\n/g, `\n${' '.repeat(num(n))}`) },
  urlencode: { min: 1, max: 1, fn: ([s]) => encodeURIComponent(str(s)) },
  base64encode: { min: 1, max: 1, fn: ([s]) => Buffer.from(str(s), 'utf8').toString('base64') },
  base64decode: { min: 1, max: 1, fn: ([s]) => Buffer.from(str(s), 'base64').toString('utf8') },
  md5: { min: 1, max: 1, fn: ([s]) => createHash('md5').update(str(s)).digest('hex') },
  sha1: { min: 1, max: 1, fn: ([s]) => createHash('sha1').update(str(s)).digest('hex') },
  sha256: { min: 1, max: 1, fn: ([s]) => createHash('sha256').update(str(s)).digest('hex') },
  sha512: { min: 1, max: 1, fn: ([s]) => createHash('sha512').update(str(s)).digest('hex') },

  // Numbers
  min: { min: 1, fn: (args) => Math.min(...args.map((a) => num(a))) },
  max: { min: 1, fn: (args) => Math.max(...args.map((a) => num(a))) },
  abs: { min: 1, max: 1, fn: ([n]) => Math.abs(num(n)) },
  ceil: { min: 1, max: 1, fn: ([n]) => Math.ceil(num(n)) },
  floor: { min: 1, max: 1, fn: ([n]) => Math.floor(num(n)) },
  pow: { min: 2, max: 2, fn: ([a, b]) => Math.pow(num(a), num(b)) },
  signum: { min: 1, max: 1, fn: ([n]) => Math.sign(num(n)) },
  log: { min: 2, max: 2, fn: ([a, b]) => Math.log(num(a)) / Math.log(num(b)) },
  parseint: { min: 2, max: 2, fn: ([s, b]) => {
    const n = parseInt(str(s), num(b));
    return Number.isNaN(n) ? fail('parseint(): not a number in that base') : n;
  } },

  // Encoding
  jsonencode: {
    min: 1,
    max: 1,
    lenient: true,
    fn: ([v]) => {
      const u = deepUnknown(v);
      if (!u) return jsonEncode(v);
      if (u instanceof PartialJson || v instanceof Unresolved) return u;
      // The structure is known, some leaves are not: readers that decode JSON still see the structure.
      return new PartialJson(`jsonencode(): ${u.reason}`, u.refs, toPartial(v));
    },
  },
  jsondecode: {
    min: 1,
    max: 1,
    lenient: true,
    fn: ([s]) => {
      if (s instanceof PartialJson) return fromPartial(s.value);
      if (s instanceof Unresolved) return s;
      try {
        return fromJson(JSON.parse(str(s)));
      } catch (e) {
        if (e instanceof FunctionError) throw e;
        return fail('jsondecode(): not valid JSON');
      }
    },
  },
  yamldecode: { min: 1, max: 1, fn: ([s]) => {
    try {
      return fromJson(parseYaml(str(s), { maxAliasCount: 100 }) ?? null);
    } catch (e) {
      if (e instanceof FunctionError) throw e;
      return fail('yamldecode(): not valid YAML');
    }
  } },
  yamlencode: { min: 1, max: 1, fn: ([v]) => stringifyYaml(toJson(v)) },
  csvdecode: { min: 1, max: 1, fn: () => unsupported('csvdecode') },

  // Files, relative to the root module's folder and confined to the configuration.
  file: { min: 1, max: 1, fn: ([p], host) => host.readFile(str(p)) },
  fileexists: { min: 1, max: 1, fn: ([p], host) => host.fileExists(str(p)) },
  filebase64: { min: 1, max: 1, fn: ([p], host) => {
    const t = host.readFile(str(p));
    return t instanceof Unresolved ? t : Buffer.from(t, 'utf8').toString('base64');
  } },
  templatefile: { min: 2, max: 2, fn: ([p, vars], host) => host.renderTemplate(str(p), map(vars)) },
  basename: { min: 1, max: 1, fn: ([p]) => str(p).replace(/\/+$/, '').split('/').pop() ?? '' },
  dirname: { min: 1, max: 1, fn: ([p]) => {
    const s = str(p);
    const i = s.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : s.slice(0, i);
  } },
  abspath: { min: 1, max: 1, fn: () => new TfUnknown('abspath() depends on where Terraform runs', 'impure') },
  pathexpand: { min: 1, max: 1, fn: () => new TfUnknown("pathexpand() depends on the user's home folder", 'impure') },
  fileset: { min: 2, max: 2, fn: () => unsupported('fileset') },

  // Network
  cidrsubnet: { min: 3, max: 3, fn: ([prefix, newbits, netnum]) => {
    const { base, bits } = cidr(str(prefix));
    const nb = num(newbits);
    const n = num(netnum);
    const total = bits + nb;
    if (total > 32 || n >= 2 ** nb) fail('cidrsubnet(): not enough room for the subnet');
    return `${ipv4String(base + n * 2 ** (32 - total))}/${total}`;
  } },
  cidrhost: { min: 2, max: 2, fn: ([prefix, hostnum]) => {
    const { base, bits } = cidr(str(prefix));
    const h = num(hostnum);
    const size = 2 ** (32 - bits);
    if (Math.abs(h) >= size) fail('cidrhost(): host number out of range');
    return ipv4String(base + (h < 0 ? size + h : h));
  } },
  cidrnetmask: { min: 1, max: 1, fn: ([prefix]) => {
    const { bits } = cidr(str(prefix));
    return ipv4String(bits === 0 ? 0 : (0xffffffff - (2 ** (32 - bits) - 1)));
  } },
  cidrsubnets: { min: 1, fn: ([prefix, ...newbits]) => {
    const { base, bits } = cidr(str(prefix));
    let next = base;
    return newbits.map((nbv) => {
      const total = bits + num(nbv);
      if (total > 32) fail('cidrsubnets(): not enough room');
      const size = 2 ** (32 - total);
      if (next % size !== 0) next += size - (next % size);
      const s = `${ipv4String(next)}/${total}`;
      next += size;
      return s;
    });
  } },

  // Values that differ at every run.
  timestamp: { max: 0, fn: () => new TfUnknown('timestamp() is the time Terraform runs', 'impure') },
  plantimestamp: { max: 0, fn: () => new TfUnknown('plantimestamp() is the time Terraform plans', 'impure') },
  uuid: { max: 0, fn: () => new TfUnknown('uuid() is random', 'impure') },
  bcrypt: { min: 1, fn: () => new TfUnknown('bcrypt() is salted at random', 'impure') },
  formatdate: { min: 2, max: 2, fn: () => unsupported('formatdate') },
  timeadd: { min: 2, max: 2, fn: () => unsupported('timeadd') },
};

/** A value with unknown leaves, for PartialJson: objects keyed as JSON (sorted), unknowns kept. */
function toPartial(v: Value): unknown {
  if (v instanceof Unresolved) return v;
  if (Array.isArray(v)) return v.map(toPartial);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = toPartial(v[k]);
    return out;
  }
  return v;
}

function fromPartial(v: unknown): Value {
  if (v instanceof Unresolved) return v;
  if (Array.isArray(v)) return v.map(fromPartial);
  if (v !== null && typeof v === 'object') {
    const o = obj();
    for (const [k, x] of Object.entries(v)) o[k] = fromPartial(x);
    return o;
  }
  return v as Value;
}

/** Calls a function by name; an unknown argument gives an unknown result unless the function handles it. */
export function callFunction(name: string, args: Value[], host: FunctionHost): Value {
  if (name.includes('::')) return new TfUnknown(`provider function ${name}() is not supported by trustscan`, 'unsupported');
  const def = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!def) return unsupported(name);
  if (def.min !== undefined && args.length < def.min) fail(`${name}() needs at least ${def.min} argument(s)`);
  if (def.max !== undefined && args.length > def.max) fail(`${name}() takes at most ${def.max} argument(s)`);
  if (!def.lenient) {
    for (const a of args) {
      const u = deepUnknown(a);
      if (u) return u instanceof TfUnknown ? u : new TfUnknown(u.reason, 'after-apply');
    }
  }
  return def.fn(args, host);
}

export { SETS, numberString };

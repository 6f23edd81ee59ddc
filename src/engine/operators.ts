import { RE2JS } from 're2js';
import { describeSchema, enumOf, isDate, itemsOf, type SchemaAt } from './schema-walk';

/**
 * Regular expressions in rules run on RE2JS, a maintained pure-JavaScript port of RE2: matching
 * takes time linear in the input whatever the pattern, so a rule (a user's, or a pull request's)
 * cannot hang a scan the way `^(a+)+$` hangs a backtracking engine. Chosen over the native `re2`
 * addon, which needs a C++ build (or a binary download) at install. What RE2 cannot run in linear
 * time — lookarounds, backreferences — is refused when the rule is loaded.
 */
export function compileLinearRegex(pattern: string): { test(s: string): boolean } | string {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    return `invalid regular expression ${JSON.stringify(pattern)}: ${why} (rules use RE2 syntax, matched in linear time: lookarounds and backreferences are not supported)`;
  }
}

/** Operators that test the value at a path (quantifiers and look-ups live in queries.ts). */
export const VALUE_OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'matches',
  'notMatches',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'empty',
  'contains',
  'olderThanDays',
  'newerThanDays',
  'before',
  'after',
] as const;
export type ValueOperator = (typeof VALUE_OPERATORS)[number];

/** A compiled test of one value; `now` is the scan time in epoch milliseconds. */
export type Predicate = (v: unknown, now: number) => boolean;

const DAY_MS = 86_400_000;

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Can a literal in the rule ever equal a value the schema allows? Catches typos like `equals: Enable`. */
function literalProblem(literal: unknown, at: SchemaAt, path: string): string | undefined {
  if (at.types === null) return undefined;
  const t = jsonType(literal);
  if (!at.types.has(t) && !(t === 'integer' && at.types.has('number'))) {
    return `'${path}' is ${describeSchema(at)}, so it can never equal ${JSON.stringify(literal)}`;
  }
  const allowed = enumOf(at);
  if (allowed && !allowed.some((a) => deepEqual(a, literal))) {
    return `'${path}' is one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; ${JSON.stringify(literal)} can never match`;
  }
  return undefined;
}

function needs(at: SchemaAt, type: string): boolean {
  return at.types === null || at.types.has(type);
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);
const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const ISO_PUNCT: [number, number][] = [[4, 45], [7, 45], [10, 84], [13, 58], [16, 58]];

/** `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `.fffZ`. */
function isIsoShape(v: string, n: number): boolean {
  for (const i of ISO_DIGITS) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  for (const [i, c] of ISO_PUNCT) if (v.charCodeAt(i) !== c) return false;
  if (n === 24) {
    if (v.charCodeAt(19) !== 46) return false;
    for (let i = 20; i < 23; i++) {
      const c = v.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
  }
  return true;
}

/**
 * Epoch milliseconds of a date string. Snapshot dates are nearly all `YYYY-MM-DDTHH:MM:SS[.fff]Z`;
 * reading those digits directly is several times faster than Date.parse, which date rules call
 * for every resource. Anything else (offsets, other precisions) goes through Date.parse.
 */
export function toTime(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  const n = v.length;
  if ((n === 20 || n === 24) && v.charCodeAt(n - 1) === 90 /* Z */ && isIsoShape(v, n)) {
    const month = two(v, 5);
    const day = two(v, 8);
    const hour = two(v, 11);
    const minute = two(v, 14);
    const second = two(v, 17);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59) {
      const ms = n === 24 ? digit(v, 20) * 100 + two(v, 21) : 0;
      const t = Date.UTC(two(v, 0) * 100 + two(v, 2), month - 1, day, hour, minute, second, ms);
      // Date.UTC rolls 31 February over into March: keep only dates that exist.
      if (new Date(t).getUTCDate() === day) return t;
    }
  }
  return Date.parse(v);
}

/**
 * Compiles one value operator against the schema of the value it reads. Returns the predicate,
 * or a message saying why the operator can never work there.
 */
export function compileValueOperator(op: ValueOperator, arg: unknown, at: SchemaAt, path: string): Predicate | string {
  switch (op) {
    case 'equals':
    case 'notEquals': {
      const problem = literalProblem(arg, at, path);
      if (problem) return problem;
      const eq: Predicate = arg !== null && typeof arg === 'object' ? (v) => deepEqual(v, arg) : (v) => v === arg || (arg === null && v === undefined);
      return op === 'equals' ? eq : (v, n) => !eq(v, n);
    }
    case 'in':
    case 'notIn': {
      if (!Array.isArray(arg) || arg.length === 0) return `'${op}' takes a non-empty list`;
      for (const a of arg) {
        const problem = literalProblem(a, at, path);
        if (problem) return problem;
      }
      const scalars = arg.every((a) => a === null || typeof a !== 'object');
      const set = new Set(arg);
      const member: Predicate = scalars ? (v) => set.has(v === undefined ? null : v) : (v) => arg.some((a) => deepEqual(a, v));
      return op === 'in' ? member : (v, n) => !member(v, n);
    }
    case 'matches':
    case 'notMatches': {
      if (typeof arg !== 'string') return `'${op}' takes a regular expression string`;
      if (!needs(at, 'string')) return `'${path}' is ${describeSchema(at)}, not a string: '${op}' needs a string`;
      const re = compileLinearRegex(arg);
      if (typeof re === 'string') return re;
      return op === 'matches' ? (v) => typeof v === 'string' && re.test(v) : (v) => !(typeof v === 'string' && re.test(v));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof arg !== 'number') return `'${op}' takes a number`;
      if (!needs(at, 'number')) return `'${path}' is ${describeSchema(at)}, not a number: '${op}' needs a number`;
      if (op === 'gt') return (v) => typeof v === 'number' && v > arg;
      if (op === 'gte') return (v) => typeof v === 'number' && v >= arg;
      if (op === 'lt') return (v) => typeof v === 'number' && v < arg;
      return (v) => typeof v === 'number' && v <= arg;
    }
    case 'exists':
      if (typeof arg !== 'boolean') return `'exists' takes true or false`;
      return arg ? (v) => v !== undefined && v !== null : (v) => v === undefined || v === null;
    case 'empty': {
      if (typeof arg !== 'boolean') return `'empty' takes true or false`;
      const isEmpty = (v: unknown): boolean =>
        v === undefined ||
        v === null ||
        v === '' ||
        (Array.isArray(v) && v.length === 0) ||
        (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
      return arg ? isEmpty : (v) => !isEmpty(v);
    }
    case 'contains': {
      if (!needs(at, 'array') && !needs(at, 'string')) return `'${path}' is ${describeSchema(at)}: 'contains' needs an array or a string`;
      if (at.types !== null && !at.types.has('array') && typeof arg !== 'string') return `'contains' on a string takes a string`;
      const items = itemsOf(at);
      if (items && at.types?.has('array') && !at.types.has('string')) {
        const problem = literalProblem(arg, { schema: items, types: null }, `${path}[*]`);
        if (problem) return problem;
      }
      return (v) =>
        Array.isArray(v) ? v.some((x) => deepEqual(x, arg)) : typeof v === 'string' && typeof arg === 'string' && v.includes(arg);
    }
    case 'olderThanDays':
    case 'newerThanDays': {
      if (typeof arg !== 'number' || arg < 0) return `'${op}' takes a number of days (0 or more)`;
      if (!needs(at, 'string') || !isDate(at)) return `'${path}' is not a date: '${op}' needs a date-time property`;
      const ms = arg * DAY_MS;
      return op === 'olderThanDays'
        ? (v, now) => {
            const t = toTime(v);
            return !Number.isNaN(t) && now - t > ms;
          }
        : (v, now) => {
            const t = toTime(v);
            return !Number.isNaN(t) && now - t <= ms;
          };
    }
    case 'before':
    case 'after': {
      const limit = typeof arg === 'string' ? Date.parse(arg) : NaN;
      if (Number.isNaN(limit)) return `'${op}' takes an ISO 8601 date-time, e.g. 2024-01-01T00:00:00Z`;
      if (!needs(at, 'string') || !isDate(at)) return `'${path}' is not a date: '${op}' needs a date-time property`;
      return op === 'before'
        ? (v) => {
            const t = toTime(v);
            return !Number.isNaN(t) && t < limit;
          }
        : (v) => {
            const t = toTime(v);
            return !Number.isNaN(t) && t > limit;
          };
    }
  }
}

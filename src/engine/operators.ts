import { describeSchema, enumOf, isDate, itemsOf, type SchemaAt } from './schema-walk';

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
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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

function toTime(v: unknown): number {
  return typeof v === 'string' ? Date.parse(v) : NaN;
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
      let re: RegExp;
      try {
        re = new RegExp(arg, 'u');
      } catch (e) {
        return `invalid regular expression ${JSON.stringify(arg)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
      }
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

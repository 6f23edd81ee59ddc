import type { ResourceTypeDef } from '../core/resource-types/registry';
import { FALSE, not, TRUE, type Tri, UNKNOWN } from '../core/tri';
import { type Comparators, compareCount } from './count';
import type { EvalContext } from './eval-context';
import { type CompileEnv, type CompileFn, type DocPath, type Node, pathReason, problem, shown } from './node';
import { compilePath, type CompiledPath, elementPaths, type Scope } from './paths';
import { itemsOf } from './schema-walk';
import type { Entry, Target } from './snapshot-index';

export const QUANTIFIERS = ['anyMatch', 'allMatch', 'noneMatch', 'count'] as const;
export const RESOURCE_QUERIES = ['anyResource', 'noResource', 'countResources'] as const;
const COMPARATORS = ['eq', 'gte', 'gt', 'lte', 'lt'] as const;
/** How many matching resource ids evidence lists. */
const EVIDENCE_IDS = 10;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads eq/gte/gt/lte/lt from a spec; returns a problem message when none or a bad one is given. */
function comparators(spec: Record<string, unknown>, op: string): Comparators | string {
  const out: Comparators = {};
  let any = false;
  for (const c of COMPARATORS) {
    if (!(c in spec)) continue;
    const v = spec[c];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `'${op}.${c}' takes a whole number`;
    out[c] = v;
    any = true;
  }
  return any ? out : `'${op}' needs a comparison: eq, gte, gt, lte or lt`;
}

function unexpectedKeys(spec: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(spec).find((k) => !allowed.includes(k));
}

/** anyMatch / allMatch / noneMatch / count over the array at `path`; the nested condition sees one element. */
export function compileQuantifier(op: string, arg: unknown, path: CompiledPath, at: DocPath, scope: Scope, env: CompileEnv, compile: CompileFn): Node {
  const items = itemsOf(path.at);
  if (items === null) return problem(env, at.slice(0, -1), `'${path.text}' is not an array: '${op}' needs an array`, op);
  const elementScope: Scope = { typeDef: scope.typeDef, schema: items, prefix: [...(path.absolute ?? []), '*'] };
  let inner: Node | null;
  let cmp: Comparators | null = null;
  if (op === 'count') {
    if (!isObject(arg)) return problem(env, at, `'count' takes {where?: condition, eq|gte|gt|lte|lt: N}`);
    const bad = unexpectedKeys(arg, ['where', ...COMPARATORS]);
    if (bad) return problem(env, at, `unknown key '${bad}' in count (expected where, eq, gte, gt, lte, lt)`, bad);
    const c = comparators(arg, 'count');
    if (typeof c === 'string') return problem(env, at, c);
    cmp = c;
    inner = 'where' in arg ? compile(arg.where, [...at, 'where'], elementScope, env) : null;
  } else {
    inner = compile(arg, at, elementScope, env);
  }
  const get = path.getContainer;
  const segs = path.segs;
  /** Verdicts of the inner condition per element; null when the array itself is unknown. */
  const each = (t: Target, c: EvalContext, visit: (v: Tri) => boolean): Tri | null => {
    const arr = get(t, c);
    if (arr === UNKNOWN) return null;
    if (!Array.isArray(arr)) return FALSE;
    if (inner === null) {
      // An element a fact left UNKNOWN may or may not be there: it counts as possible, not certain.
      for (let i = 0; i < arr.length; i++) if (!visit(arr[i] === UNKNOWN ? UNKNOWN : TRUE)) break;
      return TRUE;
    }
    // Conditions never keep their target, so one element target serves the whole loop.
    const et: Target = { value: undefined, unknown: null, present: null, entry: t.entry };
    for (let i = 0; i < arr.length; i++) {
      et.value = arr[i];
      et.unknown = t.unknown === null ? null : elementPaths(t.unknown, segs, i);
      et.present = t.present === null ? null : elementPaths(t.present, segs, i);
      if (!visit(inner.fn(et, c))) break;
    }
    return TRUE;
  };
  let fn: Node['fn'];
  if (op === 'count') {
    const comparison = cmp!;
    fn = (t, c) => {
      let min = 0;
      let max = 0;
      if (each(t, c, (v) => ((min += v === TRUE ? 1 : 0), (max += v === FALSE ? 0 : 1), true)) === null) return UNKNOWN;
      return compareCount(comparison, { min, max });
    };
  } else {
    // allMatch(x) = noneMatch(not x); anyMatch = not noneMatch.
    const wanted: Tri = op === 'allMatch' ? FALSE : TRUE;
    const someFn = (t: Target, c: EvalContext): Tri => {
      let result: Tri = FALSE;
      const ok = each(t, c, (v) => {
        if (v === wanted) {
          result = TRUE;
          return false;
        }
        if (v === UNKNOWN) result = UNKNOWN;
        return true;
      });
      return ok === null ? UNKNOWN : result;
    };
    fn = op === 'anyMatch' ? someFn : (t, c) => not(someFn(t, c));
  }
  return {
    fn,
    explain: (t, c, out) => {
      out[path.text] = shown(get(t, c));
    },
    why: (t, c, out) => {
      const arr = get(t, c);
      if (arr === UNKNOWN) {
        out.push(pathReason(path, t, c));
        return;
      }
      if (!Array.isArray(arr) || inner === null) return;
      let factExplained = false;
      for (let i = 0; i < arr.length; i++) {
        // An element a fact left UNKNOWN (or a field of it): the fact knows why, the element path does not.
        if (path.fact && (arr[i] === UNKNOWN || inner.fn({ value: arr[i], unknown: null, present: null, entry: t.entry }, c) === UNKNOWN)) {
          if (!factExplained) out.push(pathReason(path, t, c));
          factExplained = true;
          continue;
        }
        const et: Target = { value: arr[i], unknown: elementPaths(t.unknown, segs, i), present: elementPaths(t.present, segs, i), entry: t.entry };
        if (inner.fn(et, c) === UNKNOWN) inner.why(et, c, out);
      }
    },
  };
}

/**
 * True when the resource comes from infrastructure code: a plan or template declares some of an
 * account's resources, so "none of this type matches" is never known from it.
 */
function partialInventory(t: Target): boolean {
  return t.entry.r.source.kind !== 'runtime';
}

function resourceType(env: CompileEnv, spec: Record<string, unknown>): ResourceTypeDef | string {
  if (typeof spec.type !== 'string') return `'type' is required: the resource type to look up`;
  const def = env.registry.get(spec.type);
  if (!def) return `unknown resource type '${spec.type}'`;
  return def;
}

/**
 * `related`: the resource(s) of another type whose `by` field equals the value at `path` must all
 * meet `where`. Missing related resources give `ifMissing` (UNKNOWN by default: the snapshot may
 * simply not cover the account that owns them).
 */
export function compileRelated(arg: unknown, path: CompiledPath, at: DocPath, env: CompileEnv, compile: CompileFn): Node {
  if (!isObject(arg)) return problem(env, at, `'related' takes {type, by?, where, ifMissing?}`);
  const bad = unexpectedKeys(arg, ['type', 'by', 'where', 'ifMissing']);
  if (bad) return problem(env, at, `unknown key '${bad}' in related (expected type, by, where, ifMissing)`, bad);
  const def = resourceType(env, arg);
  if (typeof def === 'string') return problem(env, [...at, 'type'], def);
  env.types.add(def.type);
  const by = arg.by === undefined ? '$id' : arg.by;
  if (typeof by !== 'string' || (by.startsWith('$') && by !== '$id' && by !== '$name')) {
    return problem(env, [...at, 'by'], `'by' is $id, $name or a property path of ${def.type}`);
  }
  if (!by.startsWith('$')) {
    const p = compilePath(by, { typeDef: def, schema: def.properties, prefix: [] }, env.facts);
    if (typeof p === 'string') return problem(env, [...at, 'by'], p);
    if (p.fact) return problem(env, [...at, 'by'], `'by' cannot be a fact`);
  }
  const ifMissing = arg.ifMissing ?? 'unknown';
  if (!['unknown', 'pass', 'fail'].includes(ifMissing as string)) return problem(env, [...at, 'ifMissing'], `'ifMissing' is unknown, pass or fail`);
  if (!('where' in arg)) return problem(env, at, `'related' needs 'where': the condition on the related resource`);
  const where = compile(arg.where, [...at, 'where'], { typeDef: def, schema: def.properties, prefix: [] }, env);
  const missing: Tri = ifMissing === 'pass' ? TRUE : ifMissing === 'fail' ? FALSE : UNKNOWN;
  const type = def.type;
  const find = (t: Target, c: EvalContext): readonly Entry[] | null | typeof UNKNOWN => {
    const v = path.get(t, c);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v !== 'string' || v === '') return null;
    const found = c.index.lookup(type, by, v);
    return found.length ? found : null;
  };
  // Infrastructure code declares some of an account's resources, never all: a related resource
  // it does not declare may still exist, so ifMissing pass/fail cannot decide.
  const missingVerdict = (t: Target, c: EvalContext): Tri =>
    missing !== UNKNOWN && (c.index.allListingGaps(type).length > 0 || partialInventory(t)) ? UNKNOWN : missing;
  return {
    fn: (t, c) => {
      const found = find(t, c);
      if (found === UNKNOWN) return UNKNOWN;
      if (found === null) return missingVerdict(t, c);
      let result: Tri = TRUE;
      for (const e of found) {
        const v = where.fn(e.root, c);
        if (v === FALSE) return FALSE;
        if (v === UNKNOWN) result = UNKNOWN;
      }
      return result;
    },
    explain: (t, c, out) => {
      const found = find(t, c);
      out[path.text] = shown(path.get(t, c));
      const key = `${path.text} → ${type}`;
      // No related resource in the snapshot is an empty list: one type for the field either way.
      if (found === UNKNOWN) out[key] = UNKNOWN;
      else if (found === null) out[key] = [];
      else {
        out[key] = found.map((e) => {
          const ev: Record<string, unknown> = {};
          where.explain(e.root, c, ev);
          return { id: e.r.id, ...ev };
        });
      }
    },
    why: (t, c, out) => {
      const found = find(t, c);
      if (found === UNKNOWN) out.push(pathReason(path, t, c));
      else if (found === null) {
        const gaps = c.index.allListingGaps(type);
        out.push(
          gaps.length
            ? `${type} '${String(path.get(t, c))}' not found, and its listing is incomplete: ${gaps.map((g) => `${g.account}/${g.region} ${g.reason}`).join('; ')}`
            : partialInventory(t)
              ? `${type} '${String(path.get(t, c))}' is not declared in this infrastructure code (it may exist outside it)`
              : `${type} '${String(path.get(t, c))}' is not in the snapshot (its account was not scanned?)`,
        );
      } else {
        for (const e of found) {
          if (where.fn(e.root, c) !== UNKNOWN) continue;
          const inner: string[] = [];
          where.why(e.root, c, inner);
          out.push(...inner.map((r) => `${e.r.id}: ${r}`));
        }
      }
    },
  };
}

/**
 * anyResource / noResource / countResources: account-level checks over the other resources in
 * scope ("at least one multi-region trail is logging"). An incomplete listing widens the count
 * range, so it only matters when it could change the answer.
 */
export function compileResourceQuery(op: string, arg: unknown, at: DocPath, _scope: Scope, env: CompileEnv, compile: CompileFn): Node {
  if (!isObject(arg)) return problem(env, at, `'${op}' takes {type, where?, scope?${op === 'countResources' ? ', eq|gte|gt|lte|lt' : ''}}`);
  const allowed = op === 'countResources' ? ['type', 'where', 'scope', ...COMPARATORS] : ['type', 'where', 'scope'];
  const bad = unexpectedKeys(arg, allowed);
  if (bad) return problem(env, at, `unknown key '${bad}' in ${op} (expected ${allowed.join(', ')})`, bad);
  const def = resourceType(env, arg);
  if (typeof def === 'string') return problem(env, [...at, 'type'], def);
  env.types.add(def.type);
  const scopeName = arg.scope ?? 'account';
  if (!['account', 'region', 'snapshot'].includes(scopeName as string)) return problem(env, [...at, 'scope'], `'scope' is account, region or snapshot`);
  let cmp: Comparators = { gte: 1 };
  if (op === 'countResources') {
    const c = comparators(arg, op);
    if (typeof c === 'string') return problem(env, at, c);
    cmp = c;
  }
  const where = 'where' in arg ? compile(arg.where, [...at, 'where'], { typeDef: def, schema: def.properties, prefix: [] }, env) : null;
  const type = def.type;
  const candidates = (t: Target, c: EvalContext): readonly Entry[] => {
    const r = t.entry.r;
    if (scopeName === 'snapshot') return c.index.entriesOfType(type);
    const inAccount = c.index.entriesInAccount(type, r.account);
    return scopeName === 'region' ? inAccount.filter((e) => e.r.region === r.region || e.r.region === 'global') : inAccount;
  };
  const gaps = (t: Target, c: EvalContext) => {
    const r = t.entry.r;
    if (scopeName === 'snapshot') return c.index.allListingGaps(type);
    return c.index.listingGaps(type, r.account, scopeName === 'region' ? r.region : undefined);
  };
  const count = (t: Target, c: EvalContext): { min: number; max: number } => {
    let min = 0;
    let max = 0;
    for (const e of candidates(t, c)) {
      const v = where === null ? TRUE : where.fn(e.root, c);
      if (v === TRUE) min++;
      if (v !== FALSE) max++;
    }
    if (gaps(t, c).length > 0 || partialInventory(t)) max = Infinity;
    return { min, max };
  };
  const positive = (t: Target, c: EvalContext): Tri => compareCount(cmp, count(t, c));
  return {
    fn: op === 'noResource' ? (t, c) => not(positive(t, c)) : positive,
    explain: (t, c, out) => {
      const matching: string[] = [];
      let inScope = 0;
      for (const e of candidates(t, c)) {
        inScope++;
        if ((where === null ? TRUE : where.fn(e.root, c)) === TRUE && matching.length < EVIDENCE_IDS) matching.push(e.r.id);
      }
      const g = gaps(t, c);
      out[`${op} ${type}`] = { inScope, matching, ...(g.length ? { incompleteListing: g.map((x) => `${x.account}/${x.region}: ${x.reason}`) } : {}) };
    },
    why: (t, c, out) => {
      for (const g of gaps(t, c)) out.push(`${type} listing incomplete in ${g.account}/${g.region}: ${g.reason}`);
      if (partialInventory(t)) out.push(`${type}: only the resources declared in this infrastructure code are known, not the account's others`);
      if (where === null) return;
      for (const e of candidates(t, c)) {
        if (where.fn(e.root, c) !== UNKNOWN) continue;
        const inner: string[] = [];
        where.why(e.root, c, inner);
        out.push(...inner.map((r) => `${e.r.id}: ${r}`));
      }
    },
  };
}

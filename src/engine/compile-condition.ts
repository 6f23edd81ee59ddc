import { parsePath } from '../core/property-path';
import { FALSE, not, TRUE, type Tri, UNKNOWN } from '../core/tri';
import type { EvalContext } from './eval-context';
import { type CompileEnv, type DocPath, type Node, pathReason, problem, shown, UNKNOWN_BUT_SET } from './node';
import { compileValueOperator, VALUE_OPERATORS, type ValueOperator } from './operators';
import { compilePath, type CompiledPath, type Scope, SET } from './paths';
import { compileQuantifier, compileRelated, compileResourceQuery, QUANTIFIERS, RESOURCE_QUERIES } from './queries';
import type { Target } from './snapshot-index';

const COMBINATORS = ['all', 'any', 'none', 'not'] as const;
export const PATH_OPERATORS: readonly string[] = [...VALUE_OPERATORS, ...QUANTIFIERS, 'related'];
export const ALL_CONDITION_KEYS: readonly string[] = [...COMBINATORS, 'path', ...PATH_OPERATORS, ...RESOURCE_QUERIES];

/** Edit distance, for "did you mean" hints on misspelt operators. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

export function suggest(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(word, c);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

function compileCombinator(op: (typeof COMBINATORS)[number], arg: unknown, at: DocPath, scope: Scope, env: CompileEnv): Node {
  if (op === 'not') {
    const inner = compileCondition(arg, [...at, 'not'], scope, env);
    return {
      fn: (t, c) => not(inner.fn(t, c)),
      explain: inner.explain,
      why: inner.why,
    };
  }
  if (!Array.isArray(arg) || arg.length === 0) return problem(env, [...at, op], `'${op}' takes a non-empty list of conditions`);
  const kids = arg.map((c, i) => compileCondition(c, [...at, op, i], scope, env));
  const n = kids.length;
  const explain: Node['explain'] = (t, c, out) => {
    for (const k of kids) k.explain(t, c, out);
  };
  const why: Node['why'] = (t, c, out) => {
    for (const k of kids) if (k.fn(t, c) === UNKNOWN) k.why(t, c, out);
  };
  if (op === 'all') {
    return {
      fn: (t, c) => {
        let sawUnknown = false;
        for (let i = 0; i < n; i++) {
          const v = kids[i].fn(t, c);
          if (v === FALSE) return FALSE;
          if (v === UNKNOWN) sawUnknown = true;
        }
        return sawUnknown ? UNKNOWN : TRUE;
      },
      explain,
      why,
    };
  }
  // any / none
  const anyFn = (t: Target, c: EvalContext): Tri => {
    let sawUnknown = false;
    for (let i = 0; i < n; i++) {
      const v = kids[i].fn(t, c);
      if (v === TRUE) return TRUE;
      if (v === UNKNOWN) sawUnknown = true;
    }
    return sawUnknown ? UNKNOWN : FALSE;
  };
  return { fn: op === 'any' ? anyFn : (t, c) => not(anyFn(t, c)), explain, why };
}

function compileLeaf(op: ValueOperator, arg: unknown, path: CompiledPath, at: DocPath, env: CompileEnv): Node {
  const pred = compileValueOperator(op, arg, path.at, path.text);
  if (typeof pred === 'string') return problem(env, [...at, op], pred);
  // Presence and emptiness do not depend on what is inside: an array with an unreadable element
  // is still known to be non-empty. Presence is also known for an unknown value listed as
  // certainly set (SET, which is not null); whether that value is empty is not.
  const get = op === 'exists' ? path.getPresence : op === 'empty' ? path.getContainer : path.get;
  return {
    fn: (t, c) => {
      const v = get(t, c);
      // An unreadable value is the UNKNOWN marker itself, so it passes through as the verdict.
      if (v === UNKNOWN) return UNKNOWN;
      return pred(v, c.now) ? TRUE : FALSE;
    },
    explain: (t, c, out) => {
      const v = get(t, c);
      if (v !== SET) {
        out[path.text] = shown(v);
        return;
      }
      // Set but unreadable (known only after apply): the value is unknown, and why it is known
      // to be set is noted beside it, since it decided the verdict.
      out[path.text] = UNKNOWN;
      const why = pathReason(path, t, c);
      const notes = (out[UNKNOWN_BUT_SET] ??= []) as string[];
      if (!notes.includes(why)) notes.push(why);
    },
    why: (t, c, out) => {
      if (get(t, c) === UNKNOWN) out.push(pathReason(path, t, c));
    },
  };
}

/**
 * Compiles one condition. Problems are collected in `env.problems` (each with its place in the
 * rule document) and compilation goes on, so one run reports every mistake in a rule.
 */
export function compileCondition(raw: unknown, at: DocPath, scope: Scope, env: CompileEnv): Node {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return problem(env, at, 'a condition must be a mapping, e.g. {path: x, equals: y} or {all: [...]}');
  }
  const cond = raw as Record<string, unknown>;
  const keys = Object.keys(cond);
  for (const k of keys) {
    if (!ALL_CONDITION_KEYS.includes(k)) return problem(env, at, `unknown operator '${k}'${suggest(k, ALL_CONDITION_KEYS)}`, k);
  }
  const combinators = keys.filter((k) => (COMBINATORS as readonly string[]).includes(k));
  const queries = keys.filter((k) => (RESOURCE_QUERIES as readonly string[]).includes(k));
  const pathOps = keys.filter((k) => PATH_OPERATORS.includes(k));
  if (combinators.length + queries.length > 1 || ((combinators.length || queries.length) && keys.length > 1)) {
    return problem(env, at, `a condition has one operator; found ${keys.join(', ')} (wrap several in 'all' or 'any')`);
  }
  if (combinators.length) return compileCombinator(combinators[0] as (typeof COMBINATORS)[number], cond[combinators[0]], at, scope, env);
  if (queries.length) return compileResourceQuery(queries[0], cond[queries[0]], [...at, queries[0]], scope, env, compileCondition);
  if (!('path' in cond)) return problem(env, at, `'${keys[0]}' needs a 'path' to test`);
  if (pathOps.length === 0) return problem(env, at, `'path' needs an operator such as equals, exists or anyMatch`);
  if (pathOps.length > 1) return problem(env, at, `a condition has one operator; found ${pathOps.join(', ')} (wrap several in 'all' or 'any')`);
  if (typeof cond.path !== 'string') return problem(env, [...at, 'path'], `'path' must be a string`);
  const path = compilePath(cond.path, scope, env.facts);
  if (typeof path === 'string') return problem(env, [...at, 'path'], path);
  if (path.absolute && !path.fact) env.reads.push({ type: scope.typeDef.type, path: path.absolute });
  if (path.fact) for (const d of path.fact.dependsOn) env.reads.push({ type: scope.typeDef.type, path: parsePath(d) });
  if (path.fact?.caveats && scope === env.rootScope) env.caveatFacts?.add(path.fact);
  const op = pathOps[0];
  if ((QUANTIFIERS as readonly string[]).includes(op)) return compileQuantifier(op, cond[op], path, [...at, op], scope, env, compileCondition);
  if (op === 'related') return compileRelated(cond.related, path, [...at, 'related'], env, compileCondition);
  return compileLeaf(op as ValueOperator, cond[op], path, at, env);
}

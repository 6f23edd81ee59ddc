import { Unresolved } from '../values';
import { type Expr, type Pos, type TemplatePart, traversal } from './ast';
import { callFunction, type FunctionHost, FunctionError } from './functions';
import { equal, isObject, numberString, obj, OPEN, primitiveString, SETS, type TfObject, TfUnknown, typeName, type Value } from './values';

/**
 * Evaluates one expression of the Terraform language. Unknown values propagate: an operation on
 * an unknown gives an unknown with the same reason. What Terraform would reject (an attribute a
 * known object lacks, a type error) raises EvalError, located; the caller decides whether it is
 * a fallback (try), an unknown with the message, or an input error.
 */

export class EvalError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
  ) {
    super(message);
  }
}

/** A step key after a root name: an attribute name, or an evaluated index. */
export type Key = { attr: string } | { index: Value };

/** Names an expression can refer to. */
export interface Scope {
  /**
   * The value of a root name followed by `keys`: the scope consumes as many keys as it resolves
   * lazily (a resource's one attribute, a module's one output) and says how many.
   */
  lookup(name: string, keys: Key[], pos: Pos): { value: Value; used: number };
  readonly host: FunctionHost;
}

/** A scope with extra local names (for-expression symbols, `each`, a dynamic block's iterator). */
export class Bindings implements Scope {
  constructor(
    private readonly parent: Scope,
    private readonly names: Map<string, Value>,
  ) {}

  get host(): FunctionHost {
    return this.parent.host;
  }

  lookup(name: string, keys: Key[], pos: Pos): { value: Value; used: number } {
    if (this.names.has(name)) return { value: this.names.get(name)!, used: 0 };
    return this.parent.lookup(name, keys, pos);
  }
}

/** Applies one attribute or index step to a known or unknown value. */
export function step(v: Value, key: Key, pos: Pos): Value {
  if (v instanceof Unresolved) return v;
  if ('index' in key && key.index instanceof Unresolved) return key.index;
  if (v === null) throw new EvalError(`cannot read ${'attr' in key ? `attribute '${key.attr}'` : 'an index'} of null`, pos);
  if ('attr' in key) {
    if (isObject(v)) {
      if (Object.prototype.hasOwnProperty.call(v, key.attr)) return v[key.attr];
      const open = v[OPEN];
      if (open) return open(key.attr);
      throw new EvalError(`this object has no attribute '${key.attr}'`, pos);
    }
    throw new EvalError(`cannot read attribute '${key.attr}' of a ${typeName(v)}`, pos);
  }
  const k = key.index;
  if (Array.isArray(v)) {
    if (SETS.has(v)) throw new EvalError('a set cannot be indexed; convert it with tolist()', pos);
    const i = typeof k === 'number' ? k : typeof k === 'string' && /^-?\d+$/.test(k) ? Number(k) : NaN;
    if (!Number.isInteger(i)) throw new EvalError(`a list index must be a whole number, got ${typeName(k)}`, pos);
    if (i < 0 || i >= v.length) throw new EvalError(`index ${i} is out of range (the list has ${v.length} element(s))`, pos);
    return v[i];
  }
  if (isObject(v)) {
    const s = primitiveString(k);
    if (s === undefined) throw new EvalError(`a map key must be a string, got ${typeName(k)}`, pos);
    if (Object.prototype.hasOwnProperty.call(v, s)) return v[s];
    const open = v[OPEN];
    if (open) return open(s);
    throw new EvalError(`the map has no key "${s.length > 60 ? `${s.slice(0, 60)}…` : s}"`, pos);
  }
  throw new EvalError(`a ${typeName(v)} cannot be indexed`, pos);
}

function keyOf(e: Expr, scope: Scope): Key | Unresolved {
  return { index: evaluate(e, scope) };
}

function toBool(v: Value, pos: Pos, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new EvalError(`${what} must be a bool, got ${typeName(v)}`, pos);
}

function toNum(v: Value, pos: Pos): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new EvalError(`a number is required, got ${typeName(v)}`, pos);
}

/** Elements of a collection for `for` expressions and `for_each`: [key, value] pairs in Terraform's order. */
export function elements(v: Value, pos: Pos): [Value, Value][] | Unresolved {
  if (v instanceof Unresolved) return v;
  if (Array.isArray(v)) return SETS.has(v) ? v.map((x) => [x, x]) : v.map((x, i) => [i, x]);
  if (isObject(v)) {
    const open = v[OPEN];
    if (open) return open('*');
    return Object.keys(v)
      .sort()
      .map((k) => [k, v[k]]);
  }
  throw new EvalError(`cannot iterate over a ${typeName(v)}`, pos);
}

export function evaluate(e: Expr, scope: Scope): Value {
  switch (e.k) {
    case 'lit':
      return e.value;
    case 'paren':
      return evaluate(e.expr, scope);
    case 'template':
      return template(e.parts, scope, e.pos);
    case 'tuple':
      return e.items.map((x) => evaluate(x, scope));
    case 'object': {
      const out: TfObject = obj();
      for (const it of e.items) {
        const k = evaluate(it.key, scope);
        if (k instanceof Unresolved) return k;
        const s = primitiveString(k);
        if (s === undefined) throw new EvalError(`an object key must be a string, got ${typeName(k)}`, it.key.pos);
        out[s] = evaluate(it.value, scope);
      }
      return out;
    }
    case 'var':
    case 'attr':
    case 'index': {
      const t = traversal(e);
      if (!t) {
        const base = evaluate((e as { obj: Expr }).obj, scope);
        if (e.k === 'attr') return step(base, { attr: e.name }, e.pos);
        const k = keyOf((e as { key: Expr }).key, scope);
        return k instanceof Unresolved ? k : step(base, k, e.pos);
      }
      const keys: Key[] = [];
      for (const s of t.steps) {
        if (s.k === 'attr') keys.push({ attr: s.name });
        else {
          const k = keyOf(s.key, scope);
          if (k instanceof Unresolved) return k;
          keys.push(k);
        }
      }
      const { value, used } = scope.lookup(t.root, keys, t.pos);
      let v = value;
      for (let i = used; i < keys.length; i++) v = step(v, keys[i], e.pos);
      return v;
    }
    case 'anon':
      return scope.lookup('\u0000anon', [], e.pos).value;
    case 'splat': {
      const base = evaluate(e.obj, scope);
      if (base instanceof Unresolved) return base;
      if (base === null) return [];
      const items = Array.isArray(base) ? base : [base];
      return items.map((x) => evaluate(e.each, new Bindings(scope, new Map([['\u0000anon', x]]))));
    }
    case 'call': {
      if (e.name === 'try' || e.name === 'can') return tryCall(e.name, e.args, scope, e.pos);
      let args = e.args.map((a) => evaluate(a, scope));
      if (e.expand && args.length > 0) {
        const last = args[args.length - 1];
        if (last instanceof Unresolved) return last;
        if (!Array.isArray(last)) throw new EvalError('the argument before ... must be a list', e.pos);
        args = [...args.slice(0, -1), ...last];
      }
      try {
        return callFunction(e.name, args, scope.host);
      } catch (err) {
        if (err instanceof FunctionError) throw new EvalError(err.message, e.pos);
        throw err;
      }
    }
    case 'cond': {
      const c = evaluate(e.cond, scope);
      if (c instanceof Unresolved) return c;
      return toBool(c, e.cond.pos, 'the condition') ? evaluate(e.then, scope) : evaluate(e.else, scope);
    }
    case 'unary': {
      const v = evaluate(e.expr, scope);
      if (v instanceof Unresolved) return v;
      return e.op === '!' ? !toBool(v, e.pos, 'the operand of !') : -toNum(v, e.pos);
    }
    case 'binary':
      return binary(e.op, e.left, e.right, scope, e.pos);
    case 'for':
      return forExpr(e, scope);
  }
}

function binary(op: string, le: Expr, re: Expr, scope: Scope, pos: Pos): Value {
  const l = evaluate(le, scope);
  // && and || decide on a known left operand alone (`var.x != null && var.x.y`).
  if (op === '&&' || op === '||') {
    if (!(l instanceof Unresolved)) {
      const lb = toBool(l, pos, `the left operand of ${op}`);
      if (op === '&&' && !lb) return false;
      if (op === '||' && lb) return true;
    }
    const r = evaluate(re, scope);
    if (l instanceof Unresolved) return l;
    if (r instanceof Unresolved) return r;
    return toBool(r, pos, `the right operand of ${op}`);
  }
  const r = evaluate(re, scope);
  if (l instanceof Unresolved) return l;
  if (r instanceof Unresolved) return r;
  switch (op) {
    case '==':
      return equalLoose(l, r);
    case '!=':
      return !equalLoose(l, r);
    case '+':
      return toNum(l, pos) + toNum(r, pos);
    case '-':
      return toNum(l, pos) - toNum(r, pos);
    case '*':
      return toNum(l, pos) * toNum(r, pos);
    case '/': {
      const d = toNum(r, pos);
      if (d === 0) throw new EvalError('division by zero', pos);
      return toNum(l, pos) / d;
    }
    case '%': {
      const d = toNum(r, pos);
      if (d === 0) throw new EvalError('division by zero', pos);
      return toNum(l, pos) % d;
    }
    case '<':
      return toNum(l, pos) < toNum(r, pos);
    case '<=':
      return toNum(l, pos) <= toNum(r, pos);
    case '>':
      return toNum(l, pos) > toNum(r, pos);
    case '>=':
      return toNum(l, pos) >= toNum(r, pos);
    default:
      throw new EvalError(`unknown operator ${op}`, pos);
  }
}

/** `==` of Terraform: a number equals its string form only after conversion, which HCL does not do; deep otherwise. */
function equalLoose(a: Value, b: Value): boolean {
  return equal(a, b);
}

function tryCall(name: 'try' | 'can', args: Expr[], scope: Scope, pos: Pos): Value {
  if (args.length === 0) throw new EvalError(`${name}() needs an argument`, pos);
  for (const a of name === 'can' ? args.slice(0, 1) : args) {
    try {
      const v = evaluate(a, scope);
      // An unknown first argument may or may not fail once known: the result is unknown.
      if (v instanceof Unresolved) return v;
      return name === 'can' ? true : v;
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
    }
  }
  if (name === 'can') return false;
  throw new EvalError('try(): every argument failed', pos);
}

function forExpr(e: Extract<Expr, { k: 'for' }>, scope: Scope): Value {
  const coll = evaluate(e.coll, scope);
  const els = elements(coll, e.coll.pos);
  if (els instanceof Unresolved) return els;
  const tuple: Value[] = [];
  const object: TfObject = obj();
  for (const [k, v] of els) {
    const names = new Map<string, Value>([[e.valVar, v]]);
    if (e.keyVar) names.set(e.keyVar, k);
    const inner = new Bindings(scope, names);
    if (e.cond) {
      const c = evaluate(e.cond, inner);
      if (c instanceof Unresolved) return c;
      if (!toBool(c, e.cond.pos, 'the for condition')) continue;
    }
    if (e.key) {
      const kv = evaluate(e.key, inner);
      if (kv instanceof Unresolved) return kv;
      const ks = primitiveString(kv);
      if (ks === undefined) throw new EvalError(`a for expression key must be a string, got ${typeName(kv)}`, e.key.pos);
      const val = evaluate(e.value, inner);
      if (e.group) ((object[ks] ??= []) as Value[]).push(val);
      else {
        if (Object.prototype.hasOwnProperty.call(object, ks)) throw new EvalError(`duplicate key "${ks.slice(0, 60)}" in a for expression (add ... to group)`, e.key.pos);
        object[ks] = val;
      }
    } else tuple.push(evaluate(e.value, inner));
  }
  return e.key ? object : tuple;
}

function template(parts: TemplatePart[], scope: Scope, pos: Pos): Value {
  // "${x}" alone is x itself, not its string form.
  if (parts.length === 1 && parts[0].k === 'interp') return evaluate(parts[0].expr, scope);
  let out = '';
  for (const p of parts) {
    const v = part(p, scope, pos);
    if (v instanceof Unresolved) return v;
    out += v;
  }
  return out;
}

function part(p: TemplatePart, scope: Scope, pos: Pos): string | Unresolved {
  switch (p.k) {
    case 'text':
      return p.text;
    case 'interp': {
      const v = evaluate(p.expr, scope);
      if (v instanceof Unresolved) return v;
      if (v === null) throw new EvalError('a template cannot include null', p.expr.pos);
      const s = primitiveString(v);
      if (s === undefined) throw new EvalError(`a template cannot include a ${typeName(v)}`, p.expr.pos);
      return s;
    }
    case 'if': {
      const c = evaluate(p.cond, scope);
      if (c instanceof Unresolved) return c;
      const chosen = toBool(c, p.cond.pos, 'the %{if} condition') ? p.then : p.else;
      let out = '';
      for (const x of chosen) {
        const v = part(x, scope, pos);
        if (v instanceof Unresolved) return v;
        out += v;
      }
      return out;
    }
    case 'for': {
      const els = elements(evaluate(p.coll, scope), p.coll.pos);
      if (els instanceof Unresolved) return els;
      let out = '';
      for (const [k, v] of els) {
        const names = new Map<string, Value>([[p.valVar, v]]);
        if (p.keyVar) names.set(p.keyVar, k);
        const inner = new Bindings(scope, names);
        for (const x of p.body) {
          const s = part(x, inner, pos);
          if (s instanceof Unresolved) return s;
          out += s;
        }
      }
      return out;
    }
  }
}

/** An unknown for a construct the evaluator cannot evaluate. */
export function unsupportedValue(what: string): TfUnknown {
  return new TfUnknown(`${what} is not supported by trustscan`, 'unsupported');
}

export { numberString };

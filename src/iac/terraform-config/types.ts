import type { Expr } from './ast';
import { asSet, isObject, obj, OPEN, primitiveString, type TfObject, typeName, type Value } from './values';
import { Unresolved } from '../values';

/**
 * Type constraints of input variables (`type = list(object({ name = string, port = optional(number, 443) }))`)
 * and Terraform's conversions to them, so that a value given as a string on the command line or
 * an object missing optional attributes reads as Terraform would read it.
 */
export type TypeC =
  | { k: 'any' }
  | { k: 'string' | 'number' | 'bool' }
  | { k: 'list' | 'set' | 'map'; elem: TypeC }
  | { k: 'tuple'; elems: TypeC[] }
  | { k: 'object'; attrs: Map<string, { type: TypeC; optional: boolean; default?: Expr }> };

export class TypeError_ extends Error {}

const ANY: TypeC = { k: 'any' };

/** Reads a type expression; an expression that is not a type gives `any` (and a problem message). */
export function parseType(e: Expr): { type: TypeC; problem?: string } {
  try {
    return { type: readType(e) };
  } catch (err) {
    if (err instanceof TypeError_) return { type: ANY, problem: err.message };
    throw err;
  }
}

function readType(e: Expr): TypeC {
  if (e.k === 'var') {
    if (e.name === 'string' || e.name === 'number' || e.name === 'bool' || e.name === 'any') return { k: e.name };
    // Legacy quoted/bare forms: list and map of strings.
    if (e.name === 'list' || e.name === 'map' || e.name === 'set') return { k: e.name, elem: ANY };
    throw new TypeError_(`'${e.name}' is not a type`);
  }
  if (e.k === 'lit' && typeof e.value === 'string') return readType({ k: 'var', name: e.value, pos: e.pos });
  if (e.k === 'template' && e.parts.length === 1 && e.parts[0].k === 'text') return readType({ k: 'var', name: e.parts[0].text, pos: e.pos });
  if (e.k === 'call') {
    const [a] = e.args;
    switch (e.name) {
      case 'list':
      case 'set':
      case 'map':
        if (!a) throw new TypeError_(`${e.name}() needs an element type`);
        return { k: e.name, elem: readType(a) };
      case 'tuple':
        if (!a || a.k !== 'tuple') throw new TypeError_('tuple() needs a list of types');
        return { k: 'tuple', elems: a.items.map(readType) };
      case 'object': {
        if (!a || a.k !== 'object') throw new TypeError_('object() needs an object of attribute types');
        const attrs = new Map<string, { type: TypeC; optional: boolean; default?: Expr }>();
        for (const it of a.items) {
          const key = it.key.k === 'lit' ? String(it.key.value) : it.key.k === 'template' && it.key.parts.length === 1 && it.key.parts[0].k === 'text' ? it.key.parts[0].text : undefined;
          if (key === undefined) throw new TypeError_('object() attribute names must be names');
          if (it.value.k === 'call' && it.value.name === 'optional') {
            const [t, d] = it.value.args;
            if (!t) throw new TypeError_('optional() needs a type');
            attrs.set(key, { type: readType(t), optional: true, default: d });
          } else attrs.set(key, { type: readType(it.value), optional: false });
        }
        return { k: 'object', attrs };
      }
      default:
        throw new TypeError_(`'${e.name}' is not a type`);
    }
  }
  throw new TypeError_('not a type expression');
}

/** Whether a variable's type is a primitive: command-line values of it are taken as raw strings. */
export function isPrimitive(t: TypeC | undefined): boolean {
  return t === undefined || t.k === 'string' || t.k === 'number' || t.k === 'bool' || t.k === 'any';
}

/**
 * Converts a value to a type as Terraform does; `evalDefault` evaluates an optional
 * attribute's default. Unknown values pass through. Messages name types, never values (a
 * variable may hold a secret).
 */
export function convert(v: Value, t: TypeC, evalDefault: (e: Expr) => Value, where = 'value'): Value {
  if (v instanceof Unresolved || v === null || t.k === 'any') return v;
  switch (t.k) {
    case 'string': {
      const s = primitiveString(v);
      if (s === undefined) throw new TypeError_(`${where}: string required, got ${typeName(v)}`);
      return s;
    }
    case 'number': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      throw new TypeError_(`${where}: number required, got ${typeName(v)}`);
    }
    case 'bool': {
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new TypeError_(`${where}: bool required, got ${typeName(v)}`);
    }
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) throw new TypeError_(`${where}: ${t.k} required, got ${typeName(v)}`);
      const items = v.map((x, i) => convert(x, t.elem, evalDefault, `${where}[${i}]`));
      return t.k === 'set' ? asSet(items) : items;
    }
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== t.elems.length) throw new TypeError_(`${where}: tuple of ${t.elems.length} elements required`);
      return v.map((x, i) => convert(x, t.elems[i], evalDefault, `${where}[${i}]`));
    }
    case 'map': {
      if (!isObject(v)) throw new TypeError_(`${where}: map required, got ${typeName(v)}`);
      if (v[OPEN]) return v;
      const out = obj();
      for (const k of Object.keys(v)) out[k] = convert(v[k], t.elem, evalDefault, `${where}["${k}"]`);
      return out;
    }
    case 'object': {
      if (!isObject(v)) throw new TypeError_(`${where}: object required, got ${typeName(v)}`);
      if (v[OPEN]) return v;
      const out: TfObject = obj();
      for (const [k, a] of t.attrs) {
        if (k in v && v[k] !== null) out[k] = convert(v[k], a.type, evalDefault, `${where}.${k}`);
        else if (a.optional) out[k] = a.default ? convert(evalDefault(a.default), a.type, evalDefault, `${where}.${k}`) : null;
        else if (k in v) out[k] = null;
        else throw new TypeError_(`${where}: attribute '${k}' is required`);
      }
      return out;
    }
  }
}

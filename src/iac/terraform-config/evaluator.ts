import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Unresolved } from '../values';
import { type Attribute, type Body, type Expr, type Pos, references } from './ast';
import { Bindings, elements, evaluate, EvalError, type Key, type Scope, step } from './expr';
import type { FunctionHost } from './functions';
import { type ModuleCall, type ModuleConfig, type ProviderRef, type ResourceConfig } from './module-config';
import { ModuleLoader } from './module-source';
import { HclReader } from './parser';
import { convert, TypeError_ } from './types';
import { isObject, obj, OPEN, primitiveString, SETS, type TfObject, TfUnknown, toPlanValue, type Value } from './values';

/**
 * Evaluates a root module and the local modules it calls into resource instances, as a
 * Terraform plan would list them: every module call and resource block expanded by `count` and
 * `for_each`, every attribute evaluated, values that only apply or the cloud can tell left
 * unknown with the reason. Evaluation is lazy and memoized per variable, local, output and
 * attribute, so an output of a module can feed an input of the same module (as in Terraform),
 * and a real cycle is reported with its chain.
 */

/**
 * Provider-block attributes that say where resources deploy (AWS region, Azure subscription and
 * tenant, Google project and region): passed into the plan's provider_config as Terraform's own
 * plan does, so the mappers place resources. Credentials in provider blocks never are.
 */
const PLACEMENT_ATTRIBUTES = ['region', 'subscription_id', 'tenant_id', 'project', 'zone'] as const;

/** Provider knowledge the evaluator asks for; the evaluator itself names no provider. */
export interface ProviderSupport {
  /**
   * The attributes of a data source computed from its arguments alone (a policy document, the
   * caller's account when it was given), or undefined when the data source reads the cloud.
   */
  dataSource(type: string, args: TfObject, ctx: { account?: string; region: Value }): TfObject | undefined;
}

export interface EvalOptions {
  /** Folder file names are reported relative to. */
  cwd: string;
  /** Root variable values, in increasing precedence: a raw string (command line, environment) or an expression (variables file). */
  vars: Map<string, { raw: string } | { expr: Expr }>;
  account?: string;
  providers: ProviderSupport[];
}

export interface Location {
  file: string;
  line: number;
  /** Line of each top-level attribute or nested block type set in the resource block. */
  attrs: Record<string, number>;
}

export interface Problem {
  file: string;
  line: number;
  column?: number;
  message: string;
}

/** Something the code alone cannot tell, for the coverage report. */
export interface Gap {
  file: string;
  line: number;
  address: string;
  kind: 'module-not-on-disk' | 'unknown-instances' | 'value';
  /** For values: why they are unknown (a TfUnknown kind). */
  valueKind?: string;
  reason: string;
}

export interface EvalResult {
  /** The plan-shaped document (`resource_changes`, `configuration`) the plan readers consume. */
  plan: Record<string, unknown>;
  locations: Map<string, Location>;
  problems: Problem[];
  gaps: Gap[];
  files: string[];
}

const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'replace_triggered_by']);

interface Expansion {
  mode: 'single' | 'count' | 'for_each' | 'unknown';
  keys: (number | string | undefined)[];
  each: (Map<string, Value> | undefined)[];
  unknown?: TfUnknown;
}

/** One resource or data source instance. */
class Inst {
  readonly attrs = new Map<string, Value>();
  computed: TfObject | null | undefined;
  constructor(
    readonly rc: ResourceConfig,
    readonly mod: ModuleInst,
    readonly address: string,
    readonly index: number | string | undefined,
    readonly scope: Scope,
  ) {}
}

/** One instance of a module (the root, or `module.a["x"]`). */
class ModuleInst implements Scope {
  readonly vars = new Map<string, Value>();
  readonly locals = new Map<string, Value>();
  readonly outputs = new Map<string, Value>();
  readonly expansions = new Map<string, { exp: Expansion; insts: Inst[] }>();
  readonly children = new Map<string, { exp: Expansion; mods: ModuleInst[]; missing?: TfUnknown }>();

  constructor(
    readonly ev: Evaluator,
    readonly config: ModuleConfig,
    readonly address: string,
    readonly configPath: string,
    readonly parent: ModuleInst | undefined,
    readonly call: ModuleCall | undefined,
    /** `count`/`each` of the module call instance, evaluated in the parent. */
    readonly callScope: Scope | undefined,
  ) {}

  get host(): FunctionHost {
    return this.ev.host;
  }

  lookup(name: string, keys: Key[], pos: Pos): { value: Value; used: number } {
    const attr = (i: number): string | undefined => {
      const k = keys[i];
      return k && 'attr' in k ? k.attr : undefined;
    };
    switch (name) {
      case 'var': {
        const n = attr(0);
        if (!n) throw new EvalError('var must be followed by a variable name', pos);
        return { value: this.variable(n, pos), used: 1 };
      }
      case 'local': {
        const n = attr(0);
        if (!n) throw new EvalError('local must be followed by a name', pos);
        return { value: this.local(n, pos), used: 1 };
      }
      case 'path': {
        const n = attr(0);
        const root = this.ev.rootDir;
        const v = n === 'module' ? relative(root, this.config.dir) || '.' : n === 'root' ? '.' : n === 'cwd' ? root : undefined;
        if (v === undefined) throw new EvalError(`path.${n ?? ''} does not exist (path.module, path.root, path.cwd)`, pos);
        return { value: v.split(sep).join('/'), used: 1 };
      }
      case 'terraform': {
        if (attr(0) === 'workspace') return { value: 'default', used: 1 };
        return { value: new TfUnknown(`terraform.${attr(0) ?? ''} is not known from the code`, 'unsupported'), used: 1 };
      }
      case 'module': {
        const n = attr(0);
        if (!n) throw new EvalError('module must be followed by a module name', pos);
        return this.moduleRef(n, keys, pos);
      }
      case 'data': {
        const type = attr(0);
        const n = attr(1);
        if (!type || !n) throw new EvalError('data must be followed by a type and a name', pos);
        const rc = this.config.data.get(`${type}.${n}`);
        if (!rc) throw this.ev.undeclared(`data.${type}.${n}`, pos);
        const r = this.resourceRef(rc, keys.slice(2), pos);
        return { value: r.value, used: r.used + 2 };
      }
      case 'count':
      case 'each':
        throw new EvalError(`${name} can only be used in a block that sets ${name === 'count' ? 'count' : 'for_each'}`, pos);
      case 'self':
        return { value: new TfUnknown('self is only known to provisioners', 'unsupported'), used: 0 };
      default: {
        const n = attr(0);
        const rc = n ? this.config.resources.get(`${name}.${n}`) : undefined;
        if (!rc) throw this.ev.undeclared(n ? `${name}.${n}` : name, pos);
        const r = this.resourceRef(rc, keys.slice(1), pos);
        return { value: r.value, used: r.used + 1 };
      }
    }
  }

  variable(name: string, pos: Pos): Value {
    const decl = this.config.variables.get(name);
    if (!decl) throw this.ev.undeclared(`var.${name}`, pos);
    return this.ev.memo(this.vars, name, `${this.address || 'root'}: var.${name}`, decl.pos, () => {
      if (decl.sensitive) return new TfUnknown(`var.${name} is sensitive: trustscan does not read sensitive values`, 'sensitive');
      let v: Value | undefined;
      if (this.call) {
        const a = this.call.body.attrs.get(name);
        if (a) v = this.ev.evalExpr(a.expr, this.callScope!);
      } else v = this.ev.rootInput(name, decl.type);
      if ((v === undefined || (v === null && !decl.nullable)) && decl.default) v = this.ev.evalExpr(decl.default, this.ev.constScope);
      if (v === undefined) {
        if (this.call) return new TfUnknown(`${this.call.pos.file}:${this.call.pos.line}: module "${this.call.name}" does not set its required input ${name}`, 'error');
        return new TfUnknown(`var.${name} has no value: pass --var ${name}=… or --var-file`, 'unset-variable');
      }
      if (!decl.type) return v;
      try {
        return convert(v, decl.type, (e) => this.ev.evalExpr(e, this.ev.constScope), `var.${name}`);
      } catch (e) {
        if (!(e instanceof TypeError_)) throw e;
        this.ev.problem(decl.pos, `invalid value for ${e.message}`);
        return new TfUnknown(`invalid value for ${e.message}`, 'error');
      }
    });
  }

  local(name: string, pos: Pos): Value {
    const a = this.config.locals.get(name);
    if (!a) throw this.ev.undeclared(`local.${name}`, pos);
    return this.ev.memo(this.locals, name, `${this.address ? `${this.address}.` : ''}local.${name}`, a.pos, () => this.ev.evalExpr(a.expr, this));
  }

  output(name: string, pos: Pos): Value {
    const o = this.config.outputs.get(name);
    if (!o) throw new EvalError(`module ${this.address} has no output "${name}"`, pos);
    return this.ev.memo(this.outputs, name, `${this.address}.output.${name}`, o.pos, () => (o.expr ? this.ev.evalExpr(o.expr, this) : null));
  }

  /** The value of `module.NAME…`, consuming the instance key and output name when given. */
  private moduleRef(name: string, keys: Key[], pos: Pos): { value: Value; used: number } {
    const call = this.config.calls.get(name);
    if (!call) throw this.ev.undeclared(`module.${name}`, pos);
    const c = this.child(name);
    if (c.missing) return { value: c.missing, used: keys.length };
    const outputOf = (m: ModuleInst, i: number): { value: Value; used: number } => {
      const k = keys[i];
      if (k && 'attr' in k) return { value: m.output(k.attr, pos), used: i + 1 };
      return { value: m.allOutputs(pos), used: i };
    };
    if (c.exp.mode === 'unknown') return { value: c.exp.unknown!, used: keys.length };
    if (c.exp.mode === 'single') return outputOf(c.mods[0], 1);
    const k = keys[1];
    if (k && 'index' in k) {
      const i = c.exp.keys.findIndex((x) => x === k.index || (typeof x === 'number' && typeof k.index === 'string' && String(x) === k.index) || (typeof x === 'string' && primitiveString(k.index) === x));
      if (i < 0) throw new EvalError(`module.${name} has no instance [${JSON.stringify(k.index)}]`, pos);
      return outputOf(c.mods[i], 2);
    }
    const all = c.mods.map((m) => m.allOutputs(pos));
    if (c.exp.mode === 'count') return { value: all, used: 1 };
    const o = obj();
    c.exp.keys.forEach((key, i) => (o[String(key)] = all[i]));
    return { value: o, used: 1 };
  }

  allOutputs(pos: Pos): Value {
    const o = obj();
    for (const n of this.config.outputs.keys()) o[n] = this.output(n, pos);
    return o;
  }

  /** Child module instances of a call, expanded once. */
  child(name: string): { exp: Expansion; mods: ModuleInst[]; missing?: TfUnknown } {
    let c = this.children.get(name);
    if (c) return c;
    const call = this.config.calls.get(name)!;
    const exp = this.ev.expand(call.count, call.forEach, this, `${this.address ? `${this.address}.` : ''}module.${name}`, call.pos);
    const loaded = this.ev.loader.load(this, call);
    const mods: ModuleInst[] = [];
    const base = `${this.address ? `${this.address}.` : ''}module.${name}`;
    const path = `${this.configPath ? `${this.configPath}.` : ''}module.${name}`;
    if (loaded.config) {
      exp.keys.forEach((key, i) => {
        const address = exp.mode === 'unknown' ? `${base}[*]` : key === undefined ? base : `${base}[${JSON.stringify(key)}]`;
        const names = exp.each[i];
        mods.push(new ModuleInst(this.ev, loaded.config!, address, path, this, call, names ? new Bindings(this, names) : this, ));
      });
    }
    c = { exp, mods, missing: loaded.missing };
    this.children.set(name, c);
    if (loaded.missing?.kind === 'error') this.ev.problem(call.pos, loaded.missing.reason);
    else if (loaded.missing) this.ev.gap({ file: call.pos.file, line: call.pos.line, address: base, kind: 'module-not-on-disk', reason: loaded.missing.reason });
    return c;
  }

  /** Instances of a resource block, expanded once. */
  instances(rc: ResourceConfig): { exp: Expansion; insts: Inst[] } {
    const key = `${rc.mode}.${rc.type}.${rc.name}`;
    let e = this.expansions.get(key);
    if (e) return e;
    const base = `${this.address ? `${this.address}.` : ''}${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}`;
    const exp = this.ev.expand(rc.count, rc.forEach, this, base, rc.pos);
    const insts = exp.keys.map((k, i) => {
      const address = exp.mode === 'unknown' ? `${base}[*]` : k === undefined ? base : `${base}[${JSON.stringify(k)}]`;
      const names = exp.each[i];
      return new Inst(rc, this, address, exp.mode === 'unknown' ? undefined : k, names ? new Bindings(this, names) : this);
    });
    e = { exp, insts };
    this.expansions.set(key, e);
    if (exp.mode === 'unknown') this.ev.gap({ file: rc.pos.file, line: rc.pos.line, address: base, kind: 'unknown-instances', reason: exp.unknown!.reason });
    return e;
  }

  /** `TYPE.NAME…` (or `data.TYPE.NAME…`) with its instance key and attribute consumed when given. */
  private resourceRef(rc: ResourceConfig, keys: Key[], pos: Pos): { value: Value; used: number } {
    const { exp, insts } = this.instances(rc);
    const attrOf = (inst: Inst, i: number): { value: Value; used: number } => {
      const k = keys[i];
      if (k && 'attr' in k) return { value: this.ev.attribute(inst, k.attr), used: i + 1 };
      return { value: this.ev.instanceObject(inst), used: i };
    };
    if (exp.mode === 'unknown') return { value: exp.unknown!, used: keys.length };
    if (exp.mode === 'single') return attrOf(insts[0], 0);
    const k = keys[0];
    if (k && 'index' in k) {
      const want = k.index;
      const i = exp.keys.findIndex((x) => x === want || (typeof x === 'number' && typeof want === 'string' && String(x) === want) || (typeof x === 'string' && primitiveString(want) === x));
      if (i < 0) throw new EvalError(`${insts[0]?.address.replace(/\[.*\]$/, '') ?? `${rc.type}.${rc.name}`} has no instance [${JSON.stringify(want)}]`, pos);
      return attrOf(insts[i], 1);
    }
    const all = insts.map((x) => this.ev.instanceObject(x));
    if (exp.mode === 'count') return { value: all, used: 0 };
    const o = obj();
    exp.keys.forEach((key, i) => (o[String(key)] = all[i]));
    return { value: o, used: 0 };
  }
}

/** The evaluation of one root module. */
export class Evaluator {
  readonly problems: Problem[] = [];
  readonly gaps: Gap[] = [];
  private readonly stack: string[] = [];
  private readonly inProgress = new Set<string>();
  readonly loader: ModuleLoader;
  readonly host: FunctionHost;
  readonly constScope: Scope;
  private readonly reported = new Set<string>();

  constructor(
    readonly rootDir: string,
    readonly opts: EvalOptions,
  ) {
    this.loader = new ModuleLoader(rootDir, opts.cwd);
    this.host = this.makeHost();
    const host = this.host;
    this.constScope = {
      host,
      lookup: (name, _keys, pos) => {
        throw new EvalError(`${name} cannot be used here: only constant values are allowed`, pos);
      },
    };
  }

  problem(pos: Pos, message: string): void {
    const key = `${pos.file}:${pos.line}:${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push({ file: pos.file, line: pos.line, column: pos.column, message });
  }

  gap(g: Gap): void {
    this.gaps.push(g);
  }

  /** A reference to something not declared: Terraform rejects the configuration. */
  undeclared(what: string, pos: Pos): EvalError {
    const message = `reference to undeclared ${what.startsWith('var.') ? 'input variable' : what.startsWith('local.') ? 'local value' : what.startsWith('module.') ? 'module' : what.startsWith('data.') ? 'data source' : 'resource'} ${what}`;
    this.problem(pos, message);
    return new EvalError(message, pos);
  }

  /** Evaluates with the error handling of a value boundary: a rejected expression becomes an unknown with the message. */
  evalExpr(e: Expr, scope: Scope): Value {
    try {
      return evaluate(e, scope);
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      return new TfUnknown(`${err.pos.file}:${err.pos.line}: ${err.message}`, 'error');
    }
  }

  /** Memoized evaluation with cycle detection; a cycle is reported once and its members are unknown. */
  memo<K>(cache: Map<K, Value>, key: K, label: string, pos: Pos, compute: () => Value): Value {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as Value;
    if (this.inProgress.has(label)) {
      const chain = [...this.stack.slice(this.stack.indexOf(label)), label];
      this.problem(pos, `cycle: ${chain.join(' → ')}`);
      return new TfUnknown(`cycle: ${chain.join(' → ')}`, 'error');
    }
    if (this.stack.length > 2000) {
      this.problem(pos, `references nest more than 2000 deep at ${label}`);
      return new TfUnknown('references nest too deep', 'error');
    }
    this.inProgress.add(label);
    this.stack.push(label);
    let v: Value;
    try {
      v = compute();
    } finally {
      this.stack.pop();
      this.inProgress.delete(label);
    }
    cache.set(key, v);
    return v;
  }

  /** A root variable's value from the command line, the environment or a variables file. */
  rootInput(name: string, type: Parameters<typeof convert>[1] | undefined): Value | undefined {
    const given = this.opts.vars.get(name);
    if (!given) return undefined;
    if ('expr' in given) return this.evalExpr(given.expr, this.constScope);
    // Command-line and environment values are strings, unless the type is a collection (then HCL).
    if (type && !['string', 'number', 'bool', 'any'].includes(type.k)) {
      const r = new HclReader(`--var ${name}`, `x = ${given.raw}\n`).parse('config');
      const a = r.body.attrs.get('x');
      if (r.problems.length > 0 || !a) {
        this.problem({ file: `--var ${name}`, line: 1, column: 1 }, `the value of ${name} is not a valid expression for its type`);
        return new TfUnknown(`var.${name}: the value given is not valid`, 'error');
      }
      return this.evalExpr(a.expr, this.constScope);
    }
    return given.raw;
  }

  /** How many instances `count`/`for_each` make, with their keys and `count`/`each` names. */
  expand(count: Attribute | undefined, forEach: Attribute | undefined, scope: Scope, address: string, pos: Pos): Expansion {
    if (count && forEach) {
      this.problem(pos, `${address}: count and for_each cannot both be set`);
    }
    if (count) {
      const v = this.evalExpr(count.expr, scope);
      if (v instanceof Unresolved) return unknownExpansion(`how many instances of ${address} there are is not known from the code: count is unknown (${v.reason})`, 'count');
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 0) {
        this.problem(count.pos, `${address}: count must be a whole number, not ${v === null ? 'null' : typeof v}`);
        return unknownExpansion(`${address}: count is not a whole number`, 'count');
      }
      const keys = Array.from({ length: n }, (_, i) => i);
      return { mode: 'count', keys, each: keys.map((i) => new Map<string, Value>([['count', Object.assign(obj(), { index: i })]])) };
    }
    if (forEach) {
      const v = this.evalExpr(forEach.expr, scope);
      if (v instanceof Unresolved) return unknownExpansion(`which instances of ${address} exist is not known from the code: for_each is unknown (${v.reason})`, 'each');
      if (Array.isArray(v) && !SETS.has(v) && v.some((x) => typeof x !== 'string')) {
        this.problem(forEach.pos, `${address}: for_each needs a map or a set of strings`);
        return unknownExpansion(`${address}: for_each is not a map or a set of strings`, 'each');
      }
      if (!Array.isArray(v) && !isObject(v)) {
        this.problem(forEach.pos, `${address}: for_each needs a map or a set of strings, not ${v === null ? 'null' : typeof v}`);
        return unknownExpansion(`${address}: for_each is not a map or a set of strings`, 'each');
      }
      if (isObject(v) && v[OPEN]) return unknownExpansion(`which instances of ${address} exist is not known from the code`, 'each');
      const els = elements(Array.isArray(v) ? (SETS.has(v) ? v : [...new Set(v as string[])]).map((x) => x) : v, forEach.pos);
      if (els instanceof Unresolved) return unknownExpansion(els.reason, 'each');
      const pairs: [string, Value][] = Array.isArray(v) ? (v as Value[]).filter((x, i, a) => a.indexOf(x) === i).map((x) => [String(x), x]) : (els as [Value, Value][]).map(([k, x]) => [String(k), x]);
      const unknownKey = pairs.find(([, x]) => x instanceof Unresolved && Array.isArray(v));
      if (unknownKey) return unknownExpansion(`which instances of ${address} exist is not known from the code`, 'each');
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return {
        mode: 'for_each',
        keys: pairs.map(([k]) => k),
        each: pairs.map(([k, x]) => new Map<string, Value>([['each', Object.assign(obj(), { key: k, value: x })]])),
      };
    }
    return { mode: 'single', keys: [undefined], each: [undefined] };
  }

  /** One attribute of an instance: as configured, or computed (by a data source, or by the provider at apply). */
  attribute(inst: Inst, name: string): Value {
    return this.memo(inst.attrs, name, `${inst.address}.${name}`, inst.rc.pos, () => {
      const body = inst.rc.body;
      const a = body.attrs.get(name);
      if (a && !META.has(name)) return this.attrValue(a, inst.scope);
      if (body.blocks.some((b) => b.type === name || (b.type === 'dynamic' && b.labels[0] === name))) return this.blocksOf(body, name, inst.scope);
      if (inst.rc.mode === 'data') {
        const c = this.computed(inst);
        if (c && Object.prototype.hasOwnProperty.call(c, name)) return c[name];
        return new TfUnknown(`${inst.address} reads the cloud: its ${name} is known only when Terraform runs`, 'data-source');
      }
      return new TfUnknown(`${inst.address}.${name} is known only after apply`, 'after-apply');
    });
  }

  private attrValue(a: Attribute, scope: Scope): Value {
    return toPlanValue(this.evalExpr(a.expr, scope), [...references(a.expr)]) as Value;
  }

  /** A data source's computed attributes, from the provider support (null: it reads the cloud). */
  private computed(inst: Inst): TfObject | null {
    if (inst.computed !== undefined) return inst.computed;
    inst.computed = null;
    const args = this.bodyValue(inst.rc.body, inst.scope);
    const region = this.providerRegion(inst.mod, inst.rc.provider ?? { name: providerName(inst.rc.type) });
    for (const p of this.opts.providers) {
      const c = p.dataSource(inst.rc.type, args, { account: this.opts.account, region });
      if (c) {
        inst.computed = c;
        break;
      }
    }
    return inst.computed;
  }

  /** An instance as an object: its configured attributes, with the others unknown. */
  instanceObject(inst: Inst): Value {
    const o = this.bodyValue(inst.rc.body, inst.scope);
    if (inst.rc.mode === 'data') {
      const c = this.computed(inst);
      if (c) for (const k of Object.keys(c)) if (!(k in o)) o[k] = c[k];
      o[OPEN] = (attr: string) => new TfUnknown(`${inst.address} reads the cloud: its ${attr === '*' ? 'attributes are' : `${attr} is`} known only when Terraform runs`, 'data-source');
    } else o[OPEN] = (attr: string) => new TfUnknown(`${inst.address}${attr === '*' ? "'s computed attributes are" : `.${attr} is`} known only after apply`, 'after-apply');
    return o;
  }

  /** Every attribute and nested block of a body (meta-arguments left out). */
  bodyValue(body: Body, scope: Scope): TfObject {
    const o = obj();
    for (const [n, a] of body.attrs) if (!META.has(n)) o[n] = this.attrValue(a, scope);
    const types = new Set(body.blocks.filter((b) => !META.has(b.type)).map((b) => (b.type === 'dynamic' ? b.labels[0] ?? '' : b.type)));
    for (const t of types) if (t && !(t in o)) o[t] = this.blocksOf(body, t, scope);
    return o;
  }

  /** The blocks of one type, with `dynamic` blocks expanded, as a list of objects. */
  blocksOf(body: Body, type: string, scope: Scope): Value {
    const out: Value[] = [];
    for (const b of body.blocks) {
      if (b.type === type) out.push(this.bodyValue(b.body, scope));
      else if (b.type === 'dynamic' && b.labels[0] === type) {
        const forEach = b.body.attrs.get('for_each');
        const content = b.body.blocks.find((x) => x.type === 'content');
        if (!forEach || !content) {
          this.problem(b.pos, `dynamic "${type}" needs for_each and a content block`);
          continue;
        }
        const it = b.body.attrs.get('iterator');
        const iterName = it?.expr.k === 'var' ? it.expr.name : it?.expr.k === 'lit' ? String(it.expr.value) : type;
        const coll = this.evalExpr(forEach.expr, scope);
        let els: [Value, Value][] | Unresolved;
        try {
          els = elements(coll, forEach.pos);
        } catch (err) {
          if (!(err instanceof EvalError)) throw err;
          els = new TfUnknown(`${err.pos.file}:${err.pos.line}: ${err.message}`, 'error');
        }
        // How many blocks there are is not known: the whole list is.
        if (els instanceof Unresolved) return els instanceof TfUnknown ? els : new TfUnknown(els.reason, 'after-apply');
        for (const [k, v] of els) out.push(this.bodyValue(content.body, new Bindings(scope, new Map([[iterName, Object.assign(obj(), { key: k, value: v })]]))));
      }
    }
    return out;
  }

  /** The region of the provider configuration a resource uses, in a module instance. */
  providerRegion(mod: ModuleInst, ref: ProviderRef): Value {
    const p = this.providerConfig(mod, ref);
    if (!p) return new TfUnknown('the region is not set in the provider configuration', 'unset-variable');
    const a = p.block.body.attrs.get('region');
    if (!a) return new TfUnknown('the region is not set in the provider configuration', 'unset-variable');
    return this.evalExpr(a.expr, p.mod);
  }

  /** The provider block a module instance's resource uses: its own, one passed by the call, or the parent's default. */
  providerConfig(mod: ModuleInst, ref: ProviderRef): { mod: ModuleInst; block: ModuleConfig['providers'][number]; key: string } | undefined {
    const own = mod.config.providers.find((p) => p.name === ref.name && (p.alias ?? undefined) === (ref.alias ?? undefined));
    if (own) return { mod, block: own, key: `${mod.configPath ? `${mod.configPath}:` : ''}${ref.name}${ref.alias ? `.${ref.alias}` : ''}` };
    if (!mod.parent || !mod.call) return undefined;
    const passed = mod.call.providers.find((p) => p.child.name === ref.name && (p.child.alias ?? undefined) === (ref.alias ?? undefined));
    if (passed) return this.providerConfig(mod.parent, passed.parent);
    if (ref.alias) return undefined;
    return this.providerConfig(mod.parent, ref);
  }

  private makeHost(): FunctionHost {
    const allowed = (): string[] => this.loader.folders();
    const within = (path: string): string | TfUnknown => {
      const abs = resolve(this.rootDir, path);
      let real: string;
      try {
        real = realpathSync(abs);
      } catch {
        return new TfUnknown(`file ${path} does not exist`, 'error');
      }
      if (!allowed().some((d) => real === d || real.startsWith(d.endsWith(sep) ? d : d + sep))) return new TfUnknown(`file ${path} is outside the configuration's folder: not read`, 'file');
      return real;
    };
    const read = (path: string): string | TfUnknown => {
      const real = within(path);
      if (real instanceof TfUnknown) return real;
      try {
        if (statSync(real).size > 5 * 1024 * 1024) return new TfUnknown(`file ${path} is larger than 5 MB: not read`, 'file');
        return readFileSync(real, 'utf8');
      } catch (e) {
        return new TfUnknown(`file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'error');
      }
    };
    return {
      readFile: read,
      fileExists: (path) => {
        const abs = isAbsolute(path) ? path : join(this.rootDir, path);
        const real = within(path);
        if (real instanceof TfUnknown) return existsSync(abs) ? real : false;
        return true;
      },
      renderTemplate: (path, vars) => {
        const text = read(path);
        if (text instanceof TfUnknown) return text;
        const at: Pos = { file: relative(this.opts.cwd, resolve(this.rootDir, path)) || path, line: 1, column: 1 };
        let e: Expr;
        try {
          e = HclReader.templateText(text, at);
        } catch (err) {
          throw new EvalError(`templatefile(): ${(err as Error).message}`, at);
        }
        const names = new Map<string, Value>(Object.entries(vars));
        const scope: Scope = {
          host: this.host,
          lookup: (name, _k, pos) => {
            if (names.has(name)) return { value: names.get(name)!, used: 0 };
            throw new EvalError(`templatefile(): no variable ${name}`, pos);
          },
        };
        return evaluate(e, scope);
      },
    };
  }

  /** Evaluates everything and builds the plan-shaped document. */
  run(): EvalResult {
    const rootConfig = this.loader.root();
    const root = new ModuleInst(this, rootConfig, '', '', undefined, undefined, undefined);
    for (const p of rootConfig.problems) this.problem(p.pos, p.message);
    const changes: Record<string, unknown>[] = [];
    const locations = new Map<string, Location>();
    const providerConfig: Record<string, unknown> = {};
    const visit = (mod: ModuleInst): void => {
      for (const p of mod.config.problems) this.problem(p.pos, p.message);
      for (const rc of [...mod.config.resources.values(), ...mod.config.data.values()]) {
        const { insts } = mod.instances(rc);
        const pc = this.providerConfig(mod, rc.provider ?? { name: providerName(rc.type) });
        if (pc && !(pc.key in providerConfig)) {
          // Where the provider deploys, as a plan states it: constant values only (never credentials).
          const expressions: Record<string, unknown> = {};
          for (const name of PLACEMENT_ATTRIBUTES) {
            const a = pc.block.body.attrs.get(name);
            const v = a ? this.evalExpr(a.expr, pc.mod) : undefined;
            if (typeof v === 'string' && v !== '') expressions[name] = { constant_value: v };
          }
          providerConfig[pc.key] = { name: pc.block.name, ...(pc.block.alias ? { alias: pc.block.alias } : {}), expressions };
        }
        for (const inst of insts) {
          const after: Record<string, unknown> = {};
          const attrs: Record<string, number> = {};
          for (const [n, a] of rc.body.attrs) {
            if (META.has(n)) continue;
            after[n] = this.attribute(inst, n);
            attrs[n] = a.pos.line;
          }
          for (const b of rc.body.blocks) {
            const t = b.type === 'dynamic' ? b.labels[0] : b.type;
            if (!t || META.has(t) || t in after) continue;
            after[t] = this.attribute(inst, t);
            attrs[t] = b.pos.line;
          }
          if (rc.mode === 'data') {
            const c = this.computed(inst);
            if (c) for (const k of Object.keys(c)) if (!(k in after)) after[k] = toPlanValue(c[k], [`data.${rc.type}.${rc.name}`]);
          }
          for (const u of unknownLeaves(after)) this.gap({ file: rc.pos.file, line: rc.pos.line, address: inst.address, kind: 'value', valueKind: u instanceof TfUnknown ? u.kind : 'after-apply', reason: u.reason });
          changes.push({
            address: inst.address,
            ...(mod.address ? { module_address: mod.address } : {}),
            mode: rc.mode,
            type: rc.type,
            name: rc.name,
            ...(inst.index !== undefined ? { index: inst.index } : {}),
            change: { actions: rc.mode === 'data' ? ['read'] : ['create'], after },
          });
          locations.set(inst.address, { file: rc.pos.file, line: rc.pos.line, attrs });
        }
      }
      for (const name of mod.config.calls.keys()) for (const child of mod.child(name).mods) visit(child);
    };
    visit(root);
    const plan = {
      format_version: '1.2',
      resource_changes: changes,
      configuration: { provider_config: providerConfig, root_module: this.configModule(root) },
    };
    return { plan, locations, problems: this.problems, gaps: this.gaps, files: this.loader.files() };
  }

  /** The plan's `configuration` for one module: expressions' references, for linking resources. */
  private configModule(mod: ModuleInst): Record<string, unknown> {
    const refsIn = (body: Body, into: Set<string>): Set<string> => {
      for (const a of body.attrs.values()) references(a.expr, into);
      for (const b of body.blocks) refsIn(b.body, into);
      return into;
    };
    const refsOf = (body: Body): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [n, a] of body.attrs) if (!META.has(n)) out[n] = { references: [...references(a.expr)] };
      // Nested blocks (dynamic ones by the type they make) are set too: every reference inside them.
      for (const b of body.blocks) {
        const t = b.type === 'dynamic' ? b.labels[0] : b.type;
        if (!t || META.has(t) || t in out) continue;
        const same = body.blocks.filter((x) => x.type === t || (x.type === 'dynamic' && x.labels[0] === t));
        out[t] = { references: [...same.reduce((acc, x) => refsIn(x.body, acc), new Set<string>())] };
      }
      return out;
    };
    const resources = [...mod.config.resources.values(), ...mod.config.data.values()].map((rc) => {
      const pc = this.providerConfig(mod, rc.provider ?? { name: providerName(rc.type) });
      return {
        address: `${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}`,
        mode: rc.mode,
        type: rc.type,
        name: rc.name,
        ...(pc ? { provider_config_key: pc.key } : {}),
        expressions: refsOf(rc.body),
      };
    });
    const calls: Record<string, unknown> = {};
    for (const [name, call] of mod.config.calls) {
      const c = mod.child(name);
      calls[name] = { source: call.source, expressions: refsOf(call.body), ...(c.mods[0] ? { module: this.configModule(c.mods[0]) } : {}) };
    }
    const outputs: Record<string, unknown> = {};
    for (const [name, o] of mod.config.outputs) outputs[name] = { expression: { references: o.expr ? [...references(o.expr)] : [] } };
    return { resources, module_calls: calls, outputs };
  }
}

function unknownExpansion(reason: string, kind: 'count' | 'each'): Expansion {
  const u = new TfUnknown(reason, 'after-apply');
  // One stand-in instance whose count.index / each.key / each.value are unknown: what does not
  // depend on them is still checked, and the listing of the type is reported incomplete.
  const names = kind === 'count' ? new Map<string, Value>([['count', Object.assign(obj(), { index: u })]]) : new Map<string, Value>([['each', Object.assign(obj(), { key: u, value: u })]]);
  return { mode: 'unknown', keys: [undefined], each: [names], unknown: u };
}

/** The provider a resource type belongs to by default: its name's first word. */
function providerName(type: string): string {
  const i = type.indexOf('_');
  return i < 0 ? type : type.slice(0, i);
}

function unknownLeaves(v: unknown, out: Unresolved[] = []): Unresolved[] {
  if (v instanceof Unresolved) {
    const inner = (v as { value?: unknown }).value;
    if (inner !== undefined) unknownLeaves(inner, out);
    else out.push(v);
    return out;
  }
  if (Array.isArray(v)) for (const x of v) unknownLeaves(x, out);
  else if (v !== null && typeof v === 'object') for (const k in v) unknownLeaves((v as Record<string, unknown>)[k], out);
  return out;
}

export { step };

import type { Problem } from '../core/errors';
import { childLines } from './json-lines';
import { isUnresolved, Unresolved } from './values';
import { MAX_DEPTH, pointerOf, tooDeep } from './limits';

/** One resource instance of a plan, with its planned values (unknown leaves are Unresolved). */
export interface TfInstance {
  address: string;
  /** Module instance address, '' for the root module (`module.a["x"].module.b`). */
  moduleAddress: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index: number | string | undefined;
  actions: string[];
  values: Record<string, unknown>;
  /** Line of the instance in the plan file. */
  line: number;
  /** File the instance is declared in, when not the plan's own (Terraform configuration). */
  file?: string;
  /**
   * Top-level attributes the configuration does not set and the plan leaves unknown until
   * apply: the provider fills them (its default, or the API's). Known only for plans that carry
   * their configuration; a mapper may apply the API's default to these, never to other unknowns.
   */
  unsetComputed?: ReadonlySet<string>;
}

/** An instance a reference leads to, and the attribute it reads (`id`, `arn`, …) when it names one. */
export interface RefTarget {
  inst: TfInstance;
  attr: string | undefined;
}

interface Expressions {
  [attr: string]: unknown;
}
interface ConfigResource {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  provider_config_key?: string;
  expressions?: Expressions;
}
interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { expressions?: Expressions; module?: ConfigModule }>;
  outputs?: Record<string, { expression?: { references?: string[] } }>;
}
interface ModuleIndex {
  resources: Map<string, ConfigResource>;
  calls: Record<string, { expressions?: Expressions }>;
  outputs: Record<string, { expression?: { references?: string[] } }>;
}

export interface PlanOptions {
  /**
   * Attributes a provider sets on every instance of a managed resource once it is created (an
   * id, a generated name): a value known only after apply that is a reference to one of them is
   * certainly set. The union of the providers' adapters' tables (`TerraformAdapter.alwaysSet`).
   */
  alwaysSet?: (type: string, attr: string) => boolean;
}

/** Splits a module instance address into [name, key] pairs. */
function moduleSegments(addr: string): { name: string; key: string | undefined }[] {
  const out: { name: string; key: string | undefined }[] = [];
  const re = /module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/g;
  for (let m = re.exec(addr); m; m = re.exec(addr)) out.push({ name: m[1], key: m[2] });
  return out;
}

/** Config path of a module instance: keys dropped (`module.a["x"]` → `module.a`). */
export function configPath(moduleAddress: string): string {
  return moduleSegments(moduleAddress)
    .map((s) => `module.${s.name}`)
    .join('.');
}

function parseKey(text: string): number | string {
  const inner = text.slice(1, -1);
  return inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner);
}

interface RefPart {
  name: string;
  /** `[0]`, `["k"]` → the key; `[count.index]`/`[each.key]` → 'self'; other expressions → 'any'. */
  key?: number | string | { special: 'self' | 'any' };
}

/** Parses a reference as Terraform lists it (`aws_s3_bucket.b[count.index].id`, `module.m["a"].out`). */
function parseRef(ref: string): RefPart[] {
  const parts: RefPart[] = [];
  let i = 0;
  while (i < ref.length) {
    let j = i;
    while (j < ref.length && ref[j] !== '.' && ref[j] !== '[') j++;
    const part: RefPart = { name: ref.slice(i, j) };
    if (ref[j] === '[') {
      const end = ref.indexOf(']', j);
      const inner = ref.slice(j + 1, end < 0 ? ref.length : end);
      if (/^\d+$/.test(inner)) part.key = Number(inner);
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) part.key = JSON.parse(inner) as string;
      else if (inner === 'count.index' || inner === 'each.key') part.key = { special: 'self' };
      else part.key = { special: 'any' };
      j = end < 0 ? ref.length : end + 1;
    }
    parts.push(part);
    i = ref[j] === '.' ? j + 1 : j;
    if (i === j && j < ref.length) i++;
  }
  return parts;
}

/** First names of references that are not `TYPE.NAME` of a managed resource (data, module and var are followed). */
const NOT_RESOURCES = ['data', 'module', 'var', 'local', 'count', 'each', 'path', 'terraform', 'self'];

function keyMatches(key: RefPart['key'], index: TfInstance['index'], selfIndex: TfInstance['index']): boolean {
  if (key === undefined) return true;
  if (typeof key === 'object') return key.special === 'any' || selfIndex === undefined || index === selfIndex;
  return index === key;
}

/**
 * A Terraform plan (`terraform show -json plan.out`) read for checking: the instances that will
 * exist after apply (deleted ones are counted, not checked), the data sources read during plan,
 * and the configuration, used to follow references when a value is known only after apply.
 */
export class TfPlan {
  readonly instances: TfInstance[] = [];
  readonly data: TfInstance[] = [];
  deleted = 0;
  /**
   * Managed instances this plan deletes, with their values before (`before`). They are not
   * checked, but deleting some of them changes a setting that outlives them (removing
   * aws_ebs_encryption_by_default turns the encryption off).
   */
  readonly removed: TfInstance[] = [];
  readonly problems: Problem[] = [];
  /** Managed instances the plan gives no values for (a no-op whose before and after are null): not checked. */
  readonly valueless: { address: string; type: string; line: number }[] = [];
  private readonly modules = new Map<string, ModuleIndex>();
  /** Constant attributes of each provider configuration (`aws`, `google.west`, `module.m:azurerm`). */
  private readonly providerConstants = new Map<string, Map<string, unknown>>();
  private readonly byTypeCache = new Map<string, TfInstance[]>();

  constructor(
    readonly file: string,
    text: string,
    doc: Record<string, unknown>,
    private readonly options: PlanOptions,
  ) {
    // The JSON output format's major version changes only when consumers must change.
    const version = doc.format_version;
    if (typeof version !== 'string') {
      this.problems.push({ file, pointer: '/format_version', message: 'the plan has no format_version: not what terraform show -json writes' });
    } else if (!/^[01]\.\d+$/.test(version)) {
      this.problems.push({ file, pointer: '/format_version', message: `plan format_version ${JSON.stringify(version)} is not supported: trustscan reads format versions 0.x and 1.x` });
    }
    const config = (doc.configuration ?? {}) as { root_module?: ConfigModule; provider_config?: Record<string, { expressions?: Expressions }> };
    this.indexModule('', config.root_module ?? {});
    for (const [key, p] of Object.entries(config.provider_config ?? {})) {
      const constants = new Map<string, unknown>();
      for (const [attr, e] of Object.entries(p?.expressions ?? {})) {
        const c = (e as { constant_value?: unknown } | null)?.constant_value;
        if (c !== undefined && c !== null) constants.set(attr, c);
      }
      this.providerConstants.set(key, constants);
    }
    // A plan Terraform could not finish lists only what it planned before it stopped (often
    // nothing), and deferred changes are left out of resource_changes: read as they are, both
    // would check a part of the change and call it the whole.
    if (doc.errored === true) {
      this.problems.push({ file, pointer: '/errored', message: 'the plan errored: Terraform could not plan every change, so what it left out cannot be checked; fix the plan errors first' });
    }
    const deferred = doc.deferred_changes;
    if (Array.isArray(deferred) && deferred.length > 0) {
      this.problems.push({
        file,
        pointer: '/deferred_changes',
        message: `the plan defers ${deferred.length} change(s) to a later plan (deferred_changes): the deferred resources are not in it and cannot be checked`,
      });
    }
    const lines = childLines(text, ['resource_changes']);
    const changes = doc.resource_changes;
    if (changes !== undefined && !Array.isArray(changes)) {
      this.problems.push({ file, pointer: '/resource_changes', message: 'resource_changes must be an array' });
    }
    const seen = new Set<string>();
    (Array.isArray(changes) ? changes : []).forEach((rc, i) => {
      const inst = this.readChange(rc, i, lines.get(i) ?? 1);
      if (!inst) return;
      seen.add(inst.address);
      (inst.mode === 'data' ? this.data : this.instances).push(inst);
    });
    // Data sources read during plan are in prior_state only.
    const walk = (m: unknown): void => {
      if (m === null || typeof m !== 'object') return;
      const mod = m as { resources?: unknown[]; child_modules?: unknown[] };
      for (const r of Array.isArray(mod.resources) ? mod.resources : []) {
        const rr = r as Record<string, unknown>;
        if (rr.mode !== 'data' || typeof rr.address !== 'string' || seen.has(rr.address)) continue;
        this.data.push({
          address: rr.address,
          moduleAddress: moduleOf(rr.address),
          mode: 'data',
          type: String(rr.type),
          name: String(rr.name),
          index: rr.index as TfInstance['index'],
          actions: ['read'],
          values: (rr.values ?? {}) as Record<string, unknown>,
          line: 1,
        });
      }
      for (const c of Array.isArray(mod.child_modules) ? mod.child_modules : []) walk(c);
    };
    walk(((doc.prior_state as Record<string, unknown> | undefined)?.values as Record<string, unknown> | undefined)?.root_module);

    // Every instance is known now: references can be followed.
    for (const inst of this.instances) {
      for (const [attr, v] of Object.entries(inst.values)) {
        if (!isUnresolved(v)) continue;
        const set = this.alwaysSetTarget(inst, v);
        if (set) inst.values[attr] = new Unresolved(`${v.reason}: it is ${set.inst.address}'s ${set.attr}, which is always set`, v.refs, true);
      }
    }
  }

  private indexModule(path: string, m: ConfigModule): void {
    const resources = new Map<string, ConfigResource>();
    for (const r of Array.isArray(m.resources) ? m.resources : []) {
      if (!r || typeof r.type !== 'string' || typeof r.name !== 'string') continue;
      resources.set(`${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`, r);
    }
    this.modules.set(path, { resources, calls: m.module_calls ?? {}, outputs: m.outputs ?? {} });
    for (const [name, call] of Object.entries(m.module_calls ?? {})) {
      if (call?.module) this.indexModule(path ? `${path}.module.${name}` : `module.${name}`, call.module);
    }
  }

  private readChange(rc: unknown, i: number, line: number): TfInstance | undefined {
    const problem = (message: string): undefined => {
      this.problems.push({ file: this.file, line, pointer: `/resource_changes/${i}`, message });
      return undefined;
    };
    if (rc === null || typeof rc !== 'object') return problem('expected an object');
    const r = rc as Record<string, unknown>;
    if (typeof r.address !== 'string' || typeof r.type !== 'string' || typeof r.name !== 'string') {
      return problem("a resource change needs string 'address', 'type' and 'name'");
    }
    const change = r.change as Record<string, unknown> | undefined;
    if (!change || typeof change !== 'object' || !Array.isArray(change.actions)) return problem(`${r.address}: 'change.actions' is missing`);
    const actions = change.actions.map(String);
    const mode = r.mode === 'data' ? 'data' : 'managed';
    if (actions.length === 1 && actions[0] === 'delete') {
      this.deleted++;
      const before = change.before;
      // A deposed object's deletion leaves its replacement in place.
      if (mode === 'managed' && typeof r.deposed !== 'string' && before !== null && typeof before === 'object' && !Array.isArray(before)) {
        this.removed.push({
          address: r.address,
          moduleAddress: typeof r.module_address === 'string' ? r.module_address : moduleOf(r.address),
          mode,
          type: r.type,
          name: r.name,
          index: r.index as TfInstance['index'],
          actions,
          values: before as Record<string, unknown>,
          line,
        });
      }
      return undefined;
    }
    const after = change.after;
    if (after === null || after === undefined) {
      if (actions.includes('forget')) return undefined;
      // Nothing changes and the plan says nothing about it: it exists, its settings unknown.
      if (actions.length === 1 && actions[0] === 'no-op' && (change.before === null || change.before === undefined)) {
        if (mode === 'managed') this.valueless.push({ address: r.address, type: r.type, line });
        return undefined;
      }
      if (mode === 'managed') return problem(`${r.address}: 'change.after' is missing for action ${actions.join('/')}`);
    } else if (typeof after !== 'object' || Array.isArray(after)) {
      return problem(`${r.address}: 'change.after' must be an object`);
    }
    const moduleAddress = typeof r.module_address === 'string' ? r.module_address : moduleOf(r.address);
    const inst: TfInstance = {
      address: r.address,
      moduleAddress,
      mode,
      type: r.type,
      name: r.name,
      index: r.index as TfInstance['index'],
      actions,
      values: {},
      line,
    };
    const deep = tooDeep(change, MAX_DEPTH);
    if (deep) return problem(`${r.address}: change${pointerOf(deep)} nests deeper than any plan Terraform writes (refused)`);
    const badUnknown = invalidUnknown(change.after_unknown);
    if (badUnknown !== undefined) return problem(`${r.address}: change.after_unknown${badUnknown}`);
    inst.values = this.merge(inst, (after ?? {}) as Record<string, unknown>, change.after_unknown) as Record<string, unknown>;
    const unset = this.unsetComputed(inst, change.after_unknown);
    if (unset) inst.unsetComputed = unset;
    return inst;
  }

  /** Attributes unknown until apply that the instance's configuration does not set (see TfInstance.unsetComputed). */
  private unsetComputed(inst: TfInstance, unknown: unknown): Set<string> | undefined {
    if (unknown === null || typeof unknown !== 'object' || Array.isArray(unknown)) return undefined;
    const config = this.configOf(inst);
    if (!config) return undefined;
    const written = config.expressions ?? {};
    const out = new Set<string>();
    for (const [k, u] of Object.entries(unknown as Record<string, unknown>)) if (u === true && !Object.prototype.hasOwnProperty.call(written, k)) out.add(k);
    return out.size > 0 ? out : undefined;
  }

  /** `after` with every `after_unknown` leaf replaced by an Unresolved naming the attribute. */
  private merge(inst: TfInstance, after: unknown, unknown: unknown, path: string[] = []): unknown {
    if (unknown === true) {
      const attr = path.length ? path.join('.') : 'value';
      return new Unresolved(`${inst.address} ${attr} is known only after apply`, path.length ? this.refsOf(inst, path[0]) : []);
    }
    if (unknown === null || typeof unknown !== 'object') return after;
    if (Array.isArray(unknown)) {
      const arr = Array.isArray(after) ? [...after] : [];
      for (let i = 0; i < unknown.length; i++) arr[i] = this.merge(inst, arr[i], unknown[i], [...path, String(i)]);
      return arr;
    }
    const out: Record<string, unknown> = after !== null && typeof after === 'object' && !Array.isArray(after) ? { ...(after as Record<string, unknown>) } : {};
    for (const [k, u] of Object.entries(unknown as Record<string, unknown>)) out[k] = this.merge(inst, out[k], u, [...path, k]);
    return out;
  }

  private configOf(inst: Pick<TfInstance, 'moduleAddress' | 'mode' | 'type' | 'name'>): ConfigResource | undefined {
    return this.modules.get(configPath(inst.moduleAddress))?.resources.get(`${inst.mode === 'data' ? 'data.' : ''}${inst.type}.${inst.name}`);
  }

  /**
   * References of the expression at `path` in the configuration: an attribute of a nested block
   * (`['encryption', 0, 'default_kms_key_name']`) as well as a top-level one. Values known only
   * after apply carry their top-level attribute's references only; a block's are its attributes'.
   */
  expressionRefs(inst: TfInstance, path: readonly (string | number)[]): string[] {
    let e: unknown = this.configOf(inst)?.expressions;
    for (const seg of path) {
      if (e === null || typeof e !== 'object') return [];
      e = (e as Record<string | number, unknown>)[seg];
    }
    const refs = (e as { references?: unknown } | undefined)?.references;
    return Array.isArray(refs) ? refs.filter((x): x is string => typeof x === 'string') : [];
  }

  /** References of a top-level attribute's expression in the configuration. */
  refsOf(inst: TfInstance, attr: string): string[] {
    const e = this.configOf(inst)?.expressions?.[attr] as { references?: unknown } | undefined;
    return Array.isArray(e?.references) ? e.references.filter((x): x is string => typeof x === 'string') : [];
  }

  /**
   * References of one field across every block of a nested block attribute (`origin[*].origin_access_control_id`).
   * Set-typed blocks are ordered differently in the configuration and the plan's values, so the
   * references are those of the field in any block, not of one block.
   */
  blockRefs(inst: TfInstance, attr: string, field: string): string[] {
    const blocks = this.configOf(inst)?.expressions?.[attr];
    if (!Array.isArray(blocks)) return [];
    const out = new Set<string>();
    for (const b of blocks) {
      const refs = (b as Record<string, { references?: unknown }> | null)?.[field]?.references;
      if (Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.add(r);
    }
    return [...out];
  }

  /**
   * The instance and attribute a top-level value known only after apply is certainly set from:
   * its expression refers to one attribute of one managed instance of this plan, an attribute
   * that every such instance has after apply (an ARN, an id), and to nothing else — no variable,
   * local, module output or data source, which may be null or lead to something that is. The
   * plan lists an expression's references, not its shape; a conditional or function whose only
   * input is that attribute still counts (`x.arn == "" ? null : x.arn`): a risk taken knowingly.
   */
  private alwaysSetTarget(inst: TfInstance, v: Unresolved): RefTarget | undefined {
    if (v.refs.length === 0) return undefined;
    // Terraform lists each step of a traversal (`aws_kms_key.k.arn`, `aws_kms_key.k`) and the
    // index expressions in it (`count.index`, `each.key`), which are known at plan time.
    const main = v.refs.reduce((a, b) => (b.length > a.length ? b : a));
    const step = (r: string): boolean => r === main || (main.startsWith(r) && (main[r.length] === '.' || main[r.length] === '['));
    if (!v.refs.every((r) => step(r) || r === 'count.index' || r === 'each.key')) return undefined;
    const parts = parseRef(main);
    if (parts.length !== 3 || NOT_RESOURCES.includes(parts[0].name) || parts[2].key !== undefined) return undefined;
    const key = parts[1].key;
    if (typeof key === 'object' && key.special === 'any') return undefined;
    const targets = this.resolveRef(inst.moduleAddress, inst.index, main, 0);
    if (targets.length !== 1) return undefined;
    const t = targets[0];
    return t.inst.mode === 'managed' && t.attr !== undefined && this.options.alwaysSet?.(t.inst.type, t.attr) === true ? t : undefined;
  }

  /** The provider configuration an instance uses (`aws`, `azurerm.other`, `module.m:azurerm`), as the configuration names it. */
  providerKey(inst: TfInstance): string | undefined {
    return this.configOf(inst)?.provider_config_key;
  }

  /**
   * A constant attribute (`region`, `project`, `subscription_id`) of the provider configuration
   * an instance uses; `defaultKey` names the configuration of instances the plan's configuration
   * does not list (the provider's unaliased one). Undefined when it is not a constant there.
   */
  providerConstant(inst: Pick<TfInstance, 'moduleAddress' | 'mode' | 'type' | 'name'>, attr: string, defaultKey: string): unknown {
    const key = this.configOf(inst)?.provider_config_key;
    const at = (k: string): unknown => this.providerConstants.get(k)?.get(attr);
    // A module's configuration (`module.m:aws`) that does not set it falls back to the root's of that name.
    return key ? (at(key) ?? at(key.replace(/^.*:/, ''))) : at(defaultKey);
  }

  private groups: Map<string, TfInstance[]> | undefined;

  /** Instances of one resource block in one module instance (indexed once: plans have many). */
  private group(mode: 'managed' | 'data', moduleAddress: string, type: string, name: string): TfInstance[] {
    if (!this.groups) {
      this.groups = new Map();
      for (const x of [...this.instances, ...this.data]) {
        const k = `${x.mode}|${x.moduleAddress}|${x.type}.${x.name}`;
        const l = this.groups.get(k);
        if (l) l.push(x);
        else this.groups.set(k, [x]);
      }
    }
    return this.groups.get(`${mode}|${moduleAddress}|${type}.${name}`) ?? [];
  }

  byType(type: string): TfInstance[] {
    let list = this.byTypeCache.get(type);
    if (!list) {
      list = this.instances.filter((x) => x.type === type);
      this.byTypeCache.set(type, list);
    }
    return list;
  }

  dataOfType(type: string): TfInstance[] {
    return this.data.filter((x) => x.type === type);
  }

  /**
   * Whether the configuration sets a top-level argument or nested block (`dynamic` blocks
   * included): false when the resource's configuration is there and does not, so a value known
   * only after apply is the provider's to compute (an Optional+Computed argument left out);
   * undefined when the plan carries no configuration for the resource.
   */
  configures(inst: TfInstance, attr: string): boolean | undefined {
    const c = this.configOf(inst);
    if (!c) return undefined;
    // Terraform leaves `expressions` out of a resource that sets nothing.
    return c.expressions !== null && typeof c.expressions === 'object' && Object.prototype.hasOwnProperty.call(c.expressions, attr);
  }

  /**
   * The managed instances a value refers to (through the configuration's references, following
   * module outputs and input variables), restricted to `types`. A data source of the same type
   * (data.aws_s3_bucket) reads an existing resource: it is not one of the plan's.
   */
  resolve(from: TfInstance, value: Unresolved | readonly string[], types: readonly string[]): TfInstance[] {
    const out = new Set<TfInstance>();
    for (const { inst } of this.targets(from, value)) if (inst.mode === 'managed' && types.includes(inst.type)) out.add(inst);
    return [...out];
  }

  /** Every instance (and the attribute read from it, when the reference names one) that a value refers to. */
  targets(from: TfInstance, value: Unresolved | readonly string[]): RefTarget[] {
    const refs = isUnresolved(value) ? value.refs : value;
    const out: RefTarget[] = [];
    for (const ref of refs) for (const t of this.resolveRef(from.moduleAddress, from.index, ref, 0)) if (!out.some((o) => o.inst === t.inst && o.attr === t.attr)) out.push(t);
    return out;
  }

  private resolveRef(moduleAddress: string, selfIndex: TfInstance['index'], ref: string, depth: number): RefTarget[] {
    if (depth > 16) return [];
    const parts = parseRef(ref);
    const head = parts[0]?.name;
    const pool = (mode: 'managed' | 'data', type: string, name: string, key: RefPart['key'], attr: string | undefined): RefTarget[] => {
      const all = this.group(mode, moduleAddress, type, name);
      let hit: TfInstance[];
      if (key !== undefined) hit = all.filter((x) => keyMatches(key, x.index, selfIndex));
      else if (all.length <= 1) hit = all;
      else {
        const same = all.filter((x) => x.index === selfIndex);
        hit = same.length === 1 ? same : all;
      }
      return hit.map((inst) => ({ inst, attr }));
    };
    if (head === 'data') return parts.length >= 3 ? pool('data', parts[1].name, parts[2].name, parts[2].key, parts[3]?.name) : [];
    if (head === 'module') {
      const call = parts[1];
      const output = parts[2]?.name;
      if (!call || !output) return [];
      const childPath = configPath(moduleAddress) ? `${configPath(moduleAddress)}.module.${call.name}` : `module.${call.name}`;
      const refs = this.modules.get(childPath)?.outputs[output]?.expression?.references ?? [];
      const prefix = `${moduleAddress ? `${moduleAddress}.` : ''}module.${call.name}`;
      const childInstances = new Set<string>();
      for (const x of this.instances) {
        const m = x.moduleAddress;
        if (m === prefix || m.startsWith(`${prefix}[`) || m.startsWith(`${prefix}.`)) {
          const seg = m.slice(prefix.length).match(/^(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/)![0];
          const key = seg ? parseKey(seg) : undefined;
          if (call.key === undefined || keyMatches(call.key, key, selfIndex)) childInstances.add(prefix + seg);
        }
      }
      const out: RefTarget[] = [];
      for (const child of childInstances) for (const r of refs) out.push(...this.resolveRef(child, undefined, r, depth + 1));
      return out;
    }
    if (head === 'var') {
      const segs = moduleSegments(moduleAddress);
      const last = segs[segs.length - 1];
      if (!last || parts.length < 2) return [];
      const parentAddress = moduleAddress.slice(0, moduleAddress.lastIndexOf(`module.${last.name}`)).replace(/\.$/, '');
      const call = this.modules.get(configPath(parentAddress))?.calls[last.name];
      const e = call?.expressions?.[parts[1].name] as { references?: unknown } | undefined;
      const refs = Array.isArray(e?.references) ? e.references.filter((x): x is string => typeof x === 'string') : [];
      const key = last.key ? parseKey(last.key) : undefined;
      return refs.flatMap((r) => this.resolveRef(parentAddress, key, r, depth + 1));
    }
    if (NOT_RESOURCES.includes(head ?? '') || parts.length < 2) return [];
    return pool('managed', parts[0].name, parts[1].name, parts[1].key, parts[2]?.name);
  }
}

/**
 * Where `after_unknown` is not what Terraform writes (true, false, or objects and arrays of
 * them), as ` at PATH must be …`; undefined when it is valid. A value of another kind would
 * otherwise be read as "known" and let unknown values pass.
 */
function invalidUnknown(v: unknown, path = ''): string | undefined {
  if (v === undefined || v === null || typeof v === 'boolean') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = invalidUnknown(v[i], `${path}[${i}]`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const bad = invalidUnknown(x, `${path}.${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  return `${path ? ` at ${path.replace(/^\./, '')}` : ''} must be true, false, or an object or array of them (found ${JSON.stringify(v)})`;
}

/** Module instance address of a resource address (`module.a["x"].aws_s3_bucket.b[0]` → `module.a["x"]`). */
function moduleOf(address: string): string {
  const segs: string[] = [];
  const re = /^module\.[A-Za-z0-9_-]+(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.?/;
  let rest = address;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    segs.push(m[0].replace(/\.$/, ''));
    rest = rest.slice(m[0].length);
  }
  return segs.join('.');
}

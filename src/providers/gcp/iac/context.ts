import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import type { IacPlacement } from '../../../iac/adapter';
import { Draft, type Origin, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../iac/draft';
import type { RefTarget, TfInstance, TfPlan } from '../../../iac/terraform-plan';
import { isUnresolved, Unresolved } from '../../../iac/values';

/**
 * What every google mapper gets: the plan, where its resources deploy, and how one resource
 * names another. A google resource deploys to its own `project` when the plan knows it, else to
 * the `project` of the provider configuration it uses (google or google-beta), else to
 * --account, else to an unknown project — never a guess.
 */
export class GcpContext {
  constructor(
    readonly plan: TfPlan,
    readonly file: string,
    readonly placement: IacPlacement,
  ) {}

  /**
   * An attribute as the code leaves it: undefined when the configuration does not set it and the
   * provider fills it at apply (an Optional+Computed attribute), so the caller may apply the API's
   * default; otherwise the planned value (Unresolved when known only after apply).
   */
  setting(inst: TfInstance, attr: string): unknown {
    if (inst.unsetComputed?.has(attr)) return undefined;
    return inst.values[attr];
  }

  /** The project of the provider configuration an instance uses, when the configuration fixes it. */
  providerProject(inst: TfInstance): string | undefined {
    const key = inst.type.startsWith('google_') ? 'google' : inst.type.slice(0, inst.type.indexOf('_'));
    const p = this.plan.providerConstant(inst, 'project', key);
    return typeof p === 'string' && p !== '' ? stripPrefix(p, 'projects/') : undefined;
  }

  /** The project of the unaliased google provider configuration, else the command line's. */
  defaultProject(): string {
    const p = this.plan.providerConstant({ moduleAddress: '', mode: 'managed', type: 'google_', name: '' }, 'project', 'google');
    return (typeof p === 'string' && p !== '' ? stripPrefix(p, 'projects/') : undefined) ?? this.placement.account ?? this.placement.defaultAccount ?? UNKNOWN_ACCOUNT;
  }

  /** The project an instance deploys to (see the class comment); `attr` names the project attribute. */
  projectOf(inst: TfInstance, attr = 'project'): string {
    const own = this.setting(inst, attr);
    if (typeof own === 'string' && own !== '') return stripPrefix(own, 'projects/');
    return this.providerProject(inst) ?? this.placement.account ?? this.placement.defaultAccount ?? UNKNOWN_ACCOUNT;
  }

  /** The region of the provider configuration an instance uses, else --region. */
  regionOf(inst: TfInstance): string {
    const own = inst.values.region;
    if (typeof own === 'string' && own !== '') return own;
    const p = this.plan.providerConstant(inst, 'region', 'google');
    return typeof p === 'string' && p !== '' ? p : (this.placement.region ?? UNKNOWN_REGION);
  }

  origin(inst: TfInstance, account: string, region = 'global'): Origin {
    return { source: { kind: 'terraform', file: inst.file ?? this.file, line: inst.line, address: inst.address }, account, region };
  }

  draft(def: ResourceTypeDef, inst: TfInstance, account: string, region = 'global'): Draft {
    return new Draft(def, this.origin(inst, account, region));
  }

  creates(inst: TfInstance): boolean {
    return inst.actions.includes('create');
  }

  /**
   * The one attribute of one managed instance of this plan that a value known only after apply is
   * copied from, when it is nothing else: Terraform lists each step of a traversal
   * (`google_kms_key_ring.r.id`, `google_kms_key_ring.r`) and the index expressions in it; any
   * other reference (a variable, a local) may change the value. `path` locates a value nested in
   * a block, whose references the plan lists in its configuration only.
   */
  referenced(inst: TfInstance, v: unknown, path?: readonly (string | number)[]): RefTarget | undefined {
    if (!isUnresolved(v)) return undefined;
    const refs = v.refs.length > 0 ? v.refs : path && path.length > 1 ? this.plan.expressionRefs(inst, path) : [];
    if (refs.length === 0) return undefined;
    const main = refs.reduce((a, b) => (b.length > a.length ? b : a));
    const step = (r: string): boolean => r === main || r === 'count.index' || r === 'each.key' || (main.startsWith(r) && (main[r.length] === '.' || main[r.length] === '['));
    if (!refs.every(step)) return undefined;
    const targets = this.plan.targets(inst, [main]);
    return targets.length === 1 && targets[0].inst.mode === 'managed' && targets[0].attr !== undefined ? targets[0] : undefined;
  }

  /**
   * The instances of `types` that `child`'s attribute designates: through the configuration's
   * references first (a reference is certain), else by a known value (`keyOf` gives each
   * candidate's comparable value, or undefined when it is not known). `definite` is false when
   * the attribute is unknown and leads to no instance: it may designate any of them, or none.
   */
  link(child: TfInstance, attr: string, types: readonly string[], keyOf: (t: TfInstance) => string | undefined, normalize: (v: string) => string = (v) => v): { targets: TfInstance[]; definite: boolean; value: string | undefined } {
    const v = child.values[attr];
    const byRef = this.plan.resolve(child, isUnresolved(v) ? v : this.plan.refsOf(child, attr), types);
    if (byRef.length > 0) return { targets: byRef, definite: byRef.length === 1, value: typeof v === 'string' ? normalize(v) : undefined };
    if (typeof v === 'string') {
      const key = normalize(v);
      return { targets: types.flatMap((t) => this.plan.byType(t)).filter((t) => keyOf(t) === key), definite: true, value: key };
    }
    return { targets: [], definite: !isUnresolved(v), value: undefined };
  }
}

/** `projects/p` → `p` (attributes accept both forms). */
export function stripPrefix(v: string, prefix: string): string {
  return v.startsWith(prefix) ? v.slice(prefix.length) : v;
}

/** A string attribute's value, or an Unresolved saying why it is not known. */
export function known(inst: TfInstance, attr: string, v: unknown): string | Unresolved {
  if (typeof v === 'string') return v;
  if (isUnresolved(v)) return v;
  return new Unresolved(`${inst.address} ${attr} is not set`);
}

/** Seconds from a number or a duration string (`"7776000s"`, `"3600"`); null when absent; Unresolved passes through. */
export function seconds(v: unknown): number | null | Unresolved {
  if (isUnresolved(v)) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string') {
    const m = /^(\d+)(?:\.\d+)?s?$/.exec(v.trim());
    if (m) return Number(m[1]);
  }
  return null;
}

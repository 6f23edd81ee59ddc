import type { Problem } from '../../../../core/errors';
import type { ResourceTypeDef } from '../../../../core/resource-types/registry';
import { Draft, type Origin, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { iamArn } from '../arn';
import { PolicyError, policyDocument } from '../policy';
import { isUnresolved, Unresolved } from '../../../../iac/values';
import type { TfInstance, TfPlan } from '../../../../iac/terraform-plan';

const IAM_KINDS: Record<string, 'user' | 'group' | 'role' | 'policy'> = {
  aws_iam_user: 'user',
  aws_iam_group: 'group',
  aws_iam_role: 'role',
  aws_iam_policy: 'policy',
};

/** Where the command line says the code deploys, when the code does not. */
export interface TfPlacement {
  account?: string;
  region?: string;
  /** Account id when neither `account` nor the plan says (the one account of `--context`). */
  defaultAccount?: string;
}

/** What every Terraform mapping module gets. */
export class TfContext {
  readonly problems: Problem[] = [];
  private readonly valueIndexes = new Map<(t: TfInstance) => unknown, Map<string, Map<string, TfInstance[]>>>();

  private byValueIndex(types: string[], candidates: () => TfInstance[], byValue: (t: TfInstance) => unknown): Map<string, TfInstance[]> {
    let perFn = this.valueIndexes.get(byValue);
    if (!perFn) this.valueIndexes.set(byValue, (perFn = new Map()));
    const key = types.join(',');
    let index = perFn.get(key);
    if (!index) {
      index = new Map();
      for (const t of candidates()) {
        const v = byValue(t);
        if (typeof v !== 'string') continue;
        const l = index.get(v);
        if (l) l.push(t);
        else index.set(v, [t]);
      }
      perFn.set(key, index);
    }
    return index;
  }

  /** The account the plan deploys to: --account, else the caller identity the plan read, else --context's. */
  readonly account: string;
  private readonly dataRegion: string | undefined;

  constructor(
    readonly plan: TfPlan,
    readonly file: string,
    private readonly placement: TfPlacement = {},
  ) {
    const identity = plan.data.find((d) => d.type === 'aws_caller_identity' && typeof d.values.account_id === 'string');
    this.account = placement.account ?? (identity?.values.account_id as string | undefined) ?? placement.defaultAccount ?? UNKNOWN_ACCOUNT;
    const region = plan.data.find((d) => d.type === 'aws_region' && typeof (d.values.name ?? d.values.region) === 'string');
    this.dataRegion = region ? String(region.values.name ?? region.values.region) : undefined;
  }

  /** The region an instance deploys to: its own, its provider configuration's, --region, the aws_region data source's. */
  regionOf(inst: TfInstance): string | undefined {
    if (typeof inst.values.region === 'string') return inst.values.region;
    const fromProvider = this.plan.providerConstant(inst, 'region', 'aws');
    return (typeof fromProvider === 'string' ? fromProvider : undefined) ?? this.placement.region ?? this.dataRegion;
  }

  /** A policy document attribute, decoded; a document that is not JSON is reported at the instance. */
  policy(inst: TfInstance, v: unknown): Record<string, unknown> | null | Unresolved {
    try {
      return policyDocument(v);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      this.problems.push({ file: inst.file ?? this.file, line: inst.line, message: `${inst.address}: ${e.message}` });
      return new Unresolved(`${inst.address}: ${e.message}`);
    }
  }

  /**
   * An attribute's value; when it is known only after apply but refers to one instance of this
   * plan whose referenced attribute can be derived from known values (a bucket's id is its name,
   * an IAM user's ARN is built from the account, path and name), that value.
   */
  value(inst: TfInstance, attr: string): unknown {
    const v = inst.values[attr];
    if (!isUnresolved(v)) return v;
    const targets = this.plan.targets(inst, v).filter((t) => t.attr !== undefined);
    if (targets.length !== 1) return v;
    const d = this.derive(targets[0].inst, targets[0].attr!);
    return d === undefined ? v : d;
  }

  private derive(t: TfInstance, attr: string): unknown {
    const known = t.values[attr];
    if (typeof known === 'string') return known;
    if (t.type === 'aws_s3_bucket' && typeof t.values.bucket === 'string') {
      if (attr === 'id' || attr === 'bucket') return t.values.bucket;
      if (attr === 'arn') return `arn:aws:s3:::${t.values.bucket}`;
    }
    const kind = IAM_KINDS[t.type];
    if (kind && typeof t.values.name === 'string') {
      const arn = iamArn(this.origin(t), kind, typeof t.values.path === 'string' ? t.values.path : '/', t.values.name);
      if (attr === 'name' || (attr === 'id' && kind !== 'policy')) return t.values.name;
      if (attr === 'arn' || (attr === 'id' && kind === 'policy')) return isUnresolved(arn) ? undefined : arn;
    }
    return undefined;
  }

  origin(inst: TfInstance): Origin {
    return {
      source: { kind: 'terraform', file: inst.file ?? this.file, line: inst.line, address: inst.address },
      account: this.account,
      region: this.regionOf(inst) ?? UNKNOWN_REGION,
    };
  }

  draft(def: ResourceTypeDef, inst: TfInstance): Draft {
    return new Draft(def, this.origin(inst));
  }

  /** True when the instance is created by this plan (AWS applies its defaults for new resources). */
  creates(inst: TfInstance): boolean {
    return inst.actions.includes('create');
  }

  /**
   * The instances of `types` that `child.values[attr]` designates: matched by a known value
   * (`byValue` reads the candidate's comparable value), else through the configuration's
   * references. `definite` is false when the link could not be pinned to one instance: the
   * caller must then treat the setting as possibly applying to every candidate.
   */
  link(child: TfInstance, attr: string, types: string[], byValue: (t: TfInstance) => unknown): { targets: TfInstance[]; definite: boolean } {
    const v = this.value(child, attr);
    // Built only when needed: copying every candidate on every call made large inputs quadratic.
    const all = (): TfInstance[] => (types.length === 1 ? this.plan.byType(types[0]) : types.flatMap((t) => this.plan.byType(t)));
    if (typeof v === 'string') {
      const hit = this.byValueIndex(types, all, byValue).get(v) ?? [];
      if (hit.length > 0) return { targets: hit, definite: hit.length === 1 };
      // A known value that matches nothing known: it may still be an instance whose value is unknown.
      const unknownOnes = all().filter((t) => isUnresolved(byValue(t)));
      const refs = this.plan.resolve(child, this.plan.refsOf(child, attr), types);
      if (refs.length === 1) return { targets: refs, definite: true };
      return { targets: unknownOnes, definite: false };
    }
    if (isUnresolved(v)) {
      const refs = this.plan.resolve(child, v, types);
      if (refs.length === 1) return { targets: refs, definite: true };
      return { targets: refs.length > 0 ? refs : all(), definite: false };
    }
    return { targets: [], definite: true };
  }
}

/** Why a setting is unknown when a child resource may or may not apply to this one. */
export function ambiguous(child: TfInstance, attr: string): Unresolved {
  return new Unresolved(`${child.address} may apply to this resource: its ${attr} is known only after apply and could not be traced to one resource`);
}

/**
 * Collects, per target instance, the child instances that configure it (split resources such as
 * aws_s3_bucket_versioning), and the targets that some unpinned child may configure.
 */
export class Children {
  private readonly definite = new Map<TfInstance, TfInstance[]>();
  private readonly maybe = new Map<TfInstance, TfInstance[]>();

  constructor(ctx: TfContext, childType: string, attr: string, targetTypes: string[], byValue: (t: TfInstance) => unknown) {
    for (const child of ctx.plan.byType(childType)) {
      const { targets, definite } = ctx.link(child, attr, targetTypes, byValue);
      const map = definite ? this.definite : this.maybe;
      for (const t of targets) {
        const list = map.get(t);
        if (list) list.push(child);
        else map.set(t, [child]);
      }
    }
  }

  /** The child configuring `target`; an Unresolved when one may but cannot be pinned; undefined when none. */
  of(target: TfInstance, attr: string): TfInstance | Unresolved | undefined {
    const d = this.definite.get(target);
    if (d && d.length > 0) return d[d.length - 1];
    const m = this.maybe.get(target);
    if (m && m.length > 0) return ambiguous(m[0], attr);
    return undefined;
  }

  all(target: TfInstance): TfInstance[] {
    return this.definite.get(target) ?? [];
  }

  maybeAny(target: TfInstance): TfInstance | undefined {
    return this.maybe.get(target)?.[0];
  }
}

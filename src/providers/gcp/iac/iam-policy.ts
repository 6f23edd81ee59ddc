import type { TfInstance } from '../../../iac/terraform-plan';
import { at, block, isUnresolved, list, PartialJson, str, Unresolved } from '../../../iac/values';
import type { GcpContext } from './context';
import { serviceAccountEmail } from './names';

/**
 * The google provider's IAM resources, folded into the IAM policy of the resource they configure,
 * in the shape the collector reads it (`{version, bindings: [{role, members, condition}],
 * auditConfigs?}`), with Terraform's semantics:
 * - `*_iam_policy` is authoritative: the policy is its `policy_data`;
 * - `*_iam_binding` is authoritative for its role (and condition): it replaces that binding;
 * - `*_iam_member` adds one member to its role's binding;
 * - `*_iam_audit_config` is authoritative for its service's audit configuration.
 * What the code does not fix — the rest of the policy of a resource it does not create, or a
 * binding an IAM resource whose target is unknown may add — is an unknown element of the list, so
 * a rule asking "no public member" is UNKNOWN, while a member the code grants is still certain.
 */

/** One family of IAM resources (`google_storage_bucket_iam_member`, `_binding`, `_policy`, …). */
export interface IamFamily {
  /** Resource type prefix: `google_storage_bucket_iam` (`_member`, `_binding`, `_policy` are appended). */
  prefix: string;
  /** `google_project_iam_audit_config` and the like, for resources whose policy carries audit configs. */
  audit?: string;
  /** The attribute naming the resource configured (`bucket`, `project`, `crypto_key_id`). */
  attr: string;
  /** Resource types of the plan that the attribute may designate. */
  targetTypes: readonly string[];
  /** A target instance's comparable key (its name, id), when known. */
  keyOf(t: TfInstance): string | undefined;
  /** The attribute's value as a comparable key (`b/name` → `name`). */
  normalize(v: string): string;
}

/** The key of IAM resources naming, by a value known only after apply, a resource this code does not declare. */
export const UNPLACED = '';

/** An external key as the resource's id, or why it is not known. */
export function placedId(key: string, what: string): string | Unresolved {
  return key === UNPLACED ? new Unresolved(`the ${what} is known only after apply`) : key;
}

export const IAM_SUFFIXES = ['_member', '_binding', '_policy'] as const;

/** Every resource type of a family. */
export function familyTypes(f: IamFamily): string[] {
  return [...IAM_SUFFIXES.map((s) => `${f.prefix}${s}`), ...(f.audit ? [f.audit] : [])];
}

/** The IAM resources of one family, by the resource they configure. */
export class IamIndex {
  private readonly byTarget = new Map<TfInstance, TfInstance[]>();
  /**
   * Keyed by the attribute's value: resources this plan does not declare (an existing bucket named
   * by a literal); UNPLACED for those whose value is known only after apply.
   */
  readonly external = new Map<string, TfInstance[]>();
  /** IAM resources whose target is not known from the code and may be any resource of the family. */
  readonly maybe: TfInstance[] = [];
  /** IAM resources that refer to several resources (an instance of a counted block not pinned to one). */
  private readonly possibly = new Map<TfInstance, TfInstance[]>();

  constructor(ctx: GcpContext, readonly family: IamFamily) {
    for (const type of familyTypes(family)) {
      for (const child of ctx.plan.byType(type)) {
        const { targets, definite, value } = ctx.link(child, family.attr, family.targetTypes, family.keyOf, family.normalize);
        if (targets.length > 0 && definite) for (const t of targets) push(this.byTarget, t, child);
        else if (targets.length > 0) for (const t of targets) push(this.possibly, t, child);
        else if (value !== undefined) push(this.external, value, child);
        // Known only after apply, and the code declares none it could be: an undeclared one ('').
        else if (family.targetTypes.every((t) => ctx.plan.byType(t).length === 0)) push(this.external, UNPLACED, child);
        else this.maybe.push(child);
      }
    }
  }

  of(target: TfInstance): TfInstance[] {
    return this.byTarget.get(target) ?? [];
  }

  /** The IAM resources that may configure `target` but cannot be pinned to it. */
  maybeOf(target: TfInstance): TfInstance[] {
    return [...this.maybe, ...(this.possibly.get(target) ?? [])];
  }
}

function push<K>(m: Map<K, TfInstance[]>, k: K, v: TfInstance): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

type Binding = { role: unknown; members: unknown; condition: unknown };
type AuditConfig = { service: unknown; auditLogConfigs: unknown };

/** An IAM Condition block (or the JSON of one) as the collector holds it; null when there is none. */
function condition(c: unknown): unknown {
  if (c === undefined || c === null) return null;
  if (isUnresolved(c)) return c;
  const title = str(at(c, 'title'), '');
  const expression = str(at(c, 'expression'), '');
  const description = str(at(c, 'description'));
  return { title, expression, ...(description !== null && description !== '' ? { description } : {}) };
}

/** Comparable (role, condition) of a binding, or undefined when a part of it is not known. */
function bindingKey(b: Binding): string | undefined {
  if (typeof b.role !== 'string' || isUnresolved(b.condition)) return undefined;
  const c = b.condition as { title?: unknown; expression?: unknown } | null;
  if (c && (isUnresolved(c.title) || isUnresolved(c.expression))) return undefined;
  return JSON.stringify([b.role, c ? [c.title, c.expression] : null]);
}

/**
 * A member as the code states it. A member known only after apply that is nothing but a reference
 * to one service account of this plan is that account: `serviceAccount:<email>` (the only valid
 * member built from a service account's email or `member`).
 */
function member(ctx: GcpContext, inst: TfInstance, v: unknown): unknown {
  const t = ctx.referenced(inst, v);
  if (!t || t.inst.type !== 'google_service_account' || (t.attr !== 'email' && t.attr !== 'member')) return v;
  const email = serviceAccountEmail(ctx, t.inst);
  return typeof email === 'string' ? `serviceAccount:${email}` : v;
}

/** `policy_data` (JSON, or JSON with unknown leaves) decoded into bindings and audit configs; Unresolved when it cannot be read. */
function policyData(inst: TfInstance, v: unknown): { bindings: Binding[]; auditConfigs: AuditConfig[] } | Unresolved {
  let doc: unknown;
  if (v instanceof PartialJson) doc = v.value;
  else if (isUnresolved(v)) return v;
  else if (typeof v !== 'string') return new Unresolved(`${inst.address} policy_data is not set`);
  else {
    try {
      doc = JSON.parse(v);
    } catch {
      return new Unresolved(`${inst.address} policy_data is not JSON`);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return new Unresolved(`${inst.address} policy_data is not a JSON object`);
  const bs = list(doc, 'bindings');
  const as = list(doc, 'auditConfigs');
  if (isUnresolved(bs) || isUnresolved(as)) return isUnresolved(bs) ? bs : (as as Unresolved);
  return {
    bindings: bs.map((b) => ({ role: at(b, 'role'), members: list(b, 'members'), condition: condition(at(b, 'condition')) })),
    auditConfigs: as.map((a) => {
      const logs = list(a, 'auditLogConfigs');
      return {
        service: at(a, 'service'),
        auditLogConfigs: isUnresolved(logs) ? logs : logs.map((l) => ({ logType: at(l, 'logType'), exemptedMembers: list(l, 'exemptedMembers') })),
      };
    }),
  };
}

/** How much of the policy the code fixes when no `*_iam_policy` does. */
export interface PolicyBase {
  /** Null: the bindings the code does not declare are none (a resource it creates); else why they are not known. */
  bindings: string | null;
  /** The same for audit configs (resources whose policy carries them). */
  auditConfigs?: string | null;
}

/**
 * The policy of one resource from the IAM resources that configure it. `maybe` are those that
 * may configure it (their target is not known): they may add bindings, or audit configs.
 */
export function assemblePolicy(ctx: GcpContext, family: IamFamily, children: readonly TfInstance[], maybe: readonly TfInstance[], base: PolicyBase): Record<string, unknown> {
  const withAudit = base.auditConfigs !== undefined;
  let bindings: (Binding | Unresolved)[] = [];
  let audits: (AuditConfig | Unresolved)[] = [];
  let bindingsRest: Unresolved | null = base.bindings === null ? null : new Unresolved(base.bindings);
  let auditRest: Unresolved | null = withAudit && base.auditConfigs !== null ? new Unresolved(base.auditConfigs!) : null;
  const ofType = (suffix: string) => children.filter((c) => c.type === `${family.prefix}${suffix}`);
  const policies = ofType('_policy');
  if (policies.length > 0) {
    // Authoritative: what the code does not say is not there (several would fight; each may win).
    bindingsRest = null;
    auditRest = null;
    for (const p of policies) {
      const d = policyData(p, p.values.policy_data);
      if (isUnresolved(d)) {
        bindingsRest = d;
        auditRest = d;
      } else {
        bindings.push(...d.bindings);
        audits.push(...d.auditConfigs);
      }
    }
  }
  for (const b of ofType('_binding')) {
    const v = b.values;
    const nb: Binding = { role: v.role, members: membersOf(ctx, b, list(v, 'members')), condition: condition(block(v, 'condition')) };
    const key = bindingKey(nb);
    if (key !== undefined) bindings = bindings.filter((x) => isUnresolved(x) || bindingKey(x) !== key);
    bindings.push(nb);
  }
  for (const m of ofType('_member')) {
    const v = m.values;
    const nb: Binding = { role: v.role, members: [member(ctx, m, v.member)], condition: condition(block(v, 'condition')) };
    const key = bindingKey(nb);
    const same = key === undefined ? undefined : bindings.find((x): x is Binding => !isUnresolved(x) && bindingKey(x) === key);
    if (same && Array.isArray(same.members)) {
      const add = (nb.members as unknown[])[0];
      if (!same.members.includes(add)) same.members = [...same.members, add];
    } else bindings.push(nb);
  }
  if (family.audit) {
    for (const a of children.filter((c) => c.type === family.audit)) {
      const v = a.values;
      const logs = list(v, 'audit_log_config');
      const na: AuditConfig = {
        service: v.service,
        auditLogConfigs: isUnresolved(logs) ? logs : logs.map((l) => ({ logType: at(l, 'log_type'), exemptedMembers: list(l, 'exempted_members') })),
      };
      if (typeof na.service === 'string') audits = audits.filter((x) => isUnresolved(x) || x.service !== na.service);
      audits.push(na);
    }
  }
  if (bindingsRest) bindings.push(bindingsRest);
  if (auditRest) audits.push(auditRest);
  const mayBind = maybe.find((c) => c.type !== family.audit);
  if (mayBind) bindings.push(new Unresolved(`${mayBind.address} may add a binding to this policy: its ${family.attr} is known only after apply and leads to no resource of this code`));
  const mayAudit = maybe.find((c) => c.type === family.audit);
  if (mayAudit && withAudit) audits.push(new Unresolved(`${mayAudit.address} may set an audit config of this policy: its ${family.attr} is known only after apply and leads to no resource of this code`));
  const conditional = bindings.some((b) => !isUnresolved(b) && b.condition !== null);
  return { version: conditional ? 3 : 1, bindings, ...(withAudit ? { auditConfigs: audits } : {}) };
}

function membersOf(ctx: GcpContext, inst: TfInstance, ms: unknown[] | Unresolved): unknown {
  return isUnresolved(ms) ? ms : ms.map((m) => member(ctx, inst, m));
}

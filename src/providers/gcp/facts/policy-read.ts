import type { Resource } from '../../../core/types';
import type { FactContext } from '../../../facts/fact-types';

/**
 * An IAM policy (or ACL) of a resource as far as it is known. The collector reads a policy whole
 * or not at all; infrastructure code knows parts: the bindings it declares, with an unknown rest
 * (bindings made outside the code) or an unknown member (known only after apply). A part that is
 * known is still certain: a member the code grants to allUsers is public whatever the rest is.
 */

/** One binding (or ACL entry) with what is known of it. */
export interface KnownBinding {
  /** Undefined when not known. */
  role: string | undefined;
  /** The members that are known. */
  members: string[];
  /** Some member of it is not known. */
  someMemberUnknown: boolean;
  /** The condition: null when unconditional, undefined when not known. */
  condition: { title?: unknown; expression?: unknown } | null | undefined;
}

export type PolicyRead =
  /** Nothing of it is known (a call that failed, a policy the code does not show). */
  | { whole: true; reason: string }
  /** `bindings` are known; `reasons` say what else may be there (none: the list is complete). */
  | { whole: false; bindings: KnownBinding[]; reasons: string[] };

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function binding(b: unknown): KnownBinding | undefined {
  if (b === null || typeof b !== 'object') return undefined;
  const o = b as { role?: unknown; members?: unknown; condition?: unknown };
  const cond = o.condition && typeof o.condition === 'object' ? (o.condition as KnownBinding['condition']) : null;
  return { role: text(o.role), members: Array.isArray(o.members) ? o.members.filter((m): m is string => typeof m === 'string') : [], someMemberUnknown: false, condition: cond };
}

/**
 * The bindings of the policy at `path` (`iamPolicy`, `keyRingIamPolicy`): `{role, members,
 * condition}` elements of `<path>.bindings`. With `list`, `path` is itself the list (an ACL of
 * `{entity, role}` entries, read as one-member bindings).
 */
export function readPolicy(r: Resource, ctx: FactContext, path: string, list = false): PolicyRead {
  const value = path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r.properties);
  const items = list ? value : (value as { bindings?: unknown } | null | undefined)?.bindings;
  const asBinding = (x: unknown): KnownBinding | undefined => {
    if (!list) return binding(x);
    if (x === null || typeof x !== 'object') return undefined;
    const e = x as { entity?: unknown; role?: unknown };
    return { role: text(e.role), members: typeof e.entity === 'string' ? [e.entity] : [], someMemberUnknown: false, condition: null };
  };
  const why = (p: string): string => ctx.whyUnknown(r, p) ?? `${p} could not be read`;
  if (!ctx.isUnknown(r, path)) return { whole: false, bindings: (Array.isArray(items) ? items : []).map(asBinding).filter((b): b is KnownBinding => b !== undefined), reasons: [] };
  // Unknown as a whole: the value, or (a policy) its version, which every partly known policy states.
  if (!Array.isArray(items) || (!list && ctx.isUnknown(r, `${path}.version`))) return { whole: true, reason: why(path) };
  const base = list ? path : `${path}.bindings`;
  const bindings: KnownBinding[] = [];
  const reasons: string[] = [];
  items.forEach((x, i) => {
    const at = `${base}.${i}`;
    if (!ctx.isUnknown(r, at)) {
      const b = asBinding(x);
      if (b) bindings.push(b);
      return;
    }
    const b = asBinding(x) ?? { role: undefined, members: [], someMemberUnknown: true, condition: undefined };
    const memberPath = list ? `${at}.entity` : `${at}.members`;
    if (ctx.isUnknown(r, `${at}.role`)) b.role = undefined;
    if (!list && ctx.isUnknown(r, `${at}.condition`)) b.condition = undefined;
    if (ctx.isUnknown(r, memberPath)) {
      const raw = list ? undefined : (x as { members?: unknown } | null)?.members;
      b.members = Array.isArray(raw) ? raw.filter((m, j): m is string => typeof m === 'string' && !ctx.isUnknown(r, `${memberPath}.${j}`)) : [];
      b.someMemberUnknown = true;
    }
    bindings.push(b);
    reasons.push(why(at));
  });
  return { whole: false, bindings, reasons };
}

import type { Resource } from '../../../core/types';
import { arr, bool, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, type MaybeUnknown, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * The effective IAM policy of an organization, folder or project: its own bindings plus those of
 * every ancestor (Google Cloud IAM is inherited down the hierarchy, and only ever adds access),
 * each grant naming the level that made it. Computed once per resource and evaluation, and shared
 * by the facts below: `effectiveBindings`, `publicGrants`, `basicRoleGrants`.
 *
 * A level whose policy could not be read (or is not in the snapshot) becomes one UNKNOWN element,
 * so "no public grant" is UNKNOWN while "some public grant" can still be certain. A binding with an
 * IAM Condition is never counted as unconditional: its `granted` is UNKNOWN (trustscan does not
 * evaluate CEL), so a rule asking "is it granted?" cannot PASS or FAIL on it alone.
 */

export const PUBLIC_MEMBERS = new Set(['allUsers', 'allAuthenticatedUsers']);
export const BASIC_ROLES = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);

export interface Grant {
  role: string;
  member: string;
  /** `projects/<id>`, `folders/<id>` or `organizations/<id>`: where the binding was made. */
  level: string;
  inherited: boolean;
  conditional: boolean;
  condition: string | null;
  granted: MaybeUnknown<boolean>;
}

type Item = Grant | typeof UNKNOWN_VALUE;

interface Computed {
  grants: Item[];
  reasons: string[];
  /** Each level's policy, nearest first; null where it is unknown. */
  policies: { level: string; policy: unknown }[] | null;
  levelsUnknown: boolean;
}

const HIERARCHY_TYPES: Record<string, string> = { organizations: 'gcp.organization', folders: 'gcp.folder', projects: 'gcp.project' };

/** `organizations/1` → the resource id the collector gives it. */
export function hierarchyResourceId(level: string): string {
  return `//cloudresourcemanager.googleapis.com/${level}`;
}

/** The level (`projects/p`, `folders/1`, `organizations/1`) a hierarchy resource stands for. */
export function levelOf(r: Resource): string {
  if (r.type === 'gcp.organization') return `organizations/${String(r.properties.organizationId ?? '')}`;
  if (r.type === 'gcp.folder') return `folders/${String(r.properties.folderId ?? '')}`;
  return `projects/${String(r.properties.projectId ?? r.account)}`;
}

interface Binding {
  role?: unknown;
  members?: unknown;
  condition?: { title?: unknown; expression?: unknown } | null;
}

function grantsOf(policy: unknown, level: string, inherited: boolean): Grant[] {
  const out: Grant[] = [];
  const bindings = (policy as { bindings?: Binding[] } | null)?.bindings;
  if (!Array.isArray(bindings)) return out;
  for (const b of bindings) {
    if (typeof b?.role !== 'string' || !Array.isArray(b.members)) continue;
    const cond = b.condition && typeof b.condition === 'object' ? b.condition : null;
    for (const m of b.members) {
      if (typeof m !== 'string') continue;
      out.push({
        role: b.role,
        member: m,
        level,
        inherited,
        conditional: cond !== null,
        condition: cond ? String(cond.title || cond.expression || '') : null,
        granted: cond ? UNKNOWN_VALUE : true,
      });
    }
  }
  return out;
}

/** The levels above `r`, nearest first; undefined when they are unknown. */
function ancestorsOf(r: Resource, ctx: FactContext): string[] | undefined {
  if (r.type === 'gcp.organization') return [];
  if (ctx.isUnknown(r, 'ancestors')) return undefined;
  const a = r.properties.ancestors;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

const cache = new WeakMap<FactContext, WeakMap<Resource, Computed>>();

export function effectiveGrants(r: Resource, ctx: FactContext): Computed {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new WeakMap()));
  const hit = perCtx.get(r);
  if (hit) return hit;
  const grants: Item[] = [];
  const reasons: string[] = [];
  const policies: { level: string; policy: unknown }[] = [];
  let levelsUnknown = false;
  const own = levelOf(r);
  if (ctx.isUnknown(r, 'iamPolicy')) {
    grants.push(UNKNOWN_VALUE);
    levelsUnknown = true;
    reasons.push(ctx.whyUnknown(r, 'iamPolicy') ?? `the IAM policy of ${own} could not be read`);
  } else {
    grants.push(...grantsOf(r.properties.iamPolicy, own, false));
    policies.push({ level: own, policy: r.properties.iamPolicy });
  }
  const ancestors = ancestorsOf(r, ctx);
  if (ancestors === undefined) {
    grants.push(UNKNOWN_VALUE);
    levelsUnknown = true;
    reasons.push(`the folders and organization above ${own} are not known (${ctx.whyUnknown(r, 'ancestors') ?? 'ancestors could not be read'}): inherited bindings are unknown`);
  } else {
    for (const level of ancestors) {
      const type = HIERARCHY_TYPES[level.split('/')[0]];
      const found = type ? ctx.resourcesWhere(type, '$id', hierarchyResourceId(level)) : [];
      if (found.length === 0) {
        grants.push(UNKNOWN_VALUE);
        levelsUnknown = true;
        reasons.push(`${level} is not in the snapshot: the bindings ${own} inherits from it are unknown`);
      } else if (ctx.isUnknown(found[0], 'iamPolicy')) {
        grants.push(UNKNOWN_VALUE);
        levelsUnknown = true;
        reasons.push(`the IAM policy of ${level}, inherited by ${own}, could not be read (${ctx.whyUnknown(found[0], 'iamPolicy') ?? 'unknown'})`);
      } else {
        grants.push(...grantsOf(found[0].properties.iamPolicy, level, true));
        policies.push({ level, policy: found[0].properties.iamPolicy });
      }
    }
  }
  const c: Computed = { grants, reasons, policies, levelsUnknown };
  perCtx.set(r, c);
  return c;
}

const grantSchema = obj({
  role: str(),
  member: str(),
  level: str('projects/<id>, folders/<id> or organizations/<id>: where the binding was made'),
  inherited: bool('made on an ancestor, not on this resource'),
  conditional: bool('the binding has an IAM Condition'),
  condition: { type: ['string', 'null'], description: 'the condition title (or expression)' },
  granted: bool('true when unconditional; unknown when an IAM Condition decides (not evaluated)'),
});

const HIERARCHY = ['gcp.organization', 'gcp.folder', 'gcp.project'];

function grantFact(type: string, name: string, description: string, keep: (g: Grant) => boolean): FactDef {
  return {
    type,
    name,
    description,
    schema: arr(grantSchema, description),
    dependsOn: type === 'gcp.organization' ? ['iamPolicy'] : ['iamPolicy', 'ancestors'],
    compute: (r, ctx) => effectiveGrants(r, ctx).grants.filter((g) => g === UNKNOWN_VALUE || keep(g)),
    unknownReasons: (r, ctx) => {
      const c = effectiveGrants(r, ctx);
      const conditional = c.grants.filter((g): g is Grant => g !== UNKNOWN_VALUE && g.granted === UNKNOWN_VALUE && keep(g));
      return [...c.reasons, ...conditional.map((g) => `${g.member} holds ${g.role} on ${g.level} only under the IAM Condition "${g.condition ?? ''}", which trustscan does not evaluate`)];
    },
  };
}

export const hierarchyGrantFacts: FactDef[] = HIERARCHY.flatMap((type) => [
  grantFact(type, 'effectiveBindings', 'Every grant in force: one per role and member, own and inherited, with the level that made it.', () => true),
  grantFact(type, 'publicGrants', 'Grants to allUsers or allAuthenticatedUsers, own and inherited.', (g) => PUBLIC_MEMBERS.has(g.member)),
  grantFact(type, 'basicRoleGrants', 'Grants of the basic roles (roles/owner, roles/editor, roles/viewer), own and inherited.', (g) => BASIC_ROLES.has(g.role)),
]);


/** Role pairs CIS keeps apart (1.8, 1.11): one member holding both can administer and use. */
const DUTIES = {
  serviceAccounts: { admin: ['roles/iam.serviceAccountAdmin'], use: ['roles/iam.serviceAccountUser'] },
  kms: { admin: ['roles/cloudkms.admin'], use: ['roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/cloudkms.cryptoKeyEncrypter', 'roles/cloudkms.cryptoKeyDecrypter'] },
};

function conflicts(grants: Item[], duty: { admin: string[]; use: string[] }): (string | typeof UNKNOWN_VALUE)[] {
  const certain = new Map<string, Set<string>>();
  const possible = new Map<string, Set<string>>();
  let unknownLevel = false;
  for (const g of grants) {
    if (g === UNKNOWN_VALUE) {
      unknownLevel = true;
      continue;
    }
    const kind = duty.admin.includes(g.role) ? 'admin' : duty.use.includes(g.role) ? 'use' : null;
    if (!kind) continue;
    for (const m of g.granted === true ? [certain, possible] : [possible]) {
      let s = m.get(g.member);
      if (!s) m.set(g.member, (s = new Set()));
      s.add(kind);
    }
  }
  const out: (string | typeof UNKNOWN_VALUE)[] = [];
  for (const [member, kinds] of possible) {
    if (kinds.size < 2) continue;
    out.push(certain.get(member)?.size === 2 ? member : UNKNOWN_VALUE);
  }
  if (unknownLevel) out.push(UNKNOWN_VALUE);
  return out;
}

export const projectDutyConflicts: FactDef = {
  type: 'gcp.project',
  name: 'dutyConflicts',
  description: 'Members who hold, in effect, both an administering and a using role: of service accounts (Service Account Admin and User), of Cloud KMS (Cloud KMS Admin and an encrypter/decrypter role).',
  schema: obj({
    serviceAccounts: arr(str(), 'members holding roles/iam.serviceAccountAdmin and roles/iam.serviceAccountUser'),
    kms: arr(str(), 'members holding roles/cloudkms.admin and a cryptoKey encrypter/decrypter role'),
  }),
  dependsOn: ['iamPolicy', 'ancestors'],
  compute: (r, ctx) => {
    const grants = effectiveGrants(r, ctx).grants;
    return { serviceAccounts: conflicts(grants, DUTIES.serviceAccounts), kms: conflicts(grants, DUTIES.kms) };
  },
  unknownReasons: (r, ctx) => effectiveGrants(r, ctx).reasons,
};

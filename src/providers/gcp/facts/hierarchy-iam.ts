import type { Resource } from '../../../core/types';
import { arr, bool, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, type MaybeUnknown, UNKNOWN_VALUE } from '../../../facts/fact-types';
import { readPolicy } from './policy-read';

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
  /** Each level's policy, nearest first (levels whose policy is unknown are left out). */
  policies: { level: string; policy: unknown }[] | null;
  levelsUnknown: boolean;
  /** Why the audit configs of some listed level are only partly known (infrastructure code). */
  auditReasons: string[];
  /** Why some level is not known at all (the part of `reasons` that is not about single bindings). */
  levelReasons: string[];
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

/** The grants of one level's policy: one per known member, and an UNKNOWN for each part not known. */
function grantsOf(r: Resource, ctx: FactContext, level: string, inherited: boolean): { grants: Item[]; reasons: string[] } | { whole: string } {
  const read = readPolicy(r, ctx, 'iamPolicy');
  if (read.whole) return { whole: read.reason };
  const grants: Item[] = [];
  for (const b of read.bindings) {
    // A binding whose role is not known may grant anything to its members.
    if (b.role === undefined || b.someMemberUnknown) grants.push(UNKNOWN_VALUE);
    if (b.role === undefined) continue;
    const cond = b.condition;
    for (const m of b.members) {
      grants.push({
        role: b.role,
        member: m,
        level,
        inherited,
        conditional: cond !== null,
        condition: cond === undefined ? '(not known)' : cond ? String(cond.title || cond.expression || '') : null,
        granted: cond === null ? true : UNKNOWN_VALUE,
      });
    }
  }
  return { grants, reasons: read.reasons };
}

/** Whether a level's audit configs are only partly known, and why. */
function auditGaps(r: Resource, ctx: FactContext): string[] {
  return ctx.isUnknown(r, 'iamPolicy.auditConfigs') ? [ctx.whyUnknown(r, 'iamPolicy.auditConfigs') ?? 'the audit configs could not be read'] : [];
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
  const auditReasons: string[] = [];
  const levelReasons: string[] = [];
  const addLevel = (res: Resource, level: string, inherited: boolean, whole: (why: string) => string): void => {
    const read = grantsOf(res, ctx, level, inherited);
    if ('whole' in read) {
      grants.push(UNKNOWN_VALUE);
      levelsUnknown = true;
      reasons.push(whole(read.whole));
      levelReasons.push(whole(read.whole));
      return;
    }
    grants.push(...read.grants);
    reasons.push(...read.reasons.map((x) => `${level}: ${x}`));
    policies.push({ level, policy: res.properties.iamPolicy });
    auditReasons.push(...auditGaps(res, ctx).map((x) => `${level}: ${x}`));
  };
  addLevel(r, own, false, (why) => why);
  const ancestors = ancestorsOf(r, ctx);
  if (ancestors === undefined) {
    grants.push(UNKNOWN_VALUE);
    levelsUnknown = true;
    const why = `the folders and organization above ${own} are not known, nor the bindings it inherits from them: ${ctx.whyUnknown(r, 'ancestors') ?? 'ancestors could not be read'}`;
    // Said first: a rule's reasons are read as one text, and what waits only on the live
    // hierarchy (infrastructure code) is recognised by how that text ends.
    reasons.unshift(why);
    levelReasons.unshift(why);
  } else {
    for (const level of ancestors) {
      const type = HIERARCHY_TYPES[level.split('/')[0]];
      const found = type ? ctx.resourcesWhere(type, '$id', hierarchyResourceId(level)) : [];
      if (found.length === 0) {
        grants.push(UNKNOWN_VALUE);
        levelsUnknown = true;
        reasons.push(`${level} is not in the snapshot: the bindings ${own} inherits from it are unknown`);
        levelReasons.push(`${level} is not in the snapshot: the bindings ${own} inherits from it are unknown`);
      } else addLevel(found[0], level, true, (why) => `the IAM policy of ${level}, inherited by ${own}, could not be read (${why})`);
    }
  }
  const c: Computed = { grants, reasons, policies, levelsUnknown, auditReasons, levelReasons };
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

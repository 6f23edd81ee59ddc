import type { Resource } from '../../../core/types';
import { arr, bool, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, type MaybeUnknown, UNKNOWN_VALUE } from '../../../facts/fact-types';
import { PUBLIC_MEMBERS } from './hierarchy-iam';
import { readPolicy } from './policy-read';

/**
 * `facts.publicAccess` of Cloud Storage buckets and Cloud KMS keys: the grants to allUsers or
 * allAuthenticatedUsers that are in effect, and whether any makes the resource public.
 * A bucket's ACLs count only without uniform bucket-level access; public access prevention
 * (enforced) makes every public grant inert. A conditional binding is UNKNOWN, never unconditional.
 */

interface PublicGrant {
  source: string;
  member: string;
  role: string;
  granted: MaybeUnknown<boolean>;
}

/**
 * The public grants of a policy (or ACL) at `path`, and what keeps the answer open: a policy not
 * read, a binding or member known only after apply. A known grant stays certain.
 */
function grantsAt(r: Resource, ctx: FactContext, path: string, source: string, list: boolean): { grants: PublicGrant[]; unreadable: string[] } {
  const read = readPolicy(r, ctx, path, list);
  if (read.whole) return { grants: [], unreadable: [read.reason] };
  const grants: PublicGrant[] = [];
  for (const b of read.bindings) {
    for (const m of b.members) {
      if (!PUBLIC_MEMBERS.has(m)) continue;
      // A member known to hold some role, unconditionally, is public whatever the role.
      grants.push({ source, member: m, role: b.role ?? '(not known)', granted: b.condition === null ? true : UNKNOWN_VALUE });
    }
  }
  return { grants, unreadable: read.reasons };
}

interface Access {
  value: { public: MaybeUnknown<boolean>; grants: PublicGrant[]; preventedBy: string | null };
  reasons: string[];
}

/** Public when a grant certainly applies; UNKNOWN when one might or a source could not be read. */
function verdict(grants: PublicGrant[], unreadable: string[], preventedBy: string | null): Access {
  if (preventedBy) return { value: { public: false, grants, preventedBy }, reasons: [] };
  const reasons = [...unreadable];
  for (const g of grants) if (g.granted === UNKNOWN_VALUE) reasons.push(`${g.member} holds ${g.role} (${g.source}) under an IAM Condition trustscan does not evaluate`);
  const pub = grants.some((g) => g.granted === true) ? true : reasons.length ? UNKNOWN_VALUE : false;
  return { value: { public: pub, grants, preventedBy: null }, reasons };
}

const cache = new WeakMap<FactContext, WeakMap<Resource, Access>>();
function cached(r: Resource, ctx: FactContext, compute: () => Access): Access {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new WeakMap()));
  let a = m.get(r);
  if (!a) m.set(r, (a = compute()));
  return a;
}

function bucketAccess(r: Resource, ctx: FactContext): Access {
  return cached(r, ctx, () => {
    const p = r.properties;
    const unreadable: string[] = [];
    const why = (path: string) => ctx.whyUnknown(r, path) ?? `${path} could not be read`;
    if (!ctx.isUnknown(r, 'publicAccessPrevention') && p.publicAccessPrevention === 'enforced') {
      return verdict([], [], 'publicAccessPrevention');
    }
    if (ctx.isUnknown(r, 'publicAccessPrevention')) unreadable.push(why('publicAccessPrevention'));
    const policy = grantsAt(r, ctx, 'iamPolicy', 'bucket IAM policy', false);
    const grants: PublicGrant[] = [...policy.grants];
    unreadable.push(...policy.unreadable);
    // ACLs are inert under uniform bucket-level access.
    const uniform = ctx.isUnknown(r, 'uniformBucketLevelAccess') ? undefined : p.uniformBucketLevelAccess === true;
    if (uniform !== true) {
      const acl = grantsAt(r, ctx, 'acl', 'bucket ACL', true);
      const def = grantsAt(r, ctx, 'defaultObjectAcl', 'default object ACL', true);
      unreadable.push(...acl.unreadable, ...def.unreadable);
      const aclGrantsFound = [...acl.grants, ...def.grants];
      // Whether ACLs apply is unknown: their grants might.
      grants.push(...(uniform === undefined ? aclGrantsFound.map((g) => ({ ...g, granted: UNKNOWN_VALUE as MaybeUnknown<boolean> })) : aclGrantsFound));
      if (uniform === undefined && aclGrantsFound.length) unreadable.push(why('uniformBucketLevelAccess'));
    }
    return verdict(grants, unreadable, null);
  });
}

function keyAccess(r: Resource, ctx: FactContext): Access {
  return cached(r, ctx, () => {
    const unreadable: string[] = [];
    const grants: PublicGrant[] = [];
    for (const [path, source] of [
      ['iamPolicy', 'key IAM policy'],
      ['keyRingIamPolicy', 'key ring IAM policy'],
    ] as const) {
      const found = grantsAt(r, ctx, path, source, false);
      grants.push(...found.grants);
      unreadable.push(...found.unreadable);
    }
    return verdict(grants, unreadable, null);
  });
}

const schema = obj({
  public: bool('some grant to allUsers or allAuthenticatedUsers is in effect'),
  grants: arr(obj({ source: str(), member: strEnum(['allUsers', 'allAuthenticatedUsers']), role: str(), granted: bool('unknown under an IAM Condition') })),
  preventedBy: { type: ['string', 'null'], description: 'the setting that makes public grants inert (publicAccessPrevention)' },
});

export const bucketPublicAccess: FactDef = {
  type: 'gcp.storage.bucket',
  name: 'publicAccess',
  description: 'Grants to allUsers / allAuthenticatedUsers in effect through the bucket IAM policy or, without uniform access, its ACLs; public access prevention makes them inert.',
  schema,
  dependsOn: ['iamPolicy', 'acl', 'defaultObjectAcl', 'uniformBucketLevelAccess', 'publicAccessPrevention'],
  compute: (r, ctx) => bucketAccess(r, ctx).value,
  unknownReasons: (r, ctx) => bucketAccess(r, ctx).reasons,
};

export const keyPublicAccess: FactDef = {
  type: 'gcp.kms.crypto-key',
  name: 'publicAccess',
  description: "Grants to allUsers / allAuthenticatedUsers on the key or on its key ring (inherited by the key).",
  schema,
  dependsOn: ['iamPolicy', 'keyRingIamPolicy'],
  compute: (r, ctx) => keyAccess(r, ctx).value,
  unknownReasons: (r, ctx) => keyAccess(r, ctx).reasons,
};

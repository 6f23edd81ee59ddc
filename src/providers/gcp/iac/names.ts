import type { TfInstance } from '../../../iac/terraform-plan';
import { isUnresolved, Unresolved } from '../../../iac/values';
import type { GcpContext } from './context';

/**
 * Names and ids the google provider computes at apply from values the code states: a key ring's
 * id is `projects/<p>/locations/<l>/keyRings/<name>`, a service account's email is
 * `<account_id>@<project>.iam.gserviceaccount.com`. A reference to one of them is that value.
 */

/** The full name of a key ring, when its project, location and name are known. */
export function ringName(ctx: GcpContext, r: TfInstance): string | undefined {
  const id = r.values.id;
  if (typeof id === 'string' && id.startsWith('projects/')) return id;
  const project = ctx.projectOf(r);
  const { location, name } = r.values;
  return typeof location === 'string' && typeof name === 'string' && project !== 'unknown' ? `projects/${project}/locations/${location}/keyRings/${name}` : undefined;
}

/** `p/l/r` → `projects/p/locations/l/keyRings/r` (the provider accepts both). */
export function fullRing(v: string): string {
  const p = v.split('/');
  return !v.startsWith('projects/') && p.length === 3 ? `projects/${p[0]}/locations/${p[1]}/keyRings/${p[2]}` : v;
}

/** `p/l/r/k` → `projects/p/locations/l/keyRings/r/cryptoKeys/k`. */
export function fullKey(v: string): string {
  const p = v.split('/');
  return !v.startsWith('projects/') && p.length === 4 ? `projects/${p[0]}/locations/${p[1]}/keyRings/${p[2]}/cryptoKeys/${p[3]}` : v;
}

/** `p/l/r` and `l/r` (the provider's project) forms of a key ring id, as the full name. */
export function normalizeRing(ctx: GcpContext, child: TfInstance): (v: string) => string {
  return (v) => {
    const parts = v.split('/');
    if (!v.startsWith('projects/') && parts.length === 2) return `projects/${ctx.projectOf(child)}/locations/${parts[0]}/keyRings/${parts[1]}`;
    return fullRing(v);
  };
}

/** The key ring of this plan a key belongs to, when its `key_ring` leads to exactly one. */
export function ringOfKey(ctx: GcpContext, k: TfInstance): TfInstance | undefined {
  const v = k.values.key_ring;
  const rings = ctx.plan.resolve(k, isUnresolved(v) ? v : ctx.plan.refsOf(k, 'key_ring'), ['google_kms_key_ring']);
  return rings.length === 1 ? rings[0] : undefined;
}

/** The full name of a key ring a key names (`key_ring`): the ring of this plan, or the id it states. */
export function keyRingOf(ctx: GcpContext, k: TfInstance): string | undefined {
  const ring = ringOfKey(ctx, k);
  if (ring) return ringName(ctx, ring);
  return typeof k.values.key_ring === 'string' ? normalizeRing(ctx, k)(k.values.key_ring) : undefined;
}

/** The full name of a key, when its ring's and its own are known. */
export function keyName(ctx: GcpContext, k: TfInstance): string | undefined {
  const id = k.values.id;
  if (typeof id === 'string' && id.startsWith('projects/')) return id;
  const name = k.values.name;
  const ring = keyRingOf(ctx, k);
  return typeof name === 'string' && ring ? `${ring}/cryptoKeys/${name}` : undefined;
}

/** A service account's email: known, or built from its account id and project. */
export function serviceAccountEmail(ctx: GcpContext, sa: TfInstance): string | Unresolved {
  const known = sa.values.email;
  if (typeof known === 'string' && known !== '') return known;
  const id = sa.values.account_id;
  const project = ctx.projectOf(sa);
  if (typeof id === 'string' && project !== 'unknown') return `${id}@${project}.iam.gserviceaccount.com`;
  return isUnresolved(known) ? known : new Unresolved(`${sa.address} email is known only after apply`);
}

/** The value an attribute of an instance of this plan has after apply, when the code fixes it. */
export function derived(ctx: GcpContext, t: TfInstance, attr: string | undefined): string | undefined {
  if (attr === undefined) return undefined;
  const v = t.values[attr];
  if (typeof v === 'string' && v !== '') return v;
  const name = typeof t.values.name === 'string' ? t.values.name : undefined;
  switch (t.type) {
    case 'google_kms_key_ring':
      return attr === 'id' ? ringName(ctx, t) : undefined;
    case 'google_kms_crypto_key':
      return attr === 'id' ? keyName(ctx, t) : undefined;
    case 'google_storage_bucket':
      return attr === 'id' || attr === 'name' ? name : undefined;
    case 'google_compute_network':
      if (!name) return undefined;
      return attr === 'name' ? name : attr === 'id' ? `projects/${ctx.projectOf(t)}/global/networks/${name}` : undefined;
    case 'google_service_account': {
      const email = serviceAccountEmail(ctx, t);
      if (isUnresolved(email)) return undefined;
      if (attr === 'email') return email;
      if (attr === 'member') return `serviceAccount:${email}`;
      return attr === 'name' || attr === 'id' ? `projects/${ctx.projectOf(t)}/serviceAccounts/${email}` : undefined;
    }
    default:
      return undefined;
  }
}

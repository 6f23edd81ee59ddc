import type { Draft } from '../../../iac/draft';
import type { TfInstance } from '../../../iac/terraform-plan';
import { at, block, isUnresolved, str, Unresolved } from '../../../iac/values';
import { gcpKmsCryptoKey } from '../types/kms';
import { type GcpContext, seconds } from './context';
import { fullKey, fullRing, keyName, keyRingOf, ringName, ringOfKey } from './names';
import { assemblePolicy, IamIndex, type IamFamily, placedId } from './iam-policy';

/**
 * `google_kms_key_ring` and `google_kms_crypto_key`, with the IAM of both, → `gcp.kms.crypto-key`
 * (a key carries its ring's policy, which it inherits). Keys and rings this plan creates start
 * with an empty policy; Cloud KMS defaults fill what the code leaves out (purpose
 * ENCRYPT_DECRYPT, software protection, no rotation). Key-ring IAM that names a ring whose keys
 * the code does not declare makes a stand-in `<ring>/cryptoKeys/*` for every key of that ring.
 */

export function mapKms(ctx: GcpContext): Draft[] {
  const ringOf = new Map<TfInstance, TfInstance | undefined>(ctx.plan.byType('google_kms_crypto_key').map((k) => [k, ringOfKey(ctx, k)]));
  const ringFamily: IamFamily = {
    prefix: 'google_kms_key_ring_iam',
    attr: 'key_ring_id',
    targetTypes: ['google_kms_key_ring'],
    keyOf: (r) => ringName(ctx, r),
    normalize: fullRing,
  };
  const keyFamily: IamFamily = {
    prefix: 'google_kms_crypto_key_iam',
    attr: 'crypto_key_id',
    targetTypes: ['google_kms_crypto_key'],
    keyOf: (k) => keyName(ctx, k),
    normalize: fullKey,
  };
  const ringIam = new IamIndex(ctx, ringFamily);
  const keyIam = new IamIndex(ctx, keyFamily);
  const out: Draft[] = [];
  const ringsWithKeys = new Set<TfInstance>();

  for (const k of ctx.plan.byType('google_kms_crypto_key')) {
    const ring = ringOf.get(k);
    if (ring) ringsWithKeys.add(ring);
    const v = k.values;
    const ringFull = keyRingOf(ctx, k);
    const project = ring ? ctx.projectOf(ring) : (projectFromName(ringFull) ?? ctx.projectOf(k));
    const d = ctx.draft(gcpKmsCryptoKey, k, project);
    const full = keyName(ctx, k);
    if (full) d.id = `//cloudkms.googleapis.com/${full}`;
    if (typeof v.name === 'string') d.name = v.name;
    d.set('name', full ?? new Unresolved(`${k.address}: the key's full name is known only after apply`));
    d.set('keyRing', ringFull ?? new Unresolved(`${k.address}: its key ring is known only after apply`));
    const location = ring ? ring.values.location : ringFull ? /\/locations\/([^/]+)\//.exec(ringFull)?.[1] : undefined;
    d.set('location', typeof location === 'string' ? location : new Unresolved(`${k.address}: its key ring's location is not known from the code`));
    d.set('purpose', str(ctx.setting(k, 'purpose'), 'ENCRYPT_DECRYPT'));
    // The provider takes a duration in seconds ("7776000s"); anything else is code it rejects.
    const rotation = v.rotation_period;
    d.set('rotationPeriodSeconds', rotation === undefined || rotation === null || isUnresolved(rotation) || (typeof rotation === 'string' && /^\d+(\.\d+)?s$/.test(rotation)) ? seconds(rotation) : new Unresolved(`${k.address} rotation_period ${JSON.stringify(rotation)} is not a duration in seconds ("7776000s"): Terraform rejects it`));
    // An Optional+Computed block: left out, Cloud KMS makes software keys.
    const template = ctx.setting(k, 'version_template') === undefined ? undefined : block(v, 'version_template');
    const level = isUnresolved(template) ? template : str(at(template, 'protection_level'), 'SOFTWARE');
    d.set('protectionLevel', level);
    d.set('iamPolicy', assemblePolicy(ctx, keyFamily, keyIam.of(k), keyIam.maybeOf(k), { bindings: ctx.creates(k) ? null : `${k.address} exists already and this code does not declare all its bindings` }));
    d.set(
      'keyRingIamPolicy',
      ring
        ? assemblePolicy(ctx, ringFamily, ringIam.of(ring), ringIam.maybeOf(ring), { bindings: ctx.creates(ring) ? null : `${ring.address} exists already and this code does not declare all its bindings` })
        : assemblePolicy(ctx, ringFamily, (ringFull && ringIam.external.get(ringFull)) || [], ringIam.maybe, { bindings: `the key ring of ${k.address} is not declared in this code: its bindings are not visible in it` }),
    );
    d.setTerraformTags(v.effective_labels ?? v.terraform_labels, v.labels);
    out.push(d);
  }

  // Keys named only by their IAM: what that IAM grants is checked, the rest is unknown.
  for (const [name, children] of keyIam.external) {
    const first = children.reduce((a, c) => (c.line < a.line ? c : a));
    const d = standIn(ctx, first, placedId(name, 'key name'), `key ${name || '(known only after apply)'} is not declared in this code`);
    d.set('iamPolicy', assemblePolicy(ctx, keyFamily, children, keyIam.maybe, { bindings: `key ${name} is not declared in this code: its other bindings are not visible in it` }));
    const ring = typeof name === 'string' && name.includes('/cryptoKeys/') ? name.slice(0, name.indexOf('/cryptoKeys/')) : undefined;
    d.set('keyRingIamPolicy', assemblePolicy(ctx, ringFamily, (ring && ringIam.external.get(ring)) || [], ringIam.maybe, { bindings: `the key ring of key ${name} is not declared in this code` }));
    out.push(d);
  }
  // Rings whose IAM the code sets but whose keys it does not declare: every key of the ring inherits that IAM.
  const rings = new Map<string, { at: TfInstance; children: TfInstance[]; ring?: TfInstance }>();
  for (const r of ctx.plan.byType('google_kms_key_ring')) {
    const children = ringIam.of(r);
    if (!ringsWithKeys.has(r) && children.length > 0) rings.set(ringName(ctx, r) ?? '', { at: r, children, ring: r });
  }
  const keyRings = new Set(ctx.plan.byType('google_kms_crypto_key').map((k) => keyRingOf(ctx, k)));
  for (const [name, children] of ringIam.external) if (!keyRings.has(name)) rings.set(name, { at: children.reduce((a, c) => (c.line < a.line ? c : a)), children });
  for (const [name, { at: first, children, ring }] of rings) {
    const d = standIn(ctx, first, name ? `${name}/cryptoKeys/*` : placedId(name, 'key ring name'), `the keys of key ring ${name || '(known only after apply)'} are not declared in this code`, ring);
    d.set('iamPolicy', new Unresolved(`the keys of key ring ${name} are not declared in this code: their own bindings are not visible in it`));
    d.set('keyRingIamPolicy', assemblePolicy(ctx, ringFamily, children, ringIam.maybe, { bindings: ring && ctx.creates(ring) ? null : `key ring ${name} exists already and this code does not declare all its bindings` }));
    out.push(d);
  }
  return out;
}

function projectFromName(name: string | undefined): string | undefined {
  return name ? /^projects\/([^/]+)\//.exec(name)?.[1] : undefined;
}

/** A key the code does not declare, known only through IAM that names it (or its ring). */
function standIn(ctx: GcpContext, first: TfInstance, name: string | Unresolved, why: string, ring?: TfInstance): Draft {
  const project = (typeof name === 'string' ? projectFromName(name) : undefined) ?? (ring ? ctx.projectOf(ring) : ctx.projectOf(first));
  const d = ctx.draft(gcpKmsCryptoKey, first, project);
  if (typeof name === 'string') {
    d.id = `//cloudkms.googleapis.com/${name}`;
    d.name = name.split('/').pop();
  }
  d.set('name', name);
  d.set('keyRing', typeof name === 'string' && name.includes('/cryptoKeys/') ? name.slice(0, name.indexOf('/cryptoKeys/')) : new Unresolved(why));
  const location = typeof name === 'string' ? /\/locations\/([^/]+)\//.exec(name)?.[1] : undefined;
  d.set('location', location ?? new Unresolved(why));
  for (const p of ['purpose', 'rotationPeriodSeconds', 'protectionLevel']) d.set(p, new Unresolved(why));
  d.markUnknown('$tags', why);
  return d;
}

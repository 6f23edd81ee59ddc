import type { Draft } from '../../../iac/draft';
import type { TfInstance } from '../../../iac/terraform-plan';
import { at, block, bool, int, isUnresolved, list, str, Unresolved } from '../../../iac/values';
import { gcpStorageBucket } from '../types/storage';
import { type GcpContext, seconds, stripPrefix } from './context';
import { assemblePolicy, IamIndex, type IamFamily, placedId } from './iam-policy';
import { derived } from './names';

/**
 * `google_storage_bucket` with the resources that configure it (bucket IAM members, bindings and
 * policies; bucket and default object ACLs) → `gcp.storage.bucket`. A bucket this plan creates
 * gets Cloud Storage's defaults where the code is silent: ACLs on, public access prevention
 * inherited, no versioning, logging or retention, soft delete for 7 days, and an IAM policy of the
 * project convenience bindings (never public: left out) plus what the code grants. Of a bucket the
 * plan does not create, what the code does not state is unknown. IAM and ACL resources naming a
 * bucket this plan does not declare make a `gcp.storage.bucket` of their own, with only what they
 * set known.
 */

const bucketName = (v: string): string => stripPrefix(v, 'b/');

export const BUCKET_IAM: IamFamily = {
  prefix: 'google_storage_bucket_iam',
  attr: 'bucket',
  targetTypes: ['google_storage_bucket'],
  keyOf: (t) => (typeof t.values.name === 'string' ? t.values.name : undefined),
  normalize: bucketName,
};

const ACL_TYPES = ['google_storage_bucket_acl', 'google_storage_bucket_access_control', 'google_storage_default_object_acl', 'google_storage_default_object_access_control'] as const;

/** Canned ACLs (`predefined_acl`) as the entries Cloud Storage gives the bucket; the project entries are left out (never public). */
const PREDEFINED: Record<string, { entity: string; role: string }[]> = {
  private: [],
  projectPrivate: [],
  bucketOwnerRead: [],
  bucketOwnerFullControl: [],
  authenticatedRead: [{ entity: 'allAuthenticatedUsers', role: 'READER' }],
  publicRead: [{ entity: 'allUsers', role: 'READER' }],
  publicReadWrite: [{ entity: 'allUsers', role: 'WRITER' }],
};

/** `ROLE:entity` entries of `role_entity`. */
function roleEntities(inst: TfInstance): unknown {
  const entries = list(inst.values, 'role_entity');
  if (isUnresolved(entries)) return entries;
  return entries.map((e) => {
    if (typeof e !== 'string') return e;
    const i = e.indexOf(':');
    return { entity: e.slice(i + 1), role: e.slice(0, i) };
  });
}

/** The ACL a `*_acl` or `*_access_control` resource sets: the whole list (authoritative) or one entry (added). */
function aclOf(inst: TfInstance): { entries: unknown; whole: boolean } {
  const v = inst.values;
  if (inst.type.endsWith('_access_control')) return { entries: [{ entity: v.entity, role: v.role }], whole: false };
  const canned = str(v.predefined_acl);
  if (isUnresolved(canned)) return { entries: canned, whole: true };
  if (typeof canned === 'string' && canned !== '') return { entries: PREDEFINED[canned] ?? new Unresolved(`${inst.address}: unrecognised predefined ACL '${canned}'`), whole: true };
  return { entries: roleEntities(inst), whole: true };
}

/**
 * A bucket's (or its default object) ACL from the resources that set it, on top of `base` (the
 * ACL without them: a list, or an Unresolved when the code does not say). An unknown rest stays an
 * unknown element at the end, so an entry the code adds is still certain.
 */
function acl(children: TfInstance[], objectAcl: boolean, base: unknown[] | Unresolved): unknown[] {
  const mine = children.filter((c) => c.type.startsWith(objectAcl ? 'google_storage_default_object_' : 'google_storage_bucket_'));
  let known: unknown[] = isUnresolved(base) ? [] : [...base];
  let rest: Unresolved | null = isUnresolved(base) ? base : null;
  for (const c of mine) {
    const { entries, whole } = aclOf(c);
    if (whole) {
      known = isUnresolved(entries) ? [] : [...(entries as unknown[])];
      rest = isUnresolved(entries) ? entries : null;
    } else known.push(...(entries as unknown[]));
  }
  return rest ? [...known, rest] : known;
}

/** Which ACL resources configure which bucket (by reference, else by name). */
class AclIndex {
  readonly byBucket = new Map<TfInstance, TfInstance[]>();
  readonly external = new Map<string, TfInstance[]>();
  readonly maybe: TfInstance[] = [];
  constructor(ctx: GcpContext) {
    for (const type of ACL_TYPES) {
      for (const c of ctx.plan.byType(type)) {
        const { targets, definite, value } = ctx.link(c, 'bucket', ['google_storage_bucket'], BUCKET_IAM.keyOf, bucketName);
        if (targets.length > 0 && definite) for (const t of targets) add(this.byBucket, t, c);
        else if (value !== undefined && targets.length === 0) add(this.external, value, c);
        else this.maybe.push(c);
      }
    }
  }
}

function add<K>(m: Map<K, TfInstance[]>, k: K, v: TfInstance): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export function mapBuckets(ctx: GcpContext): Draft[] {
  const iam = new IamIndex(ctx, BUCKET_IAM);
  const acls = new AclIndex(ctx);
  const out: Draft[] = [];
  for (const b of ctx.plan.byType('google_storage_bucket')) {
    const created = ctx.creates(b);
    const undeclared = (what: string): string => `${b.address} exists already and this plan does not declare its ${what}`;
    const d = bucketDraft(ctx, b, str(b.values.name), ctx.projectOf(b), str(b.values.location));
    const v = b.values;
    const uniform = bool(ctx.setting(b, 'uniform_bucket_level_access'), false);
    d.set('uniformBucketLevelAccess', uniform);
    const pap = str(ctx.setting(b, 'public_access_prevention'), 'inherited');
    d.set('publicAccessPrevention', isUnresolved(pap) ? pap : pap === 'enforced' ? 'enforced' : 'inherited');
    setAcls(d, acls.byBucket.get(b) ?? [], acls.maybe, uniform, created ? [] : new Unresolved(undeclared('ACL')));
    d.set('iamPolicy', assemblePolicy(ctx, BUCKET_IAM, iam.of(b), iam.maybeOf(b), { bindings: created ? null : undeclared('IAM policy') }));
    const enc = block(v, 'encryption');
    const key = isUnresolved(enc) ? enc : str(at(enc, 'default_kms_key_name'));
    // A key of this plan (`google_kms_crypto_key.k.id`): its name is known from the code.
    const ref = ctx.referenced(b, key, ['encryption', 0, 'default_kms_key_name']);
    d.set('defaultKmsKeyName', key === '' ? null : ((ref && derived(ctx, ref.inst, ref.attr)) ?? key));
    const ver = block(v, 'versioning');
    d.set('versioning', isUnresolved(ver) ? ver : bool(at(ver, 'enabled'), false));
    const ret = block(v, 'retention_policy');
    d.set('retentionPolicy', ret === undefined ? null : isUnresolved(ret) ? ret : { retentionPeriodSeconds: seconds(at(ret, 'retention_period')) ?? 0, isLocked: bool(at(ret, 'is_locked'), false) });
    const log = block(v, 'logging');
    // The prefix defaults to the bucket's name; no rule reads it, whether logging is on does.
    const prefix = at(log, 'log_object_prefix');
    d.set('logging', log === undefined ? null : isUnresolved(log) ? log : { logBucket: str(at(log, 'log_bucket'), ''), logObjectPrefix: typeof prefix === 'string' && prefix !== '' ? prefix : (str(v.name) ?? '') });
    // Soft delete is on for 7 days unless the code says otherwise (Cloud Storage's default since 2024).
    const soft = ctx.setting(b, 'soft_delete_policy') === undefined ? undefined : block(v, 'soft_delete_policy');
    d.set('softDeleteRetentionSeconds', soft === undefined ? 604800 : isUnresolved(soft) ? soft : int(at(soft, 'retention_duration_seconds'), 604800));
    d.setTerraformTags(v.effective_labels ?? v.terraform_labels, v.labels);
    out.push(d);
  }
  // Buckets named only by IAM or ACL resources: what those set is checked, the rest is unknown.
  const names = new Set([...iam.external.keys(), ...acls.external.keys()]);
  for (const name of names) {
    const children = [...(iam.external.get(name) ?? []), ...(acls.external.get(name) ?? [])];
    const first = children.reduce((a, c) => (c.line < a.line ? c : a));
    const why = `bucket ${name || '(known only after apply)'} is not declared in this code: its settings are not visible in it`;
    const d = bucketDraft(ctx, first, placedId(name, 'bucket name'), ctx.projectOf(first), new Unresolved(why));
    for (const p of ['uniformBucketLevelAccess', 'publicAccessPrevention', 'defaultKmsKeyName', 'versioning', 'retentionPolicy', 'logging', 'softDeleteRetentionSeconds']) d.set(p, new Unresolved(why));
    setAcls(d, acls.external.get(name) ?? [], acls.maybe, new Unresolved(why), new Unresolved(why));
    d.set('iamPolicy', assemblePolicy(ctx, BUCKET_IAM, iam.external.get(name) ?? [], iam.maybe, { bindings: why }));
    d.markUnknown('$tags', why);
    out.push(d);
  }
  return out;
}

function bucketDraft(ctx: GcpContext, at: TfInstance, name: string | null | Unresolved, project: string, location: string | null | Unresolved): Draft {
  const region = typeof location === 'string' ? location.toLowerCase() : 'unknown';
  const d = ctx.draft(gcpStorageBucket, at, project, region);
  if (typeof name === 'string') {
    d.id = `//storage.googleapis.com/projects/_/buckets/${name}`;
    d.name = name;
  }
  d.set('name', name ?? new Unresolved(`${at.address} name is not set`));
  d.set('location', typeof location === 'string' ? location.toUpperCase() : (location ?? new Unresolved(`${at.address} location is not set`)));
  return d;
}

/** ACLs apply only without uniform bucket-level access (the collector reads none then, and neither does this). */
function setAcls(d: Draft, children: TfInstance[], maybe: TfInstance[], uniform: unknown, base: unknown[] | Unresolved): void {
  if (uniform === true) {
    d.set('acl', []);
    d.set('defaultObjectAcl', []);
    return;
  }
  for (const [path, objectAcl] of [
    ['acl', false],
    ['defaultObjectAcl', true],
  ] as const) {
    d.set(path, acl(children, objectAcl, base));
    const may = maybe.find((c) => c.type.startsWith(objectAcl ? 'google_storage_default_object_' : 'google_storage_bucket_'));
    if (may) d.markUnknown(path, `${may.address} may set this bucket's ACL: its bucket is known only after apply`);
  }
}

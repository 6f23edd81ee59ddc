import type { Resource } from '../../../core/types';
import { arr, bool, obj, str } from '../../../core/resource-types/schema-helpers';
import { and, not, type Tri, UNKNOWN_VALUE } from '../../../core/tri';
import type { FactContext, FactDef } from '../../../facts/fact-types';
import { type Condition, FRESH_ACTIONS, FRESH_ARN, instances, matches, type ParsedPolicy, parsePolicy, type Patterns, type Statement } from './iam-policy';
import { accountBlockAssumedOff, blockUnknownReasons, effectiveBlock, UNLESS_ACCOUNT_BLOCKS } from './s3-public-access';
import { bucketNameBeforeDeploy } from '../types/s3-bucket';

/**
 * Who a resource policy (bucket policy, key policy, role trust policy) lets in from outside: the
 * whole world, or other AWS accounts — and whether conditions really narrow that down.
 *
 * A grant to `*` (or `{"AWS": "*"}`, or an Allow with NotPrincipal) is public unless a condition
 * pins the caller down with a fixed value — aws:PrincipalOrgID / PrincipalOrgPaths,
 * aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, aws:SourceOwner, aws:SourceArn,
 * aws:SourceVpc, aws:SourceVpce, aws:SourceIp (a CIDR narrower than /8, or /32 for IPv6),
 * aws:userid, kms:CallerAccount — as S3's own definition of "public" does. A condition only narrows
 * when it cannot be side-stepped: `…IfExists` and `ForAllValues:` operators pass when the key is
 * missing (anonymous callers carry no org id), and negated operators exclude rather than pin. A Deny
 * to everyone with the negated form ("deny unless from my VPC endpoint") narrows the Allows it
 * covers the same way; the principals its NotPrincipal names are exempt from it, so they get
 * through unpinned. Federated trust in a multi-tenant identity provider (GitHub Actions,
 * Cognito, Google, …) is public unless the token's subject or audience is pinned.
 */

/** Keys whose fixed value pins the caller's account, organization or identity. */
const ACCOUNT_KEYS = ['aws:principalaccount', 'aws:sourceaccount', 'aws:sourceowner', 'kms:calleraccount'];
const ORG_KEYS = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceorgid', 'aws:sourceorgpaths'];
const ARN_KEYS = ['aws:sourcearn', 'aws:principalarn'];
/** Keys that pin the network or one identity, without saying which account is behind it. */
const NETWORK_KEYS = ['aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip', 'aws:userid'];
const POSITIVE_OPS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike', 'IpAddress']);
const NEGATIVE_OPS = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress']);

/**
 * Multi-tenant OIDC providers: anyone can get a token from them, so a claim naming the tenant
 * must be pinned. For Cognito that is the identity pool (`aud`); `amr` only says whether the user
 * signed in, to any pool of any account. For CI services the audience is whatever the pipeline
 * asks for, so only the subject pins, and it must name the owner (see `pinsClaim`).
 */
const MULTI_TENANT_IDPS: Record<string, string[]> = {
  'token.actions.githubusercontent.com': ['sub'],
  'gitlab.com': ['sub'],
  'app.terraform.io': ['sub'],
  'agent.buildkite.com': ['sub'],
  'cognito-identity.amazonaws.com': ['aud'],
  'accounts.google.com': ['aud', 'sub', 'oaud'],
  'graph.facebook.com': ['app_id', 'id'],
  'www.amazon.com': ['app_id', 'user_id'],
};
/** CI services whose subject is `<claim>:<value>:…` with the owner first: `repo:acme/infra:…`, `project_path:acme/…`, `organization:acme:…`. */
const CI_SUBJECTS = new Set(['token.actions.githubusercontent.com', 'gitlab.com', 'app.terraform.io', 'agent.buildkite.com']);

/**
 * Whether a claim value pins the token to one tenant. StringLike wildcards may open it again: a
 * CI subject must name its owner without a wildcard (`repo:acme/…`, `organization:acme:…`,
 * `repository_owner_id:4242:…` — not `repo:*`, `repo:acme*:…` or `repo:*` followed by
 * `/infra`); other claims must have no wildcard at all.
 */
function pinsClaim(c: Condition, provider: string, claim: string, value: string): boolean {
  if (/^[*?]*$/.test(value)) return false;
  if (c.op !== 'StringLike') return true; // other operators take * and ? literally
  if (CI_SUBJECTS.has(provider) && claim === 'sub') {
    const [name, first] = value.split(':');
    return first !== undefined && !WILD.test(name) && /^[^*?/]+(\/.*)?$/.test(first);
  }
  return !WILD.test(value);
}

/** `*` and `?` are both wildcards in StringLike / ArnLike values. */
const WILD = /[*?]/;

/** A value that pins something: no wildcard-only value, no ARN left open in its account part. */
function fixed(value: string, key: string): boolean {
  if (/^[*?]*$/.test(value)) return false;
  if (key === 'aws:sourceip') {
    const [, bits] = value.split('/');
    if (bits === undefined) return true;
    const n = Number(bits);
    return value.includes(':') ? n >= 32 : n >= 8;
  }
  if (ARN_KEYS.includes(key)) {
    const parts = value.split(':');
    // arn:partition:service:region:account:… — the account must not be a wildcard (S3 ARNs have none)
    return parts.length >= 6 && !WILD.test(parts[4] ?? '') && !WILD.test(parts[2] ?? '') && !WILD.test((parts[5] ?? '').charAt(0));
  }
  if (key === 'aws:principalorgpaths' || key === 'aws:sourceorgpaths') return !WILD.test(value.split('/')[0]);
  // `AROA…:*` pins a role (its unique id) whatever the session name; `AIDA…` a user.
  if (key === 'aws:userid') {
    const colon = value.indexOf(':');
    return colon < 0 ? !WILD.test(value) : colon > 0 && !WILD.test(value.slice(0, colon));
  }
  return !WILD.test(value);
}

/** Pinned by a positive, fixed condition that missing keys cannot side-step. */
function pins(c: Condition): boolean {
  return POSITIVE_OPS.has(c.op) && !c.ifExists && c.set !== 'ForAllValues' && c.values.length > 0 && c.values.every((v) => fixed(v, c.key));
}

/** "Deny unless …": the negated form pins the callers the Deny lets through. */
function pinsByExclusion(c: Condition): boolean {
  return NEGATIVE_OPS.has(c.op) && c.set !== 'ForAnyValue' && c.values.length > 0 && c.values.every((v) => fixed(v, c.key));
}

const RESTRICTING = [...ACCOUNT_KEYS, ...ORG_KEYS, ...ARN_KEYS, ...NETWORK_KEYS];

/** What a set of pinning conditions says about the callers. */
interface Pinned {
  keys: string[];
  accounts: string[] | null;
  orgs: string[] | null;
}

function pinned(conds: Condition[], test: (c: Condition) => boolean): Pinned | null {
  const keys: string[] = [];
  let accounts: string[] | null = null;
  let orgs: string[] | null = null;
  for (const c of conds) {
    if (!RESTRICTING.includes(c.key) || !test(c)) continue;
    keys.push(c.keyText);
    if (ACCOUNT_KEYS.includes(c.key)) accounts = c.values;
    else if (ARN_KEYS.includes(c.key)) {
      const accts = c.values.map((v) => v.split(':')[4] ?? '').filter((a) => /^\d{12}$/.test(a));
      if (accts.length === c.values.length) accounts = accts;
    } else if (ORG_KEYS.includes(c.key)) orgs = c.values.map((v) => v.split('/')[0]);
  }
  return keys.length ? { keys, accounts, orgs } : null;
}

/** The account of an AWS principal (`123456789012`, `arn:aws:iam::123456789012:root`, a role ARN), or null. */
function accountOfPrincipal(p: string): string | null {
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p);
  return m ? m[1] : null;
}

/** Accounts (and canonical users) outside `own` that the NotPrincipal of these Denies exempts. */
function exemptAccounts(denies: Statement[], own: string): Set<string> {
  const out = new Set<string>();
  for (const d of denies) {
    if (!d.notPrincipal || d.principals === null) continue;
    for (const p of d.principals.aws) {
      const acct = accountOfPrincipal(p);
      if (acct !== null && acct !== own) out.add(acct);
    }
    for (const c of d.principals.canonicalUser) out.add(`canonical:${c}`);
  }
  return out;
}

function coversAll(p: Patterns | null, samples: string[]): boolean {
  return p === null || samples.every((x) => matches(p, x));
}

/**
 * Example requests of `list` that the Allow's patterns `allowed` cover and a Deny's NotAction /
 * NotResource patterns `excluded` leave out: the Deny applies to everything else, so these are
 * where it can leave a hole in the Allow ("Deny s3:* NotResource public/*").
 */
function holes(allowed: Patterns | null, excluded: Patterns | null): string[] {
  if (excluded === null || !excluded.negated) return [];
  return excluded.raw.flatMap(instances).filter((x) => allowed === null || matches(allowed, x));
}

/**
 * Whether a Deny applies to every request an Allow grants: to example requests built from the
 * Allow's patterns, and to those the Deny's own NotAction / NotResource patterns leave out.
 */
function denyCovers(d: Statement, s: Statement): boolean {
  const actions = s.actions.negated ? [...FRESH_ACTIONS] : s.actions.raw.flatMap(instances);
  const resources = s.resources === null || s.resources.negated ? [FRESH_ARN] : s.resources.raw.flatMap(instances);
  return coversAll(d.actions, [...actions, ...holes(s.actions, d.actions)]) && coversAll(d.resources, [...resources, ...holes(s.resources, d.resources)]);
}

function named(p: Statement['principals']): boolean {
  return p !== null && (p.anyone || p.aws.includes('*'));
}

/** An Allow to everyone (`*`, `{"AWS": "*"}`, or NotPrincipal: everyone but a few). */
function everyone(s: Statement): boolean {
  if (s.principals === null) return false;
  return s.notPrincipal || named(s.principals);
}

/**
 * A Deny that reaches every caller but those its NotPrincipal names (who are exempt from it).
 * `NotPrincipal: "*"` exempts everyone, so such a Deny reaches no one.
 */
function denyToEveryone(s: Statement): boolean {
  if (s.principals === null) return false;
  return s.notPrincipal ? !named(s.principals) : named(s.principals);
}

export interface PublicGrant {
  statement: string;
  actions: string[];
  principal: string;
}

export interface ExternalGrant {
  statement: string;
  /** An account id, `org:<id>`, or `federated:<provider>`. */
  principal: string;
  actions: string[];
  /** Condition keys narrowing the grant. */
  restrictedBy: string[];
  /** Trust policies: sts:ExternalId is required. */
  externalId: boolean;
  inOrganization: Tri;
}

export interface Exposure {
  public: Tri;
  publicGrants: PublicGrant[];
  external: ExternalGrant[];
}

interface Owner {
  account: string;
  /** Organization id; null when standalone; UNKNOWN when it could not be read. */
  org: string | null | typeof UNKNOWN_VALUE;
  inOrganization: (account: string) => Tri;
}

function label(s: Statement): string {
  return s.sid ?? `statement ${s.index + 1}`;
}

/** Analyses one resource policy. */
export function exposure(policy: ParsedPolicy, owner: Owner): Exposure {
  const out: Exposure = { public: false, publicGrants: [], external: [] };
  const denies = policy.statements.filter((s) => s.effect === 'Deny' && denyToEveryone(s));
  const orgTri = (orgs: string[]): Tri => (owner.org === UNKNOWN_VALUE ? UNKNOWN_VALUE : owner.org !== null && orgs.every((o) => o === owner.org));
  for (const s of policy.statements) {
    if (s.effect !== 'Allow' || s.principals === null) continue;
    const covering = denies.filter((d) => denyCovers(d, s));
    const actions = s.actions.negated ? s.actions.raw.map((a) => `NotAction ${a}`) : s.actions.raw;
    const externalId = s.conditions.some((c) => c.key === 'sts:externalid' && POSITIVE_OPS.has(c.op) && !c.ifExists);
    const full = covering.filter((d) => d.conditions.length === 0);
    if (full.some((d) => !d.notPrincipal)) continue; // denied to everyone
    let pin = pinned(s.conditions, pins);
    if (everyone(s)) {
      // The principals a covering Deny's NotPrincipal names are exempt from it, whatever its
      // conditions say: this Allow lets those of other accounts in.
      for (const acct of exemptAccounts(covering, owner.account)) {
        const inOrganization = acct.startsWith('canonical:') ? UNKNOWN_VALUE : owner.inOrganization(acct);
        out.external.push({ statement: label(s), principal: acct, actions, restrictedBy: pin?.keys ?? [], externalId, inOrganization });
      }
      if (full.length) continue; // everyone else is denied
    }
    for (const d of covering) {
      // "Deny unless A (or unless B)": the callers let through are pinned; with several negated
      // conditions any one of them lets a caller through, so only the keys are kept.
      if (!d.conditions.every((c) => RESTRICTING.includes(c.key) && pinsByExclusion(c))) continue;
      const byDeny = pinned(d.conditions, pinsByExclusion)!;
      if (d.conditions.length > 1) byDeny.accounts = byDeny.orgs = null;
      pin = pin ? { keys: [...pin.keys, ...byDeny.keys], accounts: byDeny.accounts ?? pin.accounts, orgs: byDeny.orgs ?? pin.orgs } : byDeny;
    }
    const addExternal = (principal: string, inOrganization: Tri): void => {
      out.external.push({ statement: label(s), principal, actions, restrictedBy: pin?.keys ?? [], externalId, inOrganization });
    };
    const fromPin = (): void => {
      if (pin?.orgs) {
        if (orgTri(pin.orgs) !== true) addExternal(`org:${pin.orgs.join(',')}`, orgTri(pin.orgs));
      } else if (pin?.accounts) {
        for (const a of pin.accounts) if (a !== owner.account) addExternal(a, owner.inOrganization(a));
      }
    };
    if (everyone(s)) {
      if (pin === null) {
        out.public = true;
        out.publicGrants.push({ statement: label(s), actions, principal: s.notPrincipal ? 'NotPrincipal' : '*' });
      } else fromPin();
    }
    for (const p of s.principals.aws) {
      if (p === '*') continue;
      const acct = accountOfPrincipal(p);
      if (acct === null || acct === owner.account) continue;
      if (pin?.orgs && orgTri(pin.orgs) === true) continue;
      addExternal(acct, owner.inOrganization(acct));
    }
    for (const f of s.principals.federated) {
      const provider = f.includes(':oidc-provider/') ? f.slice(f.indexOf(':oidc-provider/') + ':oidc-provider/'.length) : f;
      const acct = accountOfPrincipal(f);
      if (acct !== null && acct !== owner.account) addExternal(acct, owner.inOrganization(acct));
      const claims = MULTI_TENANT_IDPS[provider];
      if (!claims) continue;
      const bound = s.conditions.some((c) => {
        if (!POSITIVE_OPS.has(c.op) || c.ifExists || c.values.length === 0) return false;
        const claim = claims.find((k) => c.key === `${provider}:${k}`);
        return claim !== undefined && c.values.every((v) => pinsClaim(c, provider, claim, v));
      });
      if (!bound) {
        out.public = true;
        out.publicGrants.push({ statement: label(s), actions, principal: `federated:${provider}` });
      }
    }
    for (const c of s.principals.canonicalUser) addExternal(`canonical:${c}`, UNKNOWN_VALUE);
  }
  return out;
}

/**
 * Whether the bucket policy denies every request made without TLS: a Deny to everyone of every
 * S3 action on the bucket and its objects when `aws:SecureTransport` is false.
 */
export function deniesInsecureTransport(policy: ParsedPolicy, bucketArn: string): boolean {
  const targets = [bucketArn, `${bucketArn}/${'\u0001'}`];
  const actions = ['s3:\u0001', 's3:getobject', 's3:putobject'];
  return targets.every((r) =>
    policy.statements.some(
      (s) =>
        s.effect === 'Deny' &&
        denyToEveryone(s) &&
        !s.notPrincipal &&
        actions.every((a) => matches(s.actions, a)) &&
        (s.resources === null || matches(s.resources, r)) &&
        s.conditions.length > 0 &&
        s.conditions.every(
          (c) => c.key === 'aws:securetransport' && (c.op === 'Bool' || c.op === 'StringEquals') && c.set === null && c.values.length === 1 && c.values[0].toLowerCase() === 'false',
        ),
    ),
  );
}

/** The owner account's organization and a test for "is this account in it". */
function ownerOf(r: Resource, ctx: FactContext): Owner {
  const acct = ctx.resourcesWhere('aws.account', 'accountId', r.account).find((a) => a.account === r.account);
  const orgOf = (a: Resource | undefined): string | null | typeof UNKNOWN_VALUE =>
    a === undefined || ctx.isUnknown(a, 'organizationId') ? UNKNOWN_VALUE : ((a.properties.organizationId as string | null) ?? null);
  const org = orgOf(acct);
  return {
    account: r.account,
    org,
    inOrganization: (other) => {
      if (org === null) return false;
      const theirs = ctx.resourcesWhere('aws.account', 'accountId', other).find((a) => a.account === other);
      if (theirs === undefined) {
        // An account the scan did not cover: the organization's member list decides, when it
        // could be read (ListAccounts from the management account or a delegated administrator).
        if (acct === undefined || ctx.isUnknown(acct, 'organizationAccounts')) return UNKNOWN_VALUE;
        const members = acct.properties.organizationAccounts;
        return Array.isArray(members) ? members.includes(other) : false;
      }
      const o = orgOf(theirs);
      if (org === UNKNOWN_VALUE || o === UNKNOWN_VALUE) return UNKNOWN_VALUE;
      return o === org;
    },
  };
}

interface PolicyFactValue {
  public: Tri;
  publicGrants: PublicGrant[] | typeof UNKNOWN_VALUE;
  external: ExternalGrant[] | typeof UNKNOWN_VALUE;
}

/** Per evaluation (keyed by its context, so nothing outlives it), per resource. */
const cache = new WeakMap<FactContext, WeakMap<Resource, { value: PolicyFactValue; reasons: string[] }>>();

function memo(r: Resource, ctx: FactContext, f: () => { value: PolicyFactValue; reasons: string[] }): { value: PolicyFactValue; reasons: string[] } {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new WeakMap()));
  let v = perCtx.get(r);
  if (!v) perCtx.set(r, (v = f()));
  return v;
}

/** Turns a property into the policy document it amounts to (a sharing list into a grant); identity by default. */
type ToPolicy = (value: unknown, r: Resource) => unknown;

function analyse(r: Resource, ctx: FactContext, path: string, what: string, toPolicy: ToPolicy = (v) => v): { value: PolicyFactValue; reasons: string[]; policy: ParsedPolicy | null } {
  if (ctx.isUnknown(r, path)) {
    return { value: { public: UNKNOWN_VALUE, publicGrants: UNKNOWN_VALUE, external: UNKNOWN_VALUE }, reasons: [ctx.whyUnknown(r, path) ?? `${what} could not be read`], policy: null };
  }
  const policy = parsePolicy(toPolicy(r.properties[path], r), `${what} of ${r.name ?? r.id}`);
  if (policy.problems.length) return { value: { public: UNKNOWN_VALUE, publicGrants: UNKNOWN_VALUE, external: UNKNOWN_VALUE }, reasons: policy.problems, policy };
  const e = exposure(policy, ownerOf(r, ctx));
  const reasons: string[] = [];
  if (e.external.some((x) => x.inOrganization === UNKNOWN_VALUE)) reasons.push('whether an account granted access belongs to the organization is unknown (organization id not read)');
  return { value: { public: e.public, publicGrants: e.publicGrants, external: e.external }, reasons, policy };
}

const grantSchema = obj({ statement: str(), actions: arr(str()), principal: str() });
const externalSchema = obj({
  statement: str(),
  principal: str('account id, org:<id>, federated:<provider> or canonical:<id>'),
  actions: arr(str()),
  restrictedBy: arr(str(), 'condition keys narrowing the grant'),
  externalId: bool('sts:ExternalId is required (trust policies)'),
  inOrganization: bool('the account is in the owner account’s organization (as far as the snapshot shows)'),
});
const exposureSchema = (publicText: string): ReturnType<typeof obj> =>
  obj({
    public: bool(publicText),
    publicGrants: arr(grantSchema, 'statements granting access to everyone'),
    external: arr(externalSchema, 'grants to other AWS accounts, organizations or identity providers'),
  });

function bucketValue(r: Resource, ctx: FactContext): { value: PolicyFactValue; reasons: string[] } {
  return memo(r, ctx, () => {
    const a = analyse(r, ctx, 'policy', 'bucket policy');
    let pub = a.value.public;
    // S3's own verdict (GetBucketPolicyStatus) counts too, when it was read.
    if (!ctx.isUnknown(r, 'policyStatus')) {
      const status = r.properties.policyStatus as { isPublic: boolean } | null | undefined;
      if (status?.isPublic === true) pub = true;
      else if (status?.isPublic === false && pub === UNKNOWN_VALUE && a.policy === null) pub = false;
    }
    // RestrictPublicBuckets confines a public policy to the owner account and AWS services.
    const restrict = effectiveBlock(r, ctx).restrictPublicBuckets;
    pub = and(pub, not(restrict));
    const reasons = [...a.reasons];
    if (pub === UNKNOWN_VALUE && a.value.public === true) {
      reasons.push('the policy is public, and whether RestrictPublicBuckets neutralises it is unknown', ...blockUnknownReasons(r, ctx));
    }
    return { value: { ...a.value, public: pub }, reasons };
  });
}

export const s3PolicyAccess: FactDef = {
  type: 'aws.s3.bucket',
  name: 'policyAccess',
  description:
    'Who the bucket policy lets in from outside: public (anyone, unless RestrictPublicBuckets is in force or a condition pins the caller) and grants to other accounts.',
  schema: exposureSchema('the bucket policy grants access to everyone and Block Public Access does not neutralise it'),
  // policyStatus (runtime only) is consulted when present, but is not a dependency: the fact
  // works on infrastructure code too, where only the policy itself is known.
  dependsOn: ['policy', 'publicAccessBlock'],
  compute: (r, ctx) => bucketValue(r, ctx).value,
  unknownReasons: (r, ctx) => bucketValue(r, ctx).reasons,
  caveats: (r, ctx, v) => ((v as { public?: unknown } | null)?.public === true && accountBlockAssumedOff(r, ctx) ? [UNLESS_ACCOUNT_BLOCKS] : []),
};

/**
 * The document with the resources of its Deny statements opened to `*` where what they name is
 * not known: references resolved only at deploy (`${B}` placeholders from infrastructure code,
 * policy variables), or every resource when the bucket's own name is not known yet. Null when
 * nothing changes.
 */
function denyResourcesOpened(doc: unknown, all: boolean): Record<string, unknown> | null {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const raw = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  let changed = false;
  const statements = list.map((st) => {
    if (st === null || typeof st !== 'object' || (st as Record<string, unknown>).Effect !== 'Deny') return st;
    const res = (st as Record<string, unknown>).Resource;
    const values = typeof res === 'string' ? [res] : Array.isArray(res) ? res : null;
    if (values === null || !values.some((v) => all || (typeof v === 'string' && v.includes('${')))) return st;
    changed = true;
    return { ...(st as Record<string, unknown>), Resource: '*' };
  });
  return changed ? { ...(doc as Record<string, unknown>), Statement: statements } : null;
}

/** Whether the bucket policy denies every request without TLS, and why that is unknown when it is. */
function insecureTransportValue(r: Resource, ctx: FactContext): { value: Tri; reasons: string[] } {
  if (ctx.isUnknown(r, 'policy')) return { value: UNKNOWN_VALUE, reasons: [ctx.whyUnknown(r, 'policy') ?? 'bucket policy could not be read'] };
  const label = `bucket policy of ${r.name ?? r.id}`;
  const policy = parsePolicy(r.properties.policy, label);
  if (policy.problems.length) return { value: UNKNOWN_VALUE, reasons: policy.problems };
  // A bucket of infrastructure code named only at deploy: its own policy names it by a placeholder.
  const arn = r.id.startsWith('arn:')
    ? r.id
    : `arn:aws:s3:::${r.source.kind !== 'runtime' && ctx.isUnknown(r, 'name') ? bucketNameBeforeDeploy(r.name ?? r.id) : String(r.properties.name ?? r.name)}`;
  if (deniesInsecureTransport(policy, arn)) return { value: true, reasons: [] };
  // A Deny whose resources are not known yet may be the one that covers this bucket.
  const nameUnknown = ctx.isUnknown(r, 'name');
  const opened = denyResourcesOpened(r.properties.policy, nameUnknown);
  if (opened && deniesInsecureTransport(parsePolicy(opened, label), arn)) {
    const why = nameUnknown
      ? 'the bucket name is known only after deploy, so whether the TLS Deny names this bucket is unknown'
      : 'the TLS Deny names its resources by references resolved only at deploy, so whether it covers this bucket is unknown';
    return { value: UNKNOWN_VALUE, reasons: [why] };
  }
  return { value: false, reasons: [] };
}

export const s3DenyInsecureTransport: FactDef = {
  type: 'aws.s3.bucket',
  name: 'denyInsecureTransport',
  description: 'The bucket policy denies every request made without TLS (a Deny to everyone of s3:* on the bucket and its objects when aws:SecureTransport is false).',
  schema: bool(),
  dependsOn: ['policy'],
  compute: (r, ctx) => insecureTransportValue(r, ctx).value,
  unknownReasons: (r, ctx) => insecureTransportValue(r, ctx).reasons,
};

function plainValue(r: Resource, ctx: FactContext, path: string, what: string, toPolicy?: ToPolicy): { value: PolicyFactValue; reasons: string[] } {
  return memo(r, ctx, () => {
    const a = analyse(r, ctx, path, what, toPolicy);
    return { value: a.value, reasons: a.reasons };
  });
}

/** The exposure fact of a resource whose only input is one policy property. */
function exposureFact(type: string, name: string, path: string, what: string, description: string, publicText: string, toPolicy?: ToPolicy): FactDef {
  return {
    type,
    name,
    description,
    schema: exposureSchema(publicText),
    dependsOn: [path],
    compute: (r, ctx) => plainValue(r, ctx, path, what, toPolicy).value,
    unknownReasons: (r, ctx) => plainValue(r, ctx, path, what, toPolicy).reasons,
  };
}

export const kmsPolicyAccess = exposureFact(
  'aws.kms.key',
  'policyAccess',
  'policy',
  'key policy',
  'Who the key policy lets use or manage the key from outside the account: everyone, or other accounts.',
  'the key policy grants access to everyone without a condition pinning the caller',
);

export const iamRoleTrustAccess = exposureFact(
  'aws.iam.role',
  'trustAccess',
  'assumeRolePolicy',
  'trust policy',
  'Who the trust policy lets assume the role from outside the account: everyone (including unpinned multi-tenant identity providers), or other accounts.',
  'anyone can assume the role',
);

export const secretPolicyAccess = exposureFact(
  'aws.secretsmanager.secret',
  'policyAccess',
  'policy',
  'secret resource policy',
  'Who the secret’s resource policy lets read or manage it from outside the account: everyone, or other accounts.',
  'the resource policy grants access to everyone without a condition pinning the caller',
);

export const efsPolicyAccess = exposureFact(
  'aws.efs.file-system',
  'policyAccess',
  'policy',
  'file system policy',
  'Who the file system policy lets mount or manage the file system from outside the account: everyone (any client that reaches a mount target), or other accounts.',
  'the file system policy grants access to everyone without a condition pinning the caller',
);

export const backupVaultPolicyAccess = exposureFact(
  'aws.backup.vault',
  'policyAccess',
  'policy',
  'vault access policy',
  'Who the vault access policy lets use the vault from outside the account: everyone, or other accounts.',
  'the vault access policy grants access to everyone without a condition pinning the caller',
);

/**
 * A snapshot's `restore` attribute read as the grant it is: the accounts listed (or everyone,
 * for `all`) may copy and restore it. So sharing is judged by the same analyser as every policy.
 */
function restoreGrant(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0) return null;
  const principal = value.includes('all') ? '*' : { AWS: value.map(String) };
  return { Version: '2012-10-17', Statement: [{ Sid: 'restore attribute', Effect: 'Allow', Principal: principal, Action: ['rds:CopyDBSnapshot', 'rds:RestoreDBInstanceFromDBSnapshot'], Resource: '*' }] };
}

export const rdsSnapshotAccess = exposureFact(
  'aws.rds.snapshot',
  'restoreAccess',
  'restoreAccess',
  'snapshot sharing',
  'Who may copy or restore the snapshot from outside the account (its restore attribute): everyone, or other accounts.',
  'the snapshot is public: any AWS account can copy or restore it',
  restoreGrant,
);

export const snsPolicyAccess = exposureFact(
  'aws.sns.topic',
  'policyAccess',
  'policy',
  'topic policy',
  'Who the topic policy lets publish, subscribe or manage the topic from outside the account: everyone, or other accounts.',
  'the topic policy grants access to everyone without a condition pinning the caller',
);

export const sqsPolicyAccess = exposureFact(
  'aws.sqs.queue',
  'policyAccess',
  'policy',
  'queue policy',
  'Who the queue policy lets send, receive or manage messages from outside the account: everyone, or other accounts.',
  'the queue policy grants access to everyone without a condition pinning the caller',
);

export const ecrPolicyAccess = exposureFact(
  'aws.ecr.repository',
  'policyAccess',
  'policy',
  'repository policy',
  'Who the repository policy lets pull, push or manage images from outside the account: everyone, or other accounts.',
  'the repository policy grants access to everyone without a condition pinning the caller',
);

export const lambdaPolicyAccess = exposureFact(
  'aws.lambda.function',
  'policyAccess',
  'policy',
  'function policy',
  'Who the function’s resource-based policy lets invoke or manage it from outside the account: everyone, or other accounts.',
  'the function policy lets everyone invoke it without a condition pinning the caller',
);

export const openSearchPolicyAccess = exposureFact(
  'aws.opensearch.domain',
  'policyAccess',
  'accessPolicy',
  'domain access policy',
  'Who the domain access policy lets query or manage the domain from outside the account: everyone (unless a condition pins the caller, such as aws:SourceIp), or other accounts. A VPC domain is reachable only from its network, whatever the policy says.',
  'the access policy grants access to everyone without a condition pinning the caller',
);

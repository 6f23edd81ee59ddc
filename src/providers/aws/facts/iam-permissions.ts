import {
  allowsActionName,
  appliesToResource,
  FILL,
  FRESH_ACTIONS,
  FRESH_ARN,
  glob,
  instances,
  type Statement,
} from './iam-policy';
import { contextHolds, type RequestContext, statementNeverApplies } from './iam-conditions';

/**
 * What a set of identity policies allows, decided the way AWS decides a request: an explicit Deny
 * wins, otherwise some Allow must match the action and the resource, and a permissions boundary
 * (when there is one) must allow it too.
 *
 * The analysis answers questions about sets of requests ("every action on every resource",
 * "`iam:*`", "`iam:PassRole` on some role") without the catalogue of AWS actions: it tries
 * example requests built from the patterns themselves — an action and an ARN that no pattern
 * names, plus each Deny / NotAction / NotResource pattern filled in — because a request outside
 * what is granted must fall outside some pattern, and filling in that pattern finds one. When
 * patterns overlap in ways the examples miss, the analysis over-states what is granted, never
 * under-states it.
 *
 * Conditions are not evaluated against requests. A statement's condition keys decide how much it
 * counts:
 * - none: an unconditional grant;
 * - only keys that describe the session (MFA, source IP or VPC, region, time, the caller's own
 *   tags and identity): the grant is real whenever the caller meets them — counted as granted,
 *   with the keys reported, never as an unconditional grant;
 * - any other key (resource tags, `iam:PolicyARN`, service-specific keys): the grant may be
 *   narrower than it looks — counted as "granted only under conditions trustscan cannot
 *   evaluate", which rules turn into UNKNOWN rather than PASS.
 * `iam:PassedToService` is evaluated for the service a pass-role method passes the role to.
 * A Deny counts fully only without conditions; a Deny gated by session keys leaves the
 * capability in place (the caller can meet the session's terms), one gated by other keys makes
 * the grant uncertain.
 */

/** 0: not granted; 1: granted only under conditions that may restrict it; 2: granted. */
export type Level = 0 | 1 | 2;

export interface Grant {
  level: Level;
  /** Condition keys gating the grant, as written (empty: unconditional). */
  conditions: Set<string>;
  /** Labels of the policies whose statements grant it. */
  sources: Set<string>;
}

/** Condition keys that describe the request's context or the caller, not what the grant covers. */
const SESSION_KEYS = new Set(
  [
    'aws:MultiFactorAuthPresent',
    'aws:MultiFactorAuthAge',
    'aws:SecureTransport',
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:VpcSourceIp',
    'aws:RequestedRegion',
    'aws:CurrentTime',
    'aws:EpochTime',
    'aws:TokenIssueTime',
    'aws:ViaAWSService',
    'aws:CalledVia',
    'aws:CalledViaFirst',
    'aws:CalledViaLast',
    'aws:UserAgent',
    'aws:Referer',
    'aws:PrincipalType',
    'aws:userid',
    'aws:username',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalIsAWSService',
    'aws:SourceIdentity',
    'aws:FederatedProvider',
    'aws:Ec2InstanceSourceVpc',
    'aws:Ec2InstanceSourcePrivateIPv4',
  ].map((k) => k.toLowerCase()),
);
const SESSION_PREFIXES = ['aws:principaltag/'];

export function isSessionKey(key: string): boolean {
  return SESSION_KEYS.has(key) || SESSION_PREFIXES.some((p) => key.startsWith(p));
}

/** How a statement's conditions gate it: 0 none, 1 session keys only, 2 other keys. */
interface Gate {
  cls: 0 | 1 | 2;
  keys: string[];
}
/** Gates per set of supplied context keys (`''`: none), per statement. */
const gates = new Map<string, WeakMap<Statement, Gate>>();

function computeGate(s: Statement, supplied: RequestContext | null): Gate {
  let cls: Gate['cls'] = 0;
  const keys: string[] = [];
  for (const c of s.conditions) {
    if (supplied?.has(c.key)) continue;
    if (!keys.includes(c.keyText)) keys.push(c.keyText);
    cls = Math.max(cls, isSessionKey(c.key) ? 1 : 2) as Gate['cls'];
  }
  return { cls, keys };
}

function gateOf(s: Statement, supplied: RequestContext | null): Gate {
  const id = supplied ? [...supplied.keys()].sort().join(',') : '';
  let cache = gates.get(id);
  if (!cache) gates.set(id, (cache = new WeakMap()));
  let g = cache.get(s);
  if (!g) cache.set(s, (g = computeGate(s, supplied)));
  return g;
}

interface Query {
  /** Skip Allow patterns that only name the caller (`${aws:username}`). */
  others: boolean;
  /** Condition key values the request is known to carry (`iam:passedtoservice`, `iam:policyarn`). */
  context: RequestContext | null;
}

/** Best Allow and strongest Deny of one statement list for one (action, resource) request. */
function decide(stmts: readonly Statement[], action: string, resource: string, q: Query | null, out: Grant | null): Level {
  let bestRank = 0; // 3: unconditional, 2: session keys, 1: other keys
  let best: { s: Statement; keys: string[] }[] = [];
  let deny: Level = 0;
  const context = q?.context ?? null;
  for (const s of stmts) {
    if (!allowsActionName(s, action)) continue;
    if (!appliesToResource(s, resource, s.effect === 'Allow' && q !== null && q.others)) continue;
    if (s.conditions.length && statementNeverApplies(s)) continue;
    let g: Gate;
    if (context !== null && s.conditions.length) {
      const holds = contextHolds(s, context);
      if (holds === false) continue;
      g = gateOf(s, context);
      if (holds === null) g = { cls: 2, keys: [...g.keys, ...s.conditions.filter((c) => context.has(c.key)).map((c) => c.keyText)] };
    } else g = gateOf(s, null);
    if (s.effect === 'Allow') {
      const rank = 3 - g.cls;
      if (rank > bestRank) {
        bestRank = rank;
        best = [{ s, keys: g.keys }];
      } else if (rank === bestRank) best.push({ s, keys: g.keys });
    } else {
      const d: Level = g.cls === 0 ? 2 : g.cls === 2 ? 1 : 0;
      if (d > deny) deny = d;
    }
  }
  if (deny === 2 || bestRank === 0) return 0;
  const level: Level = bestRank >= 2 && deny === 0 ? 2 : 1;
  if (out) {
    for (const b of best) {
      out.sources.add(b.s.source);
      for (const k of b.keys) out.conditions.add(k);
    }
  }
  return level;
}

function emptyGrant(level: Level = 0): Grant {
  return { level, conditions: new Set(), sources: new Set() };
}

/** The identity policies that reach one principal (or one managed policy on its own), with its boundary. */
export class PermissionSet {
  private readonly all: Statement[];

  constructor(
    readonly identity: readonly Statement[],
    readonly boundary: readonly Statement[] | null,
  ) {
    this.all = boundary ? [...identity, ...boundary] : [...identity];
  }

  private level(action: string, resource: string, q: Query | null, out: Grant | null): Level {
    const own = decide(this.identity, action, resource, q, out);
    if (own === 0 || this.boundary === null) return own;
    return Math.min(own, decide(this.boundary, action, resource, q, null)) as Level;
  }

  private readonly named = new Map<string, boolean>();
  /** Does some Allow name the (lower-cased) action? Memoised: a cheap first test. */
  mentions(action: string): boolean {
    let v = this.named.get(action);
    if (v === undefined) this.named.set(action, (v = this.identity.some((s) => s.effect === 'Allow' && allowsActionName(s, action))));
    return v;
  }

  /** Is `action` granted on `resource`? */
  on(action: string, resource: string, opts: { context?: RequestContext | null; others?: boolean } = {}): Grant {
    const g = emptyGrant();
    g.level = this.level(action.toLowerCase(), resource, { others: opts.others ?? false, context: opts.context ?? null }, g);
    return g;
  }

  /**
   * Is `action` granted on at least one resource? With `others`, grants that only name the
   * caller (`${aws:username}`) and the caller's own ARN `selfArn` do not count; with `within`,
   * only resources it accepts do (an example standing for "any" resource is offered to it too).
   */
  action(name: string, opts: { others?: boolean; selfArn?: string | null; context?: RequestContext | null; within?: (arn: string) => boolean } = {}): Grant {
    const action = name.toLowerCase();
    // Most principals are asked about actions no Allow of theirs names: answer those at once.
    if (!this.mentions(action)) return emptyGrant();
    const q: Query = { others: opts.others ?? false, context: opts.context ?? null };
    const selfArn = opts.selfArn ?? null;
    // Example resources: one no pattern names, each Allow's resource patterns filled in, and the
    // holes of Deny NotResource statements (the only places such a Deny leaves open).
    const candidates = new Set<string>([FRESH_ARN]);
    for (const s of this.all) {
      if (s.resources === null || !allowsActionName(s, action)) continue;
      if (s.effect === 'Allow' ? s.resources.negated : !s.resources.negated) continue;
      const examples = resourceExamples(s);
      for (let i = 0; i < examples.length; i++) {
        if (q.others && s.selfOnly?.[i]) continue;
        for (const r of examples[i]) candidates.add(r);
      }
    }
    const service = resourceServiceOf(action);
    let best = emptyGrant();
    for (const r of candidates) {
      if (q.others && r === selfArn) continue;
      if (!couldBeResourceOf(r, service)) continue;
      if (opts.within && !opts.within(r)) continue;
      const g = emptyGrant();
      g.level = this.level(action, r, q, g);
      if (g.level > best.level) best = g;
      else if (g.level === best.level && g.level > 0) merge(best, g);
      if (best.level === 2 && best.conditions.size === 0) break;
    }
    return best;
  }

  /**
   * Is every action (of `service`, or of every service when null) granted on every resource?
   * The level is the weakest over the example requests; conditions and sources add up.
   */
  everything(service: string | null): Grant {
    const actions = new Set<string>(service === null ? FRESH_ACTIONS : [`${service}:${FILL}`, `${service}:${FILL.repeat(17)}`]);
    const resources = new Set<string>([FRESH_ARN]);
    const addAction = (p: string): void => {
      for (const a of instances(p)) if (service === null || a.startsWith(`${service}:`)) actions.add(a);
      if (service === null) return;
      // A pattern like `*:delete*` or `*` speaks about this service too: fill it in for it.
      const colon = p.indexOf(':');
      if (colon < 0) {
        if (glob(p)(`${service}:`)) actions.add(`${service}:${FILL}`);
      } else if (glob(p.slice(0, colon))(service)) {
        for (const a of instances(p.slice(colon + 1))) actions.add(`${service}:${a}`);
      }
    };
    for (const s of this.all) {
      if (s.effect === 'Deny' ? !s.actions.negated : s.actions.negated) s.actions.raw.forEach(addAction);
      if (s.resources && (s.effect === 'Deny' ? !s.resources.negated : s.resources.negated)) {
        for (const p of s.resources.raw) for (const r of instances(p)) resources.add(r);
      }
    }
    const total = emptyGrant(2);
    const sourcesSeen = new Set<string>();
    for (const a of actions) {
      // Statements that can matter for this action, once per action rather than per resource.
      const relevant = new PermissionSet(
        this.identity.filter((s) => allowsActionName(s, a)),
        this.boundary ? this.boundary.filter((s) => allowsActionName(s, a)) : null,
      );
      const svc = resourceServiceOf(a);
      for (const r of resources) {
        if (!couldBeResourceOf(r, svc)) continue;
        const g = emptyGrant();
        g.level = relevant.level(a, r, null, g);
        if (g.level < total.level) total.level = g.level;
        if (total.level === 0) return emptyGrant();
        for (const k of g.conditions) total.conditions.add(k);
        for (const src of g.sources) sourcesSeen.add(src);
      }
    }
    total.sources = sourcesSeen;
    return total;
  }

  /**
   * Services worth asking `everything(service)` about: the sensitive ones, and every service an
   * Allow names with a wildcard-only action part (`s3:*`). `s3:Get*` alone can never grant `s3:*`.
   */
  wildcardCandidates(): string[] {
    const out = new Set<string>(SENSITIVE_SERVICES);
    for (const s of this.identity) {
      if (s.effect === 'Allow' && !s.actions.negated) for (const svc of wholeServices(s)) out.add(svc);
    }
    // Only services some Allow (in the boundary too) can cover entirely are worth the full check.
    return [...out].sort().filter((svc) => this.identity.some((s) => s.effect === 'Allow' && allowsActionName(s, `${svc}:${FILL}`)));
  }
}

/** The service whose ARNs an action acts on (STS acts on IAM roles). */
function resourceServiceOf(action: string): string {
  const svc = action.slice(0, action.indexOf(':'));
  return svc === 'sts' ? 'iam' : svc;
}

/**
 * Whether an example resource can stand for a real resource of `service`: a wildcard filled in
 * (empty, or starting with FILL), or an ARN of that service. Anything else names no resource the
 * action could act on (resource ARNs are case-sensitive: `ARN:AWS:…` is not one).
 */
function couldBeResourceOf(r: string, service: string): boolean {
  if (r === '' || r.startsWith(FILL)) return true;
  if (!r.startsWith('arn:')) return false;
  if (service === '' || service.includes(FILL)) return true;
  const start = r.indexOf(':', 4) + 1; // after arn:partition:
  if (start === 0) return true;
  const end = r.indexOf(':', start);
  const svc = end < 0 ? r.slice(start) : r.slice(start, end);
  return svc === '' || svc === service || svc.includes(FILL);
}

const wholeServiceCache = new WeakMap<Statement, string[]>();
/** Services a statement names with a wildcard-only action part (`s3` from `s3:*`). */
function wholeServices(s: Statement): string[] {
  let out = wholeServiceCache.get(s);
  if (!out) {
    out = [];
    for (const p of s.actions.raw) {
      const colon = p.indexOf(':');
      if (colon > 0 && !/[*?]/.test(p.slice(0, colon)) && /^[*?]+$/.test(p.slice(colon + 1))) out.push(p.slice(0, colon));
    }
    wholeServiceCache.set(s, out);
  }
  return out;
}

const exampleCache = new WeakMap<Statement, string[][]>();
/** Example resources of each of a statement's resource patterns (filled-in wildcards). */
function resourceExamples(s: Statement): string[][] {
  let out = exampleCache.get(s);
  if (!out) exampleCache.set(s, (out = (s.resources?.raw ?? []).map(instances)));
  return out;
}

function merge(into: Grant, from: Grant): void {
  for (const k of from.conditions) into.conditions.add(k);
  for (const s of from.sources) into.sources.add(s);
}

/** Services whose every action a role or user holding full access to them could misuse. */
export const SENSITIVE_SERVICES = [
  'iam',
  'sts',
  'organizations',
  'kms',
  's3',
  'ec2',
  'lambda',
  'cloudtrail',
  'config',
  'guardduty',
  'securityhub',
  'access-analyzer',
  'secretsmanager',
  'ssm',
  'dynamodb',
  'rds',
];

import type { Resource } from '../../../core/types';
import type { FactContext } from '../../../facts/fact-types';
import type { RequestContext } from './iam-conditions';
import { type EscalationMethod, methodsFor, targetAction } from './iam-escalation';
import { arnOf, type Gathered, gather, partitionOf, sharedPermissions, statementsOf } from './iam-gather';
import { type Grant, isSessionKey, type Level, PermissionSet } from './iam-permissions';
import { allowsActionName, FILL, type ParsedPolicy, parsePolicy } from './iam-policy';
import { trustAdmits, trustAdmitsService, trustedPrincipals, trustedServices, type TrustCaller } from './iam-trust';

/**
 * Privilege escalation across the snapshot: who can become whom.
 *
 * Every user, role and group of the snapshot's accounts is a node. A node is *administrative*
 * when its own policies give it every action, or let it raise its own permissions outright
 * (attach a policy to itself, write a new version of its own policy, …). An edge leads from a
 * node to a principal whose permissions it can use: a role it can assume (its trust policy lets
 * it in), a role it passes to a service it can make run code, the role of an instance it can run
 * commands on, a user whose credentials it can take over, a group it can join. A node *reaches
 * administration* when a path of edges leads to an administrative node; the path is the
 * evidence (principal → action → role → what that role can do).
 *
 * A method through another principal escalates only when it reaches such a node: a pass-role
 * grant with no more privileged role the service can assume is reported as a *potential*
 * escalation instead, as are methods that act on resources trustscan does not collect.
 */

export type NodeKind = 'user' | 'role' | 'group' | 'policy';

export interface Node {
  r: Resource;
  kind: NodeKind;
  arn: string;
  account: string;
  partition: string;
  label: string;
  g: Gathered;
  /** null when some policy reaching it could not be read. */
  set: PermissionSet | null;
  /** Roles: the trust policy (null when unknown or malformed). */
  trust: ParsedPolicy | null;
  /** Memoised "is this action granted on some resource" (key: action|others|context). */
  anyGrant: Map<string, Grant>;
  /** Memoised `usable` per method id. */
  usable: Map<string, Use | null>;
  /** Roles: the principals (ARNs, account ids) its trust policy names, and whether it names everyone. */
  trustNames: Set<string>;
  trustAnyone: boolean;
  /** Memoised level of full access (every action on every resource). */
  full: Level | null;
}

/** One escalation a principal has, as the fact reports it. */
export interface Escalation {
  method: string;
  description: string;
  actions: string[];
  sources: string[];
  conditions: string[];
  /** 2: escalates; 1: only under conditions or with data trustscan does not have. */
  level: 1 | 2;
  /** The principal or resource the method acts on, when there is one. */
  target: string | null;
  /** principal → method → target → … → what is reached. */
  path: string[];
  /** Why it is unknown (level 1), in words. */
  reason: string | null;
}

/** A method whose actions are granted but that reaches nothing more privileged in the snapshot. */
export interface Potential {
  method: string;
  description: string;
  actions: string[];
  sources: string[];
  conditions: string[];
  reason: string;
}

const TYPES: Record<string, NodeKind> = { 'aws.iam.user': 'user', 'aws.iam.role': 'role', 'aws.iam.group': 'group', 'aws.iam.policy': 'policy' };
const ADMIN_POLICY_NAMES = ['AdministratorAccess', 'IAMFullAccess'];

function shortLabel(arn: string): string {
  const i = arn.indexOf(':', arn.indexOf(':iam::') + 6);
  return i > 0 && arn.includes(':iam::') ? `${arn.slice(arn.indexOf(':iam::') + 6, i)}:${arn.slice(i + 1)}` : arn;
}

function makeNode(r: Resource, ctx: FactContext): Node {
  const g = gather(r, ctx);
  const shared = g.problems.length === 0 ? sharedPermissions(g, ctx) : null;
  const kind = TYPES[r.type];
  const arn = arnOf(r, ctx);
  let trust: ParsedPolicy | null = null;
  if (kind === 'role' && !ctx.isUnknown(r, 'assumeRolePolicy')) {
    const t = parsePolicy(r.properties.assumeRolePolicy, `trust policy of ${arn}`);
    if (t.problems.length === 0) trust = t;
  }
  return { r, kind, arn, account: r.account, partition: partitionOf(r), label: shortLabel(arn), g, set: shared?.set ?? null, trust, anyGrant: shared?.grants ?? new Map(), usable: new Map(), trustNames: new Set(), trustAnyone: false, full: null };
}

interface Via {
  /** What makes the node administrative on its own, or the edge taken. */
  step: string;
  next: Node | null;
}

/** A found edge or method use: its level and what granted it. */
interface Use {
  level: Level;
  sources: Set<string>;
  conditions: Set<string>;
}

function use(level: Level = 2): Use {
  return { level, sources: new Set(), conditions: new Set() };
}

function andGrant(u: Use, g: Grant | Level): Use {
  if (typeof g === 'number') {
    if (g < u.level) u.level = g;
    return u;
  }
  if (g.level < u.level) u.level = g.level;
  g.sources.forEach((s) => u.sources.add(s));
  g.conditions.forEach((c) => u.conditions.add(c));
  return u;
}

/** A copy to extend without touching the original (its sets are copied too). */
function copyUse(u: Use): Use {
  return { ...u, sources: new Set(u.sources), conditions: new Set(u.conditions) };
}

/** Whether two principals are of one account: every escalation but assuming a role stays there. */
function sameAccount(a: Node, b: Node): boolean {
  return a.account === b.account && a.partition === b.partition;
}

function better(a: Use | null, b: Use): Use {
  return a === null || b.level > a.level ? b : a;
}

/** Appends in place: copying the list on every add made building the graph quadratic in the roles trusting one account. */
function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The snapshot's principals, their edges and who reaches administration: built once per evaluation. */
export class Graph {
  private readonly nodes = new Map<Resource, Node>();
  private readonly accounts: Set<string>;
  readonly roles: Node[] = [];
  readonly users: Node[] = [];
  readonly groups: Node[] = [];
  private readonly byArn = new Map<string, Node>();
  /** Roles by a principal their trust policy names (ARN or account id); `*` for everyone. */
  private readonly trusting = new Map<string, Node[]>();
  /** Roles by the service principals their trust policy names. */
  private readonly serving = new Map<string, Node[]>();
  /** Running or stopped instances by instance profile ARN, looked up when a role's profiles are asked about. */
  private readonly instances = new Map<string, Resource[]>();
  private readonly direct = new Map<Node, Escalation[]>();
  private admin: Map<Node, { level: Level; via: Via }> | null = null;
  /** Per partition and account: the policies iam:PolicyARN conditions are tried with. */
  private readonly adminPolicies = new Map<string, string[]>();

  constructor(
    private readonly ctx: FactContext,
    accounts: Iterable<string>,
  ) {
    this.accounts = new Set(accounts);
    for (const account of this.accounts) {
      for (const type of ['aws.iam.user', 'aws.iam.role', 'aws.iam.group']) {
        for (const r of ctx.resourcesInAccount(type, account)) this.add(r);
      }
    }
  }

  /**
   * Instances carrying an instance profile, by its ARN: a look-up (declared by the provider), so a
   * bounded-memory evaluation reads another account's instances only where a role's profile names them.
   */
  private instancesOf(profile: string): Resource[] {
    let out = this.instances.get(profile);
    if (!out) {
      out = this.ctx
        .resourcesWhere('aws.ec2.instance', 'iamInstanceProfileArn', profile)
        .filter((i) => this.accounts.has(i.account) && !this.ctx.isUnknown(i, 'iamInstanceProfileArn') && i.properties.state !== 'terminated' && i.properties.state !== 'shutting-down');
      this.instances.set(profile, out);
    }
    return out;
  }

  private add(r: Resource): Node {
    const n = makeNode(r, this.ctx);
    this.nodes.set(r, n);
    this.byArn.set(n.arn, n);
    if (n.kind === 'role') {
      this.roles.push(n);
      if (n.trust) {
        const t = trustedPrincipals(n.trust);
        n.trustNames = new Set(t.names);
        n.trustAnyone = t.anyone;
        for (const name of t.names) pushTo(this.trusting, name, n);
        if (t.anyone) pushTo(this.trusting, '*', n);
        for (const s of trustedServices(n.trust)) pushTo(this.serving, s, n);
      }
    } else if (n.kind === 'user') this.users.push(n);
    else if (n.kind === 'group') this.groups.push(n);
    return n;
  }

  covers(account: string): boolean {
    return this.accounts.has(account);
  }

  /** The node of a principal, or a stand-alone node for a managed policy (judged as whoever holds it). */
  node(r: Resource): Node {
    return this.nodes.get(r) ?? this.add(r);
  }

  private caller(n: Node): TrustCaller {
    return { arn: n.kind === 'user' || n.kind === 'role' ? n.arn : null, account: n.account, type: n.kind === 'user' ? 'User' : n.kind === 'role' ? 'AssumedRole' : null };
  }

  /** Is `action` granted to `n` on some resource (memoised)? */
  private granted(n: Node, action: string, others = false, context: RequestContext | null = null, within?: (arn: string) => boolean, withinKey = ''): Grant {
    // Shared by nodes with the same policies: a grant "on others" depends on who asks.
    const who = others ? `|${n.arn}` : '';
    const key = context === null && withinKey === '' ? `${action}${who}` : `${action}${who}|${context ? [...context].join(';') : ''}|${withinKey}`;
    let g = n.anyGrant.get(key);
    if (!g) n.anyGrant.set(key, (g = n.set!.action(action, { others, selfArn: n.kind === 'user' || n.kind === 'role' ? n.arn : null, context, within })));
    return g;
  }

  /** The managed policies `iam:PolicyARN` is tried with: AWS's administrator policies and the account's own policies that give full access. */
  private adminPolicyArns(n: Node): string[] {
    const key = `${n.partition}:${n.account}`;
    let out = this.adminPolicies.get(key);
    if (out) return out;
    this.adminPolicies.set(key, (out = ADMIN_POLICY_NAMES.map((name) => `arn:${n.partition}:iam::aws:policy/${name}`)));
    for (const p of this.ctx.resourcesInAccount('aws.iam.policy', n.account)) {
      if (p.properties.awsManaged === true || this.ctx.isUnknown(p, 'document')) continue;
      const set = statementsOf({ identity: [parsePolicy(p.properties.document, String(p.properties.arn ?? p.id))], labels: [], boundary: null, hasBoundary: false, problems: [], managedArns: [], groupArns: [] });
      if (set.everything(null).level === 2 || set.everything('iam').level === 2) out.push(arnOf(p, this.ctx));
    }
    return out;
  }

  /** Policy ARNs that iam:PolicyARN conditions of `n`'s Allows of `action` name and the snapshot does not hold. */
  private namedPolicies(n: Node, action: string): string[] {
    const out = new Set<string>();
    const lower = action.toLowerCase();
    for (const s of n.set!.identity) {
      if (s.effect !== 'Allow' || !allowsActionName(s, lower)) continue;
      for (const c of s.conditions) {
        if (c.key !== 'iam:policyarn') continue;
        for (const v of c.values) if (!/[*?]/.test(v) && this.ctx.resourcesWhere('aws.iam.policy', 'arn', v).length === 0) out.add(v);
      }
    }
    return [...out];
  }

  /** A grant of `action` on `resource`, trying administrative policies for iam:PolicyARN when the method attaches one. */
  private on(n: Node, m: EscalationMethod | null, action: string, resource: string, extra: RequestContext | null = null, others = false): Grant {
    const set = n.set!;
    if (m?.attachesPolicy && action === targetAction(m)) {
      let best: Grant | null = null;
      for (const arn of this.adminPolicyArns(n)) {
        const ctx = new Map(extra ?? []);
        ctx.set('iam:policyarn', arn);
        const g = set.on(action, resource, { context: ctx, others });
        if (best === null || g.level > best.level) best = g;
        if (best.level === 2) break;
      }
      if (best!.level < 2) {
        // Policies a condition names that the snapshot does not hold: what attaching them gives is unknown.
        for (const arn of this.namedPolicies(n, action)) {
          const g = set.on(action, resource, { context: new Map([...(extra ?? []), ['iam:policyarn', arn]]), others });
          if (g.level > 0 && best!.level < 1) best = { level: 1, sources: g.sources, conditions: new Set([...g.conditions, 'iam:PolicyARN']) };
        }
      }
      return best!;
    }
    return set.on(action, resource, { context: extra, others });
  }

  /** The actions of `m` other than its target action, granted anywhere: null when one is not. */
  private rest(n: Node, m: EscalationMethod): Use | null {
    const u = use();
    for (const a of m.actions) {
      if (a === targetAction(m) || (m.target === 'role-modify' || m.target === 'role-trust' ? a === 'sts:AssumeRole' : false)) continue;
      andGrant(u, this.granted(n, a));
      if (u.level === 0) return null;
    }
    return u;
  }

  /** Resources a method aimed at the principal itself can act on. */
  private ownTargets(n: Node, m: EscalationMethod): string[] {
    const iam = `arn:${n.partition}:iam::${n.account}:`;
    // Lists unknown (a plan's existing policy: attachments made outside it) name no one, as a
    // group's unknown members do; the FILL targets below still stand for any principal.
    const attachedTo = (): { users: string[]; groups: string[]; roles: string[] } => {
      const a = (n.r.properties.attachedTo ?? {}) as Partial<Record<'users' | 'groups' | 'roles', string[] | null>>;
      return { users: a.users ?? [], groups: a.groups ?? [], roles: a.roles ?? [] };
    };
    const named = (type: string, by: string, names: string[]): string[] =>
      names.flatMap((name) => this.ctx.resourcesWhereInAccount(type, by, name, n.account).map((x) => arnOf(x, this.ctx)));
    switch (m.target) {
      case 'self':
        if (n.kind === 'user' || n.kind === 'role') return [n.arn];
        if (n.kind === 'group') return [`${iam}user/${FILL}`, ...named('aws.iam.user', 'userName', (n.r.properties.members as string[] | undefined) ?? [])];
        return [`${iam}user/${FILL}`, `${iam}role/${FILL}`, ...named('aws.iam.user', 'userName', attachedTo().users), ...named('aws.iam.role', 'roleName', attachedTo().roles)];
      case 'own-group':
        if (n.kind === 'user') return n.g.groupArns;
        if (n.kind === 'group') return [n.arn];
        if (n.kind === 'policy') return [`${iam}group/${FILL}`, ...named('aws.iam.group', 'groupName', attachedTo().groups)];
        return [];
      case 'own-policy': {
        // Only customer-managed policies of the principal's own account can be written: never
        // AWS-managed ones (arn:aws:iam::aws:policy/…) nor another account's.
        const own = (arn: string): boolean => arn.startsWith(`${iam}policy/`);
        if (n.kind === 'policy') return [`${iam}policy/${FILL}`, ...(own(n.arn) ? [n.arn] : [])];
        return n.g.managedArns.filter(own);
      }
      default:
        return [];
    }
  }

  /** Methods that raise the node's own permissions (each with its best target). */
  directOf(n: Node): Escalation[] {
    let out = this.direct.get(n);
    if (out) return out;
    out = [];
    if (n.set !== null) {
      const kind = methodKind(n);
      for (const m of methodsFor(kind, n.g.hasBoundary)) {
        if (m.target !== 'self' && m.target !== 'own-group' && m.target !== 'own-policy') continue;
        const rest = this.rest(n, m);
        if (rest === null) continue;
        let best: { u: Use; target: string } | null = null;
        for (const t of this.ownTargets(n, m)) {
          const u = andGrant(copyUse(rest), this.on(n, m, targetAction(m), t));
          if (u.level > 0 && (best === null || u.level > best.u.level)) best = { u, target: t };
          if (best?.u.level === 2) break;
        }
        if (best === null && n.kind === 'policy' && m.target !== 'own-policy' && this.ctx.isUnknown(n.r, 'attachedTo')) {
          // Holders unknown (a plan's existing policy): a grant on named principals may be on its own holder.
          const g = this.granted(n, targetAction(m));
          if (g.level > 0) {
            const why = this.ctx.whyUnknown(n.r, 'attachedTo') ?? 'not read';
            out.push(this.escalation(m, andGrant(copyUse(rest), g), null, [n.label, `${m.id} (${m.actions.join(' + ')})`], `it grants ${targetAction(m)} on named principals, and whom it is attached to is unknown (${why})`));
          }
          continue;
        }
        if (best === null) continue;
        const target = best.target.includes(FILL) ? null : best.target;
        out.push(this.escalation(m, best.u, target, [n.label, `${m.id} (${m.actions.join(' + ')})`, ...(target && target !== n.arn ? [shortLabel(target)] : [])]));
      }
      // A role it can assume and change: it can make that role anything.
      for (const m of methodsFor(kind, n.g.hasBoundary)) {
        if (m.target !== 'role-modify') continue;
        const rest = this.rest(n, m);
        if (rest === null || this.granted(n, targetAction(m)).level === 0) continue;
        let best: { u: Use; t: Node } | null = null;
        for (const t of this.assumable(n)) {
          // Rewriting a role is an IAM call: only a role of its own account.
          if (!sameAccount(t, n)) continue;
          const u = andGrant(andGrant(copyUse(rest), this.on(n, m, targetAction(m), t.arn)), this.assumeLevel(n, t));
          if (u.level > 0 && (best === null || u.level > best.u.level)) best = { u, t };
          if (best?.u.level === 2) break;
        }
        if (best) out.push(this.escalation(m, best.u, best.t.arn, [n.label, `${m.id} (${m.actions.join(' + ')})`, best.t.label, 'any permission it writes']));
      }
    }
    this.direct.set(n, out);
    return out;
  }

  private escalation(m: EscalationMethod, u: Use, target: string | null, path: string[], reason: string | null = null): Escalation {
    return {
      method: m.id,
      description: m.description,
      actions: m.actions,
      sources: [...u.sources].sort(),
      conditions: [...u.conditions].sort(),
      level: u.level === 2 && reason === null ? 2 : 1,
      target,
      path,
      reason: reason ?? (u.level === 1 ? `granted only under conditions trustscan does not evaluate (${[...u.conditions].join(', ')})` : null),
    };
  }

  /**
   * Roles whose trust policy could let `n` in: those naming its ARN, then its account, then
   * everyone, each once. Walked, not kept: every principal of an account would otherwise hold a
   * set of every role trusting that account (memory quadratic in the account's size).
   */
  private *assumable(n: Node): Generator<Node> {
    for (const t of this.trusting.get(n.arn) ?? []) if (t !== n) yield t;
    for (const t of this.trusting.get(n.account) ?? []) if (t !== n && !t.trustNames.has(n.arn)) yield t;
    for (const t of this.trusting.get('*') ?? []) if (t !== n && !t.trustNames.has(n.arn) && !t.trustNames.has(n.account)) yield t;
  }

  /** Can `n` assume role `t`: the trust policy, and the identity policy unless the trust names it directly. */
  private assumeLevel(n: Node, t: Node): Use {
    if (t.trust === null || n.set === null) return use(0);
    const v = trustAdmits(t.trust, t.account, this.caller(n), isSessionKey);
    if (v === null) return use(0);
    const u = use(v.level);
    if (v.how === 'delegated') andGrant(u, n.set.on('sts:AssumeRole', t.arn));
    return u;
  }

  /** The edge from `n` to `t` through method `m`: how certain it is, or null when there is none. */
  private edge(n: Node, m: EscalationMethod, t: Node): Use | null {
    if (n.set === null || t === n) return null;
    switch (m.target) {
      case 'assume':
        if (t.kind !== 'role') return null;
        return this.assumeLevel(n, t);
      case 'role-trust': {
        if (t.kind !== 'role') return null;
        const u = this.rest(n, m);
        if (u === null) return null;
        andGrant(u, n.set.on('iam:UpdateAssumeRolePolicy', t.arn));
        // Having rewritten the trust policy, the identity policy must still allow sts:AssumeRole.
        return andGrant(u, n.set.on('sts:AssumeRole', t.arn));
      }
      case 'pass-role': {
        if (t.kind !== 'role' || t.trust === null) return null;
        const service = trustAdmitsService(t.trust, m.passedTo!);
        if (service === 0) return null;
        const u = this.rest(n, m);
        if (u === null) return null;
        andGrant(u, service);
        return andGrant(u, n.set.on('iam:PassRole', t.arn, { context: new Map([['iam:passedtoservice', m.passedTo!]]) }));
      }
      case 'instance': {
        if (t.kind !== 'role' || this.ctx.isUnknown(t.r, 'instanceProfiles')) return null;
        const profiles = (t.r.properties.instanceProfiles as string[] | undefined) ?? [];
        let best: Use | null = null;
        for (const p of profiles) {
          for (const i of this.instancesOf(p)) {
            const u = use();
            for (const a of m.actions) andGrant(u, n.set.on(a, i.id));
            best = better(best, u);
          }
        }
        return best;
      }
      case 'user':
        if (t.kind !== 'user') return null;
        return andGrant(use(), this.on(n, m, targetAction(m), t.arn, null, true));
      case 'group':
        if (t.kind !== 'group' || n.kind === 'role') return null;
        return andGrant(use(), n.set.on('iam:AddUserToGroup', t.arn));
      default:
        return null;
    }
  }

  /** Methods through other principals that a node of this kind can use at all. */
  private graphMethods(n: Node): EscalationMethod[] {
    const kind = methodKind(n);
    let list = GRAPH_METHODS.get(kind);
    if (!list) GRAPH_METHODS.set(kind, (list = methodsFor(kind, false).filter((m) => ['assume', 'role-trust', 'pass-role', 'instance', 'user', 'group'].includes(m.target))));
    return list;
  }

  /** Whether the actions of `m` are granted on some resource (the target action on others than itself). */
  private usable(n: Node, m: EscalationMethod): Use | null {
    if (n.set === null) return null;
    if (n.usable.has(m.id)) return n.usable.get(m.id)!;
    if (!lowerActions(m).every((a) => n.set!.mentions(a))) {
      n.usable.set(m.id, null);
      return null;
    }
    let u: Use | null = use();
    for (const a of m.actions) {
      const context = a === 'iam:PassRole' && m.passedTo ? new Map([['iam:passedtoservice', m.passedTo]]) : null;
      andGrant(u, this.granted(n, a, m.target === 'user' && a === targetAction(m), context));
      if (u.level === 0) {
        u = null;
        break;
      }
    }
    n.usable.set(m.id, u);
    return u;
  }

  /** Candidate targets of a method among `pool`. */
  private candidates(n: Node, m: EscalationMethod, pool: Pool): Node[] {
    if (m.target === 'pass-role') {
      const serving = this.serving.get(m.passedTo!) ?? [];
      return serving.length < pool.roles.length ? serving.filter((t) => pool.set.has(t) && sameAccount(t, n)) : pool.roles.filter((t) => sameAccount(t, n) && this.servingSet(m.passedTo!).has(t));
    }
    if (m.target === 'assume') {
      const out: Node[] = [];
      for (const t of this.assumable(n)) if (pool.set.has(t)) out.push(t);
      return out;
    }
    // IAM acts only on the caller's own account, and a service takes only a role of the account
    // it runs in: every method but assumption stays within the account (another account's
    // principals are reached by assuming one of its roles first).
    const list = m.target === 'user' ? pool.users : m.target === 'group' ? pool.groups : pool.roles;
    return list.filter((t) => t !== n && sameAccount(t, n));
  }

  private fullLevel(n: Node): Level {
    if (n.full === null) n.full = n.set === null ? 0 : n.set.everything(null).level;
    return n.full;
  }

  private readonly servingSets = new Map<string, Set<Node>>();
  private servingSet(service: string): Set<Node> {
    let s = this.servingSets.get(service);
    if (!s) this.servingSets.set(service, (s = new Set(this.serving.get(service) ?? [])));
    return s;
  }

  /** Principals that reach administration (certainly or possibly): the targets worth trying. */
  private targetList: Pool | null = null;
  private targets(): Pool {
    if (!this.targetList) {
      const admin = this.adminMap();
      this.targetList = pool([...admin.keys()].filter((t) => t.kind !== 'policy' && admin.get(t)!.level > 0));
    }
    return this.targetList;
  }

  /** Who reaches administration, and how: a fixpoint over the edges, certain ones first, then possible ones. */
  private adminMap(): Map<Node, { level: Level; via: Via }> {
    if (this.admin) return this.admin;
    const out = new Map<Node, { level: Level; via: Via }>();
    const all = [...this.nodes.values()].filter((n) => n.kind !== 'policy');
    for (const n of all) {
      if (n.set === null) continue;
      if (this.fullLevel(n) === 2) {
        out.set(n, { level: 2, via: { step: 'full administrator', next: null } });
        continue;
      }
      const d = this.directOf(n).find((e) => e.level === 2);
      if (d) out.set(n, { level: 2, via: { step: `can ${d.method} (${d.actions.join(' + ')})`, next: null } });
    }
    for (const level of [2, 1] as const) {
      if (level === 1) {
        // Possible: nodes whose policies are partly unknown, or that escalate only under conditions.
        for (const n of all) {
          if (out.has(n)) continue;
          if (n.set === null) out.set(n, { level: 1, via: { step: 'permissions unknown', next: null } });
          else if (this.fullLevel(n) === 1 || this.directOf(n).length) out.set(n, { level: 1, via: { step: 'may escalate under conditions', next: null } });
        }
      }
      let frontier = pool(all.filter((n) => out.get(n) && out.get(n)!.level >= level));
      while (frontier.set.size) {
        const next: Node[] = [];
        for (const n of all) {
          if (n.set === null || (out.get(n)?.level ?? 0) >= level) continue;
          if (this.fullLevel(n) === 2) continue;
          for (const m of this.graphMethods(n)) {
            if (m.target !== 'assume' && this.usable(n, m) === null) continue;
            const hit = this.candidates(n, m, frontier).find((t) => (this.edge(n, m, t)?.level ?? 0) >= level);
            if (hit) {
              out.set(n, { level, via: { step: `${m.id} (${m.actions.join(' + ')})`, next: hit } });
              next.push(n);
              break;
            }
          }
        }
        frontier = pool(next);
      }
    }
    this.admin = out;
    return out;
  }

  /** The path from `t` to what makes it administrative. */
  private pathFrom(t: Node): string[] {
    const admin = this.adminMap();
    const out: string[] = [];
    const seen = new Set<Node>();
    let cur: Node | null = t;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      out.push(cur.label);
      const v: Via | undefined = admin.get(cur)?.via;
      if (!v) break;
      out.push(v.step);
      cur = v.next;
    }
    return out;
  }

  /** Where a listing of the target's type is incomplete, in words; null when it is complete. */
  private incomplete(n: Node, m: EscalationMethod): string | null {
    // Code declares some of an account's principals, never all: one it does not declare may be the target.
    if (n.r.source.kind !== 'runtime') return 'infrastructure code declares only some of the account’s principals and instances, so a more privileged target may exist outside it';
    const types = m.target === 'user' ? ['aws.iam.user'] : m.target === 'group' ? ['aws.iam.group'] : m.target === 'instance' ? ['aws.iam.role', 'aws.ec2.instance'] : ['aws.iam.role'];
    for (const type of types) if (this.ctx.listingIncomplete(type, n.account)) return `the listing of ${type} in ${n.account} is incomplete, so a more privileged target may be missing`;
    return null;
  }

  /** Escalations through other principals, and potential ones, of node `n`. */
  through(n: Node): { escalations: Escalation[]; potential: Potential[] } {
    const escalations: Escalation[] = [];
    const potential: Potential[] = [];
    if (n.set === null) return { escalations, potential };
    const admin = this.adminMap();
    // Already an administrator on its own: acting through others gives it nothing more.
    const ownLevel: Level = this.fullLevel(n) === 2 || this.directOf(n).some((e) => e.level === 2) ? 2 : 0;
    const targets = this.targets();
    for (const m of this.graphMethods(n)) {
      const usable = this.usable(n, m);
      if (m.target !== 'assume' && usable === null) continue;
      let best: { u: Use; t: Node } | null = null;
      if (ownLevel < 2) {
        for (const t of this.candidates(n, m, targets)) {
          const e = this.edge(n, m, t);
          if (!e || e.level === 0) continue;
          const u: Use = { level: Math.min(e.level, admin.get(t)!.level) as Level, sources: e.sources, conditions: e.conditions };
          if (best === null || u.level > best.u.level) best = { u, t };
          if (best.u.level === 2) break;
        }
      }
      if (best) {
        const tail = this.pathFrom(best.t);
        const reason = admin.get(best.t)!.level < 2 ? `whether ${best.t.label} reaches administration is not certain (${admin.get(best.t)!.via.step})` : null;
        escalations.push(this.escalation(m, best.u, best.t.arn, [n.label, `${m.id} (${m.actions.join(' + ')})`, ...tail], reason));
        continue;
      }
      if (usable === null || ownLevel === 2) continue;
      const gap = this.incomplete(n, m);
      if (gap && m.target !== 'assume') {
        escalations.push(this.escalation(m, usable, null, [n.label, `${m.id} (${m.actions.join(' + ')})`], gap));
        continue;
      }
      if (m.target === 'assume') continue; // assuming a role that is no more privileged is no escalation
      potential.push({
        method: m.id,
        description: m.description,
        actions: m.actions,
        sources: [...usable.sources].sort(),
        conditions: [...usable.conditions].sort(),
        reason: noTargetReason(m),
      });
    }
    // Methods on resources trustscan does not collect.
    const kind = methodKind(n);
    if (ownLevel < 2) {
      for (const m of methodsFor(kind, n.g.hasBoundary)) {
        if (m.target !== 'uncollected') continue;
        const u = this.usable(n, m);
        if (u === null) continue;
        potential.push({
          method: m.id,
          description: m.description,
          actions: m.actions,
          sources: [...u.sources].sort(),
          conditions: [...u.conditions].sort(),
          reason: `escalates if there is ${m.needs}; trustscan does not collect those`,
        });
      }
      // Own-target methods granted, but not on anything of its own.
      for (const m of methodsFor(kind, n.g.hasBoundary)) {
        if (m.target !== 'own-policy' || this.directOf(n).some((e) => e.method === m.id)) continue;
        const u = this.usable(n, m);
        const iam = `arn:${n.partition}:iam::${n.account}:policy/`;
        if (u === null || this.granted(n, targetAction(m), false, null, (arn) => arn.startsWith(FILL) || arn === '' || arn.startsWith(iam), 'own-account').level === 0) continue;
        potential.push({
          method: m.id,
          description: m.description,
          actions: m.actions,
          sources: [...u.sources].sort(),
          conditions: [...u.conditions].sort(),
          reason: 'granted on customer-managed policies of the account, but on none attached to this principal: it escalates through whoever holds them',
        });
      }
    }
    return { escalations, potential };
  }
}

const LOWER = new WeakMap<EscalationMethod, string[]>();
function lowerActions(m: EscalationMethod): string[] {
  let l = LOWER.get(m);
  if (!l) LOWER.set(m, (l = m.actions.map((a) => a.toLowerCase())));
  return l;
}

/** Methods through other principals, per kind of principal (none of them depends on a boundary). */
const GRAPH_METHODS = new Map<string, EscalationMethod[]>();

/** A set of candidate targets, split by kind. */
interface Pool {
  set: Set<Node>;
  users: Node[];
  roles: Node[];
  groups: Node[];
}

function pool(nodes: Node[]): Pool {
  return { set: new Set(nodes), users: nodes.filter((t) => t.kind === 'user'), roles: nodes.filter((t) => t.kind === 'role'), groups: nodes.filter((t) => t.kind === 'group') };
}

/** Which methods apply: a group's are its members' (users'); a policy's, anyone's. */
function methodKind(n: Node): 'user' | 'role' | 'any' {
  return n.kind === 'role' ? 'role' : n.kind === 'policy' ? 'any' : 'user';
}

function noTargetReason(m: EscalationMethod): string {
  switch (m.target) {
    case 'pass-role':
      return `no role in the snapshot that ${m.passedTo} can assume, and that it may pass, is more privileged`;
    case 'instance':
      return 'no EC2 instance in the snapshot that it can reach runs with a more privileged role';
    case 'user':
      return 'no user in the snapshot that it can act on is more privileged';
    case 'group':
      return 'no group in the snapshot that it can join is more privileged';
    default:
      return 'no role in the snapshot that it can act on is more privileged';
  }
}

const graphs = new WeakMap<FactContext, Graph>();

/** Accounts of the snapshot (from its `aws.account` resources), plus `account`. */
function snapshotAccounts(ctx: FactContext, account: string): Set<string> {
  const out = new Set<string>([account]);
  for (const p of ['aws', 'aws-cn', 'aws-us-gov']) for (const a of ctx.resourcesWhere('aws.account', 'partition', p)) out.add(a.account);
  return out;
}

/** The escalation graph of this evaluation, covering `account`. */
export function graphFor(ctx: FactContext, account: string): Graph {
  let g = graphs.get(ctx);
  if (!g || !g.covers(account)) graphs.set(ctx, (g = new Graph(ctx, snapshotAccounts(ctx, account))));
  return g;
}

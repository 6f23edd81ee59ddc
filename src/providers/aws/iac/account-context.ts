import { RUNTIME_ONLY_REASON, type Resource, type Snapshot } from '../../../core/types';
import { isAwsManagedArn, managedPolicies } from '../managed-policies';

/**
 * What infrastructure code does not say but the account it deploys to does. Code attaches
 * policies by ARN, configures principals it does not declare, and leaves account-wide settings to
 * the account. From a runtime snapshot of that account (`trustscan iac --context SNAPSHOT`) and
 * the pinned catalogue of AWS-managed policies, the resources of the code are completed:
 * - the account's settings (S3 Block Public Access, password policy, …) where the code does not
 *   declare them, in an `aws.account` that belongs to the code's run;
 * - principals the code configures but does not declare get what the account shows of them
 *   (their other policies, memberships, keys, trust policy, boundary);
 * - the managed prefix lists its security groups refer to by id, with their entries (context
 *   only, like the account: the code does not declare them);
 * - every managed policy the code attaches but does not create becomes an `aws.iam.policy` of the
 *   run, with its document: AWS-managed ones from the account, else from the catalogue;
 *   customer-managed ones from the account.
 */
export interface AccountContext {
  /** The snapshot file, named in the resources it completes. */
  file: string;
  snapshot: Snapshot;
}

const PRINCIPALS = ['aws.iam.user', 'aws.iam.group', 'aws.iam.role'];
const KIND: Record<string, 'user' | 'group' | 'role'> = { 'aws.iam.user': 'user', 'aws.iam.group': 'group', 'aws.iam.role': 'role' };
/** Lists of a principal that code extends with what it declares. */
const LISTS = ['attachedPolicies', 'inlinePolicies', 'groups', 'members', 'accessKeys'];
const RUNTIME_ONLY_POLICY = ['policyId', 'defaultVersionId', 'createDate', 'updateDate'];

/** Completes `resources` (of infrastructure code) in place; returns the resources to add. */
export function completeFromAccount(resources: Resource[], context: AccountContext | undefined): Resource[] {
  const added: Resource[] = [];
  if (context) {
    added.push(...accounts(resources, context));
    added.push(...prefixLists(resources, context));
    existingPrincipals(resources, context);
  }
  added.push(...attachedManagedPolicies(resources, context));
  return added;
}

function contextOf(context: AccountContext, type: string, account: string): Resource[] {
  return context.snapshot.resources.filter((r) => r.type === type && r.account === account);
}

/** The prefix lists (by id) that the code's security groups refer to, with their live entries. */
function prefixLists(resources: Resource[], context: AccountContext): Resource[] {
  const declared = new Set(resources.filter((r) => r.type === 'aws.ec2.prefix-list').map((r) => `${r.account} ${r.region} ${String(r.properties.prefixListId)}`));
  const out = new Map<string, Resource>();
  for (const sg of resources) {
    if (sg.type !== 'aws.ec2.security-group') continue;
    for (const dir of ['ingress', 'egress']) {
      const rules = sg.properties[dir];
      if (!Array.isArray(rules)) continue;
      for (const rule of rules) {
        const ids = (rule as { prefixListIds?: unknown } | null)?.prefixListIds;
        for (const id of Array.isArray(ids) ? ids : []) {
          const key = `${sg.account} ${sg.region} ${String(id)}`;
          if (typeof id !== 'string' || declared.has(key) || out.has(key)) continue;
          const live = context.snapshot.resources.find((p) => p.type === 'aws.ec2.prefix-list' && p.account === sg.account && p.region === sg.region && p.properties.prefixListId === id);
          if (live) out.set(key, { ...structuredClone(live), source: { kind: 'runtime', file: context.file, address: `aws.ec2.prefix-list ${id} (from --context)`, context: true } });
        }
      }
    }
  }
  return [...out.values()];
}

/** The account settings the code does not declare, from the snapshot. */
function accounts(resources: Resource[], context: AccountContext): Resource[] {
  const out: Resource[] = [];
  const ids = new Set(resources.map((r) => r.account));
  for (const id of ids) {
    const live = contextOf(context, 'aws.account', id)[0];
    if (!live) continue;
    const declared = resources.find((r) => r.type === 'aws.account' && r.account === id);
    if (declared) {
      fillUnknown(declared, live);
      continue;
    }
    // Live data, read as the collector read it (its live-only values stay known), and context
    // only: the code does not declare the account, so no rule judges it in this run.
    out.push({ ...structuredClone(live), source: { kind: 'runtime', file: context.file, address: `aws.account ${id} (from --context)`, context: true } });
  }
  return out;
}

/** Known values of `live` in place of the unknown top-level properties of `r`. */
function fillUnknown(r: Resource, live: Resource): void {
  if (!r.unknown) return;
  const keep: string[] = [];
  for (const p of r.unknown) {
    if (!p.includes('.') && p in live.properties && !(live.unknown ?? []).some((u) => u === p || u.startsWith(`${p}.`))) {
      r.properties[p] = structuredClone(live.properties[p]);
      if (r.unknownReasons) delete r.unknownReasons[p];
    } else keep.push(p);
  }
  setUnknown(r, keep);
}

function setUnknown(r: Resource, unknown: string[]): void {
  if (unknown.length > 0) {
    r.unknown = unknown;
    if (r.unknownReasons) for (const k of Object.keys(r.unknownReasons)) if (!unknown.includes(k)) delete r.unknownReasons[k];
    if (r.present) r.present = r.present.filter((p) => unknown.includes(p));
  } else {
    delete r.unknown;
    delete r.unknownReasons;
    delete r.present;
  }
}

/**
 * A principal the code configures but does not declare (an existing user named by the code):
 * its own settings from the account, its lists the code's items plus the account's.
 */
function existingPrincipals(resources: Resource[], context: AccountContext): void {
  for (const r of resources) {
    if (!PRINCIPALS.includes(r.type) || r.source.kind === 'runtime') continue;
    const m = /#(user|group|role)\/([^/]+)$/.exec(r.id);
    if (!m || !(r.unknownReasons?.path ?? '').includes('is not declared in this')) continue;
    const name = m[2];
    const live = contextOf(context, r.type, r.account).find((x) => x.properties[`${KIND[r.type]}Name`] === name);
    if (!live) continue;
    const unknown = new Set(r.unknown ?? []);
    for (const list of LISTS) {
      const declared = r.properties[list];
      const theirs = live.properties[list];
      if (!Array.isArray(declared) || !Array.isArray(theirs) || declared.length === 0) continue;
      // The code's items, then the account's in place of the "its other …" placeholder at the end.
      const last = declared.length - 1;
      if (!unknown.has(`${list}.${last}`)) continue;
      const mine = declared.slice(0, last);
      const seen = new Set(mine.map((x) => JSON.stringify(x)));
      r.properties[list] = [...mine, ...structuredClone(theirs).filter((x: unknown) => !seen.has(JSON.stringify(x)))];
      for (const u of [...unknown]) if (u === `${list}.${last}` || u.startsWith(`${list}.${last}.`)) unknown.delete(u);
      // Slots of keys the code adds are decided by those the user has.
      if (list === 'accessKeys') for (const u of [...unknown]) if (/^accessKeys\.\d+\.slot$/.test(u)) unknown.delete(u);
    }
    setUnknown(r, [...unknown]);
    fillUnknown(r, live);
    if (r.unknown?.includes('$tags')) {
      if (live.tags) r.tags = structuredClone(live.tags);
      setUnknown(r, r.unknown.filter((u) => u !== '$tags'));
    }
    if (typeof live.properties.arn === 'string') r.id = live.properties.arn;
  }
}

/** The managed policies code attaches by ARN without creating them, with their documents. */
function attachedManagedPolicies(resources: Resource[], context: AccountContext | undefined): Resource[] {
  const created = new Set(resources.filter((r) => r.type === 'aws.iam.policy').map((r) => `${r.account} ${String(r.properties.arn)}`));
  const found = new Map<string, { arn: string; at: Resource; count: number; to: Record<'users' | 'groups' | 'roles', string[]> }>();
  for (const r of resources) {
    const kind = KIND[r.type];
    if (!kind) continue;
    const list = r.properties.attachedPolicies;
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      const arn = (a as { policyArn?: unknown } | null)?.policyArn;
      if (typeof arn !== 'string' || created.has(`${r.account} ${arn}`)) continue;
      const key = `${r.account} ${arn}`;
      let f = found.get(key);
      if (!f) found.set(key, (f = { arn, at: r, count: 0, to: { users: [], groups: [], roles: [] } }));
      f.count++;
      const name = r.properties[`${kind}Name`];
      if (typeof name === 'string' && !f.to[`${kind}s`].includes(name)) f.to[`${kind}s`].push(name);
    }
  }
  const out: Resource[] = [];
  for (const { arn, at, count, to } of found.values()) {
    const live = context?.snapshot.resources.find((x) => x.type === 'aws.iam.policy' && x.properties.arn === arn && (x.account === at.account || x.properties.awsManaged === true));
    const awsManaged = isAwsManagedArn(arn);
    let document: unknown;
    let origin: string;
    if (live && !(live.unknown ?? []).includes('document')) {
      document = live.properties.document;
      origin = `from --context ${context!.file}`;
    } else if (awsManaged && managedPolicies().byArn(arn)) {
      const e = managedPolicies().byArn(arn)!;
      document = e.document;
      origin = `AWS-managed policy catalogue (${e.version}, ${managedPolicies().date})`;
    } else continue;
    const slash = arn.lastIndexOf('/');
    const path = arn.slice(arn.indexOf(':policy') + ':policy'.length, slash + 1) || '/';
    const name = arn.slice(slash + 1);
    out.push({
      id: awsManaged ? `${arn}#${at.account}` : arn,
      type: 'aws.iam.policy',
      provider: 'aws',
      account: at.account,
      region: 'global',
      // An ARN ending in a slash names no policy: shown by its ARN.
      name: name || arn,
      source: { ...at.source, address: `${arn} (${origin})` },
      properties: {
        policyName: name,
        policyId: null,
        arn,
        path,
        awsManaged,
        defaultVersionId: null,
        document: structuredClone(document),
        // The code's attachments: the account may hold others, never fewer.
        attachmentCount: count,
        attachedTo: to,
        createDate: null,
        updateDate: null,
      },
      unknown: RUNTIME_ONLY_POLICY,
      unknownReasons: Object.fromEntries(RUNTIME_ONLY_POLICY.map((p) => [p, RUNTIME_ONLY_REASON])),
    });
  }
  return out;
}

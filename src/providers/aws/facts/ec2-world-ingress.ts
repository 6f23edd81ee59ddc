import type { Resource } from '../../../core/types';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, type MaybeUnknown, UNKNOWN_VALUE } from '../../../facts/fact-types';
import { coversAll, type Family } from './cidr';

/**
 * Which ingress rules of a security group let the whole internet in, however it is written:
 * `0.0.0.0/0`, the internet split into ranges (`0.0.0.0/1` + `128.0.0.0/1`), or a managed prefix
 * list holding such ranges. Security-group rules only ever allow, so a rule's port range is open
 * to every address that some rule of the group covering the same protocol and ports allows:
 * the CIDRs of all those rules, and the entries of the prefix lists they refer to, are put
 * together before asking whether they cover every address.
 *
 * A prefix list that is not in the snapshot (not shared any more, or its entries unreadable)
 * makes the answer unknown where the known ranges do not already cover everything. So does a
 * source known only at deploy, or a rule whose protocol or ports are; an unknown description or
 * referenced group does not, since only addresses, protocol and ports decide openness.
 */

interface Permission {
  ipProtocol: string;
  fromPort: number | null;
  toPort: number | null;
  ipv4Ranges?: { cidr: string }[];
  ipv6Ranges?: { cidr: string }[];
  prefixListIds?: string[];
}

interface Open {
  ipProtocol: string;
  fromPort: number | null;
  toPort: number | null;
  ipv4: MaybeUnknown<boolean>;
  ipv6: MaybeUnknown<boolean>;
  /** The ranges and prefix lists that make it open. */
  sources: string[];
}

const NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };
const proto = (p: string): string => NUMBERS[p.toLowerCase()] ?? p.toLowerCase();

/** Does rule `q` allow at least what rule `p` allows (protocol and ports)? */
function covers(q: Permission, p: Permission): boolean {
  if (proto(q.ipProtocol) === '-1') return true;
  if (proto(q.ipProtocol) !== proto(p.ipProtocol)) return false;
  if (q.fromPort === null || q.toPort === null || q.fromPort === -1) return true;
  if (p.fromPort === null || p.toPort === null || p.fromPort === -1) return false;
  return q.fromPort <= p.fromPort && p.toPort <= q.toPort;
}

interface PrefixEntries {
  cidrs: string[] | null;
  reason: string | null;
}

/**
 * A managed prefix list by the id a rule names: a `pl-` id of the group's account and region, or
 * (infrastructure code that declares the list, whose `pl-` id is assigned at deploy) the
 * snapshot id of that list.
 */
function prefixList(sg: Resource, id: string, ctx: FactContext): PrefixEntries {
  const found =
    ctx.resourcesWhereInAccount('aws.ec2.prefix-list', 'prefixListId', id, sg.account).find((p) => p.region === sg.region) ??
    (sg.source.kind !== 'runtime' ? ctx.resourcesWhere('aws.ec2.prefix-list', '$id', id)[0] : undefined);
  if (!found) {
    const listing = ctx.listingIncomplete('aws.ec2.prefix-list', sg.account) ? ' (reading prefix lists failed)' : '';
    return { cidrs: null, reason: `prefix list ${id} is not in the snapshot${listing}, so whom it admits is unknown` };
  }
  if (ctx.isUnknown(found, 'entries')) {
    const why = ctx.whyUnknown(found, 'entries');
    return { cidrs: null, reason: why ? `prefix list ${found.name ?? id}: ${why}` : `the entries of prefix list ${id} could not be read` };
  }
  return { cidrs: ((found.properties.entries as { cidr: string }[] | undefined) ?? []).map((e) => e.cidr), reason: null };
}

/**
 * One rule as far as openness goes. Only its protocol, ports and sources decide; an unknown
 * description or referenced group (a plan's `source_security_group_id`, known after apply) does
 * not hide a `::/0` the rule states.
 */
interface Rule {
  /** Why its protocol or ports are unknown (whether it covers another rule cannot be told), or null. */
  shapeUnknown: string | null;
  p: Permission;
  cidrs: string[];
  prefixLists: string[];
  /** Why some of its sources are unknown (a CIDR or prefix list id known only at deploy), or null. */
  unknownSource: string | null;
}

function readRule(sg: Resource, all: unknown[], i: number, ctx: FactContext): Rule {
  const at = `ingress.${i}`;
  const why = (path: string, fallback: string): string => ctx.whyUnknown(sg, path) ?? fallback;
  // A rule that could not be read at all (infrastructure code: "its other rules").
  if (all[i] === null || typeof all[i] !== 'object') {
    const reason = why(at, 'an ingress rule could not be read');
    return { shapeUnknown: reason, p: {} as Permission, cidrs: [], prefixLists: [], unknownSource: reason };
  }
  const p = all[i] as Permission;
  const shapeAt = ['ipProtocol', 'fromPort', 'toPort'].find((k) => ctx.isUnknown(sg, `${at}.${k}`));
  const cidrs: string[] = [];
  const prefixLists: string[] = [];
  let unknownSource: string | null = null;
  for (const [key, list] of [
    ['ipv4Ranges', p.ipv4Ranges],
    ['ipv6Ranges', p.ipv6Ranges],
    ['prefixListIds', p.prefixListIds],
  ] as const) {
    if (!Array.isArray(list)) {
      if (ctx.isUnknown(sg, `${at}.${key}`)) unknownSource ??= why(`${at}.${key}`, `the sources of ingress rule ${i} could not be read`);
      continue;
    }
    (list as unknown[]).forEach((x, j) => {
      const path = key === 'prefixListIds' ? `${at}.${key}.${j}` : `${at}.${key}.${j}.cidr`;
      if (ctx.isUnknown(sg, path)) unknownSource ??= why(path, `a source of ingress rule ${i} could not be read`);
      else if (typeof x === 'string') prefixLists.push(x);
      else if (x !== null && typeof x === 'object' && typeof (x as { cidr?: unknown }).cidr === 'string') cidrs.push((x as { cidr: string }).cidr);
    });
  }
  return { shapeUnknown: shapeAt ? why(`${at}.${shapeAt}`, 'an ingress rule could not be read') : null, p, cidrs, prefixLists, unknownSource };
}

function compute(sg: Resource, ctx: FactContext): { value: MaybeUnknown<Open[]>; reasons: string[] } {
  const all = sg.properties.ingress;
  // The list itself unknown (a path past its last element is unknown too), or only some rules
  // (infrastructure code that adds rules to a group it does not declare).
  if (!Array.isArray(all) || (ctx.isUnknown(sg, 'ingress') && ctx.isUnknown(sg, `ingress.${all.length}`))) {
    return { value: UNKNOWN_VALUE, reasons: [ctx.whyUnknown(sg, 'ingress') ?? 'the ingress rules could not be read'] };
  }
  const rules = all.map((_, i) => readRule(sg, all, i, ctx));
  const lists = new Map<string, PrefixEntries>();
  const listOf = (id: string): PrefixEntries => {
    let l = lists.get(id);
    if (!l) lists.set(id, (l = prefixList(sg, id, ctx)));
    return l;
  };
  const reasons = new Set<string>();
  const out = rules.map((r): Open => {
    if (r.shapeUnknown !== null) {
      reasons.add(r.shapeUnknown);
      return { ipProtocol: UNKNOWN_VALUE as unknown as string, fromPort: null, toPort: null, ipv4: UNKNOWN_VALUE, ipv6: UNKNOWN_VALUE, sources: [] };
    }
    const cidrs: string[] = [];
    const sources: string[] = [];
    // What may add addresses to this rule's ports but is not known: a rule whose protocol or
    // ports are unknown (it may cover these), an unknown source, an unreadable prefix list.
    const pending: string[] = [];
    for (const q of rules) {
      if (q.shapeUnknown !== null) {
        // It may cover these ports: what it admits may complete the internet.
        if (q.cidrs.length || q.prefixLists.length || q.unknownSource !== null) pending.push(q.shapeUnknown);
        continue;
      }
      if (!covers(q.p, r.p)) continue;
      cidrs.push(...q.cidrs);
      if (q.unknownSource !== null) pending.push(q.unknownSource);
      for (const id of q.prefixLists) {
        const l = listOf(id);
        if (l.cidrs === null) pending.push(l.reason!);
        else {
          cidrs.push(...l.cidrs);
          sources.push(id);
        }
      }
    }
    const open = (family: Family): MaybeUnknown<boolean> => {
      if (coversAll(cidrs, family)) return true;
      if (pending.length === 0) return false;
      for (const why of pending) reasons.add(why);
      return UNKNOWN_VALUE;
    };
    const ipv4 = open(4);
    const ipv6 = open(6);
    const ranges = cidrs.filter((c) => (ipv4 === true && !c.includes(':')) || (ipv6 === true && c.includes(':')));
    return { ipProtocol: r.p.ipProtocol, fromPort: r.p.fromPort, toPort: r.p.toPort, ipv4, ipv6, sources: ipv4 === true || ipv6 === true ? [...new Set([...ranges, ...sources])] : [] };
  });
  return { value: out, reasons: [...reasons] };
}

const cache = new WeakMap<FactContext, WeakMap<Resource, ReturnType<typeof compute>>>();
function memo(sg: Resource, ctx: FactContext): ReturnType<typeof compute> {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new WeakMap()));
  let v = perCtx.get(sg);
  if (!v) perCtx.set(sg, (v = compute(sg, ctx)));
  return v;
}

export const ec2SecurityGroupWorldIngress: FactDef = {
  type: 'aws.ec2.security-group',
  name: 'worldIngress',
  description:
    'One entry per ingress rule (same order): whether every IPv4 / IPv6 address may use its protocol and ports, counting the ranges of every rule of the group that covers them and the entries of the managed prefix lists they refer to.',
  schema: arr(
    obj({
      ipProtocol: str(),
      fromPort: nullable(int()),
      toPort: nullable(int()),
      ipv4: bool('every IPv4 address is allowed (0.0.0.0/0, or ranges and prefix lists that together cover it)'),
      ipv6: bool('every IPv6 address is allowed'),
      sources: arr(str(), 'the ranges and prefix lists that open it'),
    }),
  ),
  dependsOn: ['ingress'],
  compute: (sg, ctx) => memo(sg, ctx).value,
  unknownReasons: (sg, ctx) => memo(sg, ctx).reasons,
};

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
 * makes the answer unknown where the known ranges do not already cover everything.
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

function prefixList(sg: Resource, id: string, ctx: FactContext): PrefixEntries {
  const found = ctx.resourcesWhere('aws.ec2.prefix-list', 'prefixListId', id).find((p) => p.account === sg.account && p.region === sg.region);
  if (!found) {
    const listing = ctx.listingIncomplete('aws.ec2.prefix-list', sg.account) ? ' (reading prefix lists failed)' : '';
    return { cidrs: null, reason: `prefix list ${id} is not in the snapshot${listing}, so whom it admits is unknown` };
  }
  if (ctx.isUnknown(found, 'entries')) return { cidrs: null, reason: ctx.whyUnknown(found, 'entries') ?? `the entries of prefix list ${id} could not be read` };
  return { cidrs: ((found.properties.entries as { cidr: string }[] | undefined) ?? []).map((e) => e.cidr), reason: null };
}

function compute(sg: Resource, ctx: FactContext): { value: MaybeUnknown<Open[]>; reasons: string[] } {
  const all = sg.properties.ingress;
  // The list itself unknown (a path past its last element is unknown too), or only some rules
  // (infrastructure code that adds rules to a group it does not declare).
  if (!Array.isArray(all) || (ctx.isUnknown(sg, 'ingress') && ctx.isUnknown(sg, `ingress.${all.length}`))) {
    return { value: UNKNOWN_VALUE, reasons: [ctx.whyUnknown(sg, 'ingress') ?? 'the ingress rules could not be read'] };
  }
  const unknownAt = new Set(all.map((_, i) => i).filter((i) => ctx.isUnknown(sg, `ingress.${i}`)));
  const rules = (all as Permission[]).filter((_, i) => !unknownAt.has(i));
  const lists = new Map<string, PrefixEntries>();
  const listOf = (id: string): PrefixEntries => {
    let l = lists.get(id);
    if (!l) lists.set(id, (l = prefixList(sg, id, ctx)));
    return l;
  };
  const reasons = new Set<string>();
  if (unknownAt.size) reasons.add(ctx.whyUnknown(sg, `ingress.${[...unknownAt][0]}`) ?? 'some ingress rules could not be read');
  const out = (all as Permission[]).map((p, i): Open => {
    if (unknownAt.has(i)) return { ipProtocol: UNKNOWN_VALUE as unknown as string, fromPort: null, toPort: null, ipv4: UNKNOWN_VALUE, ipv6: UNKNOWN_VALUE, sources: [] };
    const cidrs: string[] = [];
    const sources: string[] = [];
    const pending: string[] = [];
    for (const q of rules) {
      if (!covers(q, p)) continue;
      for (const r of [...(q.ipv4Ranges ?? []), ...(q.ipv6Ranges ?? [])]) cidrs.push(r.cidr);
      for (const id of q.prefixListIds ?? []) {
        const l = listOf(id);
        if (l.cidrs === null) pending.push(id);
        else {
          cidrs.push(...l.cidrs);
          sources.push(id);
        }
      }
    }
    const open = (family: Family): MaybeUnknown<boolean> => {
      if (coversAll(cidrs, family)) return true;
      // A rule that could not be read may hold the missing ranges.
      if (unknownAt.size) return UNKNOWN_VALUE;
      if (pending.length === 0) return false;
      for (const id of pending) if (listOf(id).reason) reasons.add(listOf(id).reason!);
      return UNKNOWN_VALUE;
    };
    const ipv4 = open(4);
    const ipv6 = open(6);
    const ranges = cidrs.filter((c) => (ipv4 === true && !c.includes(':')) || (ipv6 === true && c.includes(':')));
    return { ipProtocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort, ipv4, ipv6, sources: ipv4 === true || ipv6 === true ? [...new Set([...ranges, ...sources])] : [] };
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

import type { Resource } from '../../../core/types';
import { arr, bool, int, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactDef, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * What a network security group lets in from the internet, decided as Azure does: inbound rules
 * by priority, the first rule matching a packet decides. Only rules whose source is every internet
 * address (`*`, `Any`, `Internet`, `0.0.0.0/0`, `::/0`, any `/0`) decide for an arbitrary internet
 * address; narrower sources only decide for themselves, so they never close a port to the world.
 * Without a matching rule the default rules deny internet traffic.
 */

interface Rule {
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  sourceAddressPrefixes: string[];
  destinationPortRanges: string[];
}

type Range = [number, number];

const WORLD = new Set(['*', 'any', 'internet', '0.0.0.0', '0.0.0.0/0', '::/0', '::']);

export function isInternetSource(prefix: string): boolean {
  const p = prefix.trim().toLowerCase();
  return WORLD.has(p) || /\/0$/.test(p);
}

function parseRanges(ranges: string[]): Range[] | null {
  const out: Range[] = [];
  for (const raw of ranges) {
    const r = raw.trim();
    if (r === '*') out.push([0, 65535]);
    else {
      const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(r);
      if (!m) return null;
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      out.push([Math.min(a, b), Math.max(a, b)]);
    }
  }
  return out;
}

/** `ranges` minus `taken`. */
function subtract(ranges: Range[], taken: Range[]): Range[] {
  let rest = ranges;
  for (const [ta, tb] of taken) {
    const next: Range[] = [];
    for (const [a, b] of rest) {
      if (tb < a || ta > b) next.push([a, b]);
      else {
        if (a < ta) next.push([a, ta - 1]);
        if (b > tb) next.push([tb + 1, b]);
      }
    }
    rest = next;
  }
  return rest;
}

/** Ports of `protocol` (Tcp or Udp) open to an arbitrary internet address, and the rules that open them. */
export function exposedPorts(rules: Rule[], protocol: 'Tcp' | 'Udp'): { ranges: Range[]; rules: Set<string> } | null {
  const inbound = rules.filter((r) => r.direction.toLowerCase() === 'inbound').sort((a, b) => a.priority - b.priority);
  let decided: Range[] = [];
  const open: Range[] = [];
  const by = new Set<string>();
  for (const r of inbound) {
    const p = r.protocol.toLowerCase();
    if (p !== '*' && p !== protocol.toLowerCase()) continue;
    if (!r.sourceAddressPrefixes.some(isInternetSource)) continue;
    const ranges = parseRanges(r.destinationPortRanges);
    if (ranges === null) return null; // a port range we cannot read: the answer is unknown
    const fresh = subtract(ranges, decided);
    if (fresh.length === 0) continue;
    if (r.access.toLowerCase() === 'allow') {
      open.push(...fresh);
      by.add(r.name);
    }
    decided = [...decided, ...fresh];
  }
  return { ranges: open, rules: by };
}

const covers = (ranges: Range[], port: number): boolean => ranges.some(([a, b]) => a <= port && port <= b);

/** Database listeners commonly attacked when exposed: SQL Server, Oracle, MySQL, PostgreSQL, Redis, MongoDB, Cassandra, Elasticsearch. */
export const DATABASE_PORTS = [1433, 1521, 3306, 5432, 6379, 27017, 9042, 9200];

export const nsgInternetIngress: FactDef = {
  type: 'azure.network.nsg',
  name: 'internetIngress',
  description:
    'Services reachable from any internet address through the NSG after priority ordering: ssh (tcp/22), rdp (tcp or udp/3389), http (tcp/80), https (tcp/443), databases (tcp ' +
    `${DATABASE_PORTS.join(', ')}), udp (any UDP port), allPorts (every TCP or every UDP port); rules: the allow rules that open them.`,
  schema: obj({
    ssh: bool(),
    rdp: bool(),
    http: bool(),
    https: bool(),
    databases: bool(),
    udp: bool(),
    allPorts: bool(),
    openTcpPorts: arr(str(), "port ranges open over TCP: '22', '1000-2000'"),
    openUdpPorts: arr(str()),
    rules: arr(str(), 'names of the allow rules that open something to the internet'),
    ruleCount: int(),
  }),
  dependsOn: ['securityRules'],
  compute(nsg: Resource, ctx) {
    if (ctx.isUnknown(nsg, 'securityRules')) return UNKNOWN_VALUE;
    const rules = (nsg.properties.securityRules as Rule[] | undefined) ?? [];
    const tcp = exposedPorts(rules, 'Tcp');
    const udp = exposedPorts(rules, 'Udp');
    if (!tcp || !udp) return UNKNOWN_VALUE;
    const text = (r: Range[]): string[] => r.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`));
    const all = (r: Range[]): boolean => subtract([[1, 65535]], r).length === 0;
    return {
      ssh: covers(tcp.ranges, 22),
      rdp: covers(tcp.ranges, 3389) || covers(udp.ranges, 3389),
      http: covers(tcp.ranges, 80),
      https: covers(tcp.ranges, 443),
      databases: DATABASE_PORTS.some((p) => covers(tcp.ranges, p)),
      udp: udp.ranges.length > 0,
      allPorts: all(tcp.ranges) || all(udp.ranges),
      openTcpPorts: text(tcp.ranges),
      openUdpPorts: text(udp.ranges),
      rules: [...new Set([...tcp.rules, ...udp.rules])].sort(),
      ruleCount: rules.length,
    };
  },
  unknownReasons: (nsg, ctx) => (ctx.isUnknown(nsg, 'securityRules') ? [] : ['a security rule has a destination port range that is neither *, a port nor a range']),
};

const WATCHER = 'azure.network.watcher';

/** Regions in use in a subscription without a Network Watcher (CIS: Network Watcher enabled for the regions in use). */
export const subscriptionRegionsWithoutNetworkWatcher: FactDef = {
  type: 'azure.subscription',
  name: 'regionsWithoutNetworkWatcher',
  description: 'Regions that hold resources of the subscription but have no Network Watcher in a usable state (provisioningState Succeeded).',
  schema: arr(str()),
  dependsOn: ['regionsInUse'],
  compute(sub, ctx) {
    if (ctx.isUnknown(sub, 'regionsInUse')) return UNKNOWN_VALUE;
    const used = ((sub.properties.regionsInUse as string[] | undefined) ?? []).map((r) => r.toLowerCase());
    const watched = new Set(
      ctx
        .resourcesInAccount(WATCHER, sub.account)
        .filter((w) => w.properties.provisioningState === 'Succeeded')
        .map((w) => w.region.toLowerCase()),
    );
    const missing = used.filter((r) => r !== 'global' && !watched.has(r)).sort();
    // A region without a watcher may just be one whose watchers could not be listed.
    if (missing.length > 0 && ctx.listingIncomplete(WATCHER, sub.account)) return UNKNOWN_VALUE;
    return missing;
  },
  unknownReasons: (sub, ctx) => (ctx.listingIncomplete(WATCHER, sub.account) ? [`the Network Watchers of subscription ${sub.account} could not be listed`] : []),
};

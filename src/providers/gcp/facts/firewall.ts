import type { Resource } from '../../../core/types';
import { arr, bool, int, obj } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * `facts.internetIngress` of a firewall rule: what an enabled ingress allow rule opens to the whole
 * internet (a source range of 0.0.0.0/0 or ::/0). Source tags or service accounts next to such a
 * range do not narrow it: sources are combined with OR. Port lists and ranges are read as Compute
 * Engine documents them; protocol `all` (or none named) opens every port.
 */

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
export const DATABASE_PORTS = [1433, 1521, 3306, 5432, 6379, 9200, 11211, 27017];

interface Allowed {
  protocol?: unknown;
  ports?: unknown;
}

function portRanges(ports: unknown): [number, number][] | 'all' {
  if (!Array.isArray(ports) || ports.length === 0) return 'all';
  const out: [number, number][] = [];
  for (const p of ports) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(String(p).trim());
    if (m) out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

function opens(allowed: Allowed[], port: number): boolean {
  return allowed.some((a) => {
    const proto = String(a.protocol ?? 'all').toLowerCase();
    if (proto !== 'all' && proto !== 'tcp' && proto !== '6') return false;
    if (proto === 'all') return true;
    const r = portRanges(a.ports);
    return r === 'all' || r.some(([lo, hi]) => lo <= port && port <= hi);
  });
}

function allPorts(allowed: Allowed[]): boolean {
  return allowed.some((a) => {
    const proto = String(a.protocol ?? 'all').toLowerCase();
    if (proto === 'all') return true;
    const r = portRanges(a.ports);
    return r === 'all' || r.some(([lo, hi]) => lo <= 1 && hi >= 65535);
  });
}

function compute(r: Resource) {
  const p = r.properties;
  const allowed = (Array.isArray(p.allowed) ? p.allowed : []) as Allowed[];
  const sources = Array.isArray(p.sourceRanges) ? (p.sourceRanges as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  const open = p.direction === 'INGRESS' && p.disabled !== true && allowed.length > 0 && sources.some((s) => ANYWHERE.has(s.trim()));
  return {
    open,
    ssh: open && opens(allowed, 22),
    rdp: open && opens(allowed, 3389),
    allPorts: open && allPorts(allowed),
    databasePorts: open ? DATABASE_PORTS.filter((port) => opens(allowed, port)) : [],
  };
}

export const firewallInternetIngress: FactDef = {
  type: 'gcp.compute.firewall',
  name: 'internetIngress',
  description: 'What an enabled ingress rule allows from 0.0.0.0/0 or ::/0: SSH (22), RDP (3389), every port, database ports.',
  schema: obj({
    open: bool('enabled ingress allow rule from 0.0.0.0/0 or ::/0'),
    ssh: bool('TCP 22 is open to the internet'),
    rdp: bool('TCP 3389 is open to the internet'),
    allPorts: bool('every port (protocol all, or a range covering 1-65535) is open to the internet'),
    databasePorts: arr(int(), `well-known database ports open to the internet (${DATABASE_PORTS.join(', ')})`),
  }),
  dependsOn: ['direction', 'disabled', 'allowed', 'sourceRanges'],
  // Infrastructure code may leave a field unknown until apply: then so is every verdict.
  compute: (r: Resource, ctx: FactContext) =>
    ['direction', 'disabled', 'allowed', 'sourceRanges'].some((p) => ctx.isUnknown(r, p)) ? UNKNOWN_VALUE : compute(r),
};

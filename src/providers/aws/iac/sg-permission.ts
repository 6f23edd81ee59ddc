import { int, isUnresolved, str, Unresolved } from '../../../iac/values';

/** One security group permission in the `aws.ec2.security-group` shape. */
export interface Permission {
  ipProtocol: unknown;
  fromPort: unknown;
  toPort: unknown;
  ipv4Ranges: unknown[];
  ipv6Ranges: unknown[];
  prefixListIds: unknown[];
  referencedGroups: unknown[];
}

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

/** Protocol as DescribeSecurityGroups returns it: names for tcp/udp/icmp/icmpv6, '-1' for all. */
export function normalizeProtocol(v: unknown): string | Unresolved | null {
  const s = str(v);
  if (s === null || isUnresolved(s)) return s;
  const lower = s.toLowerCase();
  return PROTOCOL_NUMBERS[lower] ?? lower;
}

/** Ports: null for all ports (protocol -1), as DescribeSecurityGroups returns them. */
export function ports(protocol: unknown, from: unknown, to: unknown): { fromPort: unknown; toPort: unknown } {
  if (protocol === '-1') return { fromPort: null, toPort: null };
  return { fromPort: int(from), toPort: int(to) };
}

export function emptyPermission(protocol: unknown, from: unknown, to: unknown): Permission {
  return { ipProtocol: protocol, ...ports(protocol, from, to), ipv4Ranges: [], ipv6Ranges: [], prefixListIds: [], referencedGroups: [] };
}

/**
 * Why a rule's port range cannot be deployed (EC2 rejects a TCP or UDP range whose start is past
 * its end, or a port outside 0–65535), or undefined. Read as it is, such a range would match no
 * port and let the rule pass. ICMP's "ports" are a type and a code, not a range.
 */
export function portRangeProblem(protocol: unknown, from: unknown, to: unknown, names: [string, string]): string | undefined {
  const p = normalizeProtocol(protocol);
  if (p !== 'tcp' && p !== 'udp') return undefined;
  const f = int(from);
  const t = int(to);
  if (typeof f !== 'number' || typeof t !== 'number') return undefined;
  for (const [n, v] of [
    [names[0], f],
    [names[1], t],
  ] as const) {
    if (v < 0 || v > 65535) return `${n} ${v} is not a port (0–65535)`;
  }
  return f > t ? `${names[0]} ${f} is greater than ${names[1]} ${t}: not a port range EC2 accepts` : undefined;
}

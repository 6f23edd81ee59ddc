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

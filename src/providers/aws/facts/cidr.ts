/**
 * Whether a set of CIDR blocks covers a whole address space: the internet split into ranges
 * (`0.0.0.0/1` + `128.0.0.0/1`, or any other set that leaves no gap) is as open as `0.0.0.0/0`.
 */

export type Family = 4 | 6;

/** The [first, last] addresses of a CIDR block as integers, or null when it is not one. */
export function cidrRange(cidr: string): { family: Family; first: bigint; last: bigint } | null {
  const slash = cidr.indexOf('/');
  if (slash < 0) return null;
  const addr = cidr.slice(0, slash).trim();
  const bitsText = cidr.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  const family: Family = addr.includes(':') ? 6 : 4;
  const width = family === 4 ? 32 : 128;
  if (bits > width) return null;
  const value = family === 4 ? ipv4(addr) : ipv6(addr);
  if (value === null) return null;
  const host = (1n << BigInt(width - bits)) - 1n;
  const first = value & ~host & ((1n << BigInt(width)) - 1n);
  return { family, first, last: first | host };
}

function ipv4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv6(s: string): bigint | null {
  let text = s;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const n = ipv4(v4[1]);
    if (n === null) return null;
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** True when the blocks of `family` among `cidrs` leave no address of that family uncovered. */
export function coversAll(cidrs: readonly string[], family: Family): boolean {
  const ranges = cidrs
    .map(cidrRange)
    .filter((r): r is NonNullable<typeof r> => r !== null && r.family === family)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const end = (1n << BigInt(family === 4 ? 32 : 128)) - 1n;
  let next = 0n; // the first address not covered yet
  for (const r of ranges) {
    if (r.first > next) return false;
    if (r.last + 1n > next) next = r.last + 1n;
    if (next > end) return true;
  }
  return false;
}

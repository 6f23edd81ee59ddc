import type { CoverageEntry } from '../core/types';
import type { Unread } from './adapter';

/**
 * Constructs of a file that were not read, as coverage gaps grouped by where they deploy and what
 * they are: `service` is the format that holds them (`terraform`, a template format).
 */
export function unreadCoverage(service: string, file: string, found: readonly Unread[]): CoverageEntry[] {
  const groups = new Map<string, { entry: CoverageEntry; why: string; addresses: string[] }>();
  for (const f of found) {
    const key = `${f.provider}\u0000${f.account}\u0000${f.region}\u0000${f.what}\u0000${f.affects.join(',')}\u0000${f.why}`;
    let g = groups.get(key);
    if (!g) {
      const entry: CoverageEntry = {
        provider: f.provider,
        account: f.account,
        region: f.region,
        service,
        operation: f.what,
        outcome: 'not-enabled',
        affects: f.affects,
      };
      groups.set(key, (g = { entry, why: f.why, addresses: [] }));
    }
    g.addresses.push(f.address);
  }
  return [...groups.values()].map(({ entry, why, addresses }) => {
    const rules = entry.affects!.includes('*') ? 'rules on every resource type' : `${entry.affects!.join(', ')} rules`;
    return {
      ...entry,
      message: `${file}: ${entry.operation} ${why} (${addresses.slice(0, 5).join(', ')}${addresses.length > 5 ? `, … ${addresses.length} in all` : ''}), so the ${rules} could not check it`,
    };
  });
}

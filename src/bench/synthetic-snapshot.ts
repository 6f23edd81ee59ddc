import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource, Snapshot } from '../core/types';
import { PACKAGE_ROOT } from '../core/version';

/**
 * A large, realistic snapshot for benchmarks and streaming tests: the demo organisation's
 * resources and coverage gaps, copied into as many synthetic accounts as needed to reach
 * `resources` resources (ids, names and account ids made unique per copy).
 */
export function syntheticSnapshot(resources: number): Snapshot {
  const demo = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'), 'utf8')) as Snapshot;
  const out: Resource[] = [];
  const coverage: Snapshot['coverage'] = [];
  const accounts: Snapshot['metadata']['accounts'] = [];
  for (let copy = 0; out.length < resources; copy++) {
    const account = String(100000000000 + copy);
    accounts.push({ provider: 'aws', id: account, name: `synthetic-${copy}` });
    for (const r of demo.resources) {
      if (out.length >= resources) break;
      const c = structuredClone(r);
      c.id = r.id.replace(/\d{12}/g, account).replace(/:::/, `:::c${copy}-`);
      if (c.name) c.name = `${c.name}-${copy}`;
      c.account = account;
      out.push(c);
    }
    for (const g of demo.coverage) coverage.push({ ...g, account, ...(g.resourceId ? { resourceId: g.resourceId.replace(/\d{12}/g, account).replace(/:::/, `:::c${copy}-`) } : {}) });
  }
  return { ...demo, metadata: { ...demo.metadata, accounts }, resources: out, coverage };
}

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
  const demoAccounts = demo.metadata.accounts.map((a) => a.id);
  // Bucket names are global: each copy gets its own, in ids, names and every property that refers to one.
  const buckets = demo.resources.filter((r) => r.type === 'aws.s3.bucket').map((r) => r.name!).sort((a, b) => b.length - a.length);
  const bucketRe = new RegExp(buckets.map((b) => b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  for (let copy = 0; out.length < resources; copy++) {
    // each demo account becomes its own synthetic account in every copy
    const ids = new Map(demoAccounts.map((id, i) => [id, String(100000000000 + copy * demoAccounts.length + i)]));
    const rename = (s: string): string => s.replace(/\d{12}/g, (m) => ids.get(m) ?? m).replace(bucketRe, (b) => `c${copy}-${b}`);
    for (const [from, to] of ids) accounts.push({ provider: 'aws', id: to, name: `${demo.metadata.accounts.find((a) => a.id === from)?.name ?? from}-${copy}` });
    for (const r of demo.resources) {
      if (out.length >= resources) break;
      const c = JSON.parse(rename(JSON.stringify(r))) as Resource;
      if (c.name && r.type !== 'aws.s3.bucket') c.name = `${c.name}-${copy}`;
      c.account = ids.get(r.account) ?? r.account;
      out.push(c);
    }
    for (const g of demo.coverage) coverage.push({ ...g, account: ids.get(g.account) ?? g.account, ...(g.resourceId ? { resourceId: rename(g.resourceId) } : {}) });
  }
  return { ...demo, metadata: { ...demo.metadata, accounts }, resources: out, coverage };
}

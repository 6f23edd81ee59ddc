import { InputError, type Problem } from './errors';
import { type AccountRef, type Snapshot, unionIdentities } from './types';

/**
 * Several snapshots evaluated as one: the clouds of one organization collected separately (an
 * AWS snapshot and a Google Cloud one), or parts of one scan. Resources and coverage are
 * concatenated; the metadata spans them all. The same resource in two snapshots is an error
 * naming both files: evaluating it twice would count its findings twice.
 */
export function mergeSnapshots(parts: readonly { file: string; snapshot: Snapshot }[]): Snapshot {
  if (parts.length === 1) return parts[0].snapshot;
  const seen = new Map<string, { part: number; file: string }>();
  const problems: Problem[] = [];
  for (const [part, { file, snapshot }] of parts.entries()) {
    for (const r of snapshot.resources) {
      const key = `${r.provider}\u0000${r.account}\u0000${r.region}\u0000${r.type}\u0000${r.id}`;
      const first = seen.get(key);
      if (first !== undefined && first.part !== part) {
        if (problems.length < 20) problems.push({ file, message: `resource ${r.type} ${r.id} (${r.account}/${r.region}) is also in ${first.file}: give each resource in one snapshot only` });
      } else seen.set(key, { part, file });
    }
  }
  if (problems.length) throw new InputError(problems);
  const metas = parts.map((p) => p.snapshot.metadata);
  const accounts = new Map<string, AccountRef>();
  for (const m of metas) for (const a of m.accounts) accounts.set(`${a.provider}\u0000${a.id}`, accounts.get(`${a.provider}\u0000${a.id}`) ?? a);
  const min = (xs: string[]): string => xs.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const max = (xs: string[]): string => xs.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  const collectedBy = unionIdentities(metas.map((m) => m.collectedBy));
  return {
    schemaVersion: parts[0].snapshot.schemaVersion,
    metadata: {
      tool: metas[0].tool,
      startedAt: min(metas.map((m) => m.startedAt)),
      finishedAt: max(metas.map((m) => m.finishedAt)),
      providers: [...new Set(metas.flatMap((m) => m.providers))],
      accounts: [...accounts.values()],
      description: parts.map((p) => `${p.file}: ${p.snapshot.metadata.description ?? 'snapshot'}`).join('; '),
      ...(collectedBy ? { collectedBy } : {}),
    },
    resources: parts.flatMap((p) => p.snapshot.resources),
    coverage: parts.flatMap((p) => p.snapshot.coverage),
  };
}

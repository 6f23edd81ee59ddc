import { type AnalyzerSummary, ListAnalyzersCommand, type ListAnalyzersCommandOutput } from '@aws-sdk/client-accessanalyzer';
import { ResourceDraft } from '../../../collect/resource-draft';
import type { Resource } from '../../../core/types';
import { awsAccessAnalyzer } from '../types/access-analyzer';
import type { AccountContext } from './context';

type Base = Parameters<ResourceDraft['finish']>[0];

/**
 * Organization analyzers cover every account of their organization (in their region), so they are
 * held until the whole scan is read: only then is it known which scanned accounts they serve.
 * Account analyzers are emitted at once.
 */
export class AnalyzerRegistry {
  private readonly held: { owner: string; draft: ResourceDraft; base: Base }[] = [];

  hold(owner: string, draft: ResourceDraft, base: Base): void {
    this.held.push({ owner, draft, base });
  }

  /**
   * The held analyzers, each listing the other scanned accounts of its organization.
   * `membersOf` answers null when the owner's organization is unknown: `memberAccounts` is then
   * empty and listed unknown.
   */
  resources(membersOf: (owner: string) => string[] | null): Resource[] {
    return this.held.map(({ owner, draft, base }) => {
      const members = membersOf(owner);
      if (members === null) draft.lose('memberAccounts');
      draft.properties.memberAccounts = members ?? [];
      return draft.finish(base);
    });
  }
}

function analyzerDraft(a: AnalyzerSummary): ResourceDraft {
  const d = new ResourceDraft(awsAccessAnalyzer, { name: a.name ?? '', arn: a.arn ?? '', type: a.type ?? null, status: a.status ?? null, memberAccounts: [] });
  // Both are required in the API; an endpoint that leaves one out has not said, so nothing is assumed.
  if (!a.type) d.lose('type');
  if (!a.status) d.lose('status');
  return d;
}

/** Every analyzer of one region (all types: the rules decide which kinds count). */
export async function collectAnalyzers(ctx: AccountContext, region: string): Promise<void> {
  const aa = ctx.clients.accessAnalyzer(region);
  const r = await ctx.calls.pages(
    { service: 'access-analyzer', operation: 'ListAnalyzers', region },
    (nextToken, abortSignal) => aa.send(new ListAnalyzersCommand({ nextToken }), { abortSignal }),
    (p: ListAnalyzersCommandOutput) => p.nextToken,
  );
  if (!r.ok) return; // the coverage entry makes the region's listing a gap
  for (const a of r.value.flatMap((p) => p.analyzers ?? [])) {
    const d = analyzerDraft(a);
    const tags = a.tags && Object.keys(a.tags).length > 0 ? a.tags : undefined;
    const base: Base = { id: a.arn ?? '', account: ctx.account, region, name: a.name ?? '', ...(tags ? { tags } : {}) };
    if (a.type?.startsWith('ORGANIZATION')) ctx.analyzers.hold(ctx.account, d, base);
    else await ctx.emit(d.finish(base));
  }
}

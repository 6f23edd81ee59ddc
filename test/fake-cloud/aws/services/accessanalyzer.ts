import { type Handler, page } from '../server';

/** IAM Access Analyzer over REST-JSON: the analyzers of the caller's account in the region of the call. */
export const accessAnalyzerHandlers: Record<string, Handler> = {
  ListAnalyzers(ctx) {
    const type = ctx.query.get('type');
    const analyzers = (ctx.account.regions.find((r) => r.name === ctx.region)?.analyzers ?? [])
      .filter((a) => !type || a.type === type)
      .map((a) => ({
        arn: `arn:aws:access-analyzer:${ctx.region}:${ctx.accountId}:analyzer/${a.name}`,
        name: a.name,
        type: a.type,
        createdAt: a.createdAt,
        status: a.status ?? 'ACTIVE',
        ...(a.tags ? { tags: a.tags } : {}),
      }));
    const { items, next } = page(analyzers, ctx.query.get('nextToken'), ctx.fake.pageSize('access-analyzer:ListAnalyzers', Number(ctx.query.get('maxResults') ?? 0), 100));
    return { analyzers: items, ...(next ? { nextToken: next } : {}) };
  },
};

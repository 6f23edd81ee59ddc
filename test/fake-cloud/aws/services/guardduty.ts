import { FakeError, type Handler, page } from '../server';

/** GuardDuty over REST-JSON: `GET /detector` lists the region's detector ids, `GET /detector/{id}` reads one. */

const detectors = (ctx: Parameters<Handler>[0]) => ctx.account.regions.find((r) => r.name === ctx.region)?.guardDutyDetectors ?? [];

export const guardDutyHandlers: Record<string, Handler> = {
  ListDetectors(ctx) {
    const ids = detectors(ctx).map((d) => d.id);
    const { items, next } = page(ids, ctx.query.get('nextToken'), ctx.fake.pageSize('guardduty:ListDetectors', Number(ctx.query.get('maxResults') ?? 0), 50));
    return { detectorIds: items, ...(next ? { nextToken: next } : {}) };
  },
  GetDetector(ctx) {
    const id = decodeURIComponent(ctx.path.split('/')[2] ?? '');
    ctx.resource = id;
    const d = detectors(ctx).find((x) => x.id === id);
    if (!d) throw new FakeError('BadRequestException', 400, `The request is rejected because the input detectorId is not owned by the current account.`);
    return {
      status: d.status,
      serviceRole: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      findingPublishingFrequency: 'SIX_HOURS',
      createdAt: '2024-01-01T00:00:00.000Z',
      features: (d.features ?? []).map((f) => ({ name: f.name, status: f.status })),
      ...(d.tags ? { tags: d.tags } : {}),
    };
  },
};

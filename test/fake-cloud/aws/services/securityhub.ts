import { type Ctx, FakeError, type Handler, page } from '../server';

/**
 * Security Hub over REST-JSON: `GET /accounts` is DescribeHub, `POST /standards/get`
 * GetEnabledStandards (paged by NextToken in the body); not subscribed is InvalidAccessException.
 */

function subscribedHub(ctx: Ctx): NonNullable<ScenarioHub> {
  const hub = ctx.account.regions.find((r) => r.name === ctx.region)?.securityHub;
  if (!hub) throw new FakeError('InvalidAccessException', 401, `Account ${ctx.accountId} is not subscribed to AWS Security Hub`);
  return hub;
}

type ScenarioHub = Ctx['account']['regions'][number]['securityHub'];

/** A standard's ARN as Security Hub names it: CIS v1.2.0 is a "ruleset", the others "standards" of the region. */
const standardArn = (ctx: Ctx, id: string): string =>
  id === 'cis-aws-foundations-benchmark/v/1.2.0' ? `arn:aws:securityhub:::ruleset/${id}` : `arn:aws:securityhub:${ctx.region}::standards/${id}`;

export const securityHubHandlers: Record<string, Handler> = {
  DescribeHub(ctx) {
    const hub = subscribedHub(ctx);
    return { HubArn: `arn:aws:securityhub:${ctx.region}:${ctx.accountId}:hub/default`, SubscribedAt: hub.subscribedAt, AutoEnableControls: hub.autoEnableControls ?? true, ControlFindingGenerator: 'SECURITY_CONTROL' };
  },

  GetEnabledStandards(ctx) {
    const hub = subscribedHub(ctx);
    const body = (ctx.body ? JSON.parse(ctx.body) : {}) as { NextToken?: string; MaxResults?: number };
    if (body.MaxResults !== undefined && (body.MaxResults < 1 || body.MaxResults > 100)) throw new FakeError('InvalidInputException', 400, 'MaxResults must be between 1 and 100');
    const { items, next } = page(hub.standards ?? [], body.NextToken ?? null, ctx.fake.pageSize('securityhub:GetEnabledStandards', body.MaxResults, 100));
    return {
      StandardsSubscriptions: items.map((s) => ({
        StandardsSubscriptionArn: `arn:aws:securityhub:${ctx.region}:${ctx.accountId}:subscription/${s.id}`,
        StandardsArn: standardArn(ctx, s.id),
        StandardsInput: {},
        StandardsStatus: s.status ?? 'READY',
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },
};

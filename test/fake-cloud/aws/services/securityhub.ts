import { FakeError, type Handler } from '../server';

/** Security Hub over REST-JSON: `GET /accounts` is DescribeHub; not subscribed is InvalidAccessException. */
export const securityHubHandlers: Record<string, Handler> = {
  DescribeHub(ctx) {
    const hub = ctx.account.regions.find((r) => r.name === ctx.region)?.securityHub;
    if (!hub) throw new FakeError('InvalidAccessException', 401, `Account ${ctx.accountId} is not subscribed to AWS Security Hub`);
    return { HubArn: `arn:aws:securityhub:${ctx.region}:${ctx.accountId}:hub/default`, SubscribedAt: hub.subscribedAt, AutoEnableControls: hub.autoEnableControls ?? true, ControlFindingGenerator: 'SECURITY_CONTROL' };
  },
};

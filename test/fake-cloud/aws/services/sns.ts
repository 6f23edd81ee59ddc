import { FakeError, type Handler, page } from '../server';
import { el, list } from '../xml';

/** SNS over the Query protocol (2010-03-31): topics of the region and their attributes. */

const topics = (ctx: Parameters<Handler>[0]) => ctx.account.regions.find((r) => r.name === ctx.region)?.snsTopics ?? [];
const arnOf = (ctx: Parameters<Handler>[0], name: string): string => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;

export const snsHandlers: Record<string, Handler> = {
  ListTopics(ctx) {
    const { items, next } = page(topics(ctx).map((t) => arnOf(ctx, t.name)), ctx.params.get('NextToken'), ctx.fake.pageSize('sns:ListTopics', undefined, 100));
    return list('Topics', 'member', items.map((a) => el('TopicArn', a))) + el('NextToken', next);
  },
  GetTopicAttributes(ctx) {
    const arn = ctx.params.get('TopicArn') ?? '';
    ctx.resource = arn;
    const t = topics(ctx).find((x) => arnOf(ctx, x.name) === arn);
    if (!t) throw new FakeError('NotFound', 404, 'Topic does not exist');
    const policy = t.policy ?? {
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': ctx.accountId } } }],
    };
    const attrs: Record<string, string> = {
      TopicArn: arn,
      Owner: ctx.accountId,
      DisplayName: '',
      Policy: JSON.stringify(policy),
      SubscriptionsConfirmed: String(t.subscriptionsConfirmed ?? 0),
      SubscriptionsPending: String(t.subscriptionsPending ?? 0),
      SubscriptionsDeleted: '0',
      ...(t.kmsMasterKeyId ? { KmsMasterKeyId: t.kmsMasterKeyId } : {}),
    };
    return list('Attributes', 'entry', Object.entries(attrs).map(([k, v]) => el('key', k) + el('value', v)));
  },
};

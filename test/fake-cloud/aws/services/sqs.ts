import { FakeError, type Handler, page } from '../server';

/** SQS over JSON 1.0 (AmazonSQS): queues of the region (their URLs point back at the fake) and their attributes. */

const queues = (ctx: Parameters<Handler>[0]) => ctx.account.regions.find((r) => r.name === ctx.region)?.sqsQueues ?? [];
const urlOf = (ctx: Parameters<Handler>[0], name: string): string => `${ctx.fake.url}/${ctx.accountId}/${name}`;

export const sqsHandlers: Record<string, Handler> = {
  ListQueues(ctx) {
    const { items, next } = page(queues(ctx).map((q) => urlOf(ctx, q.name)), ctx.json.NextToken, ctx.fake.pageSize('sqs:ListQueues', ctx.json.MaxResults, 1000));
    // Like SQS, no QueueUrls member at all when there is no queue.
    return { ...(items.length ? { QueueUrls: items } : {}), ...(next ? { NextToken: next } : {}) };
  },
  GetQueueAttributes(ctx) {
    const url = String(ctx.json.QueueUrl ?? '');
    const q = queues(ctx).find((x) => urlOf(ctx, x.name) === url);
    const arn = `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${q?.name ?? ''}`;
    ctx.resource = arn;
    if (!q) throw new FakeError('AWS.SimpleQueueService.NonExistentQueue', 400, 'The specified queue does not exist.');
    const all: Record<string, string> = {
      QueueArn: arn,
      SqsManagedSseEnabled: String(q.sqsManagedSse ?? !q.kmsMasterKeyId),
      ...(q.kmsMasterKeyId ? { KmsMasterKeyId: q.kmsMasterKeyId } : {}),
      ...(q.policy ? { Policy: JSON.stringify(q.policy) } : {}),
      VisibilityTimeout: '30',
    };
    const wanted: string[] = ctx.json.AttributeNames ?? [];
    return { Attributes: Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes('All') || wanted.includes(k))) };
  },
};

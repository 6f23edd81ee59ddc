import { GetQueueAttributesCommand, ListQueuesCommand, type ListQueuesCommandOutput } from '@aws-sdk/client-sqs';
import type { AccountContext } from './context';
import { decodePolicy, ResourceDraft } from './resource';

/** SQS queues of one region: the listing, then one GetQueueAttributes per queue (the attributes the rules read, nothing else). */
export async function collectSqs(ctx: AccountContext, region: string): Promise<void> {
  const sqs = ctx.clients.sqs(region);
  const list = await ctx.calls.pages(
    { service: 'sqs', operation: 'ListQueues', region },
    (NextToken, abortSignal) => sqs.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 }), { abortSignal }),
    (p: ListQueuesCommandOutput) => p.NextToken,
  );
  if (!list.ok) return;
  await Promise.all(
    list.value.flatMap((p) => p.QueueUrls ?? []).map(async (url) => {
      const name = url.split('/').pop() ?? url;
      const guessedArn = `arn:${ctx.partition}:sqs:${region}:${ctx.account}:${name}`;
      const r = await ctx.calls.one({ service: 'sqs', operation: 'GetQueueAttributes', region, resourceId: guessedArn }, (abortSignal) =>
        sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'Policy', 'KmsMasterKeyId', 'SqsManagedSseEnabled'] }), { abortSignal }),
      );
      const a = r.ok ? (r.value?.Attributes ?? {}) : {};
      const d = new ResourceDraft({
        arn: a.QueueArn ?? guessedArn,
        url,
        kmsMasterKeyId: a.KmsMasterKeyId || null,
        sqsManagedSse: a.SqsManagedSseEnabled === 'true',
        policy: null,
      });
      if (!r.ok) d.lose('kmsMasterKeyId', 'sqsManagedSse', 'policy');
      else {
        const doc = decodePolicy(a.Policy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
      }
      await ctx.emit(d.finish({ id: String(d.properties.arn), type: 'aws.sqs.queue', account: ctx.account, region, name }));
    }),
  );
}

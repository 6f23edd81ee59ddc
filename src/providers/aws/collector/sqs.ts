import { GetQueueAttributesCommand, ListQueuesCommand, type ListQueuesCommandOutput } from '@aws-sdk/client-sqs';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsSqsQueue } from '../types/sqs-queue';
import type { AccountContext } from './context';
import { decodePolicy } from './resource';

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
      const d = new ResourceDraft(awsSqsQueue, {
        arn: a.QueueArn ?? guessedArn,
        url,
        kmsMasterKeyId: a.KmsMasterKeyId || null,
        sqsManagedSse: a.SqsManagedSseEnabled === 'true',
        policy: null,
      });
      if (d.from(r)) {
        const doc = decodePolicy(a.Policy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
      }
      await ctx.emit(d.finish({ id: String(d.properties.arn), account: ctx.account, region, name }));
    }),
  );
}

import { GetTopicAttributesCommand, ListTopicsCommand, type ListTopicsCommandOutput } from '@aws-sdk/client-sns';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsSnsTopic } from '../types/sns-topic';
import type { AccountContext } from './context';
import { decodePolicy } from './resource';

const count = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

/**
 * SNS topics of one region: the listing, then one GetTopicAttributes per topic, which carries the
 * policy, the KMS key and the confirmed subscription count (no ListSubscriptions needed).
 */
export async function collectSns(ctx: AccountContext, region: string): Promise<void> {
  const sns = ctx.clients.sns(region);
  const list = await ctx.calls.pages(
    { service: 'sns', operation: 'ListTopics', region },
    (NextToken, abortSignal) => sns.send(new ListTopicsCommand({ NextToken }), { abortSignal }),
    (p: ListTopicsCommandOutput) => p.NextToken,
  );
  if (!list.ok) return;
  await Promise.all(
    list.value.flatMap((p) => p.Topics ?? []).map(async (t) => {
      const arn = t.TopicArn ?? '';
      if (!arn) return;
      const name = arn.split(':').pop() ?? arn;
      const r = await ctx.calls.one({ service: 'sns', operation: 'GetTopicAttributes', region, resourceId: arn }, (abortSignal) =>
        sns.send(new GetTopicAttributesCommand({ TopicArn: arn }), { abortSignal }),
      );
      const a = r.ok ? (r.value?.Attributes ?? {}) : {};
      const d = new ResourceDraft(awsSnsTopic, {
        arn,
        name,
        kmsMasterKeyId: a.KmsMasterKeyId || null,
        policy: null,
        subscriptionsConfirmed: count(a.SubscriptionsConfirmed),
        subscriptionsPending: count(a.SubscriptionsPending),
      });
      if (d.from(r)) {
        const doc = decodePolicy(a.Policy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
        // SNS always sends the counts: one left out is not told.
        if (d.properties.subscriptionsConfirmed === null) d.lose('subscriptionsConfirmed');
        if (d.properties.subscriptionsPending === null) d.lose('subscriptionsPending');
      }
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name }));
    }),
  );
}

import { GetDetectorCommand, ListDetectorsCommand, type ListDetectorsCommandOutput } from '@aws-sdk/client-guardduty';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsGuardDutyDetector } from '../types/guardduty-detector';
import type { AccountContext } from './context';

/** GuardDuty detectors of one region (at most one per region): the listing, then each detector. */
export async function collectGuardDuty(ctx: AccountContext, region: string): Promise<void> {
  const gd = ctx.clients.guardduty(region);
  const list = await ctx.calls.pages(
    { service: 'guardduty', operation: 'ListDetectors', region },
    (NextToken, abortSignal) => gd.send(new ListDetectorsCommand({ NextToken }), { abortSignal }),
    (p: ListDetectorsCommandOutput) => p.NextToken,
  );
  if (!list.ok) return;
  await Promise.all(
    list.value.flatMap((p) => p.DetectorIds ?? []).map(async (id) => {
      const arn = `arn:${ctx.partition}:guardduty:${region}:${ctx.account}:detector/${id}`;
      const r = await ctx.calls.one({ service: 'guardduty', operation: 'GetDetector', region, resourceId: arn }, (abortSignal) =>
        gd.send(new GetDetectorCommand({ DetectorId: id }), { abortSignal }),
      );
      const d = new ResourceDraft(awsGuardDutyDetector, {
        detectorId: id,
        status: r.ok ? (r.value?.Status ?? null) : null,
        findingPublishingFrequency: r.ok ? (r.value?.FindingPublishingFrequency ?? null) : null,
        features: r.ok ? (r.value?.Features ?? []).map((f) => ({ name: f.Name ?? '', status: f.Status ?? '' })) : [],
      });
      d.from(r);
      const tags = r.ok && r.value?.Tags && Object.keys(r.value.Tags).length ? r.value.Tags : undefined;
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: id, ...(tags ? { tags } : {}) }));
    }),
  );
}

import {
  type ConfigurationRecorder,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsConfigRecorder } from '../types/config-recorder';
import type { AccountContext } from './context';
import { iso } from './resource';

function recordingGroup(r: ConfigurationRecorder): Record<string, unknown> {
  const g = r.recordingGroup;
  // Without a recording group AWS records every supported type of the region (its default).
  return {
    allSupported: g ? g.allSupported === true : true,
    includeGlobalResourceTypes: g?.includeGlobalResourceTypes === true,
    resourceTypes: g?.resourceTypes ?? [],
    exclusions: g?.exclusionByResourceTypes?.resourceTypes ?? [],
    recordingStrategy: g?.recordingStrategy?.useOnly ?? null,
  };
}

/**
 * AWS Config in one region: three calls answer everything (recorders, their status, the delivery
 * channels); none of them pages. A region without a recorder lists none, which is a fact.
 */
export async function collectConfig(ctx: AccountContext, region: string): Promise<void> {
  const config = ctx.clients.config(region);
  const spec = (operation: string) => ({ service: 'config', operation, region });
  const [recorders, status, channels] = await Promise.all([
    ctx.calls.one(spec('DescribeConfigurationRecorders'), (abortSignal) => config.send(new DescribeConfigurationRecordersCommand({}), { abortSignal })),
    ctx.calls.one(spec('DescribeConfigurationRecorderStatus'), (abortSignal) => config.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal })),
    ctx.calls.one(spec('DescribeDeliveryChannels'), (abortSignal) => config.send(new DescribeDeliveryChannelsCommand({}), { abortSignal })),
  ]);
  if (!recorders.ok) return;
  const deliveryChannels = channels.ok
    ? (channels.value?.DeliveryChannels ?? []).map((c) => ({ name: c.name ?? '', s3BucketName: c.s3BucketName ?? null, snsTopicArn: c.snsTopicARN ?? null }))
    : [];
  for (const r of recorders.value?.ConfigurationRecorders ?? []) {
    const name = r.name ?? 'default';
    const arn = r.arn ?? `arn:${ctx.partition}:config:${region}:${ctx.account}:config-recorder/${name}`;
    const s = status.ok ? (status.value?.ConfigurationRecordersStatus ?? []).find((x) => x.name === name) : undefined;
    const d = new ResourceDraft(awsConfigRecorder, {
      name,
      roleArn: r.roleARN ?? null,
      recordingGroup: recordingGroup(r),
      // A recorder the status call does not name has never been started.
      status: s
        ? { recording: s.recording === true, lastStatus: s.lastStatus ?? null, lastErrorCode: s.lastErrorCode ?? null, lastStartTime: iso(s.lastStartTime) }
        : { recording: false, lastStatus: null, lastErrorCode: null, lastStartTime: null },
      deliveryChannels,
    });
    d.from(status);
    d.from(channels);
    await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name }));
  }
}

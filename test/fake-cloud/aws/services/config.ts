import type { Handler } from '../server';

/** AWS Config over JSON 1.1 (StarlingDoveService): recorders, their status and the delivery channels of the region. */

const region = (ctx: Parameters<Handler>[0]) => ctx.account.regions.find((r) => r.name === ctx.region)?.config ?? {};

export const configHandlers: Record<string, Handler> = {
  DescribeConfigurationRecorders(ctx) {
    return {
      ConfigurationRecorders: (region(ctx).recorders ?? []).map((r) => ({
        name: r.name,
        arn: `arn:aws:config:${ctx.region}:${ctx.accountId}:config-recorder/${r.name}`,
        ...(r.roleArn ? { roleARN: r.roleArn } : {}),
        recordingGroup: {
          allSupported: r.allSupported ?? true,
          includeGlobalResourceTypes: r.includeGlobalResourceTypes ?? false,
          resourceTypes: r.resourceTypes ?? [],
          exclusionByResourceTypes: { resourceTypes: [] },
          recordingStrategy: { useOnly: r.allSupported === false ? 'INCLUSION_BY_RESOURCE_TYPES' : 'ALL_SUPPORTED_RESOURCE_TYPES' },
        },
      })),
    };
  },
  DescribeConfigurationRecorderStatus(ctx) {
    return {
      ConfigurationRecordersStatus: (region(ctx).recorders ?? []).map((r) => ({
        name: r.name,
        recording: r.recording ?? true,
        ...(r.lastStatus ? { lastStatus: r.lastStatus } : {}),
        lastStartTime: 1_700_000_000,
      })),
    };
  },
  DescribeDeliveryChannels(ctx) {
    return {
      DeliveryChannels: (region(ctx).deliveryChannels ?? []).map((c) => ({ name: c.name, ...(c.s3BucketName ? { s3BucketName: c.s3BucketName } : {}), ...(c.snsTopicArn ? { snsTopicARN: c.snsTopicArn } : {}) })),
    };
  },
};

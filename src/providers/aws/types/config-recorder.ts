import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.config.recorder` — an AWS Config configuration recorder with its recording status, and the
 * delivery channels of its region (a region has at most one recorder and one channel; a recorder
 * without a channel records nothing anyone can read). Id: `arn:aws:config:<region>:<account>:config-recorder/<name>`.
 */
export const awsConfigRecorder: ResourceTypeDef = {
  type: 'aws.config.recorder',
  provider: 'aws',
  description: 'An AWS Config configuration recorder: what it records, whether it is recording, and the delivery channels of its region.',
  scope: 'regional',
  properties: obj({
    name: str(),
    roleArn: nullable(str()),
    recordingGroup: obj({
      allSupported: bool('records every supported resource type of the region'),
      includeGlobalResourceTypes: bool('also records global types (IAM users, groups, roles, policies)'),
      resourceTypes: arr(str(), 'types recorded when allSupported is false'),
      exclusions: arr(str(), 'types excluded (recording strategy EXCLUSION_BY_RESOURCE_TYPES)'),
      recordingStrategy: nullable(str('ALL_SUPPORTED_RESOURCE_TYPES, INCLUSION_BY_RESOURCE_TYPES, EXCLUSION_BY_RESOURCE_TYPES')),
    }),
    status: nullable(
      obj({
        recording: bool(),
        lastStatus: nullable(str('Pending, Success, Failure')),
        lastErrorCode: nullable(str()),
        lastStartTime: nullable(str()),
      }),
    ),
    deliveryChannels: arr(obj({ name: str(), s3BucketName: nullable(str()), snsTopicArn: nullable(str()) }), "the region's delivery channels"),
  }),
  operations: [
    { op: 'config:DescribeConfigurationRecorders', lists: true },
    { op: 'config:DescribeConfigurationRecorderStatus', paths: ['status'] },
    { op: 'config:DescribeDeliveryChannels', paths: ['deliveryChannels'] },
  ],
  runtimeOnly: ['status.lastStatus', 'status.lastErrorCode', 'status.lastStartTime'],
};

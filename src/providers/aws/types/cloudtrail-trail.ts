import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

const fieldSelector = obj(
  {
    field: str(),
    equals: arr(str()),
    startsWith: arr(str()),
    endsWith: arr(str()),
    notEquals: arr(str()),
    notStartsWith: arr(str()),
    notEndsWith: arr(str()),
  },
  undefined,
  ['equals', 'startsWith', 'endsWith', 'notEquals', 'notStartsWith', 'notEndsWith'],
);

/**
 * `aws.cloudtrail.trail` — each trail once, in its home region, owned by the account that created
 * it. Id: the trail ARN. An organization trail also lists the member accounts where it was seen.
 */
export const awsCloudTrailTrail: ResourceTypeDef = {
  type: 'aws.cloudtrail.trail',
  provider: 'aws',
  description: 'A CloudTrail trail with its status and event selectors.',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    homeRegion: str(),
    isMultiRegionTrail: bool(),
    isOrganizationTrail: bool(),
    includeGlobalServiceEvents: bool(),
    logFileValidationEnabled: bool(),
    kmsKeyId: nullable(str(), 'KMS key ARN used for log files; null for SSE-S3'),
    s3BucketName: str(),
    s3KeyPrefix: nullable(str()),
    snsTopicArn: nullable(str()),
    cloudWatchLogsLogGroupArn: nullable(str()),
    cloudWatchLogsRoleArn: nullable(str()),
    status: obj({
      isLogging: bool(),
      latestDeliveryError: nullable(str()),
      latestDeliveryTime: nullable(dateTime()),
      latestCloudWatchLogsDeliveryTime: nullable(dateTime()),
    }),
    hasCustomEventSelectors: bool(),
    eventSelectors: arr(
      obj({
        readWriteType: strEnum(['ReadOnly', 'WriteOnly', 'All']),
        includeManagementEvents: bool(),
        dataResources: arr(obj({ type: str(), values: arr(str()) })),
        excludeManagementEventSources: arr(str()),
      }),
      'basic event selectors; empty when advanced selectors are used',
    ),
    advancedEventSelectors: arr(obj({ name: nullable(str()), fieldSelectors: arr(fieldSelector) })),
    memberAccounts: arr(str(), 'other accounts in which this (organization) trail appeared'),
  }),
  operations: [
    { op: 'cloudtrail:DescribeTrails', lists: true },
    { op: 'cloudtrail:GetTrailStatus', paths: ['status'] },
    { op: 'cloudtrail:GetEventSelectors', paths: ['eventSelectors', 'advancedEventSelectors', 'hasCustomEventSelectors'] },
  ],
  // Whether a trail logs is stated in code (IsLogging, enable_logging); its deliveries happen only live.
  runtimeOnly: ['status.latestDeliveryError', 'status.latestDeliveryTime', 'status.latestCloudWatchLogsDeliveryTime'],
  memberAccountsPath: 'memberAccounts',
  servedFrom: 'management',
};

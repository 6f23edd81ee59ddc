import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { int, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/** `aws.sns.topic` — an SNS topic with its encryption, access policy and subscription counts. Id: the topic ARN. */
export const awsSnsTopic: ResourceTypeDef = {
  type: 'aws.sns.topic',
  provider: 'aws',
  description: 'An SNS topic (encryption at rest, access policy, confirmed subscriptions).',
  scope: 'regional',
  properties: obj({
    arn: str(),
    name: str(),
    kmsMasterKeyId: nullable(str('KMS key encrypting messages at rest; null when not encrypted')),
    policy: policyDocument('topic access policy'),
    subscriptionsConfirmed: nullable(int()),
    subscriptionsPending: nullable(int()),
  }),
  operations: [
    { op: 'sns:ListTopics', lists: true },
    { op: 'sns:GetTopicAttributes', paths: ['kmsMasterKeyId', 'policy', 'subscriptionsConfirmed', 'subscriptionsPending'] },
  ],
  runtimeOnly: ['subscriptionsConfirmed', 'subscriptionsPending'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/** `aws.sqs.queue` — an SQS queue with its encryption and access policy. Id: the queue ARN. */
export const awsSqsQueue: ResourceTypeDef = {
  type: 'aws.sqs.queue',
  provider: 'aws',
  description: 'An SQS queue (encryption at rest, access policy).',
  scope: 'regional',
  properties: obj({
    arn: str(),
    url: str(),
    kmsMasterKeyId: nullable(str('KMS key (SSE-KMS); null when none')),
    sqsManagedSse: bool('SSE-SQS: encrypted with keys SQS manages'),
    policy: policyDocument('queue access policy'),
  }),
  operations: [
    { op: 'sqs:ListQueues', lists: true },
    // Not `arn`: without the attributes it is still known, from the queue URL (region, account, name).
    { op: 'sqs:GetQueueAttributes', paths: ['kmsMasterKeyId', 'sqsManagedSse', 'policy'] },
  ],
};

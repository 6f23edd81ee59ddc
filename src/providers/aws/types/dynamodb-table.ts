import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.dynamodb.table`. Id: the table ARN; region: its region. */
export const awsDynamoDbTable: ResourceTypeDef = {
  type: 'aws.dynamodb.table',
  provider: 'aws',
  description: 'A DynamoDB table with its encryption key type, point-in-time recovery and deletion protection.',
  scope: 'regional',
  properties: obj({
    tableName: str(),
    arn: str(),
    status: str('ACTIVE, CREATING, UPDATING, …'),
    billingMode: nullable(strEnum(['PROVISIONED', 'PAY_PER_REQUEST'])),
    encryption: obj({
      type: strEnum(['AWS_OWNED', 'KMS'], 'AWS_OWNED: the default key DynamoDB owns; KMS: an AWS-managed (aws/dynamodb) or customer-managed KMS key'),
      kmsKeyArn: nullable(str()),
    }),
    deletionProtectionEnabled: bool(),
    pointInTimeRecovery: obj({
      enabled: bool(),
      recoveryPeriodInDays: nullable(int(), 'how far back a restore can go (1–35); null when off'),
    }),
  }),
  operations: [
    { op: 'dynamodb:ListTables', lists: true },
    { op: 'dynamodb:DescribeTable', paths: ['status', 'billingMode', 'encryption', 'deletionProtectionEnabled'] },
    { op: 'dynamodb:DescribeContinuousBackups', paths: ['pointInTimeRecovery'] },
    { op: 'dynamodb:ListTagsOfResource', paths: ['$tags'] },
  ],
  runtimeOnly: ['status'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, dateTime, int, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/** `aws.secretsmanager.secret`. Id: the secret ARN; region: its region. */
export const awsSecretsManagerSecret: ResourceTypeDef = {
  type: 'aws.secretsmanager.secret',
  provider: 'aws',
  description: 'A Secrets Manager secret with its rotation settings, last rotation and access, key and resource policy.',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    kmsKeyId: nullable(str(), 'the KMS key encrypting the secret; null for the AWS-managed key aws/secretsmanager'),
    rotationEnabled: bool(),
    rotationRules: nullable(obj({ automaticallyAfterDays: nullable(int()), scheduleExpression: nullable(str()) }), 'null when rotation was never configured'),
    lastRotatedDate: nullable(dateTime(), 'null when never rotated'),
    lastAccessedDate: nullable(dateTime(), 'day the secret was last retrieved; null when never'),
    createdDate: nullable(dateTime()),
    owningService: nullable(str(), 'the AWS service managing the secret (rds, …); null for your own secrets'),
    policy: policyDocument('resource policy; null when none'),
  }),
  operations: [
    { op: 'secretsmanager:ListSecrets', lists: true },
    { op: 'secretsmanager:GetResourcePolicy', paths: ['policy'] },
  ],
  runtimeOnly: ['lastRotatedDate', 'lastAccessedDate', 'createdDate', 'owningService'],
};

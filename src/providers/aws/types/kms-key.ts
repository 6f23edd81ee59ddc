import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, policyDocument, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.kms.key`. Id: the key ARN; region: the key's region. */
export const awsKmsKey: ResourceTypeDef = {
  type: 'aws.kms.key',
  provider: 'aws',
  description: 'A KMS key with its state, rotation and key policy.',
  scope: 'regional',
  properties: obj({
    keyId: str(),
    arn: str(),
    description: str(),
    keyManager: strEnum(['AWS', 'CUSTOMER']),
    keyState: str('Enabled, Disabled, PendingDeletion, PendingImport, Unavailable, …'),
    keySpec: str('SYMMETRIC_DEFAULT, RSA_2048, …'),
    keyUsage: str('ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, …'),
    origin: str('AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE'),
    multiRegion: bool(),
    creationDate: dateTime(),
    rotationEnabled: nullable(bool(), 'null where rotation does not apply (asymmetric, imported, AWS-managed)'),
    rotationPeriodInDays: nullable(int()),
    policy: policyDocument('key policy (default)'),
    aliases: arr(str()),
  }),
  operations: [
    { op: 'kms:ListKeys', lists: true },
    { op: 'kms:DescribeKey', paths: ['description', 'keyManager', 'keyState', 'keySpec', 'keyUsage', 'origin', 'multiRegion', 'creationDate'] },
    { op: 'kms:GetKeyRotationStatus', paths: ['rotationEnabled', 'rotationPeriodInDays'] },
    { op: 'kms:GetKeyPolicy', paths: ['policy'] },
    { op: 'kms:ListAliases', paths: ['aliases'] },
  ],
  runtimeOnly: ['keyId', 'keyState', 'creationDate'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, nullable, obj, policyDocument, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.ecr.repository` — a private ECR repository with its scanning, tag mutability and policy. Id: the repository ARN. */
export const awsEcrRepository: ResourceTypeDef = {
  type: 'aws.ecr.repository',
  provider: 'aws',
  description: 'A private ECR repository (image scanning, tag immutability, encryption, repository policy).',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    scanOnPush: bool("the repository's own scan-on-push setting"),
    registryScanOnPush: bool("the registry's scanning rules scan this repository on push or continuously (they take precedence over the repository's setting)"),
    imageTagMutability: strEnum(['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION']),
    encryptionType: nullable(str('AES256, KMS, KMS_DSSE')),
    kmsKey: nullable(str()),
    policy: policyDocument('repository policy; null when none'),
  }),
  operations: [
    { op: 'ecr:DescribeRepositories', lists: true },
    { op: 'ecr:GetRegistryScanningConfiguration', paths: ['registryScanOnPush'] },
    { op: 'ecr:GetRepositoryPolicy', paths: ['policy'] },
  ],
};

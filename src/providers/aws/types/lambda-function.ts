import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, int, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.lambda.function` — a Lambda function: runtime, environment encryption, resource policy and
 * function URLs. Environment variable values are never read into the snapshot (they often hold
 * secrets): only how many there are. Id: the function ARN.
 */
export const awsLambdaFunction: ResourceTypeDef = {
  type: 'aws.lambda.function',
  provider: 'aws',
  description: 'A Lambda function (runtime, environment encryption key, resource policy, function URLs).',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    runtime: nullable(str('null for container images')),
    packageType: nullable(str('Zip, Image')),
    environmentVariableCount: int(),
    kmsKeyArn: nullable(str('customer-managed key encrypting the environment; null: the AWS-managed key')),
    policy: policyDocument('resource-based policy; null when none'),
    urls: arr(obj({ url: str(), authType: str('AWS_IAM, NONE') })),
  }),
  operations: [
    { op: 'lambda:ListFunctions', lists: true },
    { op: 'lambda:GetPolicy', paths: ['policy'] },
    { op: 'lambda:ListFunctionUrlConfigs', paths: ['urls'] },
  ],
};

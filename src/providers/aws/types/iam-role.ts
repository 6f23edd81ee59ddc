import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';
import { attachedPolicies, GAAD, inlinePolicies, permissionsBoundary } from './iam-common';

/** `aws.iam.role`. Id: the role ARN; region `global`. */
export const awsIamRole: ResourceTypeDef = {
  type: 'aws.iam.role',
  provider: 'aws',
  description: 'An IAM role with its trust policy and permissions.',
  scope: 'global',
  properties: obj({
    roleName: str(),
    roleId: str(),
    arn: str(),
    path: str(),
    createDate: dateTime(),
    serviceLinked: bool('path is /aws-service-role/: managed by an AWS service'),
    assumeRolePolicy: policyDocument('trust policy'),
    maxSessionDuration: int('seconds'),
    lastUsed: nullable(obj({ date: nullable(dateTime()), region: nullable(str()) }), 'null when never used'),
    instanceProfiles: arr(str(), 'ARNs of the instance profiles holding the role: EC2 instances launched with one run with the role'),
    attachedPolicies,
    inlinePolicies,
    permissionsBoundary,
  },
  undefined,
  // From GetAccountAuthorizationDetails only: infrastructure code declares profiles apart.
  ['instanceProfiles'],
  ),
  operations: [{ op: GAAD, lists: true }, { op: 'iam:ListRoles', paths: ['maxSessionDuration'] }],
  runtimeOnly: ['roleId', 'createDate', 'lastUsed', 'instanceProfiles'],
};

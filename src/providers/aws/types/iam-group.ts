import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, dateTime, obj, str } from '../../../core/resource-types/schema-helpers';
import { attachedPolicies, GAAD, inlinePolicies } from './iam-common';

/** `aws.iam.group`. Id: the group ARN; region `global`. */
export const awsIamGroup: ResourceTypeDef = {
  type: 'aws.iam.group',
  provider: 'aws',
  description: 'An IAM group with its members and policies.',
  scope: 'global',
  properties: obj({
    groupName: str(),
    groupId: str(),
    arn: str(),
    path: str(),
    createDate: dateTime(),
    members: arr(str(), 'user names'),
    attachedPolicies,
    inlinePolicies,
  }),
  operations: [{ op: GAAD, lists: true }],
  runtimeOnly: ['groupId', 'createDate'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';
import { GAAD } from './iam-common';

/**
 * `aws.iam.policy` — a managed policy: every customer-managed policy, and AWS-managed policies
 * that are attached to something. Id: the policy ARN; region `global`. An AWS-managed policy is
 * emitted once per account that uses it (its attachments are per account), so its id is the ARN
 * followed by `#<account>` (`arn:aws:iam::aws:policy/AdministratorAccess#123456789012`); `arn`
 * always holds the ARN itself, which is what attachments and the facts look up.
 */
export const awsIamPolicy: ResourceTypeDef = {
  type: 'aws.iam.policy',
  provider: 'aws',
  description: 'A managed IAM policy and the document of its default version.',
  scope: 'global',
  properties: obj({
    policyName: str(),
    policyId: str(),
    arn: str(),
    path: str(),
    awsManaged: bool('true for AWS-managed policies (arn:aws:iam::aws:policy/…)'),
    defaultVersionId: str(),
    document: policyDocument('document of the default version'),
    attachmentCount: int(),
    attachedTo: obj({ users: arr(str()), groups: arr(str()), roles: arr(str()) }, 'names of the principals it is attached to'),
    createDate: dateTime(),
    updateDate: dateTime(),
  }),
  operations: [{ op: GAAD, lists: true }],
  runtimeOnly: ['policyId', 'defaultVersionId', 'createDate', 'updateDate'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.securityhub.hub` — Security Hub enabled in an account and region (DescribeHub). A region
 * where the account is not subscribed has none: DescribeHub proves that with
 * InvalidAccessException, which is a fact; a denial is a gap. Id: the hub ARN. `standards` are the
 * security standards the hub evaluates (GetEnabledStandards): a hub without one runs no control
 * checks. Infrastructure code enables standards with resources of their own, or a delegated
 * administrator's central configuration applies them, so the hub's code does not say: runtime only.
 */
export const awsSecurityHubHub: ResourceTypeDef = {
  type: 'aws.securityhub.hub',
  provider: 'aws',
  description: 'AWS Security Hub, where it is enabled (one per account and region).',
  scope: 'regional',
  properties: obj({
    hubArn: str(),
    subscribedAt: nullable(str()),
    autoEnableControls: nullable(bool()),
    standards: arr(
      obj({
        standardsArn: str('arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0, …/ruleset/cis-aws-foundations-benchmark/v/1.2.0, …'),
        status: str('PENDING, READY, FAILED, DELETING or INCOMPLETE'),
      }),
      'security standards enabled in the hub; absent from snapshots written before they were read (unknown there)',
    ),
  }, undefined, ['standards']),
  operations: [
    { op: 'securityhub:DescribeHub', lists: true },
    { op: 'securityhub:GetEnabledStandards', paths: ['standards'] },
  ],
  runtimeOnly: ['subscribedAt', 'standards'],
  // Read since the SOC 2 additions of issue 17: absent from an older snapshot, which is "not read", not "none".
  addedLater: ['standards'],
};

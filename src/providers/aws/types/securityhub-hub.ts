import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.securityhub.hub` — Security Hub enabled in an account and region (DescribeHub). A region
 * where the account is not subscribed has none: DescribeHub proves that with
 * InvalidAccessException, which is a fact; a denial is a gap. Id: the hub ARN.
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
  }),
  operations: [{ op: 'securityhub:DescribeHub', lists: true }],
};

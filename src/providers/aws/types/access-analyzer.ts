import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.accessanalyzer.analyzer` — an IAM Access Analyzer analyzer, in the account and region where
 * it was created. An organization analyzer lists the member accounts it covers in `memberAccounts`
 * (empty when they could not be listed), so it counts for them too. Id: the analyzer ARN.
 */
export const awsAccessAnalyzer: ResourceTypeDef = {
  type: 'aws.accessanalyzer.analyzer',
  provider: 'aws',
  description: 'An IAM Access Analyzer analyzer (ListAnalyzers), per region.',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    type: strEnum(['ACCOUNT', 'ORGANIZATION', 'ACCOUNT_UNUSED_ACCESS', 'ORGANIZATION_UNUSED_ACCESS', 'ACCOUNT_INTERNAL_ACCESS', 'ORGANIZATION_INTERNAL_ACCESS']),
    status: strEnum(['ACTIVE', 'CREATING', 'DISABLED', 'FAILED']),
    memberAccounts: arr(str(), 'for organization analyzers: the other accounts it covers'),
  }),
  operations: [{ op: 'access-analyzer:ListAnalyzers', lists: true }],
  runtimeOnly: ['status'],
  memberAccountsPath: 'memberAccounts',
  servedFrom: 'organization',
};

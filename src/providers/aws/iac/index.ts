import type { IacAdapters } from '../../../iac/adapter';
import { completeFromAccount } from './account-context';
import { cloudFormationDocuments } from './cloudformation/index';
import { awsTerraform } from './terraform/index';

/**
 * AWS infrastructure code: Terraform's `aws` provider, CloudFormation templates, and what the
 * account (--context) or the AWS-managed policy catalogue adds to what the code says.
 */
export const awsIac: IacAdapters = {
  provider: 'aws',
  terraform: awsTerraform,
  documents: [cloudFormationDocuments],
  complete: completeFromAccount,
};

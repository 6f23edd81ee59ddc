import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.ec2.prefix-list` — a managed prefix list that a security group of the account refers to
 * (only those are read). Id: `arn:aws:ec2:<region>:<account>:prefix-list/<id>`, in the account
 * whose groups refer to it (a shared or AWS-managed list has another owner, named in `ownerId`).
 * Infrastructure code that declares a list (CloudFormation `AWS::EC2::PrefixList`, Terraform
 * `aws_ec2_managed_prefix_list`) gives it with the entries it declares; its `pl-` id is assigned
 * at deploy, so the code's security-group rules name it by its snapshot id instead.
 */
export const awsEc2PrefixList: ResourceTypeDef = {
  type: 'aws.ec2.prefix-list',
  provider: 'aws',
  description: 'A managed prefix list referred to by a security group, with its entries (CIDRs).',
  scope: 'regional',
  properties: obj({
    prefixListId: str(),
    prefixListName: nullable(str()),
    ownerId: nullable(str(), 'account id of the owner, or AWS for AWS-managed lists'),
    addressFamily: nullable(str(), 'IPv4 or IPv6'),
    entries: arr(obj({ cidr: str(), description: nullable(str()) }), 'the CIDRs of the list'),
  }),
  operations: [
    { op: 'ec2:DescribeManagedPrefixLists', lists: true },
    { op: 'ec2:GetManagedPrefixListEntries', paths: ['entries'] },
  ],
};

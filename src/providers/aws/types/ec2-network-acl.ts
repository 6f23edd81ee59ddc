import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `aws.ec2.network-acl` — a VPC network ACL with its entries. Id: `arn:aws:ec2:<region>:<account>:network-acl/<id>`. */
export const awsEc2NetworkAcl: ResourceTypeDef = {
  type: 'aws.ec2.network-acl',
  provider: 'aws',
  description: 'A network ACL (DescribeNetworkAcls): stateless rules evaluated in rule-number order, first match wins.',
  scope: 'regional',
  properties: obj({
    networkAclId: str(),
    vpcId: str(),
    isDefault: bool(),
    entries: arr(
      obj({
        ruleNumber: int('32767 is the final catch-all rule'),
        egress: bool(),
        protocol: str("'-1' for all, or a protocol number: '6' tcp, '17' udp"),
        ruleAction: strEnum(['allow', 'deny']),
        cidrBlock: nullable(str()),
        ipv6CidrBlock: nullable(str()),
        portRange: nullable(obj({ from: int(), to: int() }), 'null for all ports'),
      }),
    ),
  }),
  operations: [{ op: 'ec2:DescribeNetworkAcls', lists: true }],
  runtimeOnly: ['networkAclId'],
};

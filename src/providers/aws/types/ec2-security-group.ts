import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

const permission = obj({
  ipProtocol: str("tcp, udp, icmp, icmpv6, a protocol number, or '-1' for all"),
  fromPort: nullable(int(), 'null for all ports'),
  toPort: nullable(int(), 'null for all ports'),
  ipv4Ranges: arr(obj({ cidr: str(), description: nullable(str()) })),
  ipv6Ranges: arr(obj({ cidr: str(), description: nullable(str()) })),
  prefixListIds: arr(str(), "managed prefix lists (pl-…); on infrastructure code, a list the code declares (whose pl- id is assigned at deploy) is named by its snapshot id"),
  referencedGroups: arr(obj({ groupId: str(), userId: nullable(str()) })),
});

/** `aws.ec2.security-group`. Id: `arn:aws:ec2:<region>:<account>:security-group/<id>`. */
export const awsEc2SecurityGroup: ResourceTypeDef = {
  type: 'aws.ec2.security-group',
  provider: 'aws',
  description: 'A VPC security group with its ingress and egress rules.',
  scope: 'regional',
  properties: obj({
    groupId: str(),
    groupName: str(),
    description: str(),
    vpcId: nullable(str()),
    ingress: arr(permission),
    egress: arr(permission),
    defaultGroup: bool(
      "whether this is its VPC's default group: false for a group infrastructure code creates (a template or plan never creates the default group); absent when the group's name (default) tells",
    ),
  }, undefined, ['defaultGroup']),
  operations: [{ op: 'ec2:DescribeSecurityGroups', lists: true }],
  runtimeOnly: ['groupId'],
};

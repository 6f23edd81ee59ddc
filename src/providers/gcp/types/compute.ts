import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

const rule = obj({ protocol: str('tcp, udp, icmp, all, or an IP protocol number'), ports: arr(str(), 'ports and ranges (22, 1000-2000); empty: every port') });

/** `gcp.compute.firewall`. Id: `//compute.googleapis.com/projects/<p>/global/firewalls/<name>`; region `global`. */
export const gcpComputeFirewall: ResourceTypeDef = {
  type: 'gcp.compute.firewall',
  provider: 'gcp',
  description: 'A VPC firewall rule.',
  scope: 'global',
  properties: obj({
    name: str(),
    network: str('network name'),
    direction: strEnum(['INGRESS', 'EGRESS']),
    priority: int(),
    disabled: bool(),
    sourceRanges: arr(str()),
    destinationRanges: arr(str()),
    sourceTags: arr(str()),
    targetTags: arr(str(), 'empty with no target service accounts: every instance of the network'),
    targetServiceAccounts: arr(str()),
    allowed: arr(rule),
    denied: arr(rule),
    logging: bool('firewall rules logging'),
  }),
  operations: [{ op: 'compute:ListFirewalls', lists: true }],
};

/** `gcp.compute.network`. Id: `//compute.googleapis.com/projects/<p>/global/networks/<name>`; region `global`. */
export const gcpComputeNetwork: ResourceTypeDef = {
  type: 'gcp.compute.network',
  provider: 'gcp',
  description: 'A VPC network (or a legacy network).',
  scope: 'global',
  properties: obj({
    name: str(),
    autoCreateSubnetworks: bool('auto mode: one subnet per region, created for you'),
    legacy: bool('a legacy network (one IPv4 range, no subnets)'),
    routingMode: nullable(strEnum(['REGIONAL', 'GLOBAL'])),
  }),
  operations: [{ op: 'compute:ListNetworks', lists: true }],
};

/** `gcp.compute.subnetwork`. Id: `//compute.googleapis.com/projects/<p>/regions/<r>/subnetworks/<name>`; region: its region. */
export const gcpComputeSubnetwork: ResourceTypeDef = {
  type: 'gcp.compute.subnetwork',
  provider: 'gcp',
  description: 'A VPC subnet with its flow-log setting.',
  scope: 'regional',
  properties: obj({
    name: str(),
    network: str('network name'),
    ipCidrRange: str(),
    purpose: str('PRIVATE for ordinary subnets; proxy-only and other purposes carry no VM traffic'),
    flowLogs: bool('VPC flow logs enabled'),
    flowLogsSampling: nullable(int(), 'per cent of flows sampled (flowSampling × 100); null when off'),
    flowLogsMetadata: nullable(str(), 'INCLUDE_ALL_METADATA, EXCLUDE_ALL_METADATA, CUSTOM_METADATA'),
    privateIpGoogleAccess: bool(),
  }),
  operations: [{ op: 'compute:AggregatedListSubnetworks', lists: true }],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `azure.network.nsg` — a network security group with its own security rules (the default rules,
 * which allow only virtual-network and load-balancer traffic in, are left out). Each rule's single
 * and plural fields (`sourceAddressPrefix` / `sourceAddressPrefixes`, `destinationPortRange` /
 * `destinationPortRanges`) are merged into one list.
 */
export const azureNsg: ResourceTypeDef = {
  type: 'azure.network.nsg',
  provider: 'azure',
  description: 'A network security group and its inbound and outbound security rules.',
  scope: 'regional',
  properties: obj({
    resourceGroup: str(),
    securityRules: arr(
      obj({
        name: str(),
        priority: int(),
        direction: str('Inbound or Outbound'),
        access: str('Allow or Deny'),
        protocol: str('Tcp, Udp, Icmp, Esp, Ah or * (any)'),
        sourceAddressPrefixes: arr(str(), 'CIDRs, addresses or service tags (*, Internet, Any, VirtualNetwork, …)'),
        sourceApplicationSecurityGroups: arr(str()),
        destinationPortRanges: arr(str(), "ports or ranges: '22', '1000-2000', '*'"),
      }),
    ),
  }),
  operations: [{ op: 'network:NetworkSecurityGroups_ListAll', lists: true }],
};

/** `azure.network.watcher` — the Network Watcher of one region of a subscription. */
export const azureNetworkWatcher: ResourceTypeDef = {
  type: 'azure.network.watcher',
  provider: 'azure',
  description: 'A Network Watcher (one per region and subscription): without it there are no flow logs or network diagnostics there.',
  scope: 'regional',
  properties: obj({
    resourceGroup: str(),
    provisioningState: str('Succeeded when usable'),
  }),
  operations: [{ op: 'network:NetworkWatchers_ListAll', lists: true }],
};

/** `azure.network.flow-log` — a flow log of a Network Watcher (for an NSG or a virtual network). */
export const azureFlowLog: ResourceTypeDef = {
  type: 'azure.network.flow-log',
  provider: 'azure',
  description: 'A Network Watcher flow log: what it records, where to and for how long.',
  scope: 'regional',
  properties: obj({
    resourceGroup: str(),
    enabled: bool(),
    targetResourceId: str('the NSG or virtual network logged (lower-case ARM id)'),
    storageId: nullable(str(), 'storage account receiving the flow logs (lower-case ARM id)'),
    retentionPolicy: obj({ enabled: bool(), days: int('0 with retention enabled keeps logs forever') }),
    trafficAnalytics: obj({ enabled: bool(), workspaceId: nullable(str(), 'Log Analytics workspace resource id (lower case), null when none') }),
  }),
  operations: [
    { op: 'network:NetworkWatchers_ListAll', lists: true },
    { op: 'network:FlowLogs_List', lists: true },
  ],
};

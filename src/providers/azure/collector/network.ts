import { ResourceDraft } from '../../../collect/resource-draft';
import { azureFlowLog, azureNetworkWatcher, azureNsg } from '../types/network';
import type { SubscriptionContext } from './context';
import { armId, armIdOrNull, region, resourceGroupOf, tagsOf } from './resource';


const list = (one: unknown, many: unknown): string[] => {
  const out = Array.isArray(many) ? many.map(String) : [];
  if (typeof one === 'string' && one !== '') out.unshift(one);
  return out;
};

/** Network security groups, Network Watchers (one per region) and their flow logs. */
export async function collectNetwork(ctx: SubscriptionContext): Promise<void> {
  const net = ctx.clients.network(ctx.subscription);
  const spec = (operation: string) => ({ service: 'network', operation, region: 'global' });
  await Promise.all([
    ctx.calls.list(spec('NetworkSecurityGroups_ListAll'), (abortSignal) => net.networkSecurityGroups.listAll({ abortSignal }).byPage()).then(async (r) => {
      if (!r.ok) return;
      for (const g of r.value as any[]) {
        const p = g.properties ?? g;
        const d = new ResourceDraft(azureNsg, {
          resourceGroup: resourceGroupOf(g.id),
          securityRules: (p.securityRules ?? []).map((x: any) => {
            const rp = x.properties ?? x;
            return {
              name: x.name ?? '',
              priority: rp.priority ?? 0,
              direction: rp.direction ?? '',
              access: rp.access ?? '',
              protocol: rp.protocol ?? '*',
              sourceAddressPrefixes: list(rp.sourceAddressPrefix, rp.sourceAddressPrefixes),
              sourceApplicationSecurityGroups: (rp.sourceApplicationSecurityGroups ?? []).map((a: any) => armId(a.id)),
              destinationPortRanges: list(rp.destinationPortRange, rp.destinationPortRanges),
            };
          }),
        });
        // A rule without its direction, access or priority cannot be placed: the rules are unknown.
        if ((p.securityRules ?? []).some((x: any) => !(x.properties ?? x).direction || !(x.properties ?? x).access || (x.properties ?? x).priority === undefined)) d.lose('securityRules');
        const id = armId(g.id);
        await ctx.emit(d.finish({ id, account: ctx.subscription, region: region(g.location), name: g.name ?? id, ...(tagsOf(g.tags) ? { tags: tagsOf(g.tags) } : {}) }));
      }
    }),
    ctx.calls.list(spec('NetworkWatchers_ListAll'), (abortSignal) => net.networkWatchers.listAll({ abortSignal }).byPage()).then(async (r) => {
      if (!r.ok) return;
      await Promise.all(
        (r.value as any[]).map(async (w) => {
          const where = region(w.location);
          const rg = resourceGroupOf(w.id);
          const wid = armId(w.id);
          await ctx.emit(
            new ResourceDraft(azureNetworkWatcher, { resourceGroup: rg, provisioningState: (w.properties ?? w).provisioningState ?? 'Unknown' }).finish({
              id: wid,
              account: ctx.subscription,
              region: where,
              name: w.name ?? wid,
            }),
          );
          // A watcher's flow logs: a failed listing leaves the flow logs of this region incomplete.
          const logs = await ctx.calls.list({ service: 'network', operation: 'FlowLogs_List', region: where }, (abortSignal) => net.flowLogs.list(rg, w.name, { abortSignal }).byPage());
          if (!logs.ok) return;
          for (const f of logs.value as any[]) {
            const fp = f.properties ?? f;
            const ta = fp.flowAnalyticsConfiguration?.networkWatcherFlowAnalyticsConfiguration;
            const fid = armId(f.id);
            await ctx.emit(
              new ResourceDraft(azureFlowLog, {
                resourceGroup: resourceGroupOf(f.id),
                enabled: fp.enabled === true,
                targetResourceId: armId(fp.targetResourceId),
                storageId: armIdOrNull(fp.storageId),
                retentionPolicy: { enabled: fp.retentionPolicy?.enabled === true, days: fp.retentionPolicy?.days ?? 0 },
                trafficAnalytics: { enabled: ta?.enabled === true, workspaceId: armIdOrNull(ta?.workspaceResourceId) },
              }).finish({ id: fid, account: ctx.subscription, region: region(f.location ?? w.location), name: f.name ?? fid }),
            );
          }
        }),
      );
    }),
  ]);
}

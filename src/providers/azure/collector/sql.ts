import { ResourceDraft } from '../../../collect/resource-draft';
import { azureSqlServer } from '../types/sql-server';
import type { SubscriptionContext } from './context';
import { armId, region, resourceGroupOf, tagsOf } from './resource';


/** Azure SQL logical servers: firewall rules, Entra administrators, auditing and the TDE protector. */
export async function collectSql(ctx: SubscriptionContext): Promise<void> {
  const sql = ctx.clients.sql(ctx.subscription);
  const servers = await ctx.calls.list({ service: 'sql', operation: 'Servers_List', region: 'global' }, (abortSignal) => sql.servers.list({ abortSignal }).byPage());
  if (!servers.ok) return;
  await Promise.all(
    (servers.value as any[]).map(async (s) => {
      const id = armId(s.id);
      const rg = resourceGroupOf(s.id);
      const where = region(s.location);
      const d = new ResourceDraft(azureSqlServer, {
        resourceGroup: rg,
        publicNetworkAccess: s.publicNetworkAccess ?? null,
        minimalTlsVersion: s.minimalTlsVersion ?? null,
        firewallRules: [],
        entraAdministrators: [],
        auditing: { state: 'Disabled', retentionDays: null, toLogAnalytics: false },
        encryptionProtector: { serverKeyType: 'ServiceManaged', uri: null },
      });
      const spec = (operation: string, expect?: 'document') => ({ service: 'sql', operation, region: where, resourceId: id, ...(expect ? { expect } : {}) });
      await Promise.all([
        ctx.calls.list(spec('FirewallRules_ListByServer'), (abortSignal) => sql.firewallRules.listByServer(rg, s.name, { abortSignal }).byPage()).then((r) => {
          if (!d.from(r)) return;
          d.properties.firewallRules = (r.value as any[]).map((f) => ({ name: f.name ?? '', startIpAddress: f.startIpAddress ?? '', endIpAddress: f.endIpAddress ?? '' }));
        }),
        ctx.calls.list(spec('ServerAzureADAdministrators_ListByServer'), (abortSignal) => sql.serverAzureADAdministrators.listByServer(rg, s.name, { abortSignal }).byPage()).then((r) => {
          if (!d.from(r)) return;
          d.properties.entraAdministrators = (r.value as any[]).map((a) => ({ login: a.login ?? '', principalType: a.principalType ?? null, azureADOnlyAuthentication: a.azureADOnlyAuthentication ?? null }));
        }),
        ctx.calls.one(spec('ServerBlobAuditingPolicies_Get'), (abortSignal) => sql.serverBlobAuditingPolicies.get(rg, s.name, { abortSignal })).then((r) => {
          if (!d.from(r) || !r.value) return;
          const a: any = r.value;
          if (a.state === undefined) return d.lose('auditing');
          d.properties.auditing = { state: a.state, retentionDays: a.retentionDays ?? null, toLogAnalytics: a.isAzureMonitorTargetEnabled === true };
        }),
        ctx.calls.one(spec('EncryptionProtectors_Get'), (abortSignal) => sql.encryptionProtectors.get(rg, s.name, 'current', { abortSignal })).then((r) => {
          if (!d.from(r) || !r.value) return;
          const e: any = r.value;
          if (e.serverKeyType === undefined) return d.lose('encryptionProtector');
          d.properties.encryptionProtector = { serverKeyType: e.serverKeyType, uri: e.uri ?? null };
        }),
      ]);
      await ctx.emit(d.finish({ id, account: ctx.subscription, region: where, name: s.name ?? id, ...(tagsOf(s.tags) ? { tags: tagsOf(s.tags) } : {}) }));
    }),
  );
}

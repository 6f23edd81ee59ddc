import { ResourceDraft } from '../../../collect/resource-draft';
import { azureKeyVault } from '../types/key-vault';
import type { SubscriptionContext } from './context';
import { diagnosticSettings, readDiagnostics } from './monitor';
import { armId, iso, region, resourceGroupOf, tagsOf } from './resource';
import { approvedEndpoints, networkRuleSet } from './storage';


/** A key's rotation policy rotates it when some lifetime action's type is Rotate. */
function rotates(policy: any): boolean {
  return (policy?.lifetimeActions ?? []).some((a: any) => String(a?.action?.type ?? a?.action ?? '').toLowerCase() === 'rotate');
}

/** Key vaults with their keys and secrets (names and attributes only) and diagnostic settings. */
export async function collectKeyVaults(ctx: SubscriptionContext): Promise<void> {
  const kv = ctx.clients.keyVault(ctx.subscription);
  const vaults = await ctx.calls.list({ service: 'keyvault', operation: 'Vaults_ListBySubscription', region: 'global' }, (abortSignal) => kv.vaults.listBySubscription({ abortSignal }).byPage());
  if (!vaults.ok) return;
  await Promise.all(
    vaults.value.map(async (v: any) => {
      const p = v.properties ?? {};
      const id = armId(v.id);
      const rg = resourceGroupOf(v.id);
      const where = region(v.location);
      const d = new ResourceDraft(azureKeyVault, {
        resourceGroup: rg,
        // Soft delete has been on for every vault since 2020 and cannot be turned off; absent means on.
        enableSoftDelete: p.enableSoftDelete !== false,
        softDeleteRetentionInDays: p.softDeleteRetentionInDays ?? null,
        enablePurgeProtection: p.enablePurgeProtection === true,
        enableRbacAuthorization: p.enableRbacAuthorization === true,
        publicNetworkAccess: p.publicNetworkAccess ?? null,
        networkAcls: networkRuleSet(p.networkAcls),
        privateEndpointConnections: approvedEndpoints(p.privateEndpointConnections),
        keys: [],
        secrets: [],
        diagnosticSettings: [],
      });
      const spec = (operation: string) => ({ service: 'keyvault', operation, region: where, resourceId: id });
      await Promise.all([
        ctx.calls.list(spec('Keys_List'), (abortSignal) => kv.keys.list(rg, v.name, { abortSignal }).byPage()).then((r) => {
          if (!d.from(r)) return;
          d.properties.keys = r.value.map((k: any) => {
            const kp = k.properties ?? k;
            return { name: k.name ?? '', enabled: kp.attributes?.enabled !== false, expires: iso(kp.attributes?.expires), rotationEnabled: rotates(kp.rotationPolicy) };
          });
        }),
        ctx.calls.list(spec('Secrets_List'), (abortSignal) => kv.secrets.list(rg, v.name, { abortSignal }).byPage()).then((r) => {
          if (!d.from(r)) return;
          d.properties.secrets = r.value.map((s: any) => {
            const sp = s.properties ?? s;
            return { name: s.name ?? '', enabled: sp.attributes?.enabled !== false, expires: iso(sp.attributes?.expires) };
          });
        }),
        readDiagnostics(ctx, v.id, where).then((r) => {
          if (!d.from(r)) return;
          const { settings, unreadable } = diagnosticSettings(r.value?.value ?? []);
          d.properties.diagnosticSettings = settings;
          for (const i of unreadable) d.lose(`diagnosticSettings.${i}.logs`);
        }),
      ]);
      await ctx.emit(d.finish({ id, account: ctx.subscription, region: where, name: v.name ?? id, ...(tagsOf(v.tags) ? { tags: tagsOf(v.tags) } : {}) }));
    }),
  );
}

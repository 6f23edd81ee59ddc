import { ResourceDraft } from '../../../collect/resource-draft';
import { azureStorageAccount } from '../types/storage-account';
import type { SubscriptionContext } from './context';
import { armId, iso, region, resourceGroupOf, tagsOf } from './resource';


const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const orNull = <T>(v: T | undefined | null): T | null => (v === undefined ? null : v);

/** Bypass as ARM writes it ("AzureServices, Logging") → a list. */
export function bypassList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

export function networkRuleSet(n: any) {
  if (!n) return null;
  return {
    defaultAction: n.defaultAction ?? 'Allow',
    bypass: bypassList(n.bypass),
    ipRules: (n.ipRules ?? []).map((r: any) => r.iPAddressOrRange ?? r.ipAddressOrRange ?? r.value ?? '').filter(Boolean),
    virtualNetworkRules: (n.virtualNetworkRules ?? []).map((r: any) => armId(r.virtualNetworkResourceId ?? r.id)).filter(Boolean),
  };
}

export function approvedEndpoints(list: any[] | undefined): number {
  return (list ?? []).filter((c) => {
    const p = c.properties ?? c;
    return (p.privateLinkServiceConnectionState?.status ?? 'Approved') === 'Approved';
  }).length;
}

/** Storage accounts, each with its blob service's data protection and its containers. */
export async function collectStorage(ctx: SubscriptionContext): Promise<void> {
  const st = ctx.clients.storage(ctx.subscription);
  const accounts = await ctx.calls.list({ service: 'storage', operation: 'StorageAccounts_List', region: 'global' }, (abortSignal) => st.storageAccounts.list({ abortSignal }).byPage());
  if (!accounts.ok) return;
  await Promise.all(
    accounts.value.map(async (acct: any) => {
      const p = acct.properties ?? acct;
      const id = armId(acct.id);
      const rg = resourceGroupOf(acct.id);
      const where = region(acct.location);
      const enc = p.encryption ?? {};
      const d = new ResourceDraft(azureStorageAccount, {
        resourceGroup: rg,
        kind: acct.kind ?? null,
        supportsHttpsTrafficOnly: bool(p.enableHttpsTrafficOnly ?? p.supportsHttpsTrafficOnly),
        minimumTlsVersion: orNull(p.minimumTlsVersion),
        allowBlobPublicAccess: bool(p.allowBlobPublicAccess),
        allowSharedKeyAccess: bool(p.allowSharedKeyAccess),
        allowCrossTenantReplication: bool(p.allowCrossTenantReplication),
        defaultToOAuthAuthentication: bool(p.defaultToOAuthAuthentication),
        publicNetworkAccess: orNull(p.publicNetworkAccess),
        networkRuleSet: networkRuleSet(p.networkRuleSet ?? p.networkAcls),
        privateEndpointConnections: approvedEndpoints(p.privateEndpointConnections),
        encryption: {
          keySource: enc.keySource ?? 'Microsoft.Storage',
          keyVaultKeyUri: enc.keyVaultProperties?.keyVaultUri ? `${enc.keyVaultProperties.keyVaultUri.replace(/\/$/, '')}/keys/${enc.keyVaultProperties.keyName ?? ''}` : null,
          requireInfrastructureEncryption: enc.requireInfrastructureEncryption === true,
        },
        keyCreationTime: { key1: iso(p.keyCreationTime?.key1), key2: iso(p.keyCreationTime?.key2) },
        keyExpirationPeriodInDays: p.keyPolicy?.keyExpirationPeriodInDays ?? null,
        blobService: null,
        containers: [],
      });
      const spec = (operation: string) => ({ service: 'storage', operation, region: where, resourceId: id, absent: ['FeatureNotSupportedForAccount', 'OperationNotAllowedOnKind'] });
      await Promise.all([
        ctx.calls.one(spec('BlobServices_GetServiceProperties'), (abortSignal) => st.blobServices.getServiceProperties(rg, acct.name, { abortSignal })).then((r) => {
          if (!d.from(r) || r.value === null) return;
          const b: any = (r.value as any).properties ?? r.value;
          const retention = (x: any) => ({ enabled: x?.enabled === true, days: x?.enabled ? (x.days ?? null) : null });
          d.properties.blobService = {
            deleteRetentionPolicy: retention(b.deleteRetentionPolicy),
            containerDeleteRetentionPolicy: retention(b.containerDeleteRetentionPolicy),
            isVersioningEnabled: b.isVersioningEnabled === true,
          };
        }),
        ctx.calls.list(spec('BlobContainers_List'), (abortSignal) => st.blobContainers.list(rg, acct.name, { abortSignal }).byPage()).then((r) => {
          if (!d.from(r)) return;
          d.properties.containers = r.value.map((c: any) => ({ name: c.name ?? '', publicAccess: (c.properties ?? c).publicAccess ?? 'None' }));
        }),
      ]);
      await ctx.emit(d.finish({ id, account: ctx.subscription, region: where, name: acct.name ?? id, ...(tagsOf(acct.tags) ? { tags: tagsOf(acct.tags) } : {}) }));
    }),
  );
}

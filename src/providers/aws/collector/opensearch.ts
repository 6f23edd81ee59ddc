import { DescribeDomainsCommand, type DomainStatus, ListDomainNamesCommand, type LogType } from '@aws-sdk/client-opensearch';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsOpenSearchDomain } from '../types/opensearch-domain';
import type { AccountContext } from './context';
import { decodePolicy } from './resource';

/** DescribeDomains takes at most five domain names per call. */
const BATCH = 5;

/** A log type is published when it is enabled and names its log group. */
function published(d: DomainStatus, type: LogType): boolean {
  const o = d.LogPublishingOptions?.[type];
  return o?.Enabled === true && !!o.CloudWatchLogsLogGroupArn;
}

function draft(ctx: AccountContext, region: string, s: DomainStatus): ResourceDraft {
  const name = s.DomainName ?? '';
  const d = new ResourceDraft(awsOpenSearchDomain, {
    name,
    arn: s.ARN ?? `arn:${ctx.partition}:es:${region}:${ctx.account}:domain/${name}`,
    engineVersion: s.EngineVersion ?? '',
    // A VPC domain has VPCOptions (and Endpoints); a public one has neither.
    vpcId: s.VPCOptions?.VPCId || null,
    encryptionAtRest: s.EncryptionAtRestOptions?.Enabled === true,
    kmsKeyId: s.EncryptionAtRestOptions?.KmsKeyId ?? null,
    nodeToNodeEncryption: s.NodeToNodeEncryptionOptions?.Enabled === true,
    enforceHttps: s.DomainEndpointOptions?.EnforceHTTPS === true,
    tlsSecurityPolicy: s.DomainEndpointOptions?.TLSSecurityPolicy ?? null,
    accessPolicy: null,
    fineGrainedAccessControl: s.AdvancedSecurityOptions?.Enabled === true,
    internalUserDatabase: s.AdvancedSecurityOptions?.InternalUserDatabaseEnabled === true,
    anonymousAuth: s.AdvancedSecurityOptions?.AnonymousAuthEnabled === true,
    logPublishing: {
      auditLogs: published(s, 'AUDIT_LOGS'),
      applicationLogs: published(s, 'ES_APPLICATION_LOGS'),
      indexSlowLogs: published(s, 'INDEX_SLOW_LOGS'),
      searchSlowLogs: published(s, 'SEARCH_SLOW_LOGS'),
    },
  });
  // The status always carries these option blocks; one left out is not read, not "off".
  if (!s.EncryptionAtRestOptions) d.lose('encryptionAtRest', 'kmsKeyId');
  if (!s.NodeToNodeEncryptionOptions) d.lose('nodeToNodeEncryption');
  if (!s.DomainEndpointOptions) d.lose('enforceHttps', 'tlsSecurityPolicy');
  if (!s.AdvancedSecurityOptions) d.lose('fineGrainedAccessControl', 'internalUserDatabase', 'anonymousAuth');
  const policy = decodePolicy(s.AccessPolicies);
  if (policy === undefined) d.lose('accessPolicy');
  else d.properties.accessPolicy = policy;
  return d;
}

/**
 * OpenSearch Service domains of one region (both engines): the names in one call, then their
 * whole status five at a time (encryption, endpoint, access policy, security and log options are
 * all in it). A batch that fails leaves the listing incomplete, so its domains read UNKNOWN.
 */
export async function collectOpenSearch(ctx: AccountContext, region: string): Promise<void> {
  const es = ctx.clients.opensearch(region);
  const spec = { service: 'es', operation: 'ListDomainNames', region };
  const names = await ctx.calls.one(spec, (abortSignal) => es.send(new ListDomainNamesCommand({}), { abortSignal }));
  if (!names.ok) return;
  const all = (names.value?.DomainNames ?? []).map((n) => n.DomainName ?? '').filter(Boolean);
  const batches = Array.from({ length: Math.ceil(all.length / BATCH) }, (_, i) => all.slice(i * BATCH, (i + 1) * BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      const r = await ctx.calls.one({ ...spec, operation: 'DescribeDomains' }, (abortSignal) => es.send(new DescribeDomainsCommand({ DomainNames: batch }), { abortSignal }));
      if (!r.ok) return;
      const statuses = r.value?.DomainStatusList ?? [];
      // A domain named but not described was deleted between the two calls (or the answer is short).
      const missing = batch.filter((n) => !statuses.some((s) => s.DomainName === n));
      if (missing.length) {
        ctx.calls.gap({ ...spec, operation: 'DescribeDomains' }, 'error', `DescribeDomains did not describe ${missing.join(', ')}: those domains were not read`);
      }
      for (const s of statuses) {
        const d = draft(ctx, region, s);
        await ctx.emit(d.finish({ id: String(d.properties.arn), account: ctx.account, region, name: String(d.properties.name) }));
      }
    }),
  );
}

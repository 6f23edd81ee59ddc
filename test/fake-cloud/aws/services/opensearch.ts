import { type Ctx, FakeError, type Handler } from '../server';
import type { ScenarioSearchDomain } from '../scenario-web-analytics';

/**
 * OpenSearch Service over REST-JSON (2021-01-01, signing name `es`): the region's domain names,
 * and the status of up to five domains per DescribeDomains call, as the service answers them.
 */

const domains = (ctx: Ctx): ScenarioSearchDomain[] => (ctx.account.webAnalytics?.searchDomains ?? []).filter((d) => d.region === ctx.region);
const LOG_TYPES = ['AUDIT_LOGS', 'ES_APPLICATION_LOGS', 'INDEX_SLOW_LOGS', 'SEARCH_SLOW_LOGS'] as const;

function status(ctx: Ctx, d: ScenarioSearchDomain): Record<string, unknown> {
  const arn = `arn:aws:es:${ctx.region}:${ctx.accountId}:domain/${d.name}`;
  const engine = d.engineVersion ?? 'OpenSearch_2.17';
  const logs = Object.fromEntries(
    LOG_TYPES.filter((t) => d.logs?.includes(t)).map((t) => [t, { CloudWatchLogsLogGroupArn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:/aws/opensearch/${d.name}/${t}`, Enabled: true }]),
  );
  return {
    DomainId: `${ctx.accountId}/${d.name}`,
    DomainName: d.name,
    ARN: arn,
    Created: true,
    Deleted: false,
    EngineVersion: engine,
    ...(d.vpcId
      ? { Endpoints: { vpc: `vpc-${d.name}-abc.${ctx.region}.es.amazonaws.com` }, VPCOptions: { VPCId: d.vpcId, SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'], AvailabilityZones: [`${ctx.region}a`] } }
      : { Endpoint: `search-${d.name}-abc.${ctx.region}.es.amazonaws.com` }),
    Processing: false,
    UpgradeProcessing: false,
    ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 2, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: false },
    EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 10 },
    ...(d.accessPolicy !== undefined ? { AccessPolicies: JSON.stringify(d.accessPolicy) } : { AccessPolicies: '' }),
    SnapshotOptions: {},
    CognitoOptions: { Enabled: false },
    EncryptionAtRestOptions: { Enabled: d.encryptionAtRest ?? false, ...(d.encryptionAtRest ? { KmsKeyId: d.kmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-es` } : {}) },
    NodeToNodeEncryptionOptions: { Enabled: d.nodeToNodeEncryption ?? false },
    AdvancedOptions: { 'rest.action.multi.allow_explicit_index': 'true' },
    LogPublishingOptions: logs,
    DomainEndpointOptions: { EnforceHTTPS: d.enforceHttps ?? false, TLSSecurityPolicy: d.tlsSecurityPolicy ?? 'Policy-Min-TLS-1-0-2019-07', CustomEndpointEnabled: false },
    AdvancedSecurityOptions: { Enabled: d.fineGrainedAccessControl ?? false, InternalUserDatabaseEnabled: d.internalUserDatabase ?? false, AnonymousAuthEnabled: d.anonymousAuth ?? false },
  };
}

export const opensearchHandlers: Record<string, Handler> = {
  ListDomainNames(ctx) {
    return { DomainNames: domains(ctx).map((d) => ({ DomainName: d.name, EngineType: (d.engineVersion ?? 'OpenSearch').startsWith('Elasticsearch') ? 'Elasticsearch' : 'OpenSearch' })) };
  },
  DescribeDomains(ctx) {
    const names: unknown = ctx.body ? (JSON.parse(ctx.body) as { DomainNames?: unknown }).DomainNames : undefined;
    if (!Array.isArray(names) || names.length === 0 || names.length > 5) throw new FakeError('ValidationException', 400, 'DomainNames must list 1 to 5 domains');
    // Unknown names are left out of the answer, as the service does.
    return { DomainStatusList: domains(ctx).filter((d) => names.includes(d.name)).map((d) => status(ctx, d)) };
  },
};

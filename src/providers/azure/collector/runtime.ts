import { readFileSync } from 'node:fs';
import type { CollectContext, CollectorRuntime, CollectSink, OptionOrigin } from '../../../core/provider-plugin';
import { UsageError } from '../../../core/errors';
import type { AzureCloudName } from '../collector-options';
import { collectAzure, type AzureCollectOptions } from './collector';

/** The options of `collect azure` once parsed (and merged with trustscan.yaml). */
export interface AzureCliOptions {
  tenant?: string;
  subscriptions?: 'all' | string[];
  managementGroup?: string;
  cloud?: AzureCloudName;
  concurrency?: number;
  subscriptionConcurrency?: number;
  endpoint?: string;
  caFile?: string;
}

/** Checks option combinations and turns them into collector options. */
export function prepareAzure(o: AzureCliOptions, ctx: CollectContext, origin: OptionOrigin): AzureCollectOptions {
  const subscriptionsFromConfig = origin.fromConfig.includes('subscriptions');
  const groupFromConfig = origin.fromConfig.includes('managementGroup');
  const listed = o.subscriptions !== undefined && o.subscriptions !== 'all';
  if (o.managementGroup && listed && !subscriptionsFromConfig && !groupFromConfig) throw new UsageError('--management-group and --subscriptions are exclusive: choose one');
  // The command line wins over the file: a group given there replaces the file's subscriptions, and the reverse.
  const managementGroup = o.managementGroup && !(groupFromConfig && listed && !subscriptionsFromConfig) ? o.managementGroup : undefined;
  const subscriptions = managementGroup ? undefined : o.subscriptions;
  let ca: string | undefined;
  if (o.caFile) {
    try {
      ca = readFileSync(o.caFile, 'utf8');
    } catch (e) {
      throw new UsageError(`--ca-file ${o.caFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-file ${o.caFile}: not a PEM certificate file (no BEGIN CERTIFICATE line)`);
  }
  return {
    tenant: o.tenant ?? (ctx.env.AZURE_TENANT_ID || undefined),
    subscriptions,
    managementGroup,
    cloud: o.cloud,
    concurrency: o.concurrency,
    subscriptionConcurrency: o.subscriptionConcurrency,
    endpoint: o.endpoint,
    ca,
    env: ctx.env,
    log: ctx.log,
    progress: ctx.progress,
  };
}

export const azureCollectorRuntime: CollectorRuntime = {
  prepare: (options, ctx, origin) => prepareAzure(options as AzureCliOptions, ctx, origin),
  collect: (request, sink: CollectSink, ctx) => collectAzure({ ...(request as AzureCollectOptions), shard: ctx.shard }, sink),
};

import type { CollectContext, CollectorRuntime, CollectSink, OptionOrigin } from '../../../core/provider-plugin';
import { UsageError } from '../../../core/errors';
import { collectAws, type AwsCollectOptions } from './collector';

/** The options of `collect aws` once parsed (and merged with trustscan.yaml). */
export interface AwsCliOptions {
  profile?: string;
  region?: string;
  regions?: 'all' | string[];
  accounts?: string[];
  org?: boolean;
  roleName?: string;
  externalId?: string;
  concurrency?: number;
  accountConcurrency?: number;
  endpointUrl?: string;
  /** Seconds. */
  connectTimeout?: number;
  callTimeout?: number;
}

/**
 * Checks option combinations and turns them into collector options. `accounts` and `regions` of
 * trustscan.yaml are the defaults: an option on the command line wins, and --org wins over the
 * file's accounts too.
 */
export function prepareAws(o: AwsCliOptions, ctx: CollectContext, origin: OptionOrigin): AwsCollectOptions {
  const accountsFromConfig = origin.fromConfig.includes('accounts');
  if (o.org && o.accounts && !accountsFromConfig) throw new UsageError('--org and --accounts are exclusive: choose one');
  if (o.externalId !== undefined && !o.roleName) throw new UsageError('--external-id needs --role-name');
  const accounts = o.org ? undefined : o.accounts;
  if ((o.org || (accounts && accounts.length > 0)) && !o.roleName) {
    const from = !o.org && accountsFromConfig ? ` (the accounts come from ${origin.configFile})` : '';
    throw new UsageError(`scanning other accounts needs --role-name: the role to assume in each of them (see docs/aws.md)${from}`);
  }
  // Versions are pinned (see package.json); the SDK's notice about future Node 22 releases is noise on stderr.
  ctx.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    profile: o.profile,
    homeRegion: o.region,
    regions: o.regions ?? 'all',
    accounts,
    org: o.org,
    roleName: o.roleName,
    externalId: o.externalId,
    concurrency: o.concurrency,
    accountConcurrency: o.accountConcurrency,
    endpointUrl: o.endpointUrl,
    timeouts: {
      ...(o.connectTimeout !== undefined ? { connectMs: Math.round(o.connectTimeout * 1000) } : {}),
      ...(o.callTimeout !== undefined ? { callMs: Math.round(o.callTimeout * 1000) } : {}),
    },
    env: ctx.env,
    log: ctx.log,
    progress: ctx.progress,
  };
}

export const awsCollectorRuntime: CollectorRuntime = {
  prepare: (options, ctx, origin) => prepareAws(options as AwsCliOptions, ctx, origin),
  collect: (request, sink: CollectSink, ctx) => collectAws({ ...(request as AwsCollectOptions), shard: ctx.shard }, sink),
};

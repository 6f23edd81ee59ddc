import type { CollectContext, CollectorRuntime, CollectSink, OptionOrigin } from '../../../core/provider-plugin';
import { UsageError } from '../../../core/errors';
import { ENDPOINT_ENV, parseEndpoint } from '../collector-options';
import { collectGcp, type GcpCollectOptions } from './collector';

/** The options of `collect gcp` once parsed (and merged with trustscan.yaml). */
export interface GcpCliOptions {
  organization?: string;
  folders?: string[];
  projects?: string[];
  impersonateServiceAccount?: string;
  concurrency?: number;
  projectConcurrency?: number;
  endpointUrl?: string;
}

/**
 * Checks option combinations. Credentials: GOOGLE_OAUTH_ACCESS_TOKEN when set (as the Terraform
 * provider reads it), else Application Default Credentials (a key file in
 * GOOGLE_APPLICATION_CREDENTIALS, workload identity federation, gcloud's, the metadata server).
 */
export function prepareGcp(o: GcpCliOptions, ctx: CollectContext, origin: OptionOrigin): GcpCollectOptions {
  if (!o.organization && !o.folders?.length && !o.projects?.length) {
    const hint = origin.configFile ? ` (nor in the gcp section of ${origin.configFile})` : '';
    throw new UsageError(`say what to scan: --organization ID, --folders IDS or --projects IDS${hint}`);
  }
  const fromEnv = ctx.env[ENDPOINT_ENV];
  let endpointUrl = o.endpointUrl;
  if (!endpointUrl && fromEnv) {
    try {
      endpointUrl = parseEndpoint(fromEnv);
    } catch (e) {
      throw new UsageError(`${ENDPOINT_ENV}: ${(e as Error).message}`);
    }
  }
  const token = ctx.env.GOOGLE_OAUTH_ACCESS_TOKEN;
  return {
    organization: o.organization,
    folders: o.folders,
    projects: o.projects,
    auth: { ...(token ? { accessToken: token } : {}), ...(o.impersonateServiceAccount ? { impersonate: o.impersonateServiceAccount } : {}) },
    concurrency: o.concurrency,
    projectConcurrency: o.projectConcurrency,
    endpointUrl,
    log: ctx.log,
    progress: ctx.progress,
  };
}

export const gcpCollectorRuntime: CollectorRuntime = {
  prepare: (options, ctx, origin) => prepareGcp(options as GcpCliOptions, ctx, origin),
  collect: (request, sink: CollectSink, ctx) => collectGcp({ ...(request as GcpCollectOptions), shard: ctx.shard }, sink),
};

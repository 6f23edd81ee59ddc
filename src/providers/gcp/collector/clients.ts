import { ConfigServiceV2Client } from '@google-cloud/logging-api';
import { FirewallsClient, NetworksClient, SubnetworksClient } from '@google-cloud/compute';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { FoldersClient, OrganizationsClient, ProjectsClient } from '@google-cloud/resource-manager';
import { ServiceUsageClient } from '@google-cloud/service-usage';
import { SqlInstancesServiceClient } from '@google-cloud/sql';
import { Storage } from '@google-cloud/storage';
import { iam, type iam_v1 } from '@googleapis/iam';
import * as authLib from 'google-auth-library';
import { UsageError } from '../../../core/errors';
import type { Logger } from 'pino';
import { gcpIdentity } from './identity';
import { authClientFrom, type AuthSettings, type Endpoint, gaxOptions, recordingAuthClient, storageAuthLib, withMetadataWarnings } from './transport';

const CREDENTIAL_HINT =
  'Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key or workload identity federation file, run "gcloud auth application-default login", run where the metadata server gives a service account, or set GOOGLE_OAUTH_ACCESS_TOKEN (docs/gcp.md)';

/** The first line of what the auth library said, without anything that could be a token. */
function credentialProblem(e: unknown): string {
  const text = ((e as Error)?.message ?? String(e)).split('\n')[0];
  return text.replace(/(ya29\.|Bearer\s+)[A-Za-z0-9._-]+/g, '$1[redacted]').replace(/\s*Browse to https:\S+ for more information\.?/, '').slice(0, 300);
}

/**
 * The Google Cloud clients of one scan, created on first use and shared by every project (the
 * clients are not bound to a project; each request names it). Every client gets the same
 * credentials and endpoint, and none retries on its own: retries are the call layer's.
 */
export class GcpClients {
  private readonly cache = new Map<string, { close?: () => unknown }>();

  private constructor(
    /** Who the clients act as (see identity.ts). */
    readonly identity: { principal: string; via?: string },
    private readonly endpoint: Endpoint,
    private readonly gaxAuth: object,
    private readonly plainAuth: InstanceType<typeof authLib.OAuth2Client>,
    private readonly storageAuth: unknown,
  ) {}

  static async create(settings: AuthSettings, endpointUrl: string | undefined, log?: Logger): Promise<GcpClients> {
    const endpoint: Endpoint = endpointUrl ? { url: new URL(endpointUrl) } : {};
    let auth: Awaited<ReturnType<typeof authClientFrom>>;
    let storageAuth: unknown;
    try {
      [auth, storageAuth] = await withMetadataWarnings(
        async () => {
          const a = await authClientFrom(authLib, settings);
          const s = await authClientFrom(storageAuthLib(), settings);
          // Fails here, once, for missing or rejected credentials (a revoked key, a federation
          // config whose token exchange is refused), rather than as a denial of every call.
          await (a as { getAccessToken(): Promise<unknown> }).getAccessToken();
          return [a, s] as const;
        },
        (message) => log?.debug({ warning: message }, 'Google Cloud metadata server probe failed (normal off Google Cloud)'),
      );
    } catch (e) {
      throw new UsageError(`no usable Google Cloud credentials (${credentialProblem(e)}). ${CREDENTIAL_HINT}`);
    }
    return new GcpClients(gcpIdentity(auth, settings), endpoint, recordingAuthClient(auth), auth as InstanceType<typeof authLib.OAuth2Client>, storageAuth);
  }

  private get<T extends object>(key: string, make: () => T): T {
    let c = this.cache.get(key) as T | undefined;
    if (!c) {
      c = make();
      this.cache.set(key, c as { close?: () => unknown });
    }
    return c;
  }

  // The clients' option types differ by google-gax copy; the options are the same for all.
  private gax(): any {
    return gaxOptions(this.endpoint, this.gaxAuth);
  }

  projects = (): ProjectsClient => this.get('projects', () => new ProjectsClient(this.gax()));
  folders = (): FoldersClient => this.get('folders', () => new FoldersClient(this.gax()));
  organizations = (): OrganizationsClient => this.get('organizations', () => new OrganizationsClient(this.gax()));
  serviceUsage = (): ServiceUsageClient => this.get('serviceusage', () => new ServiceUsageClient(this.gax()));
  kms = (): KeyManagementServiceClient => this.get('kms', () => new KeyManagementServiceClient(this.gax()));
  logging = (): ConfigServiceV2Client => this.get('logging', () => new ConfigServiceV2Client(this.gax()));
  firewalls = (): FirewallsClient => this.get('firewalls', () => new FirewallsClient(this.gax()));
  networks = (): NetworksClient => this.get('networks', () => new NetworksClient(this.gax()));
  subnetworks = (): SubnetworksClient => this.get('subnetworks', () => new SubnetworksClient(this.gax()));
  sql = (): SqlInstancesServiceClient => this.get('sql', () => new SqlInstancesServiceClient(this.gax()));

  /** Cloud Storage (its own transport and auth library); its retries are off. */
  storage = (): Storage =>
    this.get(
      'storage',
      () =>
        new Storage({
          authClient: this.storageAuth as never,
          retryOptions: { autoRetry: false, maxRetries: 0 },
          ...(this.endpoint.url ? { apiEndpoint: this.endpoint.url.origin } : {}),
        }),
    );

  /** IAM admin (service accounts and keys): googleapis' official client; its retries are off per request. */
  iam = (): iam_v1.Iam =>
    this.get('iam', () => iam({ version: 'v1', auth: this.plainAuth as never, ...(this.endpoint.url ? { rootUrl: `${this.endpoint.url.origin}/` } : {}) }));

  async close(): Promise<void> {
    await Promise.all([...this.cache.values()].map(async (c) => c.close?.()).map((p) => p.catch(() => undefined)));
    this.cache.clear();
  }
}

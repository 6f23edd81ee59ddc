import type { TokenCredential } from '@azure/core-auth';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ManagementGroupsAPI } from '@azure/arm-managementgroups';
import { MonitorClient } from '@azure/arm-monitor';
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { SecurityCenter } from '@azure/arm-security';
import { SqlManagementClient } from '@azure/arm-sql';
import { StorageManagementClient } from '@azure/arm-storage';
import { TOOL_NAME, TOOL_VERSION } from '../../../core/version';
import type { TracingHttpClient } from './http';

/** How the SDK retries: exponential backoff for 5xx and timeouts; 429/503 wait as long as `Retry-After` says. */
export interface RetrySettings {
  /** Retries after the first request. */
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

/**
 * ARM throttles per subscription and tenant with a refilling bucket, and says how long to wait in
 * `Retry-After`: 6 retries with backoff up to 30 s ride out a burst while the per-subscription
 * limiter keeps the pressure bounded.
 */
export const DEFAULT_RETRY: RetrySettings = { maxRetries: 6, retryDelayInMs: 800, maxRetryDelayInMs: 30_000 };

export interface ClientSettings {
  credential: TokenCredential;
  /** Azure Resource Manager endpoint (the cloud's, or a test endpoint). */
  endpoint: string;
  /** Token audience: the cloud's Resource Manager (some clients default to the public cloud's). */
  audience: string;
  httpClient: TracingHttpClient;
  retry: RetrySettings;
}

/**
 * The SDK clients of one subscription (and the tenant-wide ones), created on first use. Every
 * client shares one HTTP layer (tracing, timeouts, certificate authorities), the credential and
 * the retry settings. Older clients read the endpoint as `$host`, newer ones as `endpoint`: both
 * are given, and so are both spellings of the token scope.
 */
export class AzureClients {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly settings: ClientSettings) {}

  private options(): Record<string, unknown> {
    const { endpoint, httpClient, retry } = this.settings;
    return {
      endpoint,
      $host: endpoint,
      baseUri: endpoint,
      httpClient,
      // Older clients read `credentialScopes`, the newer (TypeSpec) ones `credentials.scopes`; left
      // out, some default to the public cloud's audience and others to the endpoint's.
      credentialScopes: [`${this.settings.audience}/.default`],
      credentials: { scopes: [`${this.settings.audience}/.default`] },
      retryOptions: retry,
      userAgentOptions: { userAgentPrefix: `${TOOL_NAME}/${TOOL_VERSION}` },
    };
  }

  private get<T>(key: string, make: (credential: TokenCredential, options: Record<string, unknown>) => T): T {
    let c = this.cache.get(key) as T | undefined;
    if (!c) {
      c = make(this.settings.credential, this.options());
      this.cache.set(key, c);
    }
    return c;
  }

  subscriptions(): SubscriptionClient {
    return this.get('subscriptions', (c, o) => new SubscriptionClient(c, o));
  }
  managementGroups(): ManagementGroupsAPI {
    return this.get('managementgroups', (c, o) => new ManagementGroupsAPI(c, o));
  }
  resourceGraph(): ResourceGraphClient {
    return this.get('resourcegraph', (c, o) => new ResourceGraphClient(c, o));
  }
  authorization(sub: string): AuthorizationManagementClient {
    return this.get(`authorization/${sub}`, (c, o) => new AuthorizationManagementClient(c, sub, o));
  }
  storage(sub: string): StorageManagementClient {
    return this.get(`storage/${sub}`, (c, o) => new StorageManagementClient(c, sub, o));
  }
  keyVault(sub: string): KeyVaultManagementClient {
    return this.get(`keyvault/${sub}`, (c, o) => new KeyVaultManagementClient(c, sub, o));
  }
  network(sub: string): NetworkManagementClient {
    return this.get(`network/${sub}`, (c, o) => new NetworkManagementClient(c, sub, o));
  }
  monitor(sub: string): MonitorClient {
    return this.get(`monitor/${sub}`, (c, o) => new MonitorClient(c, sub, o));
  }
  security(sub: string): SecurityCenter {
    return this.get(`security/${sub}`, (c, o) => new SecurityCenter(c, sub, o));
  }
  sql(sub: string): SqlManagementClient {
    return this.get(`sql/${sub}`, (c, o) => new SqlManagementClient(c, sub, o));
  }
}

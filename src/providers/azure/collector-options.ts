import type { CollectorOption } from '../../core/provider-plugin';
import type { JsonSchema } from '../../core/resource-types/schema-helpers';

/**
 * The options of `collect azure` / `scan azure`, declared as data: the CLI offers them without
 * loading the Azure SDK. Parsers throw with a message saying what is expected (a usage error).
 */

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_SUBSCRIPTION_CONCURRENCY = 12;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Azure clouds: the Resource Manager endpoint and the Microsoft Entra authority of each. */
export const AZURE_CLOUDS = {
  AzureCloud: { resourceManager: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
  AzureUSGovernment: { resourceManager: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us' },
  AzureChinaCloud: { resourceManager: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' },
} as const;
export type AzureCloudName = keyof typeof AZURE_CLOUDS;

export function parseSubscriptions(value: string): 'all' | string[] {
  if (value === 'all') return 'all';
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !GUID.test(s));
  if (list.length === 0 || bad.length) throw new Error(`expected 'all' or subscription ids (GUIDs) separated by commas${bad.length ? ` (not a subscription id: ${bad.join(', ')})` : ''}`);
  return [...new Set(list.map((s) => s.toLowerCase()))];
}

export function parseTenant(value: string): string {
  // A tenant is named by its id or one of its domains (contoso.onmicrosoft.com).
  if (GUID.test(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value)) return value;
  throw new Error('expected a tenant id (GUID) or a tenant domain such as contoso.onmicrosoft.com');
}

export function parseManagementGroup(value: string): string {
  if (/^[A-Za-z0-9._()-]{1,90}$/.test(value)) return value;
  throw new Error('expected a management group id (its name, not its display name): letters, digits, - _ . ( ), at most 90');
}

export function parseCloud(value: string): AzureCloudName {
  if (value in AZURE_CLOUDS) return value as AzureCloudName;
  throw new Error(`expected one of ${Object.keys(AZURE_CLOUDS).join(', ')}`);
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 512) throw new Error('expected a whole number from 1 to 512');
  return n;
}

export function parseHttpsUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('expected a URL such as https://management.azure.com');
  }
  // Azure's clients send bearer tokens only over https.
  if (u.protocol !== 'https:') throw new Error('expected an https:// URL (Azure clients send bearer tokens over https only)');
  return value.replace(/\/+$/, '');
}

export const AZURE_COLLECTOR_OPTIONS: readonly CollectorOption[] = [
  { flags: '--tenant <id>', description: 'Microsoft Entra tenant to sign in to and scan (default: AZURE_TENANT_ID, else the credential\'s home tenant)', parse: parseTenant, configKey: 'tenant' },
  {
    flags: '--subscriptions <all|ids>',
    description: "subscriptions to scan: all the credential can read, or a comma-separated list (default: trustscan.yaml's subscriptions, else all)",
    parse: parseSubscriptions,
    configKey: 'subscriptions',
  },
  { flags: '--management-group <id>', description: 'scan every subscription under this management group (at any depth)', parse: parseManagementGroup, configKey: 'managementGroup' },
  { flags: '--cloud <name>', description: 'AzureCloud (default), AzureUSGovernment or AzureChinaCloud', parse: parseCloud, configKey: 'cloud' },
  { flags: '--concurrency <n>', description: `API requests in flight over the whole scan (default ${DEFAULT_CONCURRENCY})`, parse: parseCount },
  { flags: '--subscription-concurrency <n>', description: `API requests in flight per subscription (default ${DEFAULT_SUBSCRIPTION_CONCURRENCY})`, parse: parseCount },
  { flags: '--endpoint <url>', description: 'Azure Resource Manager endpoint to call instead of the cloud\'s (an ARM-compatible test endpoint); https only', parse: parseHttpsUrl },
  { flags: '--ca-file <file>', description: 'PEM file of extra certificate authorities to trust (a TLS-inspecting proxy, a test endpoint)' },
];

const id = { type: 'string', minLength: 1 };

/** The `azure:` section of trustscan.yaml. */
export const AZURE_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenant: { ...id, description: 'tenant id or domain' },
    subscriptions: { type: 'array', items: id, description: 'subscription ids to scan, or ["all"]' },
    managementGroup: { ...id, description: 'scan every subscription under this management group' },
    cloud: { enum: Object.keys(AZURE_CLOUDS), description: 'Azure cloud' },
  },
};

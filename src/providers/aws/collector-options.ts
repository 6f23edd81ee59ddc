import type { CollectorOption } from '../../core/provider-plugin';
import type { JsonSchema } from '../../core/resource-types/schema-helpers';

/**
 * The options of `collect aws` / `scan aws`, declared as data: the CLI offers them without
 * loading the AWS SDK. Parsers throw with a message saying what is expected (a usage error).
 */

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_ACCOUNT_CONCURRENCY = 16;
/** Seconds to set up one TCP connection (the TLS handshake and the answer count against the call timeout). */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;
/**
 * Seconds for one call, every attempt and backoff wait included: room for the 8 attempts when AWS
 * throttles (about 30 s of waiting at most), while an endpoint that never answers costs a gap,
 * not a stalled scan.
 */
export const DEFAULT_CALL_TIMEOUT_S = 90;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function parseRegions(value: string): 'all' | string[] {
  if (value === 'all') return 'all';
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((r) => !REGION.test(r));
  if (list.length === 0 || bad.length) throw new Error(`expected 'all' or region names such as us-east-1,eu-west-1${bad.length ? ` (not a region: ${bad.join(', ')})` : ''}`);
  return [...new Set(list)];
}

export function parseAccounts(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((a) => !/^\d{12}$/.test(a));
  if (list.length === 0 || bad.length) throw new Error(`expected 12-digit account ids separated by commas${bad.length ? ` (not an account id: ${bad.join(', ')})` : ''}`);
  return list;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 512) throw new Error('expected a whole number from 1 to 512');
  return n;
}

/** Seconds, as a positive number up to an hour (decimals allowed: 0.5). */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600) throw new Error('expected a number of seconds greater than 0 and at most 3600, such as 30 or 2.5');
  return n;
}

export function parseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('expected a URL such as http://localhost:4566');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('expected an http:// or https:// URL');
  return value;
}

export const AWS_COLLECTOR_OPTIONS: readonly CollectorOption[] = [
  { flags: '--profile <name>', description: 'shared config/credentials profile (default: AWS_PROFILE or the default chain)' },
  { flags: '--region <region>', description: "region for global services and discovery (default: AWS_REGION, the profile's region, else us-east-1)" },
  { flags: '--regions <all|r1,r2>', description: "regions to scan: all enabled regions, or a list (default: trustscan.yaml's regions, else all)", parse: parseRegions, configKey: 'regions' },
  { flags: '--accounts <ids>', description: "comma-separated account ids to scan (default: trustscan.yaml's accounts, else the caller's account)", parse: parseAccounts, configKey: 'accounts' },
  { flags: '--org', description: 'scan every active account of the organization (from the management or a delegated administrator account)' },
  { flags: '--role-name <name>', description: "role to assume in each scanned account other than the caller's (may include a path: path/Name)" },
  { flags: '--external-id <id>', description: 'external id to pass when assuming --role-name' },
  { flags: '--concurrency <n>', description: `API requests in flight over the whole scan (default ${DEFAULT_CONCURRENCY})`, parse: parseCount },
  { flags: '--account-concurrency <n>', description: `API requests in flight per account (default ${DEFAULT_ACCOUNT_CONCURRENCY})`, parse: parseCount },
  {
    flags: '--connect-timeout <seconds>',
    description: `time to set up one connection; past it the call is a gap (default ${DEFAULT_CONNECT_TIMEOUT_S}; trustscan.yaml aws.connectTimeout)`,
    parse: parseSeconds,
    configKey: 'connectTimeout',
  },
  {
    flags: '--call-timeout <seconds>',
    description: `time for one API call, retries included; past it the call is a gap (default ${DEFAULT_CALL_TIMEOUT_S}; trustscan.yaml aws.callTimeout)`,
    parse: parseSeconds,
    configKey: 'callTimeout',
  },
  {
    flags: '--endpoint-url <url>',
    description: 'send every AWS call to this AWS-compatible endpoint (LocalStack, moto); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> also work',
    parse: parseUrl,
  },
];

const id = { type: 'string', minLength: 1 };

/** The `aws:` section of trustscan.yaml (the top-level `accounts` and `regions` are read too). */
export const AWS_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accounts: { type: 'array', items: id, description: 'accounts to scan; quote ids in YAML' },
    regions: { type: 'array', items: id, description: 'regions to scan, or ["all"]' },
    connectTimeout: { type: 'number', exclusiveMinimum: 0, maximum: 3600, description: `seconds to set up one connection (default ${DEFAULT_CONNECT_TIMEOUT_S})` },
    callTimeout: { type: 'number', exclusiveMinimum: 0, maximum: 3600, description: `seconds for one API call, retries included (default ${DEFAULT_CALL_TIMEOUT_S})` },
  },
};

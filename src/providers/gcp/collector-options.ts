import type { CollectorOption } from '../../core/provider-plugin';
import type { JsonSchema } from '../../core/resource-types/schema-helpers';

/**
 * The options of `collect gcp` / `scan gcp`, declared as data: the CLI offers them without
 * loading any Google Cloud client. Parsers throw with a message saying what is expected.
 */

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_PROJECT_CONCURRENCY = 8;
/** Environment variable that points every client at another endpoint (the loopback fake in tests). */
export const ENDPOINT_ENV = 'TRUSTSCAN_GCP_ENDPOINT_URL';

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Old projects may have domain-scoped ids: example.com:my-project. */
const DOMAIN_PROJECT_ID = /^[a-z0-9.-]+\.[a-z]{2,}:[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const NUMERIC_ID = /^\d{1,20}$/;

function list(value: string): string[] {
  return [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
}

export function parseProjects(value: string): string[] {
  const ids = list(value);
  const bad = ids.filter((p) => !PROJECT_ID.test(p) && !DOMAIN_PROJECT_ID.test(p));
  if (ids.length === 0 || bad.length) throw new Error(`expected project ids separated by commas, such as my-project-123${bad.length ? ` (not a project id: ${bad.join(', ')})` : ''}`);
  return ids;
}

/** Numeric ids, with or without the `folders/` / `organizations/` prefix. */
function parseNumeric(value: string, prefix: string, what: string): string[] {
  const ids = list(value).map((s) => (s.startsWith(`${prefix}/`) ? s.slice(prefix.length + 1) : s));
  const bad = ids.filter((s) => !NUMERIC_ID.test(s));
  if (ids.length === 0 || bad.length) throw new Error(`expected numeric ${what} ids (or ${prefix}/ID) separated by commas${bad.length ? ` (not a ${what} id: ${bad.join(', ')})` : ''}`);
  return ids;
}

export const parseFolders = (value: string): string[] => parseNumeric(value, 'folders', 'folder');

export function parseOrganization(value: string): string {
  const ids = parseNumeric(value, 'organizations', 'organization');
  if (ids.length !== 1) throw new Error('expected one organization id');
  return ids[0];
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 512) throw new Error('expected a whole number from 1 to 512');
  return n;
}

export function parseServiceAccount(value: string): string {
  if (!/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(value) && !/^[^@\s]+@[^@\s]+\.gserviceaccount\.com$/.test(value)) {
    throw new Error('expected a service account email such as scanner@my-project.iam.gserviceaccount.com');
  }
  return value;
}

export function parseEndpoint(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('expected a URL such as http://127.0.0.1:8085');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('expected an http:// or https:// URL');
  return value;
}

export const GCP_COLLECTOR_OPTIONS: readonly CollectorOption[] = [
  { flags: '--organization <id>', description: 'scan every folder and active project under this organization', parse: parseOrganization, configKey: 'organization' },
  { flags: '--folders <ids>', description: 'scan every active project under these folders (comma-separated ids)', parse: parseFolders, configKey: 'folders' },
  { flags: '--projects <ids>', description: 'scan these projects (comma-separated project ids)', parse: parseProjects, configKey: 'projects' },
  {
    flags: '--impersonate-service-account <email>',
    description: 'act as this service account (short-lived tokens from the IAM Credentials API), as gcloud does',
    parse: parseServiceAccount,
    configKey: 'impersonateServiceAccount',
  },
  { flags: '--concurrency <n>', description: `API requests in flight over the whole scan (default ${DEFAULT_CONCURRENCY})`, parse: parseCount },
  { flags: '--project-concurrency <n>', description: `API requests in flight per project (default ${DEFAULT_PROJECT_CONCURRENCY}, at most --concurrency)`, parse: parseCount },
  {
    flags: '--endpoint-url <url>',
    description: `send every Google Cloud call to this endpoint (an emulator or a test server); ${ENDPOINT_ENV} also works`,
    parse: parseEndpoint,
  },
];

const id = { type: 'string', minLength: 1 };

/** The `gcp:` section of trustscan.yaml. */
export const GCP_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    organization: { ...id, description: 'organization id to scan' },
    folders: { type: 'array', items: id, description: 'folder ids to scan; quote them in YAML' },
    projects: { type: 'array', items: id, description: 'project ids to scan' },
    impersonateServiceAccount: { ...id, description: 'service account to act as' },
  },
};

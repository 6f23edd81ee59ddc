import { AsyncLocalStorage } from 'node:async_hooks';
import { dirname } from 'node:path';
import type { RawAnswer } from './errors';

/**
 * How every Google Cloud client reaches the API, and what our call layer learns from it.
 *
 * The gax clients (Resource Manager, Service Usage, KMS, Logging, Compute, Cloud SQL) run in
 * HTTP/JSON "fallback" mode and send each request through the auth client's `fetch`. We hand them
 * an auth client whose `fetch` never throws on an HTTP status and records the raw answer (status
 * and JSON) for the call layer in async-local storage: the proto3 decoding that follows turns `[]`
 * or `{"error": …}` into an empty answer, and only the raw body tells them apart.
 */

export const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/** What the transport records for one attempt of one call. */
export interface AttemptStore {
  raw?: RawAnswer;
}

export const attempts = new AsyncLocalStorage<AttemptStore>();

export interface AuthSettings {
  /** A fixed OAuth access token (GOOGLE_OAUTH_ACCESS_TOKEN, tests); else Application Default Credentials. */
  accessToken?: string;
  /** Act as this service account (short-lived tokens from the IAM Credentials API). */
  impersonate?: string;
  /**
   * The fetch the auth library sends requests with (default: its own, node-fetch). Tests pass the
   * global fetch: their module sandbox cannot load node-fetch the way the library does.
   */
  fetch?: typeof fetch;
}

type AuthLib = typeof import('google-auth-library');
interface FetchingClient {
  fetch(url: string | URL, init?: Record<string, unknown>): Promise<{ status: number; data?: unknown; headers?: unknown }>;
}

/** An auth client from `lib` (google-auth-library 10 for gax and googleapis, 9 for Cloud Storage). */
export async function authClientFrom(lib: AuthLib, settings: AuthSettings): Promise<InstanceType<AuthLib['OAuth2Client']> | Awaited<ReturnType<InstanceType<AuthLib['GoogleAuth']>['getClient']>>> {
  const withFetch = <T>(c: T): T => {
    const transporter = (c as { transporter?: { defaults?: Record<string, unknown> } }).transporter;
    if (settings.fetch && transporter) transporter.defaults = { ...(transporter.defaults ?? {}), fetchImplementation: settings.fetch };
    return c;
  };
  if (settings.accessToken) {
    const c = new lib.OAuth2Client();
    c.setCredentials({ access_token: settings.accessToken });
    return withFetch(c);
  }
  const source = withFetch(await new lib.GoogleAuth({ scopes: SCOPES }).getClient());
  if (!settings.impersonate) return source;
  return withFetch(new lib.Impersonated({ sourceClient: source as never, targetPrincipal: settings.impersonate, targetScopes: SCOPES, lifetime: 3600 }));
}

/**
 * Runs `fn` with gcp-metadata's MetadataLookupWarning (a failed probe of the metadata server, the
 * normal case off Google Cloud) handed to `onWarning` instead of printed on stderr by Node
 * outside the structured logs. Every other warning passes through.
 */
export async function withMetadataWarnings<T>(fn: () => Promise<T>, onWarning: (message: string) => void): Promise<T> {
  const original = process.emitWarning;
  const patched = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const opt = rest[0];
    const type = warning instanceof Error ? warning.name : typeof opt === 'string' ? opt : (opt as { type?: string } | undefined)?.type;
    if (type === 'MetadataLookupWarning') {
      onWarning(warning instanceof Error ? warning.message : warning);
      return;
    }
    (original as (...a: unknown[]) => void).call(process, warning, ...rest);
  };
  process.emitWarning = patched as typeof process.emitWarning;
  try {
    return await fn();
  } finally {
    if (process.emitWarning === (patched as unknown)) process.emitWarning = original;
  }
}

/** Cloud Storage 7 bundles google-auth-library 9 and ignores an auth client of another major. */
export function storageAuthLib(): AuthLib {
  const storageDir = dirname(require.resolve('@google-cloud/storage'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('google-auth-library', { paths: [storageDir] })) as AuthLib;
}

function parse(buf: Buffer): Pick<RawAnswer, 'json' | 'text'> {
  const text = buf.toString('utf8');
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { text: text.slice(0, 120) };
  }
}

/**
 * Wraps an auth client for the gax clients: same credentials, but `fetch` answers every status
 * (gax then raises its own GoogleError with the gRPC code and details) and records the raw answer.
 */
export function recordingAuthClient<T extends object>(inner: T): T {
  const wrapped = Object.create(inner) as T & FetchingClient;
  const base = inner as unknown as FetchingClient;
  wrapped.fetch = async (url, init) => {
    const res = await base.fetch.call(inner, url, { ...(init ?? {}), responseType: 'arraybuffer', validateStatus: () => true });
    const buf = Buffer.from((res.data as ArrayBuffer | undefined) ?? new ArrayBuffer(0));
    const store = attempts.getStore();
    if (store) store.raw = { status: res.status, ...parse(buf) };
    return new Response(res.status === 204 || res.status === 304 ? null : buf, { status: res.status, headers: { 'content-type': 'application/json' } }) as never;
  };
  return wrapped;
}

/** Where the clients connect: the real endpoints, or one loopback/emulator URL for all. */
export interface Endpoint {
  url?: URL;
}

/** gax client options for `service` (its default host when no override). */
export function gaxOptions(endpoint: Endpoint, authClient: object): Record<string, unknown> {
  const base: Record<string, unknown> = { fallback: true, authClient };
  if (!endpoint.url) return base;
  const u = endpoint.url;
  return {
    ...base,
    protocol: u.protocol.replace(':', ''),
    apiEndpoint: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
  };
}

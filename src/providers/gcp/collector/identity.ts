import type { AuthSettings } from './transport';

/**
 * Who the Google Cloud collection runs as, read from the auth client without a call: a service
 * account key names its account, workload identity federation the account it impersonates, an
 * impersonation flag its target. gcloud user credentials and the metadata server do not name
 * their principal without another request, so the kind of credential is said instead. Never a
 * token or a key.
 */
export function gcpIdentity(client: unknown, settings: AuthSettings): { principal: string; via?: string } {
  if (settings.accessToken) return { principal: 'the holder of the access token in GOOGLE_OAUTH_ACCESS_TOKEN (a token does not name its principal)' };
  if (settings.impersonate) return { principal: settings.impersonate, via: `impersonated by ${describe(sourceOf(client))}` };
  return { principal: describe(client) };
}

function sourceOf(client: unknown): unknown {
  return (client as { sourceClient?: unknown }).sourceClient ?? client;
}

function describe(client: unknown): string {
  const c = client as { email?: unknown; getServiceAccountEmail?: () => string | null; audience?: unknown; constructor?: { name?: string } };
  if (typeof c.email === 'string' && c.email) return c.email;
  if (typeof c.getServiceAccountEmail === 'function') {
    const sa = c.getServiceAccountEmail();
    return sa ? `${sa} (through workload identity federation)` : `a workload identity federation principal${typeof c.audience === 'string' ? ` of ${c.audience}` : ''}`;
  }
  switch (c.constructor?.name) {
    case 'UserRefreshClient':
      return 'gcloud user credentials (they do not name the user)';
    case 'Compute':
      return "the metadata server's service account";
    default:
      return 'Application Default Credentials';
  }
}

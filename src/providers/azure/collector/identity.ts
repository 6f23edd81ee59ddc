import type { TokenCredential } from '@azure/core-auth';

/**
 * Who the Azure collection runs as, read from the claims of the Resource Manager access token the
 * credential already holds (Entra ID tokens are JWTs): a user's sign-in name, or an application's
 * id with its object id, and the tenant. The token itself is never kept or logged. A token that is
 * not a JWT (given in the environment, or a test's) names nobody: then the source is said.
 */
export async function azureIdentity(credential: TokenCredential, audience: string, fromEnv: boolean): Promise<{ principal: string; via?: string }> {
  let claims: Record<string, unknown> | undefined;
  try {
    const token = await credential.getToken(`${audience}/.default`);
    claims = token ? jwtClaims(token.token) : undefined;
  } catch {
    claims = undefined;
  }
  if (!claims) return { principal: fromEnv ? 'the holder of the access token in TRUSTSCAN_AZURE_ACCESS_TOKEN (not a token that names its principal)' : 'not determined (the access token names no principal)' };
  const str = (k: string): string | undefined => (typeof claims![k] === 'string' && claims![k] ? (claims![k] as string) : undefined);
  const user = str('upn') ?? str('unique_name') ?? str('preferred_username');
  const app = str('appid') ?? str('azp');
  const oid = str('oid');
  const principal = user ? `user ${user}` : app ? `application ${app}${oid ? ` (object ${oid})` : ''}` : oid ? `object ${oid}` : 'not determined (the access token names no principal)';
  const tid = str('tid');
  return { principal, ...(tid ? { via: `tenant ${tid}` } : {}) };
}

/** The payload of a JWT, or undefined when the text is not one. The signature is not checked: only names are read. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

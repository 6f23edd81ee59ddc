import { ResourceDraft } from '../../../collect/resource-draft';
import { gcpSqlInstance } from '../types/sql';
import { apiEnabled, noteApi, type ProjectContext } from './context';
import { boolValue } from './resource';

interface Instance {
  name?: string | null;
  databaseVersion?: string | null;
  state?: string | null;
  region?: string | null;
  settings?: {
    // The switches are google.protobuf.BoolValue: {value: true} from the clients (see boolValue).
    ipConfiguration?: { ipv4Enabled?: unknown; authorizedNetworks?: { name?: string | null; value?: string | null }[] | null; requireSsl?: unknown; sslMode?: string | null } | null;
    backupConfiguration?: { enabled?: unknown; pointInTimeRecoveryEnabled?: unknown; binaryLogEnabled?: unknown } | null;
  } | null;
}

const SSL_MODES = new Set(['ALLOW_UNENCRYPTED_AND_ENCRYPTED', 'ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED']);

/** Cloud SQL instances of the project. */
export async function collectSql(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'sqladmin', 'sqladmin', 'ListInstances')) return;
  const listed = await ctx.calls.pages(
    { service: 'sqladmin', operation: 'ListInstances', region: 'global', list: 'items' },
    (pageToken, o) => ctx.clients.sql().list({ project: ctx.projectId, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, o),
    (p) => (p as unknown as [{ nextPageToken?: string }])[0]?.nextPageToken || undefined,
  );
  noteApi(ctx, 'sqladmin', listed);
  if (!listed.ok) return;
  for (const page of listed.value) {
    for (const i of ((page as unknown as [{ items?: Instance[] }])[0]?.items ?? [])) {
      const name = i.name ?? '';
      const ip = i.settings?.ipConfiguration;
      const backup = i.settings?.backupConfiguration;
      const publicIp = boolValue(ip?.ipv4Enabled);
      const requireSsl = boolValue(ip?.requireSsl);
      const backupEnabled = boolValue(backup?.enabled);
      const pitr = [boolValue(backup?.pointInTimeRecoveryEnabled), boolValue(backup?.binaryLogEnabled)];
      const sslMode = ip?.sslMode && SSL_MODES.has(ip.sslMode) ? ip.sslMode : requireSsl ? 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' : 'ALLOW_UNENCRYPTED_AND_ENCRYPTED';
      const d = new ResourceDraft(gcpSqlInstance, {
        name,
        databaseVersion: i.databaseVersion ?? '',
        state: i.state ?? null,
        publicIp: publicIp ?? null,
        authorizedNetworks: (ip?.authorizedNetworks ?? []).map((n) => ({ name: n.name ?? null, value: n.value ?? '' })),
        sslMode,
        backupEnabled: backupEnabled ?? null,
        pointInTimeRecovery: pitr.includes(true),
      });
      // Settings are in every answer: without them nothing about exposure or backups is known.
      if (!i.settings) d.lose('publicIp', 'authorizedNetworks', 'sslMode', 'backupEnabled', 'pointInTimeRecovery');
      else if (!ip) d.lose('publicIp', 'authorizedNetworks', 'sslMode');
      // A switch of a shape we do not know is not "off".
      if (publicIp === undefined) d.lose('publicIp');
      if (requireSsl === undefined && !(ip?.sslMode && SSL_MODES.has(ip.sslMode))) d.lose('sslMode');
      if (backupEnabled === undefined) d.lose('backupEnabled');
      if (pitr.includes(undefined) && !pitr.includes(true)) d.lose('pointInTimeRecovery');
      const region = i.region ?? 'global';
      await ctx.emit(d.finish({ id: `//sqladmin.googleapis.com/projects/${ctx.projectId}/instances/${name}`, account: ctx.projectId, region, name }));
    }
  }
}

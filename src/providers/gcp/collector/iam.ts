import type { iam_v1 } from '@googleapis/iam';
import { ResourceDraft } from '../../../collect/resource-draft';
import { gcpServiceAccount } from '../types/iam';
import { apiEnabled, noteApi, type ProjectContext } from './context';
import { iso } from './resource';

function kindOf(email: string, ctx: ProjectContext): string {
  if (email === `${ctx.projectNumber}-compute@developer.gserviceaccount.com`) return 'default-compute';
  if (email === `${ctx.projectId}@appspot.gserviceaccount.com`) return 'default-app-engine';
  return 'user-managed';
}

/** Service accounts of a project, each with its keys (IAM admin API). */
export async function collectServiceAccounts(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'iam', 'iam', 'ListServiceAccounts')) return;
  const api = ctx.clients.iam();
  const listed = await ctx.calls.pages(
    { service: 'iam', operation: 'ListServiceAccounts', region: 'global', list: 'accounts', rawOf: (v) => (v as { data?: unknown }).data },
    (pageToken) => api.projects.serviceAccounts.list({ name: `projects/${ctx.projectId}`, pageSize: 100, ...(pageToken ? { pageToken } : {}) }, { retry: false }),
    (p) => p.data.nextPageToken ?? undefined,
  );
  noteApi(ctx, 'iam', listed);
  if (!listed.ok) return;
  const accounts = listed.value.flatMap((p) => p.data.accounts ?? []);
  await Promise.all(accounts.map((a) => collectAccount(ctx, a)));
}

async function collectAccount(ctx: ProjectContext, a: iam_v1.Schema$ServiceAccount): Promise<void> {
  const email = a.email ?? '';
  const id = `//iam.googleapis.com/projects/${ctx.projectId}/serviceAccounts/${email}`;
  const d = new ResourceDraft(gcpServiceAccount, {
    email,
    uniqueId: a.uniqueId ?? '',
    displayName: a.displayName ?? '',
    disabled: a.disabled === true,
    kind: kindOf(email, ctx),
    keys: [],
  });
  const keys = await ctx.calls.one(
    { service: 'iam', operation: 'ListServiceAccountKeys', region: 'global', resourceId: id, rawOf: (v) => (v as { data?: unknown }).data },
    () => ctx.clients.iam().projects.serviceAccounts.keys.list({ name: `projects/${ctx.projectId}/serviceAccounts/${email}` }, { retry: false }),
  );
  if (d.from(keys)) {
    const list = keys.value?.data.keys ?? [];
    if (list.some((k) => k.keyType !== 'USER_MANAGED' && k.keyType !== 'SYSTEM_MANAGED')) d.lose('keys');
    else {
      d.properties.keys = list.map((k) => ({
        keyId: (k.name ?? '').split('/').pop() ?? '',
        keyType: k.keyType,
        origin: k.keyOrigin === 'GOOGLE_PROVIDED' || k.keyOrigin === 'USER_PROVIDED' ? k.keyOrigin : null,
        validAfter: iso(k.validAfterTime),
        validBefore: iso(k.validBeforeTime),
        disabled: k.disabled === true,
      }));
    }
  }
  await ctx.emit(d.finish({ id, account: ctx.projectId, region: 'global', name: email }));
}

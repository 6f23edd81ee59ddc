import type { Resource } from '../../../core/types';
import type { ProjectCalls } from './calls';
import type { GcpClients } from './clients';
import { ResourceDraft } from '../../../collect/resource-draft';
import { apiEnabled, itemsOf, nextToken, noteApi, type ProjectContext } from './context';
import { destinationOf } from '../sink-destination';
import { gcpLoggingBucket, gcpLoggingSink } from '../types/logging';

interface Sink {
  name?: string | null;
  destination?: string | null;
  filter?: string | null;
  exclusions?: { name?: string | null; filter?: string | null; disabled?: boolean | null }[] | null;
  includeChildren?: boolean | null;
  disabled?: boolean | null;
}

/**
 * The sinks of a project, folder or organization (`parent`). `account` owns them; `members` are
 * the scanned projects an aggregated sink (includeChildren) also serves.
 */
export async function collectSinks(calls: ProjectCalls, clients: GcpClients, parent: string, account: string, members: readonly string[], emit: (r: Resource) => Promise<void>): Promise<{ ok: boolean; outcome?: string }> {
  const logging = clients.logging();
  const listed = await calls.pages(
    { service: 'logging', operation: 'ListSinks', region: 'global', list: 'sinks' },
    (pageToken, o) => logging.listSinks({ parent, pageSize: 200, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
    nextToken,
  );
  if (!listed.ok) return listed;
  for (const s of itemsOf<Sink>(listed.value)) {
    const name = s.name ?? '';
    const destination = s.destination ?? '';
    const includeChildren = s.includeChildren === true;
    const d = new ResourceDraft(gcpLoggingSink, {
      name,
      parent,
      destination,
      ...destinationOf(destination),
      filter: s.filter ?? '',
      exclusions: (s.exclusions ?? []).map((e) => ({ name: e.name ?? '', filter: e.filter ?? '', disabled: e.disabled === true })),
      includeChildren,
      disabled: s.disabled === true,
      memberAccounts: includeChildren && !parent.startsWith('projects/') ? [...members] : [],
    });
    if (!destination) d.lose('destination', 'destinationType', 'destinationName');
    await emit(d.finish({ id: `//logging.googleapis.com/${parent}/sinks/${name}`, account, region: 'global', name }));
  }
  return listed;
}

interface LogBucket {
  name?: string | null;
  retentionDays?: number | null;
  locked?: boolean | null;
  lifecycleState?: string | number | null;
  cmekSettings?: { kmsKeyName?: string | null } | null;
}

/** The project's sinks and log buckets. */
export async function collectLogging(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'logging', 'logging', 'ListSinks')) return;
  const sinks = await collectSinks(ctx.calls, ctx.clients, `projects/${ctx.projectId}`, ctx.projectId, [], ctx.emit);
  noteApi(ctx, 'logging', sinks);
  if (ctx.apis.get('logging') === 'not-enabled') return;
  const listed = await ctx.calls.pages(
    { service: 'logging', operation: 'ListBuckets', region: 'global', list: 'buckets' },
    (pageToken, o) => ctx.clients.logging().listBuckets({ parent: `projects/${ctx.projectId}/locations/-`, pageSize: 200, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
    nextToken,
  );
  if (!listed.ok) return;
  for (const b of itemsOf<LogBucket>(listed.value)) {
    const full = b.name ?? '';
    const m = /\/locations\/([^/]+)\/buckets\/([^/]+)$/.exec(full);
    const location = m?.[1] ?? 'global';
    const id = m?.[2] ?? full;
    const d = new ResourceDraft(gcpLoggingBucket, {
      name: id,
      location,
      retentionDays: Number(b.retentionDays ?? 0),
      locked: b.locked === true,
      lifecycleState: typeof b.lifecycleState === 'string' ? b.lifecycleState : null,
      cmekKeyName: b.cmekSettings?.kmsKeyName || null,
    });
    // Every bucket has a retention; an answer without one does not say what it keeps.
    if (b.retentionDays === null || b.retentionDays === undefined || b.retentionDays === 0) d.lose('retentionDays');
    await ctx.emit(d.finish({ id: `//logging.googleapis.com/${full}`, account: ctx.projectId, region: 'global', name: id }));
  }
}

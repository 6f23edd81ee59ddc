import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ResourceDraft } from '../../../collect/resource-draft';
import { ResourceWriter } from '../../../collect/resource-writer';
import type { Collection, CollectProgress, CollectSink, UnitSelector } from '../../../core/provider-plugin';
import type { AccountRef } from '../../../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../../../core/version';
import { Progress } from '../../../pipeline/progress';
import { DEFAULT_CONCURRENCY, DEFAULT_PROJECT_CONCURRENCY } from '../collector-options';
import { type ApiKey, GCP_APIS, gcpFolder, gcpOrganization, gcpProject } from '../types/hierarchy';
import { DEFAULT_RETRY, type Limit, ProjectCalls, type RetrySettings } from './calls';
import { GcpClients } from './clients';
import { collectCompute } from './compute';
import { ApiStates, itemsOf, nextToken, type ProjectContext } from './context';
import { CoverageRecorder } from './coverage';
import { type Container, type DiscoveredProject, Hierarchy } from './hierarchy';
import { collectServiceAccounts } from './iam';
import { collectKms } from './kms';
import { collectLogging, collectSinks } from './logging';
import { iso, policyCheck, policyOf } from './resource';
import { collectSql } from './sql';
import { collectBuckets } from './storage';
import type { AuthSettings } from './transport';
import { scanUnits, unitsInFlight } from '../../../core/units-in-flight';

export interface GcpCollectOptions {
  organization?: string;
  folders?: string[];
  projects?: string[];
  auth: AuthSettings;
  /** Requests in flight over the whole scan. */
  concurrency?: number;
  /** Requests in flight per project (or container). */
  projectConcurrency?: number;
  endpointUrl?: string;
  retry?: RetrySettings;
  log: Logger;
  /** Set for one shard of a sharded scan: picks this part's units from the whole list. */
  shard?: UnitSelector;
  progress?: CollectProgress;
}

/** Reads a Google Cloud organization, folders or projects into snapshot resources and coverage, read-only. */
export async function collectGcp(opts: GcpCollectOptions, sink: CollectSink): Promise<Collection> {
  const startedAt = new Date().toISOString();
  const log = opts.log;
  const progress: CollectProgress = opts.progress ?? new Progress({ write: () => true }, false);
  const retry = opts.retry ?? DEFAULT_RETRY;
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const perUnit = Math.max(1, Math.min(concurrency, opts.projectConcurrency ?? DEFAULT_PROJECT_CONCURRENCY));
  const overall = pLimit(concurrency);
  const coverage = new CoverageRecorder();
  const clients = await GcpClients.create(opts.auth, opts.endpointUrl, opts.log);
  const callsByUnit = new Map<string, ProjectCalls>();
  const callsFor = (account: string): ProjectCalls => {
    let c = callsByUnit.get(account);
    if (!c) {
      const own = pLimit(perUnit);
      const limit: Limit = (fn) => own(() => overall(fn));
      callsByUnit.set(account, (c = new ProjectCalls(account, limit, coverage, log, retry, (n) => progress.requests(n))));
    }
    return c;
  };
  const writer = new ResourceWriter(sink);
  const emit = writer.emit;

  try {
    progress.start();
    const hierarchy = new Hierarchy(clients, callsFor, log);
    const roots: string[] = [];
    if (opts.organization) roots.push(`organizations/${opts.organization}`);
    for (const f of opts.folders ?? []) roots.push(`folders/${f}`);
    await Promise.all(roots.map((r) => hierarchy.resolve(r)));
    await Promise.all(roots.map((r) => hierarchy.walkDown(r)));
    if (opts.projects?.length) await hierarchy.readProjects(opts.projects.filter((p) => !hierarchy.projects.has(p)));

    let projects = [...hierarchy.projects.values()].filter((p) => {
      if (p.state === 'ACTIVE') return true;
      log.warn({ project: p.projectId, state: p.state }, 'project is not ACTIVE: skipped');
      return false;
    });
    projects.sort((a, b) => a.projectId.localeCompare(b.projectId));
    // A shard keeps its projects (and unreadable ones); folders and the organization above them are
    // context every part reads.
    let unreadableProjects = [...hierarchy.unreadable].sort();
    if (opts.shard) {
      const mine = new Set(opts.shard.select('gcp', [...projects.map((p) => p.projectId), ...unreadableProjects]));
      projects = projects.filter((p) => mine.has(p.projectId));
      unreadableProjects = unreadableProjects.filter((p) => mine.has(p));
    }
    const containers = [...hierarchy.containers.values()].sort((a, b) => a.level.localeCompare(b.level));
    const ancestorsOf = new Map(projects.map((p) => [p.projectId, hierarchy.ancestors(p.parent)]));
    const accounts: AccountRef[] = [
      ...containers.map((c) => ({ provider: 'gcp', id: c.level, ...(c.displayName ? { name: c.displayName } : {}) })),
      ...projects.map((p) => ({ provider: 'gcp', id: p.projectId, ...(p.displayName ? { name: p.displayName } : {}) })),
      // Asked for but unreadable: still a scanned unit, so its findings are UNKNOWN rather than absent.
      ...unreadableProjects.map((id) => ({ provider: 'gcp', id })),
    ];
    const scope = [opts.organization ? `organization ${opts.organization}` : '', opts.folders?.length ? `folders ${opts.folders.join(',')}` : '', opts.projects?.length ? `projects ${opts.projects.join(',')}` : '']
      .filter(Boolean)
      .join(', ');
    const description = `trustscan collect gcp: ${projects.length} project(s) (${scope})`;
    const collectedBy = [{ provider: 'gcp', ...clients.identity }];
    await sink.start?.({ tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt, providers: ['gcp'], accounts, description, collectedBy });
    progress.addAccounts(projects.length + containers.length);

    const scanContainer = async (c: Container): Promise<void> => {
      const calls = callsFor(c.level);
      const members = projects.filter((p) => ancestorsOf.get(p.projectId)?.includes(c.level)).map((p) => p.projectId);
      const [policy] = await Promise.all([
        calls.one({ service: 'cloudresourcemanager', operation: c.level.startsWith('organizations/') ? 'GetOrganizationIamPolicy' : 'GetFolderIamPolicy', region: 'global', promise: ['etag'], check: policyCheck }, (o) =>
          (c.level.startsWith('organizations/') ? clients.organizations() : clients.folders()).getIamPolicy({ resource: c.level, options: { requestedPolicyVersion: 3 } } as never, o),
        ),
        collectSinks(calls, clients, c.level, c.level, members, emit),
      ]);
      const id = c.level.split('/')[1];
      const isOrg = c.level.startsWith('organizations/');
      const ancestors = isOrg ? [] : hierarchy.ancestors(c.parent ?? null);
      const d = new ResourceDraft(
        isOrg ? gcpOrganization : gcpFolder,
        isOrg
          ? { organizationId: id, displayName: c.displayName ?? '', state: c.state ?? 'STATE_UNSPECIFIED', createTime: iso(c.createTime), iamPolicy: null }
          : {
              folderId: id,
              displayName: c.displayName ?? '',
              parent: c.parent ?? '',
              ancestors: ancestors ?? [],
              organizationId: ancestors?.find((a) => a.startsWith('organizations/'))?.split('/')[1] ?? null,
              state: c.state ?? 'STATE_UNSPECIFIED',
              iamPolicy: null,
            },
      );
      if (c.unreadable) d.loseOperation(isOrg ? 'cloudresourcemanager:GetOrganization' : 'cloudresourcemanager:GetFolder');
      if (!isOrg && ancestors === undefined) d.lose('ancestors', 'organizationId');
      if (d.from(policy)) {
        const p = policyOf((policy.value as unknown[] | null)?.[0] as never, true);
        if (p === undefined) d.lose('iamPolicy');
        else d.properties.iamPolicy = p;
      }
      await emit(d.finish({ id: `//cloudresourcemanager.googleapis.com/${c.level}`, account: c.level, region: 'global', name: c.displayName ?? c.level }));
      progress.accountDone();
    };

    const scanProject = async (p: DiscoveredProject): Promise<void> => {
      const calls = callsFor(p.projectId);
      const ancestors = ancestorsOf.get(p.projectId);
      const d = new ResourceDraft(gcpProject, {
        projectId: p.projectId,
        projectNumber: p.projectNumber,
        displayName: p.displayName,
        state: p.state,
        parent: p.parent,
        ancestors: ancestors ?? [],
        organizationId: ancestors ? (ancestors.find((a) => a.startsWith('organizations/'))?.split('/')[1] ?? null) : null,
        iamPolicy: null,
        apis: {},
      });
      if (ancestors === undefined) d.lose('ancestors', 'organizationId');
      const ctx: ProjectContext = { projectId: p.projectId, projectNumber: p.projectNumber, calls, clients, apis: new ApiStates(), log, progress, emit };
      progress.addUnits(7);
      const unit = async (x: Promise<unknown>): Promise<void> => {
        await x;
        progress.unitDone();
      };
      const [policy, services] = await Promise.all([
        calls.one({ service: 'cloudresourcemanager', operation: 'GetProjectIamPolicy', region: 'global', promise: ['etag'], check: policyCheck }, (o) =>
          clients.projects().getIamPolicy({ resource: `projects/${p.projectId}`, options: { requestedPolicyVersion: 3 } } as never, o),
        ),
        calls.pages(
          { service: 'serviceusage', operation: 'ListServices', region: 'global', list: 'services' },
          (pageToken, o) =>
            clients.serviceUsage().listServices({ parent: `projects/${p.projectNumber || p.projectId}`, filter: 'state:ENABLED', pageSize: 200, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
          nextToken,
        ),
      ]);
      progress.unitDone();
      if (d.from(policy)) {
        const pol = policyOf((policy.value as unknown[] | null)?.[0] as never, true);
        if (pol === undefined) d.lose('iamPolicy');
        else d.properties.iamPolicy = pol;
      }
      if (services.ok) {
        const enabled = new Set(itemsOf<{ name?: string; config?: { name?: string } }>(services.value).map((s) => s.config?.name || (s.name ?? '').split('/services/')[1]));
        for (const [key, service] of Object.entries(GCP_APIS)) ctx.apis.set(key as ApiKey, enabled.has(service) ? 'enabled' : 'not-enabled');
      }
      await Promise.all([
        unit(collectServiceAccounts(ctx)),
        unit(collectBuckets(ctx)),
        unit(collectKms(ctx)),
        unit(collectLogging(ctx)),
        unit(collectCompute(ctx)),
        unit(collectSql(ctx)),
      ]);
      const apis: Record<string, string> = {};
      for (const key of Object.keys(GCP_APIS) as ApiKey[]) {
        const state = ctx.apis.get(key);
        if (state) apis[key] = state;
      }
      d.properties.apis = apis;
      for (const key of Object.keys(GCP_APIS)) if (!(key in apis)) d.lose(`apis.${key}`);
      await emit(d.finish({ id: `//cloudresourcemanager.googleapis.com/projects/${p.projectId}`, account: p.projectId, region: 'global', name: p.displayName || p.projectId, ...(Object.keys(p.labels).length ? { tags: p.labels } : {}) }));
      progress.accountDone();
    };

    // Containers first, then projects, one queue: a folder's policy is a handful of calls.
    await scanUnits([...containers.map((c) => () => scanContainer(c)), ...projects.map((p) => () => scanProject(p))], unitsInFlight(concurrency, perUnit), (scan) => scan());
    await writer.written();
    const unreadable = unreadableProjects;
    return {
      metadata: { tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt, finishedAt: new Date().toISOString(), providers: ['gcp'], accounts, description, collectedBy },
      coverage: coverage.entries(),
      stats: { resources: writer.count, calls: coverage.totalCalls(), callsByOperation: coverage.callsByOperation(), accounts: projects.length + unreadable.length, unreadableAccounts: unreadable },
    };
  } finally {
    progress.stop();
    await clients.close();
  }
}

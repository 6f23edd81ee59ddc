import type { Logger } from 'pino';
import type { ProjectCalls } from './calls';
import type { GcpClients } from './clients';
import { itemsOf, nextToken } from './context';

/** An organization or folder as discovered: its parent is undefined when it could not be read. */
export interface Container {
  level: string;
  displayName: string | null;
  state: string | null;
  createTime: unknown;
  parent: string | null | undefined;
  /** GetOrganization / GetFolder failed: what it would have said is unknown. */
  unreadable: boolean;
}

export interface DiscoveredProject {
  projectId: string;
  projectNumber: string;
  displayName: string;
  state: string;
  parent: string | null;
  labels: Record<string, string>;
}

interface RawProject {
  name?: string | null;
  projectId?: string | null;
  displayName?: string | null;
  state?: string | number | null;
  parent?: string | null;
  labels?: Record<string, string> | null;
}

const STATES = ['STATE_UNSPECIFIED', 'ACTIVE', 'DELETE_REQUESTED'];
const stateOf = (s: unknown): string => (typeof s === 'number' ? (STATES[s] ?? 'STATE_UNSPECIFIED') : typeof s === 'string' ? s : 'STATE_UNSPECIFIED');

export function toProject(p: RawProject): DiscoveredProject | undefined {
  if (!p.projectId) return undefined;
  return {
    projectId: p.projectId,
    projectNumber: (p.name ?? '').replace(/^projects\//, ''),
    displayName: p.displayName ?? '',
    state: stateOf(p.state),
    parent: p.parent || null,
    labels: { ...(p.labels ?? {}) },
  };
}

/**
 * The resource hierarchy of a scan: the containers (organization, folders) read or walked up to,
 * and the projects found. Each container's calls are made in its own name (`organizations/<id>`,
 * `folders/<id>`), so a denial there is a gap of that container.
 */
export class Hierarchy {
  readonly containers = new Map<string, Container>();
  readonly projects = new Map<string, DiscoveredProject>();
  /** Projects asked for by id that could not be read: nothing in them is known (every type is a gap). */
  readonly unreadable = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly clients: GcpClients,
    private readonly callsFor: (account: string) => ProjectCalls,
    private readonly log: Logger,
  ) {}

  /** Reads a container (and, recursively, every container above it) once. */
  resolve(level: string): Promise<void> {
    let p = this.pending.get(level);
    if (!p) this.pending.set(level, (p = this.read(level)));
    return p;
  }

  private async read(level: string): Promise<void> {
    const calls = this.callsFor(level);
    if (level.startsWith('organizations/')) {
      const r = await calls.one({ service: 'cloudresourcemanager', operation: 'GetOrganization', region: 'global', promise: ['name'] }, (o) =>
        this.clients.organizations().getOrganization({ name: level }, o),
      );
      const org = r.ok ? (r.value?.[0] as { displayName?: string; state?: unknown; createTime?: unknown } | undefined) : undefined;
      this.containers.set(level, { level, displayName: org?.displayName ?? null, state: org ? stateOf(org.state) : null, createTime: org?.createTime, parent: null, unreadable: !r.ok });
      return;
    }
    const r = await calls.one({ service: 'cloudresourcemanager', operation: 'GetFolder', region: 'global', promise: ['name', 'parent'] }, (o) =>
      this.clients.folders().getFolder({ name: level }, o),
    );
    const f = r.ok ? (r.value?.[0] as { displayName?: string; state?: unknown; parent?: string } | undefined) : undefined;
    this.containers.set(level, { level, displayName: f?.displayName ?? null, state: f ? stateOf(f.state) : null, createTime: null, parent: f ? f.parent || null : undefined, unreadable: !r.ok });
    if (f?.parent) await this.resolve(f.parent);
  }

  /** The containers above `parent` (itself first), nearest first; undefined when a link is unknown. */
  ancestors(parent: string | null): string[] | undefined {
    const out: string[] = [];
    let at = parent;
    while (at) {
      if (out.includes(at)) return undefined; // a cycle: the answers cannot be trusted
      out.push(at);
      const c = this.containers.get(at);
      if (!c || c.parent === undefined) return undefined;
      at = c.parent;
    }
    return out;
  }

  /** Every folder and project below `root` (breadth first); records what each listing found. */
  async walkDown(root: string): Promise<void> {
    const queue = [root];
    const seen = new Set<string>();
    while (queue.length) {
      const batch = queue.splice(0).filter((l) => !seen.has(l));
      for (const l of batch) seen.add(l);
      await Promise.all(
        batch.map(async (parent) => {
          const calls = this.callsFor(parent);
          const [folders, projects] = await Promise.all([
            calls.pages(
              { service: 'cloudresourcemanager', operation: 'ListFolders', region: 'global', list: 'folders' },
              (pageToken, o) => this.clients.folders().listFolders({ parent, pageSize: 1000, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
              nextToken,
            ),
            calls.pages(
              { service: 'cloudresourcemanager', operation: 'ListProjects', region: 'global', list: 'projects' },
              (pageToken, o) => this.clients.projects().listProjects({ parent, pageSize: 1000, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
              nextToken,
            ),
          ]);
          if (folders.ok) {
            for (const f of itemsOf<{ name?: string; displayName?: string; state?: unknown; parent?: string }>(folders.value)) {
              if (!f.name) continue;
              this.containers.set(f.name, { level: f.name, displayName: f.displayName ?? '', state: stateOf(f.state), createTime: null, parent: f.parent || parent, unreadable: false });
              this.pending.set(f.name, Promise.resolve());
              queue.push(f.name);
            }
          } else this.log.error({ parent }, 'the folders below this container could not be listed: projects in them are not scanned');
          if (projects.ok) {
            for (const raw of itemsOf<RawProject>(projects.value)) {
              const p = toProject(raw);
              if (p) this.projects.set(p.projectId, p);
            }
          } else this.log.error({ parent }, 'the projects of this container could not be listed: they are not scanned');
        }),
      );
    }
  }

  /** Reads named projects (--projects), then the containers above them. */
  async readProjects(ids: readonly string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        // affects every type: a project we cannot even get is a project of which nothing was read.
        const r = await this.callsFor(id).one({ service: 'cloudresourcemanager', operation: 'GetProject', region: 'global', promise: ['projectId'], affects: ['*'] }, (o) =>
          this.clients.projects().getProject({ name: `projects/${id}` }, o),
        );
        const p = r.ok ? toProject((r.value?.[0] ?? {}) as RawProject) : undefined;
        if (p) {
          this.projects.set(p.projectId, p);
          if (p.parent) await this.resolve(p.parent);
        } else {
          this.unreadable.add(id);
          this.log.error({ project: id }, 'the project could not be read: nothing in it was scanned');
        }
      }),
    );
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALL_APIS, type GcpScenario, type Json, type ScenarioContainer, type ScenarioProject } from './scenario';

/**
 * A loopback fake Google Cloud speaking the REST/JSON the official clients send on their HTTP
 * path (gax "fallback" clients, Cloud Storage's JSON API, googleapis' IAM admin client). It
 * serves a scenario, pages every listing, and has the knobs of the fake AWS: page sizes, latency,
 * faults per method (denials, quota errors, 5xx, a disabled API, malformed answers, no answer),
 * and a log of every method called, which the read-only proof test reads.
 */


export interface GcpFault {
  /** `service:Operation` as in coverage (`cloudkms:ListKeyRings`), or `service:*`. */
  method: string;
  /** The project id, `organizations/<id>` or `folders/<id>` the call is for. */
  unit?: string;
  /** Key, bucket, ring… name the call is about (substring match). */
  resource?: string;
  kind: 'denied' | 'throttled' | 'server' | 'disabled' | 'malformed' | 'html' | 'hang';
  /** Only the first N matching calls fail (default: all). */
  times?: number;
  /** The first N matching calls succeed; the fault applies after them (a failure on page N+1). */
  after?: number;
  /** For `malformed`: the 200 body to send. */
  body?: string;
}

export interface FakeGcpOptions {
  scenario: GcpScenario;
  /** Largest page any listing returns (the smaller of this and the client's page size). */
  pageSize?: number;
  pageSizes?: Record<string, number>;
  /** Delay before every answer: ms, or a [min, max] range. */
  latencyMs?: number | [number, number];
  faults?: GcpFault[];
}

export interface GcpCallRecord {
  method: string;
  unit: string | null;
  resource?: string;
  httpMethod: string;
  status: number;
}

interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Json;
  headers: IncomingMessage['headers'];
}

interface Route {
  http: 'GET' | 'POST' | 'ANY';
  re: RegExp;
  method: string;
  /** The API that must be enabled in the project (none for Resource Manager). */
  api?: string;
  handle: (fake: FakeGcp, m: RegExpExecArray, r: Req) => { unit: string | null; resource?: string; answer: () => Json };
}

class Fail extends Error {
  constructor(readonly status: number, readonly statusText: string, message: string, readonly reason?: string, readonly extra: Json = {}) {
    super(message);
  }
}

const notFound = (what: string): Fail => new Fail(404, 'NOT_FOUND', `${what} not found`);

function page<T>(fake: FakeGcp, method: string, items: T[], r: Req, field: string, sizeParam = 'pageSize', extra: Json = {}): Json {
  const wanted = Number(r.query.get(sizeParam) ?? r.query.get('maxResults') ?? 0) || Infinity;
  const limit = Math.min(wanted, fake.pageSizeFor(method));
  const start = Number(r.query.get('pageToken') ?? 0) || 0;
  const slice = items.slice(start, start + limit);
  const out: Json = { ...extra };
  if (slice.length) out[field] = slice;
  if (start + limit < items.length) out.nextPageToken = String(start + limit);
  return out;
}

function policy(p: Json | undefined): Json {
  return { version: p?.version ?? 1, bindings: p?.bindings ?? [], ...(p?.auditConfigs ? { auditConfigs: p.auditConfigs } : {}), etag: p?.etag ?? 'BwXfake=' };
}

/** A scenario object without the parts the API serves elsewhere (its IAM policy, its children). */
const stripIam = (o: Json): Json => {
  const rest: Json = { ...o };
  for (const k of ['iamPolicy', 'keys', 'cryptoKeys']) delete rest[k];
  return rest;
};

const P = '([^/:?]+)';

const ROUTES: Route[] = [
  // Resource Manager v3
  {
    http: 'GET',
    re: new RegExp(`^/v3/organizations/${P}$`),
    method: 'cloudresourcemanager:GetOrganization',
    handle: (f, m) => ({ unit: `organizations/${m[1]}`, answer: () => f.orgJson(m[1]) }),
  },
  {
    http: 'POST',
    re: new RegExp(`^/v3/organizations/${P}:getIamPolicy$`),
    method: 'cloudresourcemanager:GetOrganizationIamPolicy',
    handle: (f, m) => ({ unit: `organizations/${m[1]}`, answer: () => policy(f.container(`organizations/${m[1]}`).iamPolicy) }),
  },
  {
    http: 'GET',
    re: /^\/v3\/folders$/,
    method: 'cloudresourcemanager:ListFolders',
    handle: (f, _m, r) => {
      const parent = r.query.get('parent') ?? '';
      return { unit: parent, answer: () => page(f, 'cloudresourcemanager:ListFolders', (f.scenario.folders ?? []).filter((x) => x.parent === parent).map((x) => f.folderJson(x)), r, 'folders') };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/v3/folders/${P}$`),
    method: 'cloudresourcemanager:GetFolder',
    handle: (f, m) => ({ unit: `folders/${m[1]}`, answer: () => f.folderJson(f.container(`folders/${m[1]}`)) }),
  },
  {
    http: 'POST',
    re: new RegExp(`^/v3/folders/${P}:getIamPolicy$`),
    method: 'cloudresourcemanager:GetFolderIamPolicy',
    handle: (f, m) => ({ unit: `folders/${m[1]}`, answer: () => policy(f.container(`folders/${m[1]}`).iamPolicy) }),
  },
  {
    http: 'GET',
    re: /^\/v3\/projects$/,
    method: 'cloudresourcemanager:ListProjects',
    handle: (f, _m, r) => {
      const parent = r.query.get('parent') ?? '';
      return { unit: parent, answer: () => page(f, 'cloudresourcemanager:ListProjects', f.scenario.projects.filter((p) => p.parent === parent).map((p) => f.projectJson(p)), r, 'projects') };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/v3/projects/${P}$`),
    method: 'cloudresourcemanager:GetProject',
    handle: (f, m) => ({ unit: f.project(m[1]).projectId, answer: () => f.projectJson(f.project(m[1])) }),
  },
  {
    http: 'POST',
    re: new RegExp(`^/v3/projects/${P}:getIamPolicy$`),
    method: 'cloudresourcemanager:GetProjectIamPolicy',
    handle: (f, m) => ({ unit: f.project(m[1]).projectId, answer: () => policy(f.project(m[1]).iamPolicy) }),
  },
  // Service Usage
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/services$`),
    method: 'serviceusage:ListServices',
    api: 'serviceusage.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      const enabled = f.enabledApis(p).map((s) => ({ name: `projects/${p.number}/services/${s}`, parent: `projects/${p.number}`, config: { name: s }, state: 'ENABLED' }));
      return { unit: p.projectId, answer: () => page(f, 'serviceusage:ListServices', enabled, r, 'services') };
    },
  },
  // IAM admin (googleapis)
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/serviceAccounts$`),
    method: 'iam:ListServiceAccounts',
    api: 'iam.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      return { unit: p.projectId, answer: () => page(f, 'iam:ListServiceAccounts', (p.serviceAccounts ?? []).map((a) => ({ name: `projects/${p.projectId}/serviceAccounts/${a.email}`, projectId: p.projectId, ...stripIam(a) })), r, 'accounts') };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/serviceAccounts/${P}/keys$`),
    method: 'iam:ListServiceAccountKeys',
    api: 'iam.googleapis.com',
    handle: (f, m) => {
      const p = f.project(m[1]);
      const email = decodeURIComponent(m[2]);
      const a = (p.serviceAccounts ?? []).find((x) => x.email === email);
      if (!a) throw notFound(`service account ${email}`);
      return { unit: p.projectId, resource: email, answer: () => ((a.keys ?? []).length ? { keys: a.keys } : {}) };
    },
  },
  // Cloud KMS
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/locations$`),
    method: 'cloudkms:ListLocations',
    api: 'cloudkms.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      const locs = (p.kms?.locations ?? ['global']).map((l) => ({ name: `projects/${p.projectId}/locations/${l}`, locationId: l }));
      return { unit: p.projectId, answer: () => page(f, 'cloudkms:ListLocations', locs, r, 'locations') };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/locations/${P}/keyRings$`),
    method: 'cloudkms:ListKeyRings',
    api: 'cloudkms.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      const prefix = `projects/${p.projectId}/locations/${m[2]}/keyRings/`;
      const rings = (p.kms?.keyRings ?? []).filter((k) => k.name.startsWith(prefix)).map(stripIam);
      return { unit: p.projectId, resource: m[2], answer: () => page(f, 'cloudkms:ListKeyRings', rings, r, 'keyRings', 'pageSize', rings.length ? { totalSize: rings.length } : {}) };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/locations/${P}/keyRings/${P}/cryptoKeys$`),
    method: 'cloudkms:ListCryptoKeys',
    api: 'cloudkms.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      const ring = f.ring(p, `projects/${p.projectId}/locations/${m[2]}/keyRings/${m[3]}`);
      return { unit: p.projectId, resource: ring.name, answer: () => page(f, 'cloudkms:ListCryptoKeys', (ring.cryptoKeys ?? []).map(stripIam), r, 'cryptoKeys') };
    },
  },
  {
    http: 'ANY',
    re: new RegExp(`^/v1/projects/${P}/locations/${P}/keyRings/${P}:getIamPolicy$`),
    method: 'cloudkms:GetKeyRingIamPolicy',
    api: 'cloudkms.googleapis.com',
    handle: (f, m) => {
      const p = f.project(m[1]);
      const ring = f.ring(p, `projects/${p.projectId}/locations/${m[2]}/keyRings/${m[3]}`);
      return { unit: p.projectId, resource: ring.name, answer: () => policy(ring.iamPolicy) };
    },
  },
  {
    http: 'ANY',
    re: new RegExp(`^/v1/projects/${P}/locations/${P}/keyRings/${P}/cryptoKeys/${P}:getIamPolicy$`),
    method: 'cloudkms:GetCryptoKeyIamPolicy',
    api: 'cloudkms.googleapis.com',
    handle: (f, m) => {
      const p = f.project(m[1]);
      const ring = f.ring(p, `projects/${p.projectId}/locations/${m[2]}/keyRings/${m[3]}`);
      const key = (ring.cryptoKeys ?? []).find((k) => k.name === `${ring.name}/cryptoKeys/${m[4]}`);
      if (!key) throw notFound(`key ${m[4]}`);
      return { unit: p.projectId, resource: key.name, answer: () => policy(key.iamPolicy) };
    },
  },
  // Cloud Logging
  {
    http: 'GET',
    re: /^\/v2\/((?:projects|folders|organizations)\/[^/]+)\/sinks$/,
    method: 'logging:ListSinks',
    api: 'logging.googleapis.com',
    handle: (f, m, r) => {
      const parent = m[1];
      const owner = parent.startsWith('projects/') ? f.project(parent.split('/')[1]) : f.container(parent);
      const sinks = (owner.sinks ?? []).map((s: Json) => ({ ...s, name: s.name }));
      return { unit: parent.startsWith('projects/') ? (owner as ScenarioProject).projectId : parent, answer: () => page(f, 'logging:ListSinks', sinks, r, 'sinks') };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/v2/projects/${P}/locations/-/buckets$`),
    method: 'logging:ListBuckets',
    api: 'logging.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      const defaults = [
        { name: `projects/${p.projectId}/locations/global/buckets/_Default`, retentionDays: 30, lifecycleState: 'ACTIVE' },
        { name: `projects/${p.projectId}/locations/global/buckets/_Required`, retentionDays: 400, locked: true, lifecycleState: 'ACTIVE' },
      ];
      return { unit: p.projectId, answer: () => page(f, 'logging:ListBuckets', p.logBuckets ?? defaults, r, 'buckets') };
    },
  },
  // Compute Engine
  {
    http: 'GET',
    re: new RegExp(`^/compute/v1/projects/${P}/global/firewalls$`),
    method: 'compute:ListFirewalls',
    api: 'compute.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      return { unit: p.projectId, answer: () => page(f, 'compute:ListFirewalls', p.firewalls ?? [], r, 'items', 'maxResults', { kind: 'compute#firewallList' }) };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/compute/v1/projects/${P}/global/networks$`),
    method: 'compute:ListNetworks',
    api: 'compute.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      return { unit: p.projectId, answer: () => page(f, 'compute:ListNetworks', p.networks ?? [], r, 'items', 'maxResults', { kind: 'compute#networkList' }) };
    },
  },
  {
    http: 'GET',
    re: new RegExp(`^/compute/v1/projects/${P}/aggregated/subnetworks$`),
    method: 'compute:AggregatedListSubnetworks',
    api: 'compute.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      return {
        unit: p.projectId,
        answer: () => {
          const flat = page(f, 'compute:AggregatedListSubnetworks', p.subnetworks ?? [], r, 'items', 'maxResults', { kind: 'compute#subnetworkAggregatedList' });
          const grouped: Json = {};
          for (const s of (flat.items ?? []) as Json[]) {
            const key = `regions/${String(s.region).split('/').pop()}`;
            (grouped[key] ??= { subnetworks: [] }).subnetworks.push(s);
          }
          return { ...flat, items: grouped };
        },
      };
    },
  },
  // Cloud SQL
  {
    http: 'GET',
    re: new RegExp(`^/v1/projects/${P}/instances$`),
    method: 'sqladmin:ListInstances',
    api: 'sqladmin.googleapis.com',
    handle: (f, m, r) => {
      const p = f.project(m[1]);
      return { unit: p.projectId, answer: () => page(f, 'sqladmin:ListInstances', p.sqlInstances ?? [], r, 'items', 'maxResults') };
    },
  },
  // Cloud Storage JSON API
  {
    http: 'GET',
    re: /^\/storage\/v1\/b$/,
    method: 'storage:ListBuckets',
    api: 'storage.googleapis.com',
    handle: (f, _m, r) => {
      const p = f.project(r.query.get('project') ?? '');
      const full = r.query.get('projection') === 'full';
      const items = (p.buckets ?? []).map((b) => {
        const x = stripIam(b);
        if (!full) {
          delete x.acl;
          delete x.defaultObjectAcl;
        }
        return { kind: 'storage#bucket', id: b.name, ...x };
      });
      return { unit: p.projectId, answer: () => page(f, 'storage:ListBuckets', items, r, 'items', 'maxResults', { kind: 'storage#buckets' }) };
    },
  },
  {
    http: 'GET',
    re: /^\/storage\/v1\/b\/([^/]+)\/iam$/,
    method: 'storage:GetBucketIamPolicy',
    api: 'storage.googleapis.com',
    handle: (f, m) => {
      const name = decodeURIComponent(m[1]);
      const owner = f.scenario.projects.find((p) => (p.buckets ?? []).some((b) => b.name === name));
      const b = owner?.buckets?.find((x) => x.name === name);
      if (!owner || !b) throw notFound(`bucket ${name}`);
      return { unit: owner.projectId, resource: name, answer: () => ({ kind: 'storage#policy', resourceId: `projects/_/buckets/${name}`, ...policy(b.iamPolicy) }) };
    },
  },
];

/** The Google Cloud service name of a `service:Operation` method. */
const SERVICE_OF: Record<string, string> = {
  cloudresourcemanager: 'cloudresourcemanager.googleapis.com',
  serviceusage: 'serviceusage.googleapis.com',
  iam: 'iam.googleapis.com',
  cloudkms: 'cloudkms.googleapis.com',
  logging: 'logging.googleapis.com',
  compute: 'compute.googleapis.com',
  sqladmin: 'sqladmin.googleapis.com',
  storage: 'storage.googleapis.com',
};

export class FakeGcp {
  readonly scenario: GcpScenario;
  readonly calls: GcpCallRecord[] = [];
  /** Requests being answered now, and the most at once (the benchmark checks the scanner's concurrency with it). */
  private inFlight = 0;
  maxInFlight = 0;
  private readonly server: Server;
  private readonly faultHits = new Map<GcpFault, number>();
  port = 0;

  constructor(private readonly opts: FakeGcpOptions) {
    this.scenario = opts.scenario;
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Calls per method. */
  countByMethod(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.method] = (out[c.method] ?? 0) + 1;
    return out;
  }

  pageSizeFor(method: string): number {
    return this.opts.pageSizes?.[method] ?? this.opts.pageSize ?? 1000;
  }

  project(idOrNumber: string): ScenarioProject {
    const p = this.scenario.projects.find((x) => x.projectId === idOrNumber || x.number === idOrNumber);
    if (!p) throw new Fail(403, 'PERMISSION_DENIED', `Permission denied on resource project ${idOrNumber} (or it may not exist).`, 'IAM_PERMISSION_DENIED');
    return p;
  }

  container(level: string): ScenarioContainer {
    const [kind, id] = level.split('/');
    const c = kind === 'organizations' ? (this.scenario.organization?.id === id ? this.scenario.organization : undefined) : (this.scenario.folders ?? []).find((f) => f.id === id);
    if (!c) throw new Fail(403, 'PERMISSION_DENIED', `The caller does not have permission on ${level}`, 'IAM_PERMISSION_DENIED');
    return c;
  }

  ring(p: ScenarioProject, name: string): NonNullable<ScenarioProject['kms']>['keyRings'][number] {
    const r = (p.kms?.keyRings ?? []).find((k) => k.name === name);
    if (!r) throw notFound(`key ring ${name}`);
    return r;
  }

  enabledApis(p: ScenarioProject): string[] {
    return p.enabledApis ?? ALL_APIS;
  }

  orgJson(id: string): Json {
    const o = this.container(`organizations/${id}`);
    return { name: `organizations/${o.id}`, displayName: o.displayName, state: o.state ?? 'ACTIVE', directoryCustomerId: 'C0fake', createTime: '2019-03-01T10:00:00Z', etag: 'W/"o"' };
  }

  folderJson(f: ScenarioContainer): Json {
    return { name: `folders/${f.id}`, parent: f.parent, displayName: f.displayName, state: f.state ?? 'ACTIVE', etag: 'W/"f"' };
  }

  projectJson(p: ScenarioProject): Json {
    return {
      name: `projects/${p.number}`,
      projectId: p.projectId,
      ...(p.parent ? { parent: p.parent } : {}),
      displayName: p.displayName ?? p.projectId,
      state: p.state ?? 'ACTIVE',
      ...(p.labels ? { labels: p.labels } : {}),
      etag: 'W/"p"',
    };
  }

  private fault(method: string, unit: string | null, resource: string | undefined): GcpFault | undefined {
    for (const f of this.opts.faults ?? []) {
      const [svc, op] = f.method.split(':');
      if (f.method !== method && !(op === '*' && method.startsWith(`${svc}:`))) continue;
      if (f.unit !== undefined && f.unit !== unit) continue;
      if (f.resource !== undefined && !(resource ?? '').includes(f.resource)) continue;
      const hits = (this.faultHits.get(f) ?? 0) + 1;
      this.faultHits.set(f, hits);
      if (f.after !== undefined && hits <= f.after) continue;
      if (f.times !== undefined && hits - (f.after ?? 0) > f.times) continue;
      return f;
    }
    return undefined;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const url = new URL(req.url ?? '/', 'http://x');
    let body: Json;
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {};
    } catch {
      body = {};
    }
    const r: Req = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, body, headers: req.headers };
    const latency = this.opts.latencyMs;
    if (latency !== undefined) {
      const ms = Array.isArray(latency) ? latency[0] + Math.random() * (latency[1] - latency[0]) : latency;
      await new Promise((done) => setTimeout(done, ms));
    }
    let record: GcpCallRecord = { method: 'unknown', unit: null, httpMethod: r.method, status: 404 };
    const send = (status: number, json: Json | string): void => {
      record.status = status;
      this.calls.push(record);
      res.statusCode = status;
      res.setHeader('content-type', typeof json === 'string' ? 'text/html' : 'application/json; charset=UTF-8');
      res.end(typeof json === 'string' ? json : JSON.stringify(json));
    };
    const error = (e: Fail): void =>
      send(e.status, {
        error: {
          code: e.status,
          message: e.message,
          status: e.statusText,
          ...(e.reason ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: e.reason, domain: 'googleapis.com', metadata: e.extra }] } : {}),
          errors: [{ reason: e.reason ?? e.statusText.toLowerCase(), message: e.message }],
        },
      });
    const route = ROUTES.find((x) => (x.http === 'ANY' || x.http === r.method) && x.re.test(r.path));
    if (!route) {
      send(404, { error: { code: 404, message: `no such method: ${r.method} ${r.path}`, status: 'NOT_FOUND' } });
      return;
    }
    record = { ...record, method: route.method };
    try {
      const m = route.re.exec(r.path)!;
      const h = route.handle(this, m, r);
      record.unit = h.unit;
      if (h.resource) record.resource = h.resource;
      const f = this.fault(route.method, h.unit, h.resource);
      if (route.api && h.unit && !h.unit.includes('/')) {
        const p = this.project(h.unit);
        if (!this.enabledApis(p).includes(route.api) || f?.kind === 'disabled') {
          throw new Fail(403, 'PERMISSION_DENIED', `${route.api.split('.')[0]} API has not been used in project ${p.number} before or it is disabled.`, 'SERVICE_DISABLED', {
            service: route.api,
            consumer: `projects/${p.number}`,
          });
        }
      }
      if (f) {
        switch (f.kind) {
          case 'denied':
            throw new Fail(403, 'PERMISSION_DENIED', `Permission '${route.method}' denied on resource (or it may not exist).`, 'IAM_PERMISSION_DENIED', { permission: route.method });
          case 'throttled':
            throw new Fail(429, 'RESOURCE_EXHAUSTED', `Quota exceeded for quota metric 'Read requests' of service '${SERVICE_OF[route.method.split(':')[0]]}'.`, 'RATE_LIMIT_EXCEEDED');
          case 'server':
            throw new Fail(503, 'UNAVAILABLE', 'The service is currently unavailable.');
          case 'malformed':
            send(200, f.body === undefined ? '[]' : f.body);
            return;
          case 'html':
            send(200, '<html><body>Proxy login</body></html>');
            return;
          case 'hang':
            record.status = 0;
            this.calls.push(record);
            return; // never answers
          default:
            break;
        }
      }
      send(200, h.answer());
    } catch (e) {
      if (e instanceof Fail) error(e);
      else send(500, { error: { code: 500, message: String((e as Error)?.message ?? e), status: 'INTERNAL' } });
    }
  }
}

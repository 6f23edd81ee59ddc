import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUILTIN_ROLES, type Props, type Scenario, type ScenarioResource, type ScenarioSubscription } from './scenario';

/**
 * A loopback fake Azure Resource Manager over https (the SDK's bearer-token policy refuses plain
 * http), with a test-only certificate for 127.0.0.1. It speaks ARM's REST shapes — `{value,
 * nextLink}` lists with absolute nextLinks, `{"error": {code, message}}` errors, Retry-After on
 * 429 — and Resource Graph's `{data, $skipToken}`, so collectors are tested through the real
 * clients: serialization, paging, error parsing and retries all run for real. Routing is
 * case-insensitive (arm-monitor asks for `microsoft.insights`). Every call is logged.
 *
 * Resource Graph runs no query language: it recognises the collector's two queries (placement of
 * subscriptions, and subscriptions under a management group) by their shape.
 */

/** The test-only PEMs sit next to this file's source (the benchmark runs a compiled copy elsewhere). */
function pem(name: string): string {
  for (const dir of [__dirname, join(process.cwd(), 'test', 'fake-cloud', 'azure')]) {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      // try the next place
    }
  }
  throw new Error(`fake Azure: ${name} not found`);
}

export const TEST_CA = pem('test-only-cert.pem');
const TEST_KEY = pem('test-only-key.pem');

export interface FaultRule {
  /** `service:Operation` as the collector records it (`storage:BlobContainers_List`), or `service:*`. */
  op: string;
  subscription?: string;
  /** Resource name the call is about (a storage account, a vault). */
  resource?: string;
  kind: 'denied' | 'throttled' | 'server' | 'not-registered' | 'malformed' | 'html';
  /** Only the first N matching calls fail (default: all). */
  times?: number;
  /** The first N matching calls succeed (an error on page N+1). */
  after?: number;
  /** Retry-After for throttling, in ms (sent as retry-after-ms, and rounded up as Retry-After seconds). */
  retryAfterMs?: number;
}

export interface FakeAzureOptions {
  scenario: Scenario;
  /** Largest page any list returns. */
  pageSize?: number;
  /** Delay before every answer: fixed ms or a [min, max] range. */
  latencyMs?: number | [number, number];
  faults?: FaultRule[];
  /** Subscriptions the caller cannot see (absent from the subscription list and from Resource Graph). */
  invisible?: string[];
  /** Makes the first page of a list point back to itself (a looping nextLink). */
  loopingOps?: string[];
}

export interface CallRecord {
  method: string;
  path: string;
  op: string;
  subscription: string | null;
  status: number;
}

class Answer {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {}
}

const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Answer => new Answer(status, { error: { code, message } }, headers);

interface Route {
  op: string;
  pattern: RegExp;
  handle: (m: string[], ctx: RouteCtx) => Answer | unknown[] | Props;
  /** The answer is a list (paged). */
  list?: boolean;
  /** The real API answers this list in one piece (no nextLink), whatever the page size. */
  unpaged?: boolean;
}

interface RouteCtx {
  fake: FakeAzure;
  sub: ScenarioSubscription | undefined;
  body: Props;
}

const lc = (s: string): string => s.toLowerCase();
const rid = (sub: string, rg: string, provider: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/${name}`;

function tracked(sub: string, provider: string, r: ScenarioResource, extra: Props = {}): Props {
  return { id: rid(sub, r.resourceGroup, provider, r.name), name: r.name, type: provider, location: r.location, ...(r.tags ? { tags: r.tags } : {}), properties: r.properties, ...extra };
}

function findByName<T extends { name: string }>(list: T[] | undefined, name: string): T | undefined {
  return (list ?? []).find((x) => lc(x.name) === lc(name));
}

const SUB = '/subscriptions/([^/]+)';
const RG = '/resourcegroups/([^/]+)';

export class FakeAzure {
  readonly calls: CallRecord[] = [];
  url = '';
  private server: Server | null = null;
  private readonly faultHits = new Map<FaultRule, number>();
  private readonly routes: Route[];

  constructor(public options: FakeAzureOptions) {
    this.routes = this.buildRoutes();
  }

  get scenario(): Scenario {
    return this.options.scenario;
  }

  subscription(id: string): ScenarioSubscription | undefined {
    return this.scenario.subscriptions.find((s) => lc(s.id) === lc(id));
  }

  visible(id: string): boolean {
    return !(this.options.invisible ?? []).map(lc).includes(lc(id));
  }

  countByOperation(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.op] = (out[c.op] ?? 0) + 1;
    return out;
  }

  async start(): Promise<this> {
    this.server = createServer({ key: TEST_KEY, cert: TEST_CA }, (req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: 'FakeBug', message: String(err?.stack ?? err) } }));
      });
    });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private buildRoutes(): Route[] {
    const subOf = (ctx: RouteCtx): ScenarioSubscription => {
      if (!ctx.sub) throw new Answer(404, { error: { code: 'SubscriptionNotFound', message: 'The subscription could not be found.' } });
      return ctx.sub;
    };
    const res = <T extends { name: string }>(list: T[] | undefined, name: string, what: string): T => {
      const r = findByName(list, name);
      if (!r) throw error(404, 'ResourceNotFound', `The ${what} '${name}' was not found.`);
      return r;
    };
    const diag = (list: { name: string; properties: Props }[] | undefined, scope: string): Props[] =>
      (list ?? []).map((d) => ({ id: `${scope}/providers/microsoft.insights/diagnosticSettings/${d.name}`, name: d.name, type: 'Microsoft.Insights/diagnosticSettings', properties: d.properties }));
    return [
      { op: 'subscriptions:Subscriptions_List', pattern: /^\/subscriptions$/, list: true, handle: (_m, ctx) => ctx.fake.scenario.subscriptions.filter((s) => ctx.fake.visible(s.id)).map((s) => ({ id: `/subscriptions/${s.id}`, subscriptionId: s.id, displayName: s.displayName, state: s.state ?? 'Enabled', tenantId: ctx.fake.scenario.tenantId })) },
      {
        // Every management group and subscription under a group, at any depth, whether or not the caller can read the subscription.
        op: 'managementgroups:ManagementGroups_GetDescendants',
        pattern: /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)\/descendants$/,
        list: true,
        handle: (m, ctx) => {
          const sc = ctx.fake.scenario;
          const group = sc.managementGroups.find((g) => lc(g.name) === m[1]);
          if (!group) throw error(404, 'NotFound', `Management group '${m[1]}' was not found.`);
          const under = (parent: string | null | undefined): boolean => ctx.fake.chainOf(parent ?? sc.tenantId).some((g) => lc(g.name) === lc(group.name));
          const groupId = (n: string) => `/providers/Microsoft.Management/managementGroups/${n}`;
          return [
            ...sc.managementGroups.filter((g) => lc(g.name) !== lc(group.name) && under(g.name)).map((g) => ({ id: groupId(g.name), type: 'Microsoft.Management/managementGroups', name: g.name, properties: { displayName: g.displayName ?? g.name, parent: { id: groupId(g.parent ?? sc.tenantId) } } })),
            ...sc.subscriptions.filter((x) => under(x.managementGroup)).map((x) => ({ id: `/subscriptions/${x.id}`, type: '/subscriptions', name: x.id, properties: { displayName: x.displayName, parent: { id: groupId(x.managementGroup ?? sc.tenantId) } } })),
          ];
        },
      },
      {
        op: 'authorization:RoleDefinitions_List',
        pattern: new RegExp(`^${SUB}/providers/microsoft\\.authorization/roledefinitions$`),
        list: true,
        handle: (_m, ctx) => {
          const s = subOf(ctx);
          const builtin = BUILTIN_ROLES.map((r) => ({ id: `/subscriptions/${s.id}/providers/Microsoft.Authorization/roleDefinitions/${r.guid}`, name: r.guid, type: 'Microsoft.Authorization/roleDefinitions', properties: { roleName: r.roleName, type: 'BuiltInRole', description: '', assignableScopes: ['/'], permissions: [{ actions: r.actions, notActions: r.notActions, dataActions: [], notDataActions: [] }] } }));
          const custom = (s.customRoles ?? []).map((r) => ({ id: `/subscriptions/${s.id}/providers/Microsoft.Authorization/roleDefinitions/${r.id}`, name: r.id, type: 'Microsoft.Authorization/roleDefinitions', properties: { roleName: r.roleName, type: 'CustomRole', description: r.description ?? '', assignableScopes: r.assignableScopes, permissions: r.permissions } }));
          return [...builtin, ...custom];
        },
      },
      {
        op: 'authorization:RoleAssignments_ListForSubscription',
        pattern: new RegExp(`^${SUB}/providers/microsoft\\.authorization/roleassignments$`),
        list: true,
        handle: (_m, ctx) =>
          (subOf(ctx).roleAssignments ?? []).map((a) => ({
            id: `${a.scope === '/' ? '' : a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
            name: a.name,
            type: 'Microsoft.Authorization/roleAssignments',
            properties: { scope: a.scope, roleDefinitionId: `/subscriptions/${subOf(ctx).id}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionId}`, principalId: a.principalId, principalType: a.principalType, ...(a.condition ? { condition: a.condition, conditionVersion: '2.0' } : {}) },
          })),
      },
      { op: 'security:Pricings_List', pattern: new RegExp(`^${SUB}/providers/microsoft\\.security/pricings$`), handle: (_m, ctx) => ({ value: (subOf(ctx).pricings ?? []).map((p) => ({ id: `/subscriptions/${subOf(ctx).id}/providers/Microsoft.Security/pricings/${p.name}`, name: p.name, type: 'Microsoft.Security/pricings', properties: { pricingTier: p.pricingTier, ...(p.subPlan ? { subPlan: p.subPlan } : {}) } })) }) },
      { op: 'security:SecurityContacts_List', pattern: new RegExp(`^${SUB}/providers/microsoft\\.security/securitycontacts$`), list: true, handle: (_m, ctx) => (subOf(ctx).securityContacts ?? []).map((c) => ({ id: `/subscriptions/${subOf(ctx).id}/providers/Microsoft.Security/securityContacts/${c.name}`, name: c.name, type: 'Microsoft.Security/securityContacts', properties: c.properties })) },
      { op: 'security:AutoProvisioningSettings_List', pattern: new RegExp(`^${SUB}/providers/microsoft\\.security/autoprovisioningsettings$`), list: true, handle: (_m, ctx) => (subOf(ctx).autoProvisioning ?? []).map((a) => ({ id: `/subscriptions/${subOf(ctx).id}/providers/Microsoft.Security/autoProvisioningSettings/${a.name}`, name: a.name, type: 'Microsoft.Security/autoProvisioningSettings', properties: { autoProvision: a.autoProvision } })) },
      { op: 'monitor:DiagnosticSettings_List', pattern: new RegExp(`^${SUB}/providers/microsoft\\.insights/diagnosticsettings$`), handle: (_m, ctx) => ({ value: diag(subOf(ctx).activityLogDiagnosticSettings, `/subscriptions/${subOf(ctx).id}`) }) },
      { op: 'monitor:ActivityLogAlerts_ListBySubscriptionId', pattern: new RegExp(`^${SUB}/providers/microsoft\\.insights/activitylogalerts$`), list: true, unpaged: true, handle: (_m, ctx) => (subOf(ctx).activityLogAlerts ?? []).map((a) => tracked(subOf(ctx).id, 'microsoft.insights/activityLogAlerts', a)) },
      { op: 'storage:StorageAccounts_List', pattern: new RegExp(`^${SUB}/providers/microsoft\\.storage/storageaccounts$`), list: true, handle: (_m, ctx) => (subOf(ctx).storageAccounts ?? []).map((a) => tracked(subOf(ctx).id, 'Microsoft.Storage/storageAccounts', a, { kind: a.kind ?? 'StorageV2', sku: { name: 'Standard_LRS', tier: 'Standard' } })) },
      {
        op: 'storage:BlobServices_GetServiceProperties',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.storage/storageaccounts/([^/]+)/blobservices/default$`),
        handle: (m, ctx) => {
          const a = res(subOf(ctx).storageAccounts, m[3], 'storage account');
          if (a.blobService === null) return error(400, 'FeatureNotSupportedForAccount', 'Blob is not supported for the account.');
          return { id: `${rid(subOf(ctx).id, a.resourceGroup, 'Microsoft.Storage/storageAccounts', a.name)}/blobServices/default`, name: 'default', type: 'Microsoft.Storage/storageAccounts/blobServices', properties: a.blobService ?? { deleteRetentionPolicy: { enabled: false } } };
        },
      },
      {
        op: 'storage:BlobContainers_List',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.storage/storageaccounts/([^/]+)/blobservices/default/containers$`),
        list: true,
        handle: (m, ctx) => {
          const a = res(subOf(ctx).storageAccounts, m[3], 'storage account');
          if (a.blobService === null) return error(400, 'FeatureNotSupportedForAccount', 'Blob is not supported for the account.');
          return (a.containers ?? []).map((c) => ({ id: `${rid(subOf(ctx).id, a.resourceGroup, 'Microsoft.Storage/storageAccounts', a.name)}/blobServices/default/containers/${c.name}`, name: c.name, type: 'Microsoft.Storage/storageAccounts/blobServices/containers', properties: { publicAccess: c.publicAccess } }));
        },
      },
      { op: 'keyvault:Vaults_ListBySubscription', pattern: new RegExp(`^${SUB}/providers/microsoft\\.keyvault/vaults$`), list: true, handle: (_m, ctx) => (subOf(ctx).keyVaults ?? []).map((v) => tracked(subOf(ctx).id, 'Microsoft.KeyVault/vaults', v, { properties: { tenantId: ctx.fake.scenario.tenantId, sku: { family: 'A', name: 'standard' }, ...v.properties } })) },
      {
        op: 'keyvault:Keys_List',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.keyvault/vaults/([^/]+)/keys$`),
        list: true,
        handle: (m, ctx) => (res(subOf(ctx).keyVaults, m[3], 'vault').keys ?? []).map((k) => ({ id: `${rid(subOf(ctx).id, m[2], 'Microsoft.KeyVault/vaults', m[3])}/keys/${k.name}`, name: k.name, type: 'Microsoft.KeyVault/vaults/keys', properties: k.properties })),
      },
      {
        op: 'keyvault:Secrets_List',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.keyvault/vaults/([^/]+)/secrets$`),
        list: true,
        handle: (m, ctx) => (res(subOf(ctx).keyVaults, m[3], 'vault').secrets ?? []).map((k) => ({ id: `${rid(subOf(ctx).id, m[2], 'Microsoft.KeyVault/vaults', m[3])}/secrets/${k.name}`, name: k.name, type: 'Microsoft.KeyVault/vaults/secrets', properties: k.properties })),
      },
      {
        op: 'monitor:DiagnosticSettings_List',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.keyvault/vaults/([^/]+)/providers/microsoft\\.insights/diagnosticsettings$`),
        handle: (m, ctx) => ({ value: diag(res(subOf(ctx).keyVaults, m[3], 'vault').diagnosticSettings, rid(subOf(ctx).id, m[2], 'Microsoft.KeyVault/vaults', m[3])) }),
      },
      { op: 'network:NetworkSecurityGroups_ListAll', pattern: new RegExp(`^${SUB}/providers/microsoft\\.network/networksecuritygroups$`), list: true, handle: (_m, ctx) => (subOf(ctx).nsgs ?? []).map((g) => tracked(subOf(ctx).id, 'Microsoft.Network/networkSecurityGroups', g)) },
      { op: 'network:NetworkWatchers_ListAll', pattern: new RegExp(`^${SUB}/providers/microsoft\\.network/networkwatchers$`), list: true, unpaged: true, handle: (_m, ctx) => (subOf(ctx).networkWatchers ?? []).map((w) => tracked(subOf(ctx).id, 'Microsoft.Network/networkWatchers', w)) },
      {
        op: 'network:FlowLogs_List',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.network/networkwatchers/([^/]+)/flowlogs$`),
        list: true,
        handle: (m, ctx) => {
          const w = res(subOf(ctx).networkWatchers, m[3], 'network watcher');
          return (w.flowLogs ?? []).map((f) => ({ ...tracked(subOf(ctx).id, 'Microsoft.Network/networkWatchers', { ...f, resourceGroup: w.resourceGroup, name: `${w.name}/flowLogs/${f.name}` }), name: f.name, type: 'Microsoft.Network/networkWatchers/flowLogs' }));
        },
      },
      { op: 'sql:Servers_List', pattern: new RegExp(`^${SUB}/providers/microsoft\\.sql/servers$`), list: true, handle: (_m, ctx) => (subOf(ctx).sqlServers ?? []).map((s) => tracked(subOf(ctx).id, 'Microsoft.Sql/servers', s, { kind: 'v12.0' })) },
      {
        op: 'sql:FirewallRules_ListByServer',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.sql/servers/([^/]+)/firewallrules$`),
        list: true,
        handle: (m, ctx) => (res(subOf(ctx).sqlServers, m[3], 'server').firewallRules ?? []).map((f) => ({ id: `${rid(subOf(ctx).id, m[2], 'Microsoft.Sql/servers', m[3])}/firewallRules/${f.name}`, name: f.name, type: 'Microsoft.Sql/servers/firewallRules', properties: { startIpAddress: f.startIpAddress, endIpAddress: f.endIpAddress } })),
      },
      {
        op: 'sql:ServerAzureADAdministrators_ListByServer',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.sql/servers/([^/]+)/administrators$`),
        list: true,
        handle: (m, ctx) => (res(subOf(ctx).sqlServers, m[3], 'server').administrators ?? []).map((a) => ({ id: `${rid(subOf(ctx).id, m[2], 'Microsoft.Sql/servers', m[3])}/administrators/ActiveDirectory`, name: 'ActiveDirectory', type: 'Microsoft.Sql/servers/administrators', properties: a })),
      },
      {
        op: 'sql:ServerBlobAuditingPolicies_Get',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.sql/servers/([^/]+)/auditingsettings/default$`),
        handle: (m, ctx) => ({ id: `${rid(subOf(ctx).id, m[2], 'Microsoft.Sql/servers', m[3])}/auditingSettings/default`, name: 'default', type: 'Microsoft.Sql/servers/auditingSettings', properties: res(subOf(ctx).sqlServers, m[3], 'server').auditing ?? { state: 'Disabled', retentionDays: 0 } }),
      },
      {
        op: 'sql:EncryptionProtectors_Get',
        pattern: new RegExp(`^${SUB}${RG}/providers/microsoft\\.sql/servers/([^/]+)/encryptionprotector/current$`),
        handle: (m, ctx) => ({ id: `${rid(subOf(ctx).id, m[2], 'Microsoft.Sql/servers', m[3])}/encryptionProtector/current`, name: 'current', type: 'Microsoft.Sql/servers/encryptionProtector', properties: res(subOf(ctx).sqlServers, m[3], 'server').encryptionProtector ?? { serverKeyName: 'ServiceManaged', serverKeyType: 'ServiceManaged' } }),
      },
    ];
  }

  private async delay(): Promise<void> {
    const l = this.options.latencyMs;
    if (!l) return;
    const ms = typeof l === 'number' ? l : l[0] + Math.random() * (l[1] - l[0]);
    await new Promise((r) => setTimeout(r, ms));
  }

  private matchFault(op: string, sub: string | null, path: string): FaultRule | undefined {
    for (const f of this.options.faults ?? []) {
      const [svc, name] = f.op.split(':');
      const [osvc, oname] = op.split(':');
      if (svc !== osvc || (name !== '*' && name !== oname)) continue;
      if (f.subscription !== undefined && lc(f.subscription) !== sub) continue;
      if (f.resource !== undefined && !path.split('/').includes(lc(f.resource))) continue;
      const hits = this.faultHits.get(f) ?? 0;
      this.faultHits.set(f, hits + 1);
      const failed = hits - (f.after ?? 0);
      if (failed < 0) continue;
      if (f.times !== undefined && failed >= f.times) continue;
      return f;
    }
    return undefined;
  }

  private faultAnswer(f: FaultRule): Answer {
    switch (f.kind) {
      case 'denied':
        return error(403, 'AuthorizationFailed', "The client 'trustscan' does not have authorization to perform this action or the scope is invalid.");
      case 'throttled': {
        const ms = f.retryAfterMs ?? 10;
        return error(429, 'TooManyRequests', 'Number of requests exceeded the limit. Retry later.', { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) });
      }
      case 'server':
        return error(500, 'InternalServerError', 'Encountered internal server error.');
      case 'not-registered':
        return error(409, 'MissingSubscriptionRegistration', 'The subscription is not registered to use the namespace.');
      case 'malformed':
        return new Answer(200, { nextLink: null });
      case 'html':
        return new Answer(200, '<html><body>Proxy login</body></html>', { 'content-type': 'text/html' });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(`https://x${req.url ?? '/'}`);
    const path = lc(url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '')) || '/';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    await this.delay();
    let answer: Answer;
    let op = 'unknown:Unknown';
    let sub: string | null = (/^\/subscriptions\/([^/]+)/.exec(path) ?? [])[1] ?? null;
    try {
      if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) throw error(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
      if (!url.searchParams.get('api-version')) throw error(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
      if (req.method === 'POST' && path === '/providers/microsoft.resourcegraph/resources') {
        op = 'resourcegraph:Resources';
        const body = JSON.parse(raw || '{}') as Props;
        const f = this.matchFault(op, null, path);
        answer = f ? this.faultAnswer(f) : this.resourceGraph(body);
      } else {
        if (req.method !== 'GET') throw error(405, 'MethodNotAllowed', `${req.method} is not served by the fake (read-only)`);
        const route = this.routes.find((r) => r.pattern.test(path));
        if (!route) throw error(404, 'NoRouteFound', `no fake route for ${path}`);
        op = route.op;
        const m = route.pattern.exec(path)!;
        const s = sub ? this.subscription(sub) : undefined;
        if (sub && (!s || !this.visible(sub))) throw error(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
        const f = this.matchFault(op, sub, path);
        if (f) answer = this.faultAnswer(f);
        else {
          const out = route.handle(m, { fake: this, sub: s, body: {} });
          if (out instanceof Answer) answer = out;
          else if (route.list) answer = this.page(out as unknown[], url, op, route.unpaged === true);
          else answer = new Answer(200, out);
        }
      }
    } catch (e) {
      if (!(e instanceof Answer)) throw e;
      answer = e;
    }
    sub = sub ? lc(sub) : null;
    this.calls.push({ method: req.method ?? 'GET', path, op, subscription: sub, status: answer.status });
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('x-ms-request-id', `fake-${this.calls.length}`);
    for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  }

  /** One page of a list, with an absolute nextLink to the next one. */
  private page(items: unknown[], url: URL, op: string, unpaged: boolean): Answer {
    const size = unpaged ? Number.MAX_SAFE_INTEGER : (this.options.pageSize ?? 1000);
    const start = Number(url.searchParams.get('$skiptoken') ?? '0');
    const value = items.slice(start, start + size);
    const body: Props = { value };
    if (this.options.loopingOps?.includes(op)) {
      body.nextLink = `${this.url}${url.pathname}${url.search}`;
    } else if (start + size < items.length) {
      const next = new URL(`${this.url}${url.pathname}`);
      next.searchParams.set('api-version', url.searchParams.get('api-version')!);
      next.searchParams.set('$skiptoken', String(start + size));
      body.nextLink = next.toString();
    }
    return new Answer(200, body);
  }

  chainOf(group: string): { name: string; displayName: string }[] {
    return this.chain(group);
  }

  /** Ancestors of a management group, nearest first (itself included). */
  private chain(group: string): { name: string; displayName: string }[] {
    const out: { name: string; displayName: string }[] = [];
    let g = this.scenario.managementGroups.find((x) => lc(x.name) === lc(group));
    while (g) {
      out.push({ name: g.name, displayName: g.displayName ?? g.name });
      const parent = g.parent;
      g = parent ? this.scenario.managementGroups.find((x) => lc(x.name) === lc(parent)) : undefined;
    }
    return out;
  }

  private regionsOf(s: ScenarioSubscription): string[] {
    if (s.regionsInUse) return s.regionsInUse;
    const all = [s.storageAccounts, s.keyVaults, s.nsgs, s.networkWatchers, s.sqlServers].flatMap((l) => (l ?? []).map((r) => lc(r.location.replace(/\s+/g, ''))));
    return [...new Set(all)];
  }

  private resourceGraph(body: Props): Answer {
    const query = String(body.query ?? '');
    const options = (body.options ?? {}) as { $top?: number; $skipToken?: string };
    const visible = this.scenario.subscriptions.filter((s) => this.visible(s.id));
    let rows: Props[];
    if (query.includes('summarize')) {
      const wanted = ((body.subscriptions as string[]) ?? []).map(lc);
      rows = visible.filter((s) => wanted.includes(lc(s.id))).map((s) => ({ subscriptionId: s.id, ancestors: this.chain(s.managementGroup ?? this.scenario.tenantId), regions: this.regionsOf(s) }));
    } else {
      const groups = ((body.managementGroups as string[]) ?? []).map(lc);
      rows = visible
        .filter((s) => this.chain(s.managementGroup ?? this.scenario.tenantId).some((g) => groups.includes(lc(g.name))))
        .map((s) => ({ subscriptionId: s.id, name: s.displayName, state: s.state ?? 'Enabled', tenantId: this.scenario.tenantId }));
    }
    const top = options.$top ?? 1000;
    const start = Number(options.$skipToken ?? '0');
    const data = rows.slice(start, start + Math.min(top, this.options.pageSize ?? 1000));
    const out: Props = { totalRecords: rows.length, count: data.length, data, resultTruncated: 'false', facets: [] };
    if (start + data.length < rows.length) out.$skipToken = String(start + data.length);
    return new Answer(200, out);
  }
}

export async function startFakeAzure(options: FakeAzureOptions): Promise<FakeAzure> {
  return new FakeAzure(options).start();
}

import { builtinCatalog } from '../../../src/catalog';
import { evaluate } from '../../../src/engine/evaluate';
import type { Snapshot } from '../../../src/core/types';
import { collectSnapshot, find, loadScenario, PROD, SANDBOX, SHARED, TENANT, withFake } from './azure-helpers';

/**
 * The Azure collector through the real ARM clients, over https, against the loopback fake:
 * every service's settings reach the snapshot, pages are followed, failures become gaps that
 * reach the SOC 2 roll-up as UNKNOWN, and nothing but GET and Resource Graph queries is sent.
 */

const props = (s: Snapshot, type: string, name: string): Record<string, any> => find(s, type, name).properties as Record<string, any>;

describe('round trip', () => {
  let snapshot: Snapshot;
  let calls: { method: string; path: string; op: string }[];
  let byOp: Record<string, number>;
  beforeAll(async () => {
    await withFake({ scenario: loadScenario(), pageSize: 2, invisible: [SANDBOX] }, async (fake) => {
      ({ snapshot } = await collectSnapshot(fake));
      calls = fake.calls;
      byOp = fake.countByOperation();
    });
  });

  test('a token that names nobody (this fake\'s) gives an identity that says so, not a guess', () => {
    expect(snapshot.metadata.collectedBy).toEqual([{ provider: 'azure', principal: expect.stringMatching(/^not determined/) }]);
  });

  test('every visible subscription is scanned with its place in the hierarchy', () => {
    expect(snapshot.metadata.accounts.map((a) => [a.id, a.name])).toEqual([
      [PROD, 'contoso-production'],
      [SHARED, 'contoso-shared-services'],
    ]);
    const prod = find(snapshot, 'azure.subscription', 'contoso-production');
    expect(prod.unknown).toBeUndefined();
    expect(prod.properties).toMatchObject({ tenantId: TENANT, state: 'Enabled', managementGroupAncestors: ['contoso-landing', 'contoso-platform', TENANT], regionsInUse: ['northeurope', 'westeurope'] });
    expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
  });

  test('settings of every service reach the snapshot, through pages (page size 2)', () => {
    expect(props(snapshot, 'azure.storage.account', 'contosoproddata')).toMatchObject({ minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true, containers: [{ name: 'public-assets', publicAccess: 'Blob' }, { name: 'invoices', publicAccess: 'None' }] });
    expect(props(snapshot, 'azure.storage.account', 'contosoactivitylogs').encryption).toEqual({ keySource: 'Microsoft.Keyvault', keyVaultKeyUri: 'https://contoso-shared-kv.vault.azure.net/keys/logs-cmk', requireInfrastructureEncryption: true });
    expect(props(snapshot, 'azure.storage.account', 'contosoprodfiles').blobService).toBeNull();
    expect(props(snapshot, 'azure.keyvault.vault', 'contoso-shared-kv')).toMatchObject({ enablePurgeProtection: true, keys: [{ name: 'logs-cmk', rotationEnabled: true, expires: '2031-01-01T00:00:00Z' }] });
    expect(props(snapshot, 'azure.network.nsg', 'nsg-web').securityRules).toHaveLength(4);
    expect(props(snapshot, 'azure.sql.server', 'contoso-prod-sql').firewallRules[0]).toEqual({ name: 'AllowAllWindowsAzureIps', startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' });
    expect(snapshot.resources.filter((r) => r.type === 'azure.monitor.activity-log-alert' && r.account === SHARED)).toHaveLength(10);
    expect(byOp['authorization:RoleAssignments_ListForSubscription']).toBe(4 + 2); // 7 in prod (4 pages of 2), 4 in shared (2 pages)
  });

  test('an assignment inherited from a management group is emitted once and serves the subscriptions beneath', () => {
    const inherited = snapshot.resources.filter((r) => r.type === 'azure.authorization.role-assignment' && r.account === 'contoso-platform');
    expect(inherited).toHaveLength(1);
    expect(inherited[0].properties).toMatchObject({ scopeType: 'managementGroup', subscriptions: [PROD, SHARED], role: { name: 'Owner' } });
    const root = snapshot.resources.filter((r) => r.type === 'azure.authorization.role-assignment' && r.properties.scopeType === 'root');
    expect(root.map((r) => r.account)).toEqual([TENANT]);
  });

  test('read-only: GET and Resource Graph queries only', () => {
    const other = calls.filter((c) => !(c.method === 'GET' || (c.method === 'POST' && c.op === 'resourcegraph:Resources')));
    expect(other).toEqual([]);
  });

  test('owners are counted across scopes, inherited ones included', () => {
    const results = evaluate(snapshot, builtinCatalog().loadRules(), builtinCatalog().registry).results;
    const f = results.findings.find((x) => x.ruleId === 'azure-rbac-subscription-owner-limit' && x.resource.account === PROD)!;
    expect(f.status).toBe('FAIL'); // alice, bob, carol + the platform admins group
    expect(results.findings.find((x) => x.ruleId === 'azure-rbac-subscription-owner-limit' && x.resource.account === SHARED)!.status).toBe('PASS');
  });
});

const run = (snapshot: Snapshot) => evaluate(snapshot, builtinCatalog().loadRules(), builtinCatalog().registry).results;

describe('failures become gaps, never empty lists', () => {
  test('a denied listing makes its rules UNKNOWN for that subscription, up to the SOC 2 row', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX], faults: [{ op: 'storage:StorageAccounts_List', subscription: PROD, kind: 'denied' }] }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const gap = snapshot.coverage.find((c) => c.outcome !== 'ok')!;
      expect(gap).toMatchObject({ account: PROD, service: 'storage', operation: 'StorageAccounts_List', outcome: 'denied' });
      expect(snapshot.resources.some((r) => r.type === 'azure.storage.account' && r.account === PROD)).toBe(false);
      const results = run(snapshot);
      const unknown = results.findings.filter((f) => f.ruleId === 'azure-storage-no-anonymous-access' && f.status === 'UNKNOWN');
      expect(unknown.map((f) => f.resource.account)).toEqual([PROD]);
      expect(results.frameworks.soc2.controls.find((c) => c.id === 'C1.1')!.status).not.toBe('PASS');
      expect(results.scan.complete).toBe(false);
    });
  });

  test('throttling is retried as Retry-After says, and the answer is complete', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX], faults: [{ op: 'keyvault:Vaults_ListBySubscription', subscription: SHARED, kind: 'throttled', times: 2, retryAfterMs: 150 }] }, async (fake) => {
      const started = Date.now();
      const { snapshot, collection } = await collectSnapshot(fake);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      expect(find(snapshot, 'azure.keyvault.vault', 'contoso-shared-kv')).toBeDefined();
      expect(collection.stats.callsByOperation['keyvault:Vaults_ListBySubscription']).toBe(2 + 2);
    });
  });

  test('throttling that outlives the retries, a 5xx, an unregistered provider and malformed answers are each a gap', async () => {
    await withFake(
      {
        scenario: loadScenario(),
        invisible: [SANDBOX],
        faults: [
          { op: 'network:NetworkSecurityGroups_ListAll', subscription: PROD, kind: 'throttled', retryAfterMs: 1 },
          { op: 'sql:Servers_List', subscription: PROD, kind: 'server' },
          { op: 'security:Pricings_List', subscription: PROD, kind: 'not-registered' },
          { op: 'storage:BlobContainers_List', resource: 'contosoproddata', kind: 'malformed' },
          { op: 'monitor:ActivityLogAlerts_ListBySubscriptionId', subscription: SHARED, kind: 'html' },
        ],
      },
      async (fake) => {
        const { snapshot } = await collectSnapshot(fake);
        const gaps = Object.fromEntries(snapshot.coverage.filter((c) => c.outcome !== 'ok').map((c) => [`${c.service}:${c.operation}`, c]));
        expect(gaps['network:NetworkSecurityGroups_ListAll']).toMatchObject({ outcome: 'throttled', calls: 4 });
        expect(gaps['sql:Servers_List']).toMatchObject({ outcome: 'error', calls: 4 });
        expect(gaps['security:Pricings_List']).toMatchObject({ outcome: 'not-enabled' });
        expect(gaps['storage:BlobContainers_List']).toMatchObject({ outcome: 'error', resourceId: expect.stringContaining('contosoproddata') });
        expect(gaps['storage:BlobContainers_List'].message).toMatch(/without the 'value' list/);
        expect(gaps['monitor:ActivityLogAlerts_ListBySubscriptionId']).toMatchObject({ outcome: 'error', account: SHARED });
        const acct = find(snapshot, 'azure.storage.account', 'contosoproddata');
        expect(acct.unknown).toEqual(['containers']);
        const results = run(snapshot);
        const status = (rule: string, account: string) => results.findings.filter((f) => f.ruleId === rule && f.resource.account === account).map((f) => f.status);
        expect(status('azure-defender-servers', PROD)).toEqual(['UNKNOWN']);
        expect(status('azure-monitor-alert-nsg-write', SHARED)).toEqual(['UNKNOWN']);
        expect(status('azure-network-nsg-no-internet-ssh', PROD)).toEqual(['UNKNOWN']);
        expect(status('azure-sql-auditing', PROD)).toEqual(['UNKNOWN']);
      },
    );
  });

  test('a looping nextLink is a gap, not an endless scan', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX], loopingOps: ['network:NetworkSecurityGroups_ListAll'] }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const gaps = snapshot.coverage.filter((c) => c.outcome !== 'ok');
      expect(gaps.map((c) => c.operation)).toEqual(['NetworkSecurityGroups_ListAll', 'NetworkSecurityGroups_ListAll']);
      expect(gaps[0].message).toMatch(/loop/);
    });
  });

  test('a nextLink the client does not follow (an operation it treats as unpaged) is a gap, not a silently short list', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX], loopingOps: ['monitor:ActivityLogAlerts_ListBySubscriptionId'] }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const gaps = snapshot.coverage.filter((c) => c.outcome !== 'ok');
      expect(gaps.map((c) => c.operation)).toEqual(['ActivityLogAlerts_ListBySubscriptionId', 'ActivityLogAlerts_ListBySubscriptionId']);
      expect(gaps[0].message).toMatch(/more pages/);
    });
  });

  test('a named subscription the credential cannot read is unreadable: all its findings are UNKNOWN', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX] }, async (fake) => {
      const { snapshot, collection } = await collectSnapshot(fake, { subscriptions: [SHARED, SANDBOX] });
      expect(collection.stats.unreadableAccounts).toEqual([SANDBOX]);
      expect(snapshot.coverage.find((c) => c.account === SANDBOX)).toMatchObject({ outcome: 'denied', affects: ['*'] });
      const results = run(snapshot);
      const sandbox = results.scan.accounts.find((a) => a.account === SANDBOX)!;
      expect(sandbox.complete).toBe(false);
      expect(results.findings.filter((f) => f.resource.account === SANDBOX).every((f) => f.status === 'UNKNOWN')).toBe(true);
    });
  });

  test('--management-group scans the subscriptions beneath it, at any depth; one the credential cannot read is unreadable, not left out', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX] }, async (fake) => {
      const { snapshot, collection } = await collectSnapshot(fake, { managementGroup: 'contoso-landing' });
      // SANDBOX sits under contoso-landing but the credential cannot read it: it is in scope, and all its findings are UNKNOWN
      expect(snapshot.metadata.accounts.map((a) => a.id)).toEqual([PROD, SANDBOX]);
      expect(collection.stats.unreadableAccounts).toEqual([SANDBOX]);
      const results = run(snapshot);
      expect(results.scan.accounts.find((a) => a.account === SANDBOX)!.complete).toBe(false);
      expect(fake.countByOperation()['managementgroups:ManagementGroups_GetDescendants']).toBe(1);
      // from the root group, every subscription of the tenant
      const all = await collectSnapshot(fake, { managementGroup: TENANT });
      expect(all.snapshot.metadata.accounts.map((a) => a.id)).toEqual([PROD, SHARED, SANDBOX]);
    });
  });

  test('--cloud: tokens are asked for the sovereign cloud\'s Resource Manager, for every client', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX] }, async (fake) => {
      for (const [cloud, audience] of [
        [undefined, 'https://management.azure.com/.default'],
        ['AzureUSGovernment', 'https://management.usgovcloudapi.net/.default'],
        ['AzureChinaCloud', 'https://management.chinacloudapi.cn/.default'],
      ] as const) {
        const scopes = new Set<string>();
        const credential = { getToken: async (s: string | string[]) => ([s].flat().forEach((x) => scopes.add(x)), { token: 't', expiresOnTimestamp: Date.now() + 3600_000 }) };
        const { snapshot } = await collectSnapshot(fake, { credential, cloud, subscriptions: [SHARED], managementGroup: cloud ? undefined : TENANT });
        expect([...scopes]).toEqual([audience]);
        expect(snapshot.metadata.description).toContain(cloud ?? 'subscription');
      }
    });
  });

  test('--management-group that cannot be read is a usage error naming the group and the permission', async () => {
    await withFake({ scenario: loadScenario(), faults: [{ op: 'managementgroups:ManagementGroups_GetDescendants', kind: 'denied' }] }, async (fake) => {
      await expect(collectSnapshot(fake, { managementGroup: 'contoso-landing' })).rejects.toThrow(/management group contoso-landing .*denied.*Reader on the management group/);
    });
  });

  test('Resource Graph failing leaves only the placement unknown, in every subscription', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX], faults: [{ op: 'resourcegraph:Resources', kind: 'denied' }] }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      const gaps = snapshot.coverage.filter((c) => c.outcome !== 'ok');
      expect(gaps.map((c) => [c.account, c.operation, c.outcome])).toEqual([
        [PROD, 'Resources', 'denied'],
        [SHARED, 'Resources', 'denied'],
      ]);
      const results = run(snapshot);
      expect(results.findings.filter((f) => f.ruleId === 'azure-network-watcher-regions').map((f) => f.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
    });
  });
});

describe('scanning identity', () => {
  // An Entra ID token's shape (header.payload.signature, base64url); the collector reads names only.
  const jwt = (claims: Record<string, string>): string => ['{"alg":"RS256","typ":"JWT"}', JSON.stringify(claims)].map((x) => Buffer.from(x).toString('base64url')).join('.') + '.c2lnbmF0dXJl';
  test.each([
    [{ upn: 'auditor@contoso.example', oid: 'o-1', tid: TENANT }, { principal: 'user auditor@contoso.example', via: `tenant ${TENANT}` }],
    [{ appid: '6f1d7c2a-9b7e-4d1e-a1b2-3c4d5e6f7a8b', oid: '9d8c7b6a-0000-4000-8000-000000000001', tid: TENANT }, { principal: 'application 6f1d7c2a-9b7e-4d1e-a1b2-3c4d5e6f7a8b (object 9d8c7b6a-0000-4000-8000-000000000001)', via: `tenant ${TENANT}` }],
  ])('is read from the access token the credential holds (%j), and the token is not kept', async (claims, expected) => {
    const token = jwt(claims);
    await withFake({ scenario: loadScenario() }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, { credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) }, subscriptions: [SHARED] });
      expect(snapshot.metadata.collectedBy).toEqual([{ provider: 'azure', ...expected }]);
      expect(JSON.stringify(snapshot)).not.toContain(token.split('.')[1]);
    });
  });
});

import type { Resource, Snapshot } from '../../../src/core/types';
import { byId, collectGcpSnapshot, loadGcpScenario, startFakeGcp } from './gcp-helpers';
import type { FakeGcp } from '../../fake-cloud/gcp/server';

/**
 * The real clients over HTTP against the fake: every property the scenario holds reaches the
 * snapshot, paging changes nothing, and nothing but reads is ever called.
 */

let fake: FakeGcp;
let snapshot: Snapshot;
let calls: number;

beforeAll(async () => {
  fake = await startFakeGcp({ scenario: loadGcpScenario('acme-org') });
  const got = await collectGcpSnapshot(fake);
  snapshot = got.snapshot;
  calls = got.collection.stats.calls;
});
afterAll(() => fake.stop());

const withoutVolatile = (s: Snapshot): unknown => ({
  resources: [...s.resources].sort((a, b) => `${a.type}${a.id}`.localeCompare(`${b.type}${b.id}`)),
  coverage: s.coverage.map((c) => ({ ...c, calls: undefined })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  accounts: s.metadata.accounts,
});

describe('round trip through the official clients', () => {
  it('names who collected: a bare access token names nobody, so the snapshot says so (and holds no token)', () => {
    expect(snapshot.metadata.collectedBy).toEqual([{ provider: 'gcp', principal: expect.stringMatching(/^the holder of the access token in GOOGLE_OAUTH_ACCESS_TOKEN/) }]);
    expect(JSON.stringify(snapshot)).not.toContain('fake-token');
  });

  it('scans every folder and project under the organization', () => {
    const projects = snapshot.resources.filter((r) => r.type === 'gcp.project').map((r) => r.account);
    expect(projects.sort()).toEqual(['acme-dev', 'acme-prod', 'acme-security']);
    // The containers own organization- and folder-level resources (policies, aggregated sinks).
    expect(snapshot.metadata.accounts.map((a) => a.id).sort()).toEqual(['acme-dev', 'acme-prod', 'acme-security', 'folders/200000000001', 'folders/200000000002', 'organizations/100000000001']);
    expect(snapshot.resources.filter((r) => r.type === 'gcp.folder').map((r) => r.properties.displayName).sort()).toEqual(['development', 'production']);
    expect(snapshot.resources.every((r) => r.provider === 'gcp' && r.source?.kind === 'runtime')).toBe(true);
  });

  it('keeps the hierarchy: parent, ancestors, organization', () => {
    const dev = byId(snapshot, 'gcp.project', 'acme-dev');
    expect(dev.properties).toMatchObject({ projectId: 'acme-dev', projectNumber: '300000000003', parent: 'folders/200000000002', ancestors: ['folders/200000000002', 'organizations/100000000001'], organizationId: '100000000001', state: 'ACTIVE' });
  });

  it('keeps IAM bindings, conditions and audit configs at every level', () => {
    const org = byId(snapshot, 'gcp.organization', 'organizations/100000000001');
    const audit = (org.properties.iamPolicy as { auditConfigs: unknown[] }).auditConfigs;
    expect(audit).toEqual([
      {
        service: 'allServices',
        auditLogConfigs: [
          { logType: 'ADMIN_READ', exemptedMembers: [] },
          { logType: 'DATA_WRITE', exemptedMembers: [] },
          { logType: 'DATA_READ', exemptedMembers: ['user:batch@acme.example'] },
        ],
      },
    ]);
    const dev = byId(snapshot, 'gcp.folder', '200000000002');
    expect((dev.properties.iamPolicy as { bindings: unknown[] }).bindings).toEqual([
      { role: 'roles/owner', members: ['user:contractor@gmail.com'], condition: null },
      { role: 'roles/editor', members: ['group:devs@acme.example'], condition: { title: 'business hours', expression: "request.time.getHours('Europe/Berlin') < 18" } },
    ]);
  });

  it('records which APIs are enabled, and a disabled API as not-enabled (a fact, not a gap)', () => {
    const dev = byId(snapshot, 'gcp.project', 'acme-dev');
    expect(dev.properties.apis).toMatchObject({ iam: 'enabled', storage: 'enabled', logging: 'enabled', compute: 'not-enabled', cloudkms: 'not-enabled', sqladmin: 'not-enabled' });
    const notEnabled = snapshot.coverage.filter((c) => c.outcome === 'not-enabled');
    expect(notEnabled.map((c) => [c.account, c.service]).sort()).toEqual([['acme-dev', 'cloudkms'], ['acme-dev', 'compute'], ['acme-dev', 'sqladmin']]);
    expect(snapshot.coverage.filter((c) => !['ok', 'not-enabled'].includes(c.outcome))).toEqual([]);
    expect(snapshot.resources.filter((r) => r.account === 'acme-dev' && r.type.startsWith('gcp.compute.'))).toEqual([]);
  });

  it('keeps bucket settings: uniform access, prevention, ACLs, versioning, retention lock, logging, soft delete, IAM', () => {
    const archive = byId(snapshot, 'gcp.storage.bucket', 'acme-audit-archive');
    expect(archive.properties).toMatchObject({
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: true,
      retentionPolicy: { retentionPeriodSeconds: 31536000, isLocked: true },
      logging: { logBucket: 'acme-access-logs', logObjectPrefix: 'audit-archive/' },
      softDeleteRetentionSeconds: 604800,
    });
    const data = byId(snapshot, 'gcp.storage.bucket', 'acme-prod-customer-data');
    expect(data.properties.uniformBucketLevelAccess).toBe(false);
    expect(data.properties.acl).toEqual(expect.arrayContaining([expect.objectContaining({ entity: 'allAuthenticatedUsers', role: 'READER' })]));
    expect(data.tags).toEqual({ 'data-classification': 'confidential' });
    const pub = byId(snapshot, 'gcp.storage.bucket', 'acme-prod-public-assets');
    expect((pub.properties.iamPolicy as { bindings: unknown[] }).bindings).toEqual([{ role: 'roles/storage.objectViewer', members: ['allUsers'], condition: null }]);
  });

  it('keeps crypto keys: purpose, rotation, primary version, protection level, own and key ring IAM', () => {
    const archive = byId(snapshot, 'gcp.kms.crypto-key', 'archive');
    expect(archive.properties).toMatchObject({ purpose: 'ENCRYPT_DECRYPT', rotationPeriodSeconds: 7776000, nextRotationTime: '2026-02-01T00:00:00Z', primary: { state: 'ENABLED', protectionLevel: 'HSM' }, protectionLevel: 'HSM', location: 'europe-west1' });
    expect(archive.properties.keyRingIamPolicy).toEqual({ version: 1, bindings: [{ role: 'roles/cloudkms.admin', members: ['group:gcp-admins@acme.example'], condition: null }] });
    const tokens = byId(snapshot, 'gcp.kms.crypto-key', 'tokens');
    expect(tokens.properties.rotationPeriodSeconds).toBeNull();
    expect(JSON.stringify(tokens.properties)).toContain('allAuthenticatedUsers');
  });

  it('keeps service accounts (default ones marked, disabled) and their user-managed keys', () => {
    const sa = (email: string): Resource => snapshot.resources.find((r) => r.type === 'gcp.iam.service-account' && r.properties.email === email)!;
    expect(sa('300000000002-compute@developer.gserviceaccount.com').properties.kind).toBe('default-compute');
    expect(sa('old-batch@acme-prod.iam.gserviceaccount.com').properties.disabled).toBe(true);
    expect(sa('deployer@acme-prod.iam.gserviceaccount.com').properties.keys).toEqual([
      { keyId: 'k1', keyType: 'USER_MANAGED', origin: 'GOOGLE_PROVIDED', validAfter: '2024-02-01T00:00:00Z', validBefore: '9999-12-31T23:59:59Z', disabled: false },
    ]);
    expect((sa('scanner@acme-security.iam.gserviceaccount.com').properties.keys as { keyType: string }[]).map((k) => k.keyType)).toEqual(['SYSTEM_MANAGED']);
  });

  it('keeps sinks at organization and project level, firewalls, networks, subnet flow logs, Cloud SQL', () => {
    const orgSink = byId(snapshot, 'gcp.logging.sink', 'org-audit-archive');
    expect(orgSink).toMatchObject({ account: 'organizations/100000000001', properties: { destination: 'storage.googleapis.com/acme-audit-archive', filter: '', includeChildren: true, disabled: false } });
    expect(byId(snapshot, 'gcp.logging.sink', 'errors-only').properties.filter).toBe('severity>=ERROR');
    const ssh = byId(snapshot, 'gcp.compute.firewall', 'default-allow-ssh');
    expect(ssh.properties).toMatchObject({ direction: 'INGRESS', disabled: false, sourceRanges: ['0.0.0.0/0'], allowed: [{ protocol: 'tcp', ports: ['22'] }] });
    expect(byId(snapshot, 'gcp.compute.firewall', 'default-allow-rdp').properties.disabled).toBe(true);
    expect(byId(snapshot, 'gcp.compute.network', 'default').properties).toMatchObject({ autoCreateSubnetworks: true });
    expect(byId(snapshot, 'gcp.compute.subnetwork', 'prod-eu').properties).toMatchObject({ flowLogs: true, flowLogsSampling: 50, flowLogsMetadata: 'INCLUDE_ALL_METADATA' });
    expect(byId(snapshot, 'gcp.compute.subnetwork', 'prod-us')).toMatchObject({ region: 'us-central1', properties: { flowLogs: false } });
    expect(byId(snapshot, 'gcp.compute.firewall', 'allow-https').properties).toMatchObject({ logging: true, targetTags: ['web'], network: 'prod-vpc' });
    expect(byId(snapshot, 'gcp.sql.instance', 'orders-db').properties).toMatchObject({ publicIp: true, authorizedNetworks: [{ name: 'everyone', value: '0.0.0.0/0' }], sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED', backupEnabled: false, pointInTimeRecovery: false });
    // Cloud SQL switches are BoolValue wrappers in the client: true must come through as true.
    expect(byId(snapshot, 'gcp.sql.instance', 'audit-db').properties).toMatchObject({ publicIp: false, sslMode: 'ENCRYPTED_ONLY', backupEnabled: true, pointInTimeRecovery: true });
    expect(byId(snapshot, 'gcp.sql.instance', 'audit-db').unknown).toBeUndefined();
  });
});

describe('paging', () => {
  it('one item per page gives the same snapshot, with more calls', async () => {
    const paged = await startFakeGcp({ scenario: loadGcpScenario('acme-org'), pageSize: 1 });
    try {
      const got = await collectGcpSnapshot(paged);
      expect(withoutVolatile(got.snapshot)).toEqual(withoutVolatile(snapshot));
      expect(got.collection.stats.calls).toBeGreaterThan(calls);
      // Listings with more than one item were really read in several pages.
      expect(paged.calls.filter((c) => c.method === 'compute:ListFirewalls' && c.unit === 'acme-prod').length).toBe(4);
    } finally {
      await paged.stop();
    }
  });
});

describe('read-only', () => {
  it('calls only get, list, search and getIamPolicy methods, and never writes', () => {
    const methods = [...new Set(fake.calls.map((c) => c.method))].sort();
    expect(methods.length).toBeGreaterThan(15);
    for (const m of methods) expect(m).toMatch(/^[a-z]+:(Get|List|Search|AggregatedList)[A-Za-z]*$/);
    // POST only where the API defines a read as POST (getIamPolicy of the hierarchy and of keys).
    for (const c of fake.calls.filter((x) => x.httpMethod !== 'GET')) {
      expect([c.httpMethod, c.method]).toEqual(['POST', expect.stringMatching(/IamPolicy$/)]);
    }
    expect(fake.calls.every((c) => c.status === 200)).toBe(true);
  });
});

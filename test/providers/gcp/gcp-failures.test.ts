import { join } from 'node:path';
import { builtinFacts, builtinRegistry } from '../../../src/catalog';
import type { Results, Snapshot } from '../../../src/core/types';
import { evaluate } from '../../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../../src/engine/rule-loader';
import type { FakeGcpOptions, GcpFault } from '../../fake-cloud/gcp/server';
import { ROOT } from '../../helpers';
import { byId, collectGcpSnapshot, loadGcpScenario, startFakeGcp } from './gcp-helpers';

/**
 * Every way a Google Cloud read can fail — denied, API disabled, throttled past the retries, 5xx,
 * an answer that is not what the API promises — ends as a recorded gap and an UNKNOWN verdict
 * that reaches the SOC 2 roll-up, never as an empty list or a PASS.
 */

const SECURITY = 'acme-security';

async function collect(faults: GcpFault[], extra: Partial<FakeGcpOptions> = {}, projects?: string[]): Promise<Snapshot> {
  const fake = await startFakeGcp({ scenario: loadGcpScenario('acme-org'), faults, ...extra });
  try {
    return (await collectGcpSnapshot(fake, projects ? { organization: undefined, projects } : {})).snapshot;
  } finally {
    await fake.stop();
  }
}

function run(snapshot: Snapshot, ...files: string[]): Results {
  const rules = loadRulesOrThrow(files.map((f) => join(ROOT, 'rules', 'gcp', f)), builtinRegistry(), builtinFacts());
  return evaluate(snapshot, rules, builtinRegistry()).results;
}

const gaps = (s: Snapshot) => s.coverage.filter((c) => !['ok', 'not-enabled'].includes(c.outcome));
const status = (r: Results, rule: string, account: string) => r.findings.filter((f) => f.ruleId === rule && f.resource.account === account).map((f) => f.status);
const soc2 = (r: Results, ...ids: string[]) => Object.fromEntries(r.frameworks.soc2.controls.filter((c) => ids.includes(c.id)).map((c) => [c.id, c.status]));

describe('denied', () => {
  it('a denied project IAM policy is unknown, its rules are UNKNOWN, and SOC 2 says UNKNOWN, not PASS', async () => {
    const rule = 'iam/gcp-iam-project-no-public-principals.yaml';
    const clean = run(await collect([]), rule);
    expect(status(clean, 'gcp-iam-project-no-public-principals', SECURITY)).toEqual(['PASS']);

    const snapshot = await collect([{ method: 'cloudresourcemanager:GetProjectIamPolicy', unit: SECURITY, kind: 'denied' }]);
    const project = byId(snapshot, 'gcp.project', SECURITY);
    expect(project.unknown).toEqual(['iamPolicy']);
    expect(project.properties.iamPolicy).toBeNull();
    expect(gaps(snapshot).map((c) => [c.account, c.operation, c.outcome])).toEqual([[SECURITY, 'GetProjectIamPolicy', 'denied']]);
    const after = run(snapshot, rule);
    expect(status(after, 'gcp-iam-project-no-public-principals', SECURITY)).toEqual(['UNKNOWN']);
    const finding = after.findings.find((f) => f.resource.account === SECURITY)!;
    expect(finding.unknownReasons!.join(' ')).toMatch(/GetProjectIamPolicy denied/);
    // The public grants elsewhere still FAIL: the criterion is FAIL there; on the clean project alone it is UNKNOWN.
    const only = { ...snapshot, resources: snapshot.resources.filter((r) => r.account === SECURITY || r.type !== 'gcp.project') };
    expect(soc2(run(only, rule), 'CC6.1', 'CC6.6', 'C1.1')).toEqual({ 'CC6.1': 'UNKNOWN', 'CC6.6': 'UNKNOWN', 'C1.1': 'UNKNOWN' });
    expect(after.scan.complete).toBe(false);
  });

  it('a denied folder policy makes every project below it UNKNOWN for inherited grants, naming the folder', async () => {
    const snapshot = await collect([{ method: 'cloudresourcemanager:GetFolderIamPolicy', unit: 'folders/200000000001', kind: 'denied' }]);
    const r = run(snapshot, 'iam/gcp-iam-project-no-public-principals.yaml');
    expect(status(r, 'gcp-iam-project-no-public-principals', 'acme-prod')).toEqual(['UNKNOWN']);
    expect(r.findings.find((f) => f.resource.account === 'acme-prod')!.unknownReasons!.join(' ')).toMatch(/folders\/200000000001/);
    // A project under the other folder is not affected.
    expect(status(r, 'gcp-iam-project-no-public-principals', SECURITY)).toEqual(['PASS']);
  });

  it('a denied key IAM policy makes the public-key rule UNKNOWN for that key only', async () => {
    const snapshot = await collect([{ method: 'cloudkms:GetCryptoKeyIamPolicy', resource: 'cryptoKeys/archive', kind: 'denied' }]);
    const key = byId(snapshot, 'gcp.kms.crypto-key', 'archive');
    expect(key.unknown).toEqual(['iamPolicy']);
    const r = run(snapshot, 'kms/gcp-kms-key-not-public.yaml');
    expect(Object.fromEntries(r.findings.map((f) => [f.resource.name, f.status]))).toEqual({ archive: 'UNKNOWN', tokens: 'FAIL', signing: 'PASS' });
  });

  it('a denied listing is an unknown marker for the type, never an empty list', async () => {
    const snapshot = await collect([{ method: 'storage:ListBuckets', unit: SECURITY, kind: 'denied' }]);
    expect(gaps(snapshot).map((c) => [c.account, c.service, c.operation, c.outcome])).toEqual([[SECURITY, 'storage', 'ListBuckets', 'denied']]);
    expect(snapshot.resources.filter((x) => x.type === 'gcp.storage.bucket' && x.account === SECURITY)).toEqual([]);
    const r = run(snapshot, 'storage/gcp-storage-bucket-not-public.yaml');
    expect(status(r, 'gcp-storage-bucket-not-public', SECURITY)).toEqual(['UNKNOWN']);
    expect(soc2(run({ ...snapshot, resources: snapshot.resources.filter((x) => x.account === SECURITY) }, 'storage/gcp-storage-bucket-not-public.yaml'), 'CC6.1')).toEqual({ 'CC6.1': 'UNKNOWN' });
  });

  it('a project that cannot be read at all is reported unreadable, and all its rules UNKNOWN', async () => {
    const fake = await startFakeGcp({ scenario: loadGcpScenario('acme-org'), faults: [{ method: 'cloudresourcemanager:GetProject', unit: 'acme-ghost', kind: 'denied' }] });
    try {
      const { snapshot, collection } = await collectGcpSnapshot(fake, { organization: undefined, projects: ['acme-security', 'acme-ghost'] });
      expect(collection.stats.unreadableAccounts).toEqual(['acme-ghost']);
      expect(gaps(snapshot).some((c) => c.account === 'acme-ghost' && c.outcome === 'denied')).toBe(true);
      const r = run(snapshot, 'storage/gcp-storage-bucket-not-public.yaml', 'compute/gcp-compute-firewall-no-public-ssh.yaml');
      expect(r.findings.filter((f) => f.resource.account === 'acme-ghost').map((f) => f.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
    } finally {
      await fake.stop();
    }
  });
});

describe('an API disabled in a project', () => {
  it('is recorded as not-enabled: a fact, not a gap, and nothing is evaluated as missing', async () => {
    const snapshot = await collect([{ method: 'compute:ListFirewalls', unit: SECURITY, kind: 'disabled' }]);
    expect(snapshot.coverage.filter((c) => c.account === SECURITY && c.outcome === 'not-enabled').map((c) => c.operation)).toEqual(['ListFirewalls']);
    expect(gaps(snapshot)).toEqual([]);
    expect(byId(snapshot, 'gcp.project', SECURITY).properties.apis).toMatchObject({ compute: 'not-enabled' });
    const r = run(snapshot, 'compute/gcp-compute-firewall-no-public-ssh.yaml');
    expect(status(r, 'gcp-compute-firewall-no-public-ssh', SECURITY)).toEqual([]);
    expect(r.scan.complete).toBe(true);
  });
});

describe('throttled, 5xx, malformed', () => {
  const rule = 'storage/gcp-storage-bucket-not-public.yaml';
  const listBuckets = (kind: GcpFault['kind'], more: Partial<GcpFault> = {}): GcpFault[] => [{ method: 'storage:ListBuckets', unit: SECURITY, kind, ...more }];

  it('quota errors that pass within the retries leave no trace', async () => {
    const snapshot = await collect(listBuckets('throttled', { times: 2 }));
    expect(gaps(snapshot)).toEqual([]);
    expect(status(run(snapshot, rule), 'gcp-storage-bucket-not-public', SECURITY)).toEqual(['PASS']);
  });

  it.each([
    ['throttled', 'throttled', /HTTP 429 RATE_LIMIT_EXCEEDED.*gave up after 4 attempts/],
    ['server', 'error', /HTTP 503.*gave up after 4 attempts/],
    ['malformed', 'error', /./],
    ['html', 'error', /./],
  ] as const)('%s past the retries is a gap (%s), and the rule is UNKNOWN', async (kind, outcome, message) => {
    const snapshot = await collect(listBuckets(kind, kind === 'malformed' ? { body: '{"items": "not a list"}' } : {}));
    const g = gaps(snapshot);
    expect(g.map((c) => [c.account, c.operation, c.outcome])).toEqual([[SECURITY, 'ListBuckets', outcome]]);
    expect(g[0].message).toMatch(message);
    expect(snapshot.resources.filter((x) => x.type === 'gcp.storage.bucket' && x.account === SECURITY)).toEqual([]);
    const only = { ...snapshot, resources: snapshot.resources.filter((x) => x.account === SECURITY) };
    const r = run(only, rule);
    expect(status(r, 'gcp-storage-bucket-not-public', SECURITY)).toEqual(['UNKNOWN']);
    expect(soc2(r, 'CC6.1', 'C1.1')).toEqual({ 'CC6.1': 'UNKNOWN', 'C1.1': 'UNKNOWN' });
  });

  it('a failure on a later page loses the whole listing, not just the rest of it', async () => {
    const snapshot = await collect([{ method: 'compute:ListFirewalls', unit: 'acme-prod', kind: 'server', after: 1 }], { pageSize: 1 });
    expect(gaps(snapshot).map((c) => [c.account, c.operation, c.outcome])).toEqual([['acme-prod', 'ListFirewalls', 'error']]);
    const r = run(snapshot, 'compute/gcp-compute-firewall-no-public-rdp.yaml');
    // The firewalls of the first page are not a complete list: no PASS can come from the listing.
    expect(status(r, 'gcp-compute-firewall-no-public-rdp', 'acme-prod')).not.toContain('PASS');
    expect(status(r, 'gcp-compute-firewall-no-public-rdp', 'acme-prod')).toContain('UNKNOWN');
  });

  it('a malformed element of a policy (a binding without its role) makes the policy unknown, not empty', async () => {
    const scenario = loadGcpScenario('acme-org');
    const sec = scenario.projects.find((p) => p.projectId === SECURITY)!;
    (sec.iamPolicy as { bindings: unknown[] }).bindings.push({ members: ['allUsers'] });
    const fake = await startFakeGcp({ scenario });
    try {
      const { snapshot } = await collectGcpSnapshot(fake);
      expect(byId(snapshot, 'gcp.project', SECURITY).unknown).toEqual(['iamPolicy']);
      expect(gaps(snapshot).map((c) => [c.account, c.operation, c.outcome])).toEqual([[SECURITY, 'GetProjectIamPolicy', 'error']]);
      expect(status(run(snapshot, 'iam/gcp-iam-project-no-public-principals.yaml'), 'gcp-iam-project-no-public-principals', SECURITY)).toEqual(['UNKNOWN']);
    } finally {
      await fake.stop();
    }
  });
});

import { join } from 'node:path';
import type { Finding, Resource, Results, Snapshot } from '../../../src/core/types';
import { cli, ROOT, tempDir, writeTemp } from '../../helpers';
import { bucket, load, plan, type Res, run, verdicts } from './gcp-iac-helpers';
import { readFileSync } from 'node:fs';

/**
 * Terraform for the google provider (plans and .tf configuration) through `trustscan iac`:
 * mapped to the Google Cloud resource types the collector emits, placed in the project the code
 * states, and gated by the same rules — with what the code does not fix UNKNOWN, never PASS.
 */

const FIXTURE = join(ROOT, 'fixtures', 'iac', 'gcp', 'plan.json');
const CONFIG = join(ROOT, 'fixtures', 'iac', 'gcp', 'config');
const fixture = load(readFileSync(FIXTURE, 'utf8'));
const results = run(fixture);
const at = (s: Snapshot, address: string): Resource => {
  const r = s.resources.find((x) => x.source.address === address);
  if (!r) throw new Error(`no resource at ${address}`);
  return r;
};

describe('google plan → Google Cloud resource types', () => {
  test('every resource validates against its type, with the ids, projects and regions the collector gives', () => {
    expect([...new Set(fixture.resources.map((r) => r.type))].sort()).toEqual([
      'gcp.compute.firewall',
      'gcp.compute.network',
      'gcp.compute.subnetwork',
      'gcp.folder',
      'gcp.iam.service-account',
      'gcp.kms.crypto-key',
      'gcp.logging.sink',
      'gcp.organization',
      'gcp.project',
      'gcp.storage.bucket',
    ]);
    expect(fixture.metadata.providers).toEqual(['gcp']);
    expect(at(fixture, 'google_storage_bucket.public_site')).toMatchObject({ id: '//storage.googleapis.com/projects/_/buckets/acme-public-site', account: 'acme-prod', region: 'eu' });
    expect(at(fixture, 'google_kms_crypto_key.storage').id).toBe('//cloudkms.googleapis.com/projects/acme-prod/locations/europe-west1/keyRings/main/cryptoKeys/storage');
    expect(at(fixture, 'google_service_account.ci').id).toBe('//iam.googleapis.com/projects/acme-prod/serviceAccounts/ci-deployer@acme-prod.iam.gserviceaccount.com');
    expect(at(fixture, 'google_logging_organization_sink.errors')).toMatchObject({ id: '//logging.googleapis.com/organizations/123456789012/sinks/org-errors', account: 'organizations/123456789012' });
    expect(at(fixture, 'google_compute_subnetwork.app')).toMatchObject({ id: '//compute.googleapis.com/projects/acme-prod/regions/europe-west1/subnetworks/app', region: 'europe-west1' });
    expect(fixture.metadata.accounts.map((a) => a.id).sort()).toEqual(['acme-prod', 'acme-sandbox', 'folders/456789', 'organizations/123456789012']);
  });

  test('a bucket this plan creates gets Cloud Storage defaults where the code is silent', () => {
    expect(at(fixture, 'google_storage_bucket.tmp_exports').properties).toMatchObject({
      location: 'EUROPE-WEST1',
      uniformBucketLevelAccess: false,
      publicAccessPrevention: 'inherited',
      acl: [],
      versioning: false,
      retentionPolicy: null,
      logging: null,
      softDeleteRetentionSeconds: 604800,
    });
    const logs = at(fixture, 'google_storage_bucket.audit_logs');
    // The key is a reference to a key of this plan, known only after apply: its name is known from the code.
    expect(logs.properties).toMatchObject({ defaultKmsKeyName: 'projects/acme-prod/locations/europe-west1/keyRings/main/cryptoKeys/storage', retentionPolicy: { retentionPeriodSeconds: 31536000, isLocked: true } });
    expect(logs.tags).toEqual({ 'data-classification': 'confidential' });
  });

  test('IAM members and bindings fold into the policy the collector reads; what the code does not fix is an unknown element', () => {
    const project = at(fixture, 'google_project_iam_member.ci_storage_admin');
    expect(project.type).toBe('gcp.project');
    const policy = project.properties.iamPolicy as { bindings: unknown[]; auditConfigs: unknown[] };
    expect(policy.bindings).toEqual([
      { role: 'roles/iam.serviceAccountUser', members: ['group:developers@acme.example'], condition: null },
      // The member is the service account's email: known only after apply, built from its id and project.
      { role: 'roles/storage.admin', members: ['serviceAccount:ci-deployer@acme-prod.iam.gserviceaccount.com'], condition: null },
      { role: 'roles/owner', members: ['user:alice.acme@gmail.com'], condition: null },
      null,
    ]);
    expect(project.unknownReasons!['iamPolicy.bindings.3']).toMatch(/project acme-prod is not declared in this code/);
    expect(policy.auditConfigs[0]).toEqual({
      service: 'allServices',
      auditLogConfigs: [
        { logType: 'ADMIN_READ', exemptedMembers: [] },
        { logType: 'DATA_READ', exemptedMembers: ['user:bob@acme.example'] },
        { logType: 'DATA_WRITE', exemptedMembers: [] },
      ],
    });
    // A bucket the plan creates: its policy is what the code grants (the project convenience bindings are never public).
    expect(at(fixture, 'google_storage_bucket.public_site').properties.iamPolicy).toEqual({ version: 1, bindings: [{ role: 'roles/storage.objectViewer', members: ['allUsers'], condition: null }] });
  });
});

describe('the same rules gate the plan', () => {
  test('an _iam_member granting allUsers fails before it is applied, on a bucket the plan creates and on one it only names', () => {
    expect(verdicts(results, 'gcp-storage-bucket-not-public')).toEqual({
      'google_storage_bucket.public_site': 'FAIL',
      'google_storage_bucket.audit_logs': 'PASS',
      // members known only after apply: whether the binding is public is not known
      'google_storage_bucket.tmp_exports': 'UNKNOWN',
      // the bucket is not in the plan: its other bindings are unknown, the public one is certain
      'google_storage_bucket_iam_member.shared_public': 'FAIL',
    });
    expect(verdicts(results, 'gcp-kms-key-not-public')).toEqual({ 'google_kms_crypto_key.storage': 'PASS', 'google_kms_crypto_key.legacy': 'FAIL', 'google_kms_crypto_key.signing': 'PASS' });
    expect(verdicts(results, 'gcp-iam-organization-no-public-principals')).toEqual({ 'google_organization_iam_member.browse': 'FAIL' });
  });

  test('after-apply values stay UNKNOWN, never PASS', () => {
    // source_ranges = [google_compute_address.nat.address]: the port 22 rule may be open to anyone
    const nat = 'google_compute_firewall.https_from_nat';
    expect(verdicts(results, 'gcp-compute-firewall-no-public-ssh')[nat]).toBe('UNKNOWN');
    const f = results.findings.find((x) => x.ruleId === 'gcp-compute-firewall-no-public-ssh' && x.resource.source?.address === nat)!;
    expect(JSON.stringify(f.unknownReasons)).toMatch(/source_ranges is known only after apply/);
    expect(verdicts(results, 'gcp-compute-firewall-no-public-ssh')['google_compute_firewall.ssh_anywhere']).toBe('FAIL');
    // no source range at all: Compute Engine allows every source
    expect(verdicts(results, 'gcp-compute-firewall-no-public-rdp')['google_compute_firewall.rdp_no_source']).toBe('FAIL');
  });

  test('the project rules read what the code grants; what the project inherits exists only live', () => {
    expect(verdicts(results, 'gcp-iam-no-basic-roles-for-users')['google_project_iam_member.ci_storage_admin']).toBe('FAIL');
    expect(verdicts(results, 'gcp-iam-sa-no-admin-roles')['google_project_iam_member.ci_storage_admin']).toBe('FAIL');
    expect(verdicts(results, 'gcp-logging-audit-no-exemptions')['google_project_iam_member.ci_storage_admin']).toBe('FAIL');
    expect(verdicts(results, 'gcp-logging-audit-all-services')['google_project_iam_member.ci_storage_admin']).toBe('PASS');
    expect(verdicts(results, 'gcp-compute-no-default-network')['google_project.sandbox']).toBe('FAIL');
    expect(verdicts(results, 'gcp-iam-project-no-public-principals')['google_project_iam_member.ci_storage_admin']).toBe('UNKNOWN');
  });

  test('google resources the mappers know but do not read are coverage gaps: their rules say UNKNOWN', () => {
    expect(fixture.coverage).toEqual([
      expect.objectContaining({ provider: 'gcp', account: 'acme-prod', service: 'terraform', operation: 'google_sql_database_instance', outcome: 'not-enabled', affects: ['gcp.sql.instance'] }),
    ]);
    const sql = results.findings.filter((f) => f.ruleId.startsWith('gcp-sql-'));
    expect(sql.length).toBe(4);
    expect(new Set(sql.map((f) => f.status))).toEqual(new Set(['UNKNOWN']));
  });
});

describe('IAM semantics', () => {
  const policyOf = (resources: Res[], address = 'google_storage_bucket.b'): unknown => at(load(plan(resources)), address).properties.iamPolicy;
  const m = (name: string, values: Record<string, unknown>): Res => ({ address: `google_storage_bucket_iam_member.${name}`, values: { bucket: 'b', ...values }, computed: ['etag'] });
  const b = (name: string, values: Record<string, unknown>): Res => ({ address: `google_storage_bucket_iam_binding.${name}`, values: { bucket: 'b', ...values }, computed: ['etag'] });

  test('members of one role (and condition) share one binding; a binding is authoritative for its role', () => {
    expect(
      policyOf([
        bucket('b'),
        m('a', { role: 'roles/storage.objectViewer', member: 'user:a@acme.example' }),
        m('b', { role: 'roles/storage.objectViewer', member: 'user:b@acme.example' }),
        m('c', { role: 'roles/storage.objectViewer', member: 'user:c@acme.example', condition: [{ title: 'until 2027', expression: 'request.time < timestamp("2027-01-01T00:00:00Z")' }] }),
      ]),
    ).toEqual({
      version: 3,
      bindings: [
        { role: 'roles/storage.objectViewer', members: ['user:a@acme.example', 'user:b@acme.example'], condition: null },
        { role: 'roles/storage.objectViewer', members: ['user:c@acme.example'], condition: { title: 'until 2027', expression: 'request.time < timestamp("2027-01-01T00:00:00Z")' } },
      ],
    });
    const policy = JSON.stringify({ bindings: [{ role: 'roles/storage.admin', members: ['group:old@acme.example'] }, { role: 'roles/storage.objectViewer', members: ['allUsers'] }] });
    expect(
      policyOf([
        bucket('b'),
        { address: 'google_storage_bucket_iam_policy.p', values: { bucket: 'b', policy_data: policy }, computed: ['etag'] },
        b('admins', { role: 'roles/storage.admin', members: ['group:new@acme.example'] }),
      ]),
    ).toEqual({
      version: 1,
      bindings: [
        { role: 'roles/storage.objectViewer', members: ['allUsers'], condition: null },
        { role: 'roles/storage.admin', members: ['group:new@acme.example'], condition: null },
      ],
    });
  });

  test('a conditional grant to allUsers is UNKNOWN: conditions are not evaluated', () => {
    const cond = [{ title: 't', expression: 'resource.name.startsWith("projects/_/buckets/b/objects/public/")' }];
    const s = load(plan([bucket('b'), m('p', { role: 'roles/storage.objectViewer', member: 'allUsers', condition: cond })]));
    expect(verdicts(run(s), 'gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.b': 'UNKNOWN' });
  });

  test('an IAM resource whose target is known only after apply may change any bucket: theirs become UNKNOWN, not PASS', () => {
    const s = load(plan([bucket('b'), { address: 'google_storage_bucket_iam_member.x', values: { role: 'roles/storage.objectViewer', member: 'group:g@acme.example' }, refs: { bucket: ['data.terraform_remote_state.shared.outputs.bucket'] }, computed: ['etag'] }]));
    expect(verdicts(run(s), 'gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.b': 'UNKNOWN' });
    expect(at(s, 'google_storage_bucket.b').unknownReasons!['iamPolicy.bindings.0']).toMatch(/google_storage_bucket_iam_member.x may add a binding/);
  });

  test('a bucket that exists already: what the plan does not declare of it is unknown', () => {
    const existing: Res = { ...bucket('b', { uniform_bucket_level_access: true, public_access_prevention: 'inherited', soft_delete_policy: [{ retention_duration_seconds: 604800 }] }), actions: ['update'] };
    const s = load(plan([existing]));
    expect(verdicts(run(s), 'gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.b': 'UNKNOWN' });
    expect(verdicts(run(s), 'gcp-storage-bucket-uniform-access')).toEqual({ 'google_storage_bucket.b': 'PASS' });
  });

  test('ACL resources: a public predefined ACL fails without uniform access, and is inert with it', () => {
    const acl: Res = { address: 'google_storage_bucket_acl.a', values: { bucket: 'b', predefined_acl: 'publicRead' } };
    expect(verdicts(run(load(plan([bucket('b'), acl]))), 'gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.b': 'FAIL' });
    expect(verdicts(run(load(plan([bucket('b', { uniform_bucket_level_access: true }), acl]))), 'gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.b': 'PASS' });
    const entry: Res = { address: 'google_storage_default_object_access_control.a', values: { bucket: 'b', entity: 'allAuthenticatedUsers', role: 'READER' } };
    expect(verdicts(run(load(plan([bucket('b'), entry]))), 'gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.b': 'FAIL' });
  });
});

describe('where google resources deploy', () => {
  const fw: Res = { address: 'google_compute_firewall.f', values: { name: 'f', network: 'vpc', allow: [{ protocol: 'tcp', ports: ['22'] }], source_ranges: ['0.0.0.0/0'] }, computed: ['direction', 'project'] };

  test('the resource\'s own project, else the provider block\'s, else --account, else unknown — never a guess', () => {
    expect(at(load(plan([{ ...fw, values: { ...fw.values, project: 'own-project' }, computed: ['direction'] }])), 'google_compute_firewall.f').account).toBe('own-project');
    expect(at(load(plan([fw]), { account: 'cli-project' }), 'google_compute_firewall.f').account).toBe('acme-prod');
    expect(at(load(plan([fw], { region: 'europe-west1' }), { account: 'cli-project' }), 'google_compute_firewall.f').account).toBe('cli-project');
    expect(at(load(plan([fw], {})), 'google_compute_firewall.f').account).toBe('unknown');
  });
});

describe('trustscan iac reads google plans and configuration', () => {
  test('findings are located at file, line and address, and roll up to SOC 2 and CIS GCP', async () => {
    const r = await cli(['iac', FIXTURE, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const out = JSON.parse(r.stdout) as Results;
    const f = out.findings.find((x: Finding) => x.ruleId === 'gcp-storage-bucket-not-public' && x.status === 'FAIL')!;
    expect(f.resource.source).toEqual({ kind: 'terraform', file: 'fixtures/iac/gcp/plan.json', line: expect.any(Number), address: 'google_storage_bucket.public_site' });
    expect(f.resource.provider).toBe('gcp');
    expect(Object.keys(out.frameworks)).toEqual(expect.arrayContaining(['soc2', 'cis-gcp-foundations-v3.0.0']));
  });

  test('.tf configuration: the same mappers, google_iam_policy computed from the code, the project from the provider block', async () => {
    const r = await cli(['iac', CONFIG, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const out = JSON.parse(r.stdout) as Results;
    const v = (rule: string): Record<string, string> => Object.fromEntries(out.findings.filter((x) => x.ruleId === rule).map((x) => [x.resource.source!.address!, x.status]));
    expect(v('gcp-storage-bucket-not-public')).toEqual({ 'google_storage_bucket.reports': 'PASS', 'google_storage_bucket.access_logs': 'FAIL' });
    expect(v('gcp-compute-firewall-no-public-database-ports')).toEqual({ 'google_compute_firewall.db_from_anywhere': 'FAIL' });
    expect(v('gcp-iam-sa-no-admin-roles')).toEqual({ 'google_project_iam_member.etl_editor': 'FAIL' });
    expect(v('gcp-logging-sink-bucket-locked')).toEqual({ 'google_logging_folder_sink.audit': 'FAIL' });
    expect(v('gcp-kms-key-rotation-90-days')).toEqual({ 'google_kms_crypto_key.reports': 'FAIL' });
    const pub = out.findings.find((x) => x.ruleId === 'gcp-storage-bucket-not-public' && x.status === 'FAIL')!;
    expect(pub.resource).toMatchObject({ account: 'acme-data', source: { kind: 'terraform', file: 'fixtures/iac/gcp/config/main.tf', line: 46 } });
    expect(out.findings.every((x) => x.resource.provider === 'gcp')).toBe(true);
  });

  test('values as people write them: numeric ports are Terraform strings; what Terraform rejects is UNKNOWN, not PASS', async () => {
    const dir = tempDir();
    writeTemp(
      dir,
      'main.tf',
      [
        'resource "google_compute_firewall" "num" {',
        '  name = "num"',
        '  network = "default"',
        '  allow {',
        '    protocol = "tcp"',
        '    ports = [22, 3389]',
        '  }',
        '  source_ranges = ["0.0.0.0/0"]',
        '}',
        'resource "google_compute_firewall" "odd" {',
        '  name = "odd"',
        '  network = "default"',
        '  allow = "var.backends"',
        '  source_ranges = ["0.0.0.0/0"]',
        '}',
        'resource "google_kms_key_ring" "r" {',
        '  name = "r"',
        '  location = "global"',
        '  project = "p"',
        '}',
        'resource "google_kms_crypto_key" "k" {',
        '  name = "k"',
        '  key_ring = google_kms_key_ring.r.id',
        '  rotation_period = 90',
        '}',
        '',
      ].join('\n'),
    );
    const out = JSON.parse((await cli(['iac', dir, '--format', 'json'])).stdout) as Results;
    const v = (rule: string): Record<string, string> => Object.fromEntries(out.findings.filter((x) => x.ruleId === rule).map((x) => [x.resource.source!.address!, x.status]));
    expect(v('gcp-compute-firewall-no-public-ssh')).toEqual({ 'google_compute_firewall.num': 'FAIL', 'google_compute_firewall.odd': 'UNKNOWN' });
    expect(v('gcp-kms-key-rotation-90-days')).toEqual({ 'google_kms_crypto_key.k': 'UNKNOWN' });
  });

  test('a .tf file named alone, and a variable without a value: the project is unknown, not the provider\'s default', async () => {
    const dir = tempDir();
    writeTemp(dir, 'main.tf', ['variable "project" {}', 'provider "google" {', '  project = var.project', '}', 'resource "google_storage_bucket_iam_member" "m" {', '  bucket = "shared"', '  role   = "roles/storage.objectViewer"', '  member = "allUsers"', '}', ''].join('\n'));
    const r = await cli(['iac', join(dir, 'main.tf'), '--format', 'json']);
    const out = JSON.parse(r.stdout) as Results;
    const f = out.findings.find((x) => x.ruleId === 'gcp-storage-bucket-not-public')!;
    expect(f.status).toBe('FAIL');
    expect(f.resource.account).toBe('unknown');
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { bucket, load, plan, type Res, run, verdicts } from './gcp-iac-helpers';

/**
 * Every Google Cloud rule that reads something Terraform states, gated on code: one plan that
 * passes and one that fails, through the same reader and rules as `trustscan iac`. Rules whose
 * verdict code can only ever make one way are listed with why (a project's inherited bindings and
 * the resources code does not declare exist only in the live organization).
 */

interface Case {
  /** The resource the finding is about. */
  at: string;
  pass?: Res[];
  fail?: Res[];
  /** Why code cannot decide the other way. */
  oneWay?: string;
  /** With `oneWay`: code that would go the other way live, which stays undecided here (UNKNOWN, or waiting on live data). */
  undecided?: Res[];
}

const PROJECT = 'acme-prod';
const member = (address: string, values: Record<string, unknown>): Res => ({ address, values, computed: ['etag'] });
const firewall = (name: string, values: Record<string, unknown>, computed: string[] = ['direction', 'destination_ranges']): Res => ({
  address: `google_compute_firewall.${name}`,
  values: { name, network: 'vpc', ...values },
  computed: [...computed, 'self_link', 'enable_logging'],
});
const ring: Res = { address: 'google_kms_key_ring.main', values: { name: 'main', location: 'europe-west1' } };
/** A key of a ring the plan creates (whose policy is then known: empty unless the code grants). */
const key = (name: string, values: Record<string, unknown> = {}): Res => ({
  address: `google_kms_crypto_key.${name}`,
  values: { name, ...values },
  refs: { key_ring: ['google_kms_key_ring.main.id', 'google_kms_key_ring.main'] },
  computed: ['version_template', 'primary'],
});
const projectMember = (name: string, role: string, m: string): Res => member(`google_project_iam_member.${name}`, { project: PROJECT, role, member: m });
const sa = (name: string): Res => ({ address: `google_service_account.${name}`, values: { account_id: name }, computed: ['email', 'member', 'name', 'unique_id'] });
const sink = (type: string, name: string, values: Record<string, unknown>): Res => ({ address: `${type}.${name}`, values: { name, ...values }, computed: ['writer_identity'] });
const IMPLIED_PROJECT = 'google_project_iam_member.first';

const CASES: Record<string, Case> = {
  'gcp-compute-firewall-logging': {
    at: 'google_compute_firewall.web',
    pass: [firewall('web', { allow: [{ protocol: 'tcp', ports: ['443'] }], source_ranges: ['0.0.0.0/0'], log_config: [{ metadata: 'INCLUDE_ALL_METADATA' }] })],
    fail: [firewall('web', { allow: [{ protocol: 'tcp', ports: ['443'] }], source_ranges: ['0.0.0.0/0'] })],
  },
  'gcp-compute-firewall-no-public-all-ports': {
    at: 'google_compute_firewall.any',
    pass: [firewall('any', { allow: [{ protocol: 'all' }], source_ranges: ['10.0.0.0/8'] })],
    fail: [firewall('any', { allow: [{ protocol: 'all' }], source_ranges: ['0.0.0.0/0'] })],
  },
  'gcp-compute-firewall-no-public-database-ports': {
    at: 'google_compute_firewall.db',
    pass: [firewall('db', { allow: [{ protocol: 'tcp', ports: ['5432'] }], source_tags: ['app'] }, ['direction', 'destination_ranges', 'source_ranges'])],
    // No source at all: Compute Engine allows every source.
    fail: [firewall('db', { allow: [{ protocol: 'tcp', ports: ['5432'] }] }, ['direction', 'destination_ranges', 'source_ranges'])],
  },
  'gcp-compute-firewall-no-public-rdp': {
    at: 'google_compute_firewall.rdp',
    pass: [firewall('rdp', { allow: [{ protocol: 'tcp', ports: ['3389'] }], source_ranges: ['35.235.240.0/20'] })],
    fail: [firewall('rdp', { allow: [{ protocol: 'tcp', ports: ['3000-4000'] }], source_ranges: ['0.0.0.0/0'] })],
  },
  'gcp-compute-firewall-no-public-ssh': {
    at: 'google_compute_firewall.ssh',
    pass: [firewall('ssh', { allow: [{ protocol: 'tcp', ports: ['22'] }], source_ranges: ['0.0.0.0/0'], disabled: true })],
    fail: [firewall('ssh', { allow: [{ protocol: 'tcp', ports: ['22'] }], source_ranges: ['::/0'] })],
  },
  'gcp-compute-no-default-network': {
    at: 'google_project.sandbox',
    fail: [{ address: 'google_project.sandbox', values: { project_id: 'acme-sandbox', name: 'Sandbox', org_id: '123' }, computed: ['number'] }],
    oneWay: 'the networks a project has are not all in code: no default network is never certain',
    undecided: [{ address: 'google_project.sandbox', values: { project_id: 'acme-sandbox', name: 'Sandbox', org_id: '123', auto_create_network: false }, computed: ['number'] }],
  },
  'gcp-compute-no-legacy-network': {
    at: 'google_compute_network.vpc',
    pass: [{ address: 'google_compute_network.vpc', values: { name: 'vpc', auto_create_subnetworks: false }, computed: ['routing_mode'] }],
    fail: [{ address: 'google_compute_network.vpc', values: { name: 'vpc', ipv4_range: '10.240.0.0/16', auto_create_subnetworks: false } }],
  },
  'gcp-compute-subnet-flow-logs': {
    at: 'google_compute_subnetwork.app',
    pass: [{ address: 'google_compute_subnetwork.app', values: { name: 'app', network: 'vpc', ip_cidr_range: '10.0.0.0/24', region: 'europe-west1', log_config: [{ flow_sampling: 1 }] }, computed: ['purpose'] }],
    fail: [{ address: 'google_compute_subnetwork.app', values: { name: 'app', network: 'vpc', ip_cidr_range: '10.0.0.0/24', region: 'europe-west1' }, computed: ['purpose'] }],
  },
  'gcp-iam-default-sa-not-editor': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/editor', 'serviceAccount:123456789-compute@developer.gserviceaccount.com')],
    oneWay: 'a project also has the bindings it inherits from its folders and organization, which exist only live',
    undecided: [projectMember('first', 'roles/viewer', 'serviceAccount:123456789-compute@developer.gserviceaccount.com')],
  },
  'gcp-iam-folder-no-public-principals': {
    at: 'google_folder_iam_member.pub',
    fail: [member('google_folder_iam_member.pub', { folder: 'folders/42', role: 'roles/viewer', member: 'allUsers' })],
    oneWay: 'a folder inherits from the folders and organization above it',
    undecided: [member('google_folder_iam_member.pub', { folder: 'folders/42', role: 'roles/viewer', member: 'group:all@acme.example' })],
  },
  'gcp-iam-kms-separation-of-duties': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/cloudkms.admin', 'user:kim@acme.example'), projectMember('second', 'roles/cloudkms.cryptoKeyEncrypterDecrypter', 'user:kim@acme.example')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/cloudkms.admin', 'user:kim@acme.example'), projectMember('second', 'roles/cloudkms.cryptoKeyEncrypterDecrypter', 'user:lee@acme.example')],
  },
  'gcp-iam-no-basic-roles-for-users': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/owner', 'user:ana@acme.example')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/owner', 'group:admins@acme.example')],
  },
  'gcp-iam-no-consumer-accounts': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/viewer', 'user:someone@gmail.com')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/viewer', 'user:someone@acme.example')],
  },
  'gcp-iam-no-project-level-sa-user': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/iam.serviceAccountTokenCreator', 'group:devs@acme.example')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/iam.serviceAccountTokenCreator', 'serviceAccount:ci@acme-prod.iam.gserviceaccount.com')],
  },
  'gcp-iam-organization-no-public-principals': {
    at: 'google_organization_iam_policy.org',
    // Authoritative, and an organization inherits nothing: code can decide both ways.
    pass: [{ address: 'google_organization_iam_policy.org', values: { org_id: '123', policy_data: JSON.stringify({ bindings: [{ role: 'roles/browser', members: ['domain:acme.example'] }] }) }, computed: ['etag'] }],
    fail: [{ address: 'google_organization_iam_policy.org', values: { org_id: '123', policy_data: JSON.stringify({ bindings: [{ role: 'roles/browser', members: ['allAuthenticatedUsers'] }] }) }, computed: ['etag'] }],
  },
  'gcp-iam-project-no-public-principals': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/viewer', 'allUsers')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/viewer', 'domain:acme.example')],
  },
  'gcp-iam-sa-key-rotated': {
    at: 'google_service_account.ci',
    pass: [sa('ci')],
    oneWay: 'a key is created at apply: its age exists only live',
    undecided: [sa('ci'), { address: 'google_service_account_key.ci', refs: { service_account_id: ['google_service_account.ci.name', 'google_service_account.ci'] }, computed: ['private_key', 'valid_after'] }],
  },
  'gcp-iam-sa-no-admin-roles': {
    at: IMPLIED_PROJECT,
    // The member is the account's email, known only after apply but built from its account id and project.
    fail: [{ address: 'google_project_iam_member.first', values: { project: PROJECT, role: 'roles/compute.admin' }, refs: { member: ['google_service_account.ci.email', 'google_service_account.ci'] }, computed: ['etag'] }, sa('ci')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/compute.viewer', 'serviceAccount:ci@acme-prod.iam.gserviceaccount.com')],
  },
  'gcp-iam-sa-no-user-managed-keys': {
    at: 'google_service_account.ci',
    pass: [sa('ci')],
    fail: [sa('ci'), { address: 'google_service_account_key.ci', refs: { service_account_id: ['google_service_account.ci.name', 'google_service_account.ci'] }, computed: ['private_key', 'valid_after'] }],
  },
  'gcp-iam-sa-separation-of-duties': {
    at: IMPLIED_PROJECT,
    fail: [projectMember('first', 'roles/iam.serviceAccountAdmin', 'user:lee@acme.example'), projectMember('second', 'roles/iam.serviceAccountUser', 'user:lee@acme.example')],
    oneWay: 'inherited bindings exist only live',
    undecided: [projectMember('first', 'roles/iam.serviceAccountAdmin', 'user:lee@acme.example')],
  },
  'gcp-kms-key-not-public': {
    at: 'google_kms_crypto_key.k',
    pass: [ring, key('k', { rotation_period: '7776000s' })],
    fail: [ring, key('k'), { address: 'google_kms_crypto_key_iam_binding.k', values: { role: 'roles/cloudkms.cryptoKeyEncrypter', members: ['allAuthenticatedUsers'] }, refs: { crypto_key_id: ['google_kms_crypto_key.k.id', 'google_kms_crypto_key.k'] }, computed: ['etag'] }],
  },
  'gcp-kms-key-rotation-90-days': {
    at: 'google_kms_crypto_key.k',
    pass: [ring, key('k', { rotation_period: '7776000s' })],
    fail: [ring, key('k', { rotation_period: '31536000s' })],
  },
  'gcp-logging-audit-all-services': {
    at: 'google_project_iam_audit_config.all',
    pass: [{ address: 'google_project_iam_audit_config.all', values: { project: PROJECT, service: 'allServices', audit_log_config: [{ log_type: 'ADMIN_READ' }, { log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }] }, computed: ['etag'] }],
    oneWay: 'a log type the code does not turn on may be turned on by a folder or the organization',
    undecided: [{ address: 'google_project_iam_audit_config.all', values: { project: PROJECT, service: 'allServices', audit_log_config: [{ log_type: 'ADMIN_READ' }] }, computed: ['etag'] }],
  },
  'gcp-logging-audit-no-exemptions': {
    at: 'google_project_iam_audit_config.all',
    fail: [{ address: 'google_project_iam_audit_config.all', values: { project: PROJECT, service: 'storage.googleapis.com', audit_log_config: [{ log_type: 'DATA_READ', exempted_members: ['user:bot@acme.example'] }] }, computed: ['etag'] }],
    oneWay: 'other services\' audit configs are not in code',
    undecided: [{ address: 'google_project_iam_audit_config.all', values: { project: PROJECT, service: 'allServices', audit_log_config: [{ log_type: 'DATA_READ' }] }, computed: ['etag'] }],
  },
  'gcp-logging-sink-all-entries': {
    at: IMPLIED_PROJECT,
    pass: [projectMember('first', 'roles/viewer', 'group:audit@acme.example'), sink('google_logging_project_sink', 'all', { project: PROJECT, destination: 'storage.googleapis.com/acme-logs' })],
    oneWay: 'a project\'s sinks are not all in code: "no sink" is never certain',
    undecided: [projectMember('first', 'roles/viewer', 'group:audit@acme.example'), sink('google_logging_project_sink', 'all', { project: PROJECT, destination: 'storage.googleapis.com/acme-logs', filter: 'severity>=ERROR' })],
  },
  'gcp-logging-sink-bucket-locked': {
    at: 'google_logging_project_sink.all',
    pass: [sink('google_logging_project_sink', 'all', { destination: 'storage.googleapis.com/acme-logs' }), bucket('acme-logs', { retention_policy: [{ retention_period: 3600, is_locked: true }] })],
    fail: [sink('google_logging_project_sink', 'all', { destination: 'storage.googleapis.com/acme-logs' }), bucket('acme-logs', { retention_policy: [{ retention_period: 3600 }] })],
  },
  'gcp-logging-sink-enabled': {
    at: 'google_logging_folder_sink.f',
    pass: [sink('google_logging_folder_sink', 'f', { folder: '42', destination: 'pubsub.googleapis.com/projects/p/topics/t' })],
    fail: [sink('google_logging_folder_sink', 'f', { folder: '42', destination: 'pubsub.googleapis.com/projects/p/topics/t', disabled: true })],
  },
  'gcp-storage-bucket-access-logging': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b', { logging: [{ log_bucket: 'acme-access-logs' }] })],
    fail: [bucket('b')],
  },
  'gcp-storage-bucket-not-public': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b'), member('google_storage_bucket_iam_member.m', { bucket: 'b', role: 'roles/storage.objectViewer', member: 'group:readers@acme.example' })],
    fail: [bucket('b'), member('google_storage_bucket_iam_member.m', { bucket: 'b', role: 'roles/storage.objectViewer', member: 'allUsers' })],
  },
  'gcp-storage-bucket-public-access-prevention': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b', { public_access_prevention: 'enforced' })],
    fail: [bucket('b')],
  },
  'gcp-storage-bucket-sensitive-cmek': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b', { labels: { 'data-classification': 'restricted' }, encryption: [{ default_kms_key_name: `projects/${PROJECT}/locations/eu/keyRings/r/cryptoKeys/k` }] })],
    fail: [bucket('b', { labels: { 'data-classification': 'confidential' } })],
  },
  'gcp-storage-bucket-soft-delete': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b')],
    fail: [bucket('b', { soft_delete_policy: [{ retention_duration_seconds: 0 }] })],
  },
  'gcp-storage-bucket-uniform-access': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b', { uniform_bucket_level_access: true })],
    fail: [bucket('b')],
  },
  'gcp-storage-bucket-versioning': {
    at: 'google_storage_bucket.b',
    pass: [bucket('b', { versioning: [{ enabled: true }] })],
    fail: [bucket('b', { versioning: [{ enabled: false }] })],
  },
};

/** Rules of which Terraform states nothing the mappers read. */
const NOT_FROM_CODE: Record<string, string> = {
  'gcp-project-asset-inventory-enabled': 'enabled APIs are read only from a live project (apis is runtime-only)',
  'gcp-sql-automated-backups': 'google_sql_database_instance is not mapped: reported as not read',
  'gcp-sql-no-open-authorized-networks': 'google_sql_database_instance is not mapped: reported as not read',
  'gcp-sql-no-public-ip': 'google_sql_database_instance is not mapped: reported as not read',
  'gcp-sql-ssl-required': 'google_sql_database_instance is not mapped: reported as not read',
};

const gcpRules = readdirSync(join(ROOT, 'rules', 'gcp'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.split('/').pop()!.replace(/\.yaml$/, ''))
  .sort();

describe('Google Cloud rules on Terraform plans', () => {
  test('every Google Cloud rule has IaC cases, or is listed as not decidable from code', () => {
    expect([...Object.keys(CASES), ...Object.keys(NOT_FROM_CODE)].sort()).toEqual(gcpRules);
  });

  for (const [rule, c] of Object.entries(CASES)) {
    describe(rule, () => {
      if (c.pass) test('passes on code that complies', () => expect(verdicts(run(load(plan(c.pass!))), rule)[c.at]).toBe('PASS'));
      if (c.fail) test('fails on code that does not', () => expect(verdicts(run(load(plan(c.fail!))), rule)[c.at]).toBe('FAIL'));
      if (c.oneWay) {
        test(`is not decided the other way on code alone: ${c.oneWay}`, () => {
          expect(c.pass === undefined || c.fail === undefined).toBe(true);
          expect([undefined, 'UNKNOWN']).toContain(verdicts(run(load(plan(c.undecided!))), rule)[c.at]);
        });
      }
    });
  }
});

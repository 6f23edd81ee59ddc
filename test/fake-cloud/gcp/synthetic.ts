import type { GcpScenario, Json, ScenarioProject } from './scenario';

/**
 * A synthetic Google Cloud organization for the benchmark: folders directly under the
 * organization, projects spread over them, and in every project the kinds of resource the
 * collector reads, with the bindings and drift of a real estate (so the collector does its
 * whole work, including per-resource IAM policy reads).
 */
export interface GcpSyntheticSize {
  folders: number;
  projects: number;
  bucketsPerProject: number;
  keysPerProject: number;
  firewallsPerProject: number;
  serviceAccountsPerProject: number;
}

export const GCP_BENCH_SIZE: GcpSyntheticSize = { folders: 20, projects: 300, bucketsPerProject: 5, keysPerProject: 3, firewallsPerProject: 6, serviceAccountsPerProject: 4 };

const ORG = '900000000001';
const LOCATIONS = ['global', 'europe-west1'];

function project(i: number, size: GcpSyntheticSize): ScenarioProject {
  const id = `bench-p${String(i).padStart(4, '0')}`;
  const number = String(800000000000 + i);
  const folder = `folders/${700000000000 + (i % Math.max(1, size.folders))}`;
  const ring = `projects/${id}/locations/europe-west1/keyRings/app`;
  const binding = (role: string, ...members: string[]): Json => ({ role, members });
  return {
    projectId: id,
    number,
    parent: size.folders > 0 ? folder : `organizations/${ORG}`,
    labels: { env: i % 3 === 0 ? 'prod' : 'dev' },
    iamPolicy: {
      version: 1,
      bindings: [binding('roles/owner', 'group:admins@bench.example'), binding('roles/editor', `serviceAccount:${number}-compute@developer.gserviceaccount.com`), ...(i % 10 === 0 ? [binding('roles/viewer', 'allAuthenticatedUsers')] : [])],
      auditConfigs: [{ service: 'allServices', auditLogConfigs: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_WRITE' }, { logType: 'DATA_READ' }] }],
    },
    serviceAccounts: Array.from({ length: size.serviceAccountsPerProject }, (_, k) => ({
      email: k === 0 ? `${number}-compute@developer.gserviceaccount.com` : `app-${k}@${id}.iam.gserviceaccount.com`,
      uniqueId: `1${number}${k}`,
      displayName: `account ${k}`,
      keys: [{ name: `projects/${id}/serviceAccounts/app-${k}@${id}.iam.gserviceaccount.com/keys/k${k}`, keyType: k % 2 ? 'USER_MANAGED' : 'SYSTEM_MANAGED', keyOrigin: 'GOOGLE_PROVIDED', validAfterTime: '2025-06-01T00:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z' }],
    })),
    buckets: Array.from({ length: size.bucketsPerProject }, (_, b) => ({
      name: `${id}-bucket-${b}`,
      location: 'EU',
      storageClass: 'STANDARD',
      timeCreated: '2024-01-01T00:00:00Z',
      iamConfiguration: { uniformBucketLevelAccess: { enabled: b % 4 !== 0 }, publicAccessPrevention: b % 2 ? 'enforced' : 'inherited' },
      ...(b % 4 === 0 ? { acl: [{ entity: `project-owners-${number}`, role: 'OWNER' }], defaultObjectAcl: [{ entity: `project-owners-${number}`, role: 'OWNER' }] } : {}),
      versioning: { enabled: b % 2 === 0 },
      softDeletePolicy: { retentionDurationSeconds: '604800' },
      iamPolicy: { bindings: [binding('roles/storage.admin', 'group:admins@bench.example')] },
    })),
    kms: {
      locations: LOCATIONS,
      keyRings: [
        {
          name: ring,
          createTime: '2024-01-01T00:00:00Z',
          iamPolicy: { bindings: [binding('roles/cloudkms.admin', 'group:admins@bench.example')] },
          cryptoKeys: Array.from({ length: size.keysPerProject }, (_, k) => ({
            name: `${ring}/cryptoKeys/key-${k}`,
            purpose: 'ENCRYPT_DECRYPT',
            ...(k % 2 ? {} : { rotationPeriod: '7776000s', nextRotationTime: '2026-03-01T00:00:00Z' }),
            primary: { name: `${ring}/cryptoKeys/key-${k}/cryptoKeyVersions/1`, state: 'ENABLED', protectionLevel: 'SOFTWARE' },
            versionTemplate: { protectionLevel: 'SOFTWARE' },
            iamPolicy: { bindings: [binding('roles/cloudkms.cryptoKeyEncrypterDecrypter', `serviceAccount:app-1@${id}.iam.gserviceaccount.com`)] },
          })),
        },
      ],
    },
    sinks: [{ name: 'to-archive', destination: 'storage.googleapis.com/bench-archive', filter: '' }],
    firewalls: Array.from({ length: size.firewallsPerProject }, (_, k) => ({
      name: `fw-${k}`,
      network: `https://www.googleapis.com/compute/v1/projects/${id}/global/networks/${k % 2 ? 'default' : 'app'}`,
      direction: 'INGRESS',
      priority: 1000,
      sourceRanges: [k === 0 ? '0.0.0.0/0' : '10.0.0.0/8'],
      allowed: [{ IPProtocol: 'tcp', ports: [String([22, 443, 5432, 3389, 8080, 6379][k % 6])] }],
    })),
    networks: [
      { name: 'default', autoCreateSubnetworks: true, routingConfig: { routingMode: 'REGIONAL' } },
      { name: 'app', autoCreateSubnetworks: false, routingConfig: { routingMode: 'GLOBAL' } },
    ],
    subnetworks: ['europe-west1', 'us-central1'].map((r, k) => ({
      name: `app-${r}`,
      network: `https://www.googleapis.com/compute/v1/projects/${id}/global/networks/app`,
      region: `https://www.googleapis.com/compute/v1/projects/${id}/regions/${r}`,
      ipCidrRange: `10.${k}.0.0/20`,
      purpose: 'PRIVATE',
      ...(k ? {} : { logConfig: { enable: true, flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' } }),
    })),
    sqlInstances: [{ name: 'db', databaseVersion: 'POSTGRES_15', state: 'RUNNABLE', region: 'europe-west1', settings: { ipConfiguration: { ipv4Enabled: i % 2 === 0, authorizedNetworks: [], sslMode: 'ENCRYPTED_ONLY' }, backupConfiguration: { enabled: true } } }],
  };
}

export function gcpSyntheticScenario(size: GcpSyntheticSize): GcpScenario {
  return {
    description: `synthetic organization: ${size.folders} folders, ${size.projects} projects`,
    organization: {
      id: ORG,
      displayName: 'bench.example',
      iamPolicy: { version: 1, bindings: [{ role: 'roles/resourcemanager.organizationAdmin', members: ['group:admins@bench.example'] }] },
      sinks: [{ name: 'org-archive', destination: 'storage.googleapis.com/bench-archive', filter: '', includeChildren: true }],
    },
    folders: Array.from({ length: size.folders }, (_, f) => ({ id: String(700000000000 + f), displayName: `folder-${f}`, parent: `organizations/${ORG}`, iamPolicy: { version: 1, bindings: [] } })),
    projects: Array.from({ length: size.projects }, (_, i) => project(i, size)),
  };
}

/**
 * The fewest calls the data needs, by method: one call per listing (every listing here fits one
 * page of the API's largest page size) and one per resource whose own IAM policy or keys must be
 * read. Folders are directly under the organization, so folders and projects are listed once
 * per container.
 */
export function gcpMinimumCalls(s: GcpScenario): Record<string, number> {
  const containers = 1 + (s.folders?.length ?? 0);
  const P = s.projects.length;
  const sum = (f: (p: ScenarioProject) => number): number => s.projects.reduce((a, p) => a + f(p), 0);
  return {
    'cloudresourcemanager:GetOrganization': 1,
    'cloudresourcemanager:GetOrganizationIamPolicy': 1,
    'cloudresourcemanager:ListFolders': containers,
    'cloudresourcemanager:GetFolderIamPolicy': containers - 1,
    'cloudresourcemanager:ListProjects': containers,
    'cloudresourcemanager:GetProjectIamPolicy': P,
    'serviceusage:ListServices': P,
    'iam:ListServiceAccounts': P,
    'iam:ListServiceAccountKeys': sum((p) => p.serviceAccounts?.length ?? 0),
    'storage:ListBuckets': P,
    'storage:GetBucketIamPolicy': sum((p) => p.buckets?.length ?? 0),
    'cloudkms:ListLocations': P,
    'cloudkms:ListKeyRings': sum((p) => p.kms?.locations.length ?? 0),
    'cloudkms:ListCryptoKeys': sum((p) => p.kms?.keyRings.length ?? 0),
    'cloudkms:GetKeyRingIamPolicy': sum((p) => p.kms?.keyRings.length ?? 0),
    'cloudkms:GetCryptoKeyIamPolicy': sum((p) => (p.kms?.keyRings ?? []).reduce((a, r) => a + (r.cryptoKeys?.length ?? 0), 0)),
    'logging:ListSinks': containers + P,
    'logging:ListBuckets': P,
    'compute:ListFirewalls': P,
    'compute:ListNetworks': P,
    'compute:AggregatedListSubnetworks': P,
    'sqladmin:ListInstances': P,
  };
}

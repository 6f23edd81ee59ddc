import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, dateTime, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';
import { hierarchyPolicy } from './iam-policy';

/** The APIs trustscan reads, keyed as in `gcp.project` `apis` (a property path cannot hold dots). */
export const GCP_APIS = {
  iam: 'iam.googleapis.com',
  storage: 'storage.googleapis.com',
  cloudkms: 'cloudkms.googleapis.com',
  logging: 'logging.googleapis.com',
  compute: 'compute.googleapis.com',
  sqladmin: 'sqladmin.googleapis.com',
  cloudasset: 'cloudasset.googleapis.com',
} as const;
export type ApiKey = keyof typeof GCP_APIS;

const state = strEnum(['ACTIVE', 'DELETE_REQUESTED', 'STATE_UNSPECIFIED']);

/**
 * `gcp.organization`. Id: `//cloudresourcemanager.googleapis.com/organizations/<id>`; account:
 * `organizations/<id>` (organization-level resources are owned by the organization itself, as
 * Google Cloud has no management project); region `global`.
 */
export const gcpOrganization: ResourceTypeDef = {
  type: 'gcp.organization',
  provider: 'gcp',
  description: 'A Google Cloud organization and its IAM policy (bindings, conditions, audit configs).',
  scope: 'global',
  properties: obj({
    organizationId: str('numeric id'),
    displayName: str('the primary domain'),
    state,
    createTime: nullable(dateTime()),
    iamPolicy: hierarchyPolicy("the organization's IAM policy: inherited by every folder and project"),
  }),
  operations: [
    { op: 'cloudresourcemanager:GetOrganization', lists: true, paths: ['displayName', 'state', 'createTime'] },
    { op: 'cloudresourcemanager:GetOrganizationIamPolicy', paths: ['iamPolicy'] },
  ],
  runtimeOnly: ['state', 'createTime', 'displayName'],
};

/** `gcp.folder`. Id: `//cloudresourcemanager.googleapis.com/folders/<id>`; account `folders/<id>`. */
export const gcpFolder: ResourceTypeDef = {
  type: 'gcp.folder',
  provider: 'gcp',
  description: 'A folder of the resource hierarchy, with its IAM policy.',
  scope: 'global',
  properties: obj({
    folderId: str('numeric id'),
    displayName: str(),
    parent: str('organizations/<id> or folders/<id>'),
    ancestors: arr(str(), 'every container above it, nearest first: folders/<id>, …, organizations/<id>'),
    organizationId: nullable(str(), 'the organization it belongs to'),
    state,
    iamPolicy: hierarchyPolicy("the folder's IAM policy: inherited by every folder and project below it"),
  }),
  operations: [
    { op: 'cloudresourcemanager:ListFolders', lists: true },
    // A folder above a scanned project that no listing returned is read on its own.
    { op: 'cloudresourcemanager:GetFolder', paths: ['displayName', 'state', 'parent'] },
    { op: 'cloudresourcemanager:GetFolderIamPolicy', paths: ['iamPolicy'] },
  ],
  runtimeOnly: ['state', 'ancestors', 'organizationId'],
};

/**
 * `gcp.project`. Id: `//cloudresourcemanager.googleapis.com/projects/<projectId>`; account: the
 * project id; region `global`. One per scanned project: the unit of a Google Cloud scan.
 */
export const gcpProject: ResourceTypeDef = {
  type: 'gcp.project',
  provider: 'gcp',
  description: 'A Google Cloud project: its place in the hierarchy, IAM policy and enabled APIs.',
  scope: 'global',
  properties: obj({
    projectId: str(),
    projectNumber: str(),
    displayName: str(),
    state,
    parent: nullable(str(), 'organizations/<id> or folders/<id>; null for a project outside any organization'),
    ancestors: arr(str(), 'every container above it, nearest first (folders/<id>, …, organizations/<id>)'),
    organizationId: nullable(str(), 'null when the project is in no organization'),
    iamPolicy: hierarchyPolicy("the project's own IAM policy (inherited bindings are in facts.effectiveBindings)"),
    apis: obj(
      {
        ...Object.fromEntries(Object.entries(GCP_APIS).map(([k, service]) => [k, strEnum(['enabled', 'not-enabled'], service)])),
      },
      'state of the APIs trustscan reads, by service name without .googleapis.com (Service Usage, or the answer of a call to a disabled API): a disabled API means nothing of that kind can be read or used in the project',
    ),
  }),
  operations: [
    { op: 'cloudresourcemanager:SearchProjects', lists: true },
    { op: 'cloudresourcemanager:GetProject', lists: true },
    { op: 'cloudresourcemanager:GetProjectIamPolicy', paths: ['iamPolicy'] },
    { op: 'serviceusage:ListServices', paths: ['apis'] },
  ],
  runtimeOnly: ['state', 'apis', 'ancestors', 'organizationId', 'projectNumber'],
};

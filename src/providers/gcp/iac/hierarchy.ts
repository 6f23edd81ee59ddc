import { type Draft, UNKNOWN_ACCOUNT } from '../../../iac/draft';
import type { TfInstance } from '../../../iac/terraform-plan';
import { isUnresolved, str, Unresolved } from '../../../iac/values';
import { gcpFolder, gcpOrganization, gcpProject } from '../types/hierarchy';
import { type GcpContext, stripPrefix } from './context';
import { assemblePolicy, IamIndex, type IamFamily, placedId } from './iam-policy';

/**
 * The resource hierarchy as code declares it: `google_project` and `google_folder`, and the IAM
 * members, bindings, policies and audit configs of projects, folders and organizations, folded
 * into `gcp.project`, `gcp.folder` and `gcp.organization`. A project, folder or organization the
 * code configures but does not create is one resource too, whose other settings and bindings are
 * unknown. Of one it creates, the bindings are still not all known (the creator may be granted a
 * role): only an `*_iam_policy` fixes them. Where a level sits in the hierarchy (its ancestors)
 * exists only in the live organization.
 */

const HIERARCHY_ID = '//cloudresourcemanager.googleapis.com/';

export const PROJECT_IAM: IamFamily = {
  prefix: 'google_project_iam',
  audit: 'google_project_iam_audit_config',
  attr: 'project',
  targetTypes: ['google_project'],
  keyOf: (t) => (typeof t.values.project_id === 'string' ? t.values.project_id : undefined),
  normalize: (v) => stripPrefix(v, 'projects/'),
};

const folderId = (v: string): string => stripPrefix(v, 'folders/');

export const FOLDER_IAM: IamFamily = {
  prefix: 'google_folder_iam',
  audit: 'google_folder_iam_audit_config',
  attr: 'folder',
  targetTypes: ['google_folder'],
  keyOf: (t) => {
    const id = t.values.folder_id ?? t.values.name;
    return typeof id === 'string' ? folderId(id) : undefined;
  },
  normalize: folderId,
};

export const ORGANIZATION_IAM: IamFamily = {
  prefix: 'google_organization_iam',
  audit: 'google_organization_iam_audit_config',
  attr: 'org_id',
  targetTypes: [],
  keyOf: () => undefined,
  normalize: (v) => stripPrefix(v, 'organizations/'),
};

/** `organizations/<id>` or `folders/<id>` from a project's or folder's parent attributes. */
function parentOf(inst: TfInstance): unknown {
  const v = inst.values;
  const folder = v.folder_id;
  const org = v.org_id;
  if (isUnresolved(folder)) return folder;
  if (typeof folder === 'string' && folder !== '') return `folders/${folderId(folder)}`;
  if (isUnresolved(org)) return org;
  if (typeof org === 'string' && org !== '') return `organizations/${stripPrefix(org, 'organizations/')}`;
  return null;
}

export function mapHierarchy(ctx: GcpContext): Draft[] {
  const out: Draft[] = [];
  const projects = new IamIndex(ctx, PROJECT_IAM);
  for (const p of ctx.plan.byType('google_project')) {
    const id = str(p.values.project_id);
    const d = projectDraft(ctx, p, id);
    const name = str(p.values.name);
    d.set('displayName', name ?? '');
    if (typeof name === 'string' && name !== '') d.name = name;
    d.set('parent', parentOf(p));
    const why = ctx.creates(p) ? `${p.address} is created by this code: whoever creates it may be granted a role outside it` : `${p.address} exists already and this code does not declare all its bindings`;
    d.set('iamPolicy', assemblePolicy(ctx, PROJECT_IAM, projects.of(p), projects.maybeOf(p), { bindings: why, auditConfigs: ctx.creates(p) ? null : `${p.address} exists already and this code does not declare all its audit configs` }));
    out.push(d);
  }
  for (const [id, children] of projects.external) {
    const first = earliest(children);
    const why = `project ${id || '(known only after apply)'} is not declared in this code`;
    const d = projectDraft(ctx, first, placedId(id, 'project'));
    d.set('displayName', new Unresolved(`${why}: its name is not visible in it`));
    d.set('parent', new Unresolved(`${why}: its parent is not visible in it`));
    d.set('iamPolicy', assemblePolicy(ctx, PROJECT_IAM, children, projects.maybe, { bindings: `${why}: its other bindings are not visible in it`, auditConfigs: `${why}: its other audit configs are not visible in it` }));
    out.push(d);
  }

  const folders = new IamIndex(ctx, FOLDER_IAM);
  for (const f of ctx.plan.byType('google_folder')) {
    const key = FOLDER_IAM.keyOf(f);
    const d = folderDraft(ctx, f, key ?? new Unresolved(`${f.address} folder id is known only after apply`));
    d.set('displayName', str(f.values.display_name, ''));
    if (typeof f.values.display_name === 'string') d.name = f.values.display_name;
    const parent = str(f.values.parent);
    d.set('parent', parent ?? new Unresolved(`${f.address} parent is not set`));
    const why = ctx.creates(f) ? `${f.address} is created by this code: bindings made outside it are not visible` : `${f.address} exists already and this code does not declare all its bindings`;
    d.set('iamPolicy', assemblePolicy(ctx, FOLDER_IAM, folders.of(f), folders.maybeOf(f), { bindings: why, auditConfigs: ctx.creates(f) ? null : why }));
    out.push(d);
  }
  for (const [id, children] of folders.external) {
    const why = `folder ${id || '(known only after apply)'} is not declared in this code`;
    const d = folderDraft(ctx, earliest(children), placedId(id, 'folder'));
    d.set('displayName', new Unresolved(`${why}: its name is not visible in it`));
    d.set('parent', new Unresolved(`${why}: its parent is not visible in it`));
    d.set('iamPolicy', assemblePolicy(ctx, FOLDER_IAM, children, folders.maybe, { bindings: `${why}: its other bindings are not visible in it`, auditConfigs: `${why}: its other audit configs are not visible in it` }));
    out.push(d);
  }

  const orgs = new IamIndex(ctx, ORGANIZATION_IAM);
  for (const [id, children] of orgs.external) {
    const why = `organization ${id || '(known only after apply)'} is not declared in this code`;
    const first = earliest(children);
    const d = ctx.draft(gcpOrganization, first, id ? `organizations/${id}` : UNKNOWN_ACCOUNT);
    if (id) {
      d.id = `${HIERARCHY_ID}organizations/${id}`;
      d.name = `organizations/${id}`;
    }
    d.set('organizationId', placedId(id, 'organization id'));
    d.set('iamPolicy', assemblePolicy(ctx, ORGANIZATION_IAM, children, orgs.maybe, { bindings: `${why}: its other bindings are not visible in it`, auditConfigs: `${why}: its other audit configs are not visible in it` }));
    out.push(d);
  }
  return out;
}

function earliest(children: readonly TfInstance[]): TfInstance {
  return children.reduce((a, c) => (c.line < a.line ? c : a));
}

function projectDraft(ctx: GcpContext, at: TfInstance, id: string | null | Unresolved): Draft {
  const d = ctx.draft(gcpProject, at, typeof id === 'string' ? id : UNKNOWN_ACCOUNT);
  if (typeof id === 'string') {
    d.id = `${HIERARCHY_ID}projects/${id}`;
    d.name = id;
  }
  d.set('projectId', id ?? new Unresolved(`${at.address} project id is not set`));
  return d;
}

function folderDraft(ctx: GcpContext, at: TfInstance, id: string | Unresolved): Draft {
  const d = ctx.draft(gcpFolder, at, typeof id === 'string' ? `folders/${id}` : UNKNOWN_ACCOUNT);
  if (typeof id === 'string') {
    d.id = `${HIERARCHY_ID}folders/${id}`;
    d.name = `folders/${id}`;
  }
  d.set('folderId', id);
  return d;
}

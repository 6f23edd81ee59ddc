import { createHash } from 'node:crypto';
import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioAccessKey, ScenarioAccount, ScenarioPolicy, ScenarioRole } from '../scenario';
import { el, esc, list, nest } from '../xml';

/** IAM over the Query protocol: only the read operations a scanner needs, plus GenerateCredentialReport. */

const enc = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc));
const fakeId = (prefix: string, seed: string): string =>
  prefix + createHash('sha256').update(seed).digest('hex').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17);

function policyArn(acct: ScenarioAccount, p: ScenarioPolicy): string {
  if (p.arn) return p.arn;
  if (p.name === undefined) throw new Error('a scenario policy without a name needs an arn');
  return p.awsManaged ? `arn:aws:iam::aws:policy${p.path ?? '/'}${p.name}` : `arn:aws:iam::${acct.id}:policy${p.path ?? '/'}${p.name}`;
}

function attached(acct: ScenarioAccount, arns: string[] | undefined): string {
  const policies = acct.iam?.policies ?? [];
  return list(
    'AttachedManagedPolicies',
    'member',
    (arns ?? []).map((arn) => {
      const p = policies.find((x) => policyArn(acct, x) === arn);
      return el('PolicyName', p?.name ?? arn.split('/').pop()) + el('PolicyArn', arn);
    }),
  );
}

function inline(tag: string, items: { name: string; document: unknown }[] | undefined): string {
  return list(tag, 'member', (items ?? []).map((p) => el('PolicyName', p.name) + el('PolicyDocument', enc(p.document))));
}

function boundary(arn: string | null | undefined): string {
  return arn ? nest('PermissionsBoundary', el('PermissionsBoundaryType', 'Policy'), el('PermissionsBoundaryArn', arn)) : '';
}

/** A role's InstanceProfileList: each profile with its ARN (the role itself is not repeated inside). */
function instanceProfiles(account: string, r: ScenarioRole): string {
  return list(
    'InstanceProfileList',
    'member',
    (r.instanceProfiles ?? []).map((name) => el('InstanceProfileName', name) + el('Path', '/') + el('Arn', `arn:aws:iam::${account}:instance-profile/${name}`) + el('InstanceProfileId', fakeId('AIPA', account + name)) + el('CreateDate', r.createDate)),
  );
}

/** Every entity of the account, in the order GetAccountAuthorizationDetails pages through them. */
function authorizationEntities(ctx: Ctx): { kind: string; xml: string }[] {
  const acct = ctx.account;
  const iam = acct.iam ?? {};
  const filters = [...ctx.params.entries()].filter(([k]) => k.startsWith('Filter.member.')).map(([, v]) => v);
  const want = (f: string): boolean => filters.length === 0 || filters.includes(f);
  const out: { kind: string; xml: string }[] = [];
  if (want('User')) {
    for (const u of iam.users ?? []) {
      const path = u.path ?? '/';
      out.push({
        kind: 'UserDetailList',
        xml:
          el('Path', path) + el('UserName', u.name) + el('UserId', u.id ?? fakeId('AIDA', acct.id + u.name)) +
          el('Arn', `arn:aws:iam::${acct.id}:user${path}${u.name}`) + el('CreateDate', u.createDate) +
          inline('UserPolicyList', u.inlinePolicies) + list('GroupList', 'member', (u.groups ?? []).map(esc)) +
          attached(acct, u.attachedPolicies) + boundary(u.permissionsBoundary) +
          list('Tags', 'member', Object.entries(u.tags ?? {}).map(([k, v]) => el('Key', k) + el('Value', v))),
      });
    }
  }
  if (want('Group')) {
    for (const g of iam.groups ?? []) {
      const path = g.path ?? '/';
      out.push({
        kind: 'GroupDetailList',
        xml:
          el('Path', path) + el('GroupName', g.name) + el('GroupId', g.id ?? fakeId('AGPA', acct.id + g.name)) +
          el('Arn', `arn:aws:iam::${acct.id}:group${path}${g.name}`) + el('CreateDate', g.createDate) +
          inline('GroupPolicyList', g.inlinePolicies) + attached(acct, g.attachedPolicies),
      });
    }
  }
  if (want('Role')) {
    for (const r of iam.roles ?? []) {
      const path = r.path ?? '/';
      const lastUsed = r.lastUsed ? nest('RoleLastUsed', el('LastUsedDate', r.lastUsed.date), el('Region', r.lastUsed.region)) : '<RoleLastUsed></RoleLastUsed>';
      out.push({
        kind: 'RoleDetailList',
        xml:
          el('Path', path) + el('RoleName', r.name) + el('RoleId', r.id ?? fakeId('AROA', acct.id + r.name)) +
          el('Arn', `arn:aws:iam::${acct.id}:role${path}${r.name}`) + el('CreateDate', r.createDate) +
          el('AssumeRolePolicyDocument', enc(r.assumeRolePolicy)) + instanceProfiles(acct.id, r) +
          inline('RolePolicyList', r.inlinePolicies) + attached(acct, r.attachedPolicies) + boundary(r.permissionsBoundary) + lastUsed,
      });
    }
  }
  const users = iam.users ?? [];
  const groups = iam.groups ?? [];
  const roles = iam.roles ?? [];
  for (const p of iam.policies ?? []) {
    const arn = policyArn(acct, p);
    const count =
      users.filter((u) => u.attachedPolicies?.includes(arn)).length +
      groups.filter((g) => g.attachedPolicies?.includes(arn)).length +
      roles.filter((r) => r.attachedPolicies?.includes(arn)).length;
    const wanted = p.awsManaged ? want('AWSManagedPolicy') && count > 0 : want('LocalManagedPolicy');
    if (!wanted) continue;
    const version = p.defaultVersionId ?? 'v1';
    out.push({
      kind: 'Policies',
      xml:
        el('PolicyName', p.name) + el('PolicyId', p.id ?? fakeId('ANPA', arn)) + el('Arn', arn) + el('Path', p.path ?? '/') +
        el('DefaultVersionId', version) + el('AttachmentCount', count) + el('PermissionsBoundaryUsageCount', 0) +
        el('IsAttachable', 'true') + el('CreateDate', p.createDate) + el('UpdateDate', p.updateDate) +
        list('PolicyVersionList', 'member', [el('Document', enc(p.document)) + el('VersionId', version) + el('IsDefaultVersion', 'true') + el('CreateDate', p.updateDate)]),
    });
  }
  return out;
}

const REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation',
  'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region',
  'access_key_1_last_used_service', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
  'access_key_2_last_used_region', 'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

function keyCells(keys: ScenarioAccessKey[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slot of [1, 2]) {
    const k = keys?.[slot - 1];
    out[`access_key_${slot}_active`] = k ? String(k.active) : 'false';
    out[`access_key_${slot}_last_rotated`] = k ? k.lastRotated : 'N/A';
    out[`access_key_${slot}_last_used_date`] = k?.lastUsedDate ?? 'N/A';
    out[`access_key_${slot}_last_used_region`] = k?.lastUsedRegion ?? 'N/A';
    out[`access_key_${slot}_last_used_service`] = k?.lastUsedService ?? 'N/A';
  }
  return out;
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The credential report as IAM writes it: root first, then every user. */
export function credentialReport(acct: ScenarioAccount): string {
  const iam = acct.iam ?? {};
  const rows: Record<string, string>[] = [];
  const root = iam.root ?? { mfaEnabled: false };
  rows.push({
    user: '<root_account>',
    arn: `arn:aws:iam::${acct.id}:root`,
    user_creation_time: '2020-01-01T00:00:00+00:00',
    password_enabled: 'not_supported',
    password_last_used: root.passwordLastUsed ?? 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: String(root.mfaEnabled),
    ...keyCells(root.accessKeys),
    cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
    ...root.report,
  });
  for (const u of iam.users ?? []) {
    const pw = u.password;
    rows.push({
      user: u.name,
      arn: `arn:aws:iam::${acct.id}:user${u.path ?? '/'}${u.name}`,
      user_creation_time: u.createDate,
      password_enabled: String(!!pw),
      password_last_used: pw ? pw.lastUsed ?? 'no_information' : 'N/A',
      password_last_changed: pw ? pw.lastChanged ?? 'N/A' : 'N/A',
      password_next_rotation: 'N/A',
      mfa_active: String(u.mfaActive ?? false),
      ...keyCells(u.accessKeys),
      cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
      ...u.report,
    });
  }
  return [REPORT_COLUMNS.join(','), ...rows.map((r) => REPORT_COLUMNS.map((c) => csvCell(r[c] ?? 'N/A')).join(','))].join('\n');
}

export const iamHandlers: Record<string, Handler> = {
  GetAccountAuthorizationDetails(ctx) {
    const all = authorizationEntities(ctx);
    const size = ctx.fake.pageSize('iam:GetAccountAuthorizationDetails', Number(ctx.params.get('MaxItems') ?? 0), 1000);
    const { items, next } = page(all, ctx.params.get('Marker'), size);
    const section = (kind: string): string => list(kind, 'member', items.filter((i) => i.kind === kind).map((i) => i.xml));
    return section('UserDetailList') + section('GroupDetailList') + section('RoleDetailList') + section('Policies') +
      el('IsTruncated', String(next !== undefined)) + el('Marker', next);
  },

  GenerateCredentialReport(ctx) {
    const n = (ctx.fake.reportCalls.get(ctx.accountId) ?? 0) + 1;
    ctx.fake.reportCalls.set(ctx.accountId, n);
    const polls = ctx.fake.options.credentialReportPolls ?? 1;
    return el('State', n > polls ? 'COMPLETE' : 'STARTED') + el('Description', n > polls ? 'Report is complete' : 'Report generation started');
  },

  GetCredentialReport(ctx) {
    const n = ctx.fake.reportCalls.get(ctx.accountId) ?? 0;
    if (n === 0) throw new FakeError('ReportNotPresent', 410, 'Credential report not present. Use GenerateCredentialReport to generate a report.');
    if (n <= (ctx.fake.options.credentialReportPolls ?? 1)) throw new FakeError('ReportInProgress', 404, 'Credential report is being generated.');
    return el('Content', Buffer.from(credentialReport(ctx.account)).toString('base64')) + el('ReportFormat', 'text/csv') + el('GeneratedTime', '2026-01-01T00:00:00Z');
  },

  GetAccountPasswordPolicy(ctx) {
    const p = ctx.account.iam?.passwordPolicy;
    if (!p) throw new FakeError('NoSuchEntity', 404, `The Password Policy with domain name ${ctx.accountId} cannot be found.`);
    return nest(
      'PasswordPolicy',
      el('MinimumPasswordLength', p.minimumPasswordLength), el('RequireSymbols', p.requireSymbols), el('RequireNumbers', p.requireNumbers),
      el('RequireUppercaseCharacters', p.requireUppercaseCharacters), el('RequireLowercaseCharacters', p.requireLowercaseCharacters),
      el('AllowUsersToChangePassword', p.allowUsersToChangePassword), el('ExpirePasswords', p.expirePasswords),
      el('MaxPasswordAge', p.maxPasswordAge), el('PasswordReusePrevention', p.passwordReusePrevention), el('HardExpiry', p.hardExpiry),
    );
  },

  GetAccountSummary(ctx) {
    const iam = ctx.account.iam ?? {};
    const root = iam.root ?? { mfaEnabled: false };
    const summary: Record<string, number> = {
      AccountMFAEnabled: root.mfaEnabled ? 1 : 0,
      AccountAccessKeysPresent: (root.accessKeys ?? []).length > 0 ? 1 : 0,
      AccountSigningCertificatesPresent: 0,
      Users: (iam.users ?? []).length,
      Groups: (iam.groups ?? []).length,
      Roles: (iam.roles ?? []).length,
      Policies: (iam.policies ?? []).filter((p) => !p.awsManaged).length,
      MFADevices: (iam.users ?? []).filter((u) => u.mfaActive).length + (root.mfaEnabled ? 1 : 0),
    };
    return list('SummaryMap', 'entry', Object.entries(summary).map(([k, v]) => el('key', k) + el('value', v)));
  },

  ListVirtualMFADevices(ctx) {
    const iam = ctx.account.iam ?? {};
    const devices: string[] = [];
    if (iam.root?.mfaEnabled && iam.root.virtualMfa) {
      devices.push(
        el('SerialNumber', `arn:aws:iam::${ctx.accountId}:mfa/root-account-mfa-device`) +
          nest('User', el('Path', '/'), el('UserName', ctx.accountId), el('UserId', ctx.accountId), el('Arn', `arn:aws:iam::${ctx.accountId}:root`), el('CreateDate', '2020-01-01T00:00:00Z')) +
          el('EnableDate', '2021-01-01T00:00:00Z'),
      );
    }
    for (const name of iam.virtualMfaUsers ?? []) {
      devices.push(
        el('SerialNumber', `arn:aws:iam::${ctx.accountId}:mfa/${name}`) +
          nest('User', el('Path', '/'), el('UserName', name), el('UserId', fakeId('AIDA', ctx.accountId + name)), el('Arn', `arn:aws:iam::${ctx.accountId}:user/${name}`), el('CreateDate', '2020-01-01T00:00:00Z')) +
          el('EnableDate', '2021-01-01T00:00:00Z'),
      );
    }
    const size = ctx.fake.pageSize('iam:ListVirtualMFADevices', Number(ctx.params.get('MaxItems') ?? 0), 1000);
    const { items, next } = page(devices, ctx.params.get('Marker'), size);
    return list('VirtualMFADevices', 'member', items) + el('IsTruncated', String(next !== undefined)) + el('Marker', next);
  },

  ListRoles(ctx) {
    const roles = (ctx.account.iam?.roles ?? []).map((r) => {
      const path = r.path ?? '/';
      return (
        el('Path', path) + el('RoleName', r.name) + el('RoleId', r.id ?? fakeId('AROA', ctx.accountId + r.name)) +
        el('Arn', `arn:aws:iam::${ctx.accountId}:role${path}${r.name}`) + el('CreateDate', r.createDate) +
        el('AssumeRolePolicyDocument', enc(r.assumeRolePolicy)) + el('MaxSessionDuration', r.maxSessionDuration ?? 3600)
      );
    });
    const size = ctx.fake.pageSize('iam:ListRoles', Number(ctx.params.get('MaxItems') ?? 0), 1000);
    const { items, next } = page(roles, ctx.params.get('Marker'), size);
    return list('Roles', 'member', items) + el('IsTruncated', String(next !== undefined)) + el('Marker', next);
  },

  ListServerCertificates(ctx) {
    const certs = (ctx.account.iam?.serverCertificates ?? []).map((c) => {
      const path = c.path ?? '/';
      return (
        el('Path', path) + el('ServerCertificateName', c.name) + el('ServerCertificateId', c.id ?? fakeId('ASCA', ctx.accountId + c.name)) +
        el('Arn', `arn:aws:iam::${ctx.accountId}:server-certificate${path}${c.name}`) + el('UploadDate', c.uploadDate) + el('Expiration', c.expiration)
      );
    });
    const size = ctx.fake.pageSize('iam:ListServerCertificates', Number(ctx.params.get('MaxItems') ?? 0), 1000);
    const { items, next } = page(certs, ctx.params.get('Marker'), size);
    return list('ServerCertificateMetadataList', 'member', items) + el('IsTruncated', String(next !== undefined)) + el('Marker', next);
  },

  ListAccountAliases(ctx) {
    const alias = ctx.account.alias;
    return list('AccountAliases', 'member', alias ? [esc(alias)] : []) + el('IsTruncated', 'false');
  },
};

import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccountAliasesCommand,
  ListRolesCommand,
  ListServerCertificatesCommand,
  ListVirtualMFADevicesCommand,
  type AttachedPolicy,
  type PolicyDetail,
} from '@aws-sdk/client-iam';
import { ResourceDraft } from '../../../collect/resource-draft';
import type { Resource } from '../../../core/types';
import { awsIamGroup } from '../types/iam-group';
import { awsIamPolicy } from '../types/iam-policy';
import { awsIamRole } from '../types/iam-role';
import { awsIamServerCertificate } from '../types/iam-server-certificate';
import { awsIamUser } from '../types/iam-user';
import type { AccountContext } from './context';
import { CredentialReportError, parseCredentialReport, type ReportAge, reportAge, type ReportRow } from './credential-report';
import { decodePolicy, iso, tagsOf } from './resource';

const G = 'global';

const attached = (list: AttachedPolicy[] | undefined): { policyName: string; policyArn: string }[] =>
  (list ?? []).map((p) => ({ policyName: p.PolicyName ?? '', policyArn: p.PolicyArn ?? '' }));

/** Inline policies with decoded documents; a document that is missing or does not decode is reported unknown. */
function inline(draft: ResourceDraft, list: PolicyDetail[] | undefined): { policyName: string; document: Record<string, unknown> | null }[] {
  return (list ?? []).map((p, i) => {
    const document = decodePolicy(p.PolicyDocument);
    // Every inline policy has a document: none in the answer is not an empty policy.
    if (!document) draft.unknown.add(`inlinePolicies.${i}.document`);
    return { policyName: p.PolicyName ?? '', document: document ?? null };
  });
}

const boundary = (b: { PermissionsBoundaryType?: string; PermissionsBoundaryArn?: string } | undefined): { type: string; arn: string } | null =>
  b?.PermissionsBoundaryArn ? { type: b.PermissionsBoundaryType ?? 'Policy', arn: b.PermissionsBoundaryArn } : null;

/**
 * The credential report: generate (IAM reuses one younger than 4 hours), poll until COMPLETE,
 * fetch and parse. Null when it could not be had; the gap is then in the coverage.
 */
async function credentialReport(ctx: AccountContext): Promise<{ rows: ReportRow[]; age: ReportAge } | null> {
  const iam = ctx.clients.iam(ctx.homeRegion);
  const started = Date.now();
  let generatedNow = false;
  for (;;) {
    const gen = await ctx.calls.one({ service: 'iam', operation: 'GenerateCredentialReport', region: G }, (abortSignal) => iam.send(new GenerateCredentialReportCommand({}), { abortSignal }));
    if (!gen.ok) return null;
    if (gen.value?.State === 'COMPLETE') break;
    generatedNow = true; // IAM started a new report for this scan
    if (Date.now() - started > ctx.credentialReport.timeoutMs) {
      ctx.calls.gap({ service: 'iam', operation: 'GetCredentialReport', region: G }, 'error', `credential report still ${gen.value?.State ?? 'not ready'} after ${Math.round((Date.now() - started) / 1000)} s`);
      return null;
    }
    await new Promise((r) => setTimeout(r, ctx.credentialReport.pollIntervalMs));
  }
  const got = await ctx.calls.one({ service: 'iam', operation: 'GetCredentialReport', region: G }, (abortSignal) => iam.send(new GetCredentialReportCommand({}), { abortSignal }));
  if (!got.ok || !got.value?.Content) return null;
  try {
    const rows = parseCredentialReport(Buffer.from(got.value.Content).toString('utf8'));
    return { rows, age: reportAge(got.value.GeneratedTime, generatedNow, new Date()) };
  } catch (err) {
    if (!(err instanceof CredentialReportError)) throw err;
    ctx.calls.gap({ service: 'iam', operation: 'GetCredentialReport', region: G }, 'error', `credential report unreadable: ${err.message}`);
    return null;
  }
}

/** SSL/TLS certificates stored in IAM: one paginated listing holds all their metadata. */
async function collectServerCertificates(ctx: AccountContext): Promise<void> {
  const iam = ctx.clients.iam(ctx.homeRegion);
  const r = await ctx.calls.pages(
    { service: 'iam', operation: 'ListServerCertificates', region: G },
    (Marker, abortSignal) => iam.send(new ListServerCertificatesCommand({ MaxItems: 1000, Marker }), { abortSignal }),
    (p) => (p.IsTruncated ? p.Marker : undefined),
  );
  if (!r.ok) return; // the coverage entry makes the listing a gap
  for (const c of r.value.flatMap((p) => p.ServerCertificateMetadataList ?? [])) {
    const d = new ResourceDraft(awsIamServerCertificate, {
      serverCertificateName: c.ServerCertificateName ?? '',
      serverCertificateId: c.ServerCertificateId ?? '',
      arn: c.Arn ?? '',
      path: c.Path ?? '/',
      uploadDate: iso(c.UploadDate),
      expiration: iso(c.Expiration),
    });
    if (d.properties.uploadDate === null) d.lose('uploadDate');
    if (d.properties.expiration === null) d.lose('expiration');
    await ctx.emit(d.finish({ id: c.Arn ?? '', account: ctx.account, region: G, name: c.ServerCertificateName ?? '' }));
  }
}

/** Users, groups, roles and managed policies (one paginated call family), and the account's IAM settings. */
export async function collectIam(ctx: AccountContext): Promise<void> {
  const iam = ctx.clients.iam(ctx.homeRegion);
  const { calls, draft } = ctx;

  const [details, reportRead, , , , listedRoles] = await Promise.all([
    calls.pages(
      { service: 'iam', operation: 'GetAccountAuthorizationDetails', region: G },
      (Marker, abortSignal) => iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, Marker }), { abortSignal }),
      (p: GetAccountAuthorizationDetailsCommandOutput) => (p.IsTruncated ? p.Marker : undefined),
    ),
    credentialReport(ctx),
    calls.one({ service: 'iam', operation: 'GetAccountPasswordPolicy', region: G, absent: ['NoSuchEntity'] }, (abortSignal) => iam.send(new GetAccountPasswordPolicyCommand({}), { abortSignal })).then((r) => {
      if (!r.ok) return;
      const p = r.value?.PasswordPolicy;
      draft.set(
        'passwordPolicy',
        p
          ? {
              minimumPasswordLength: p.MinimumPasswordLength ?? 6,
              requireSymbols: p.RequireSymbols ?? false,
              requireNumbers: p.RequireNumbers ?? false,
              requireUppercaseCharacters: p.RequireUppercaseCharacters ?? false,
              requireLowercaseCharacters: p.RequireLowercaseCharacters ?? false,
              allowUsersToChangePassword: p.AllowUsersToChangePassword ?? false,
              expirePasswords: p.ExpirePasswords ?? false,
              maxPasswordAge: p.MaxPasswordAge ?? null,
              passwordReusePrevention: p.PasswordReusePrevention ?? null,
              hardExpiry: p.HardExpiry ?? null,
            }
          : null,
      );
    }),
    calls.one({ service: 'iam', operation: 'GetAccountSummary', region: G }, (abortSignal) => iam.send(new GetAccountSummaryCommand({}), { abortSignal })).then((r) => {
      if (!r.ok) return;
      // A key the answer leaves out stays unknown: 0 is what "none" looks like.
      const m = r.value?.SummaryMap ?? {};
      if (m.AccountMFAEnabled !== undefined) draft.set('root.mfaEnabled', m.AccountMFAEnabled === 1);
      if (m.AccountAccessKeysPresent !== undefined) draft.set('root.accessKeysPresent', m.AccountAccessKeysPresent > 0);
    }),
    calls
      .pages(
        { service: 'iam', operation: 'ListVirtualMFADevices', region: G },
        (Marker, abortSignal) => iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', MaxItems: 1000, Marker }), { abortSignal }),
        (p) => (p.IsTruncated ? p.Marker : undefined),
      )
      .then((r) => {
        if (!r.ok) return draft.rootVirtualMfa(undefined);
        const devices = r.value.flatMap((p) => p.VirtualMFADevices ?? []);
        draft.rootVirtualMfa(devices.some((d) => d.SerialNumber?.endsWith(':mfa/root-account-mfa-device') || d.User?.Arn?.endsWith(':root')));
      }),
    // GetAccountAuthorizationDetails leaves out a role's maximum session duration: one page of ListRoles per 1000 roles.
    calls.pages(
      { service: 'iam', operation: 'ListRoles', region: G },
      (Marker, abortSignal) => iam.send(new ListRolesCommand({ MaxItems: 1000, Marker }), { abortSignal }),
      (p) => (p.IsTruncated ? p.Marker : undefined),
    ),
    calls.one({ service: 'iam', operation: 'ListAccountAliases', region: G }, (abortSignal) => iam.send(new ListAccountAliasesCommand({}), { abortSignal })).then((r) => {
      if (r.ok) draft.set('alias', r.value?.AccountAliases?.[0] ?? null);
    }),
    collectServerCertificates(ctx),
  ]);

  const report = reportRead?.rows ?? null;
  // The root row of the credential report.
  const rootRow = report?.find((r) => r.user === '<root_account>');
  if (rootRow) {
    draft.set('root.accessKeys', rootRow.accessKeys.map(({ slot, active, lastRotated, lastUsedDate }) => ({ slot, active, lastRotated, lastUsedDate })));
    draft.set('root.passwordLastUsed', rootRow.passwordLastUsed);
    draft.set('root.signingCertificatesActive', rootRow.signingCertificatesActive);
  } else if (report) {
    ctx.log.warn({ account: ctx.account }, 'credential report has no <root_account> row');
  }

  if (!details.ok) return; // the coverage entry makes every IAM listing of this account a gap
  const pages = details.value;
  const users = pages.flatMap((p) => p.UserDetailList ?? []);
  const groups = pages.flatMap((p) => p.GroupDetailList ?? []);
  const roles = pages.flatMap((p) => p.RoleDetailList ?? []);
  const policies = pages.flatMap((p) => p.Policies ?? []);
  const byArn = new Map((report ?? []).map((r) => [r.arn, r]));
  const out: Resource[] = [];
  const attachedTo = new Map<string, { users: string[]; groups: string[]; roles: string[] }>();
  const attach = (arn: string | undefined, kind: 'users' | 'groups' | 'roles', name: string): void => {
    if (!arn) return;
    let a = attachedTo.get(arn);
    if (!a) attachedTo.set(arn, (a = { users: [], groups: [], roles: [] }));
    a[kind].push(name);
  };
  const members = new Map<string, string[]>();
  const sessionDuration = new Map<string, number | undefined>();
  if (listedRoles.ok) for (const r of listedRoles.value.flatMap((p) => p.Roles ?? [])) sessionDuration.set(r.Arn ?? '', r.MaxSessionDuration);

  for (const u of users) {
    const name = u.UserName ?? '';
    for (const g of u.GroupList ?? []) members.set(g, [...(members.get(g) ?? []), name]);
    for (const p of u.AttachedManagedPolicies ?? []) attach(p.PolicyArn, 'users', name);
    const d = new ResourceDraft(awsIamUser, {
      userName: name,
      userId: u.UserId ?? '',
      arn: u.Arn ?? '',
      path: u.Path ?? '/',
      createDate: iso(u.CreateDate),
      passwordEnabled: null,
      passwordLastUsed: null,
      passwordLastChanged: null,
      mfaActive: null,
      accessKeys: null,
      groups: u.GroupList ?? [],
      attachedPolicies: attached(u.AttachedManagedPolicies),
      inlinePolicies: null,
      permissionsBoundary: boundary(u.PermissionsBoundary),
    });
    d.properties.inlinePolicies = inline(d, u.UserPolicyList);
    const row = byArn.get(u.Arn ?? '');
    if (row) {
      Object.assign(d.properties, {
        passwordEnabled: row.passwordEnabled === true,
        passwordLastUsed: row.passwordLastUsed,
        passwordLastChanged: row.passwordLastChanged,
        mfaActive: row.mfaActive,
        accessKeys: row.accessKeys,
        credentialReportGeneratedAt: reportRead!.age.generatedAt,
        accessKeysComplete: reportRead!.age.complete,
      });
      if (!reportRead!.age.complete) d.lose('accessKeysComplete');
    } else {
      // No report, or a user created after it was generated: what the report says is not known.
      d.loseOperation('iam:GetCredentialReport');
    }
    const tags = tagsOf(u.Tags);
    const user = d.finish({ id: u.Arn ?? '', account: ctx.account, region: G, name, ...(tags ? { tags } : {}) });
    if (row && reportRead?.age.reason) user.unknownReasons = { ...user.unknownReasons, accessKeysComplete: reportRead.age.reason };
    out.push(user);
  }

  for (const g of groups) {
    const name = g.GroupName ?? '';
    for (const p of g.AttachedManagedPolicies ?? []) attach(p.PolicyArn, 'groups', name);
    const d = new ResourceDraft(awsIamGroup, {
      groupName: name,
      groupId: g.GroupId ?? '',
      arn: g.Arn ?? '',
      path: g.Path ?? '/',
      createDate: iso(g.CreateDate),
      members: members.get(name) ?? [],
      attachedPolicies: attached(g.AttachedManagedPolicies),
      inlinePolicies: null,
    });
    d.properties.inlinePolicies = inline(d, g.GroupPolicyList);
    out.push(d.finish({ id: g.Arn ?? '', account: ctx.account, region: G, name }));
  }

  for (const r of roles) {
    const name = r.RoleName ?? '';
    for (const p of r.AttachedManagedPolicies ?? []) attach(p.PolicyArn, 'roles', name);
    const trust = decodePolicy(r.AssumeRolePolicyDocument);
    const lastUsed = r.RoleLastUsed?.LastUsedDate || r.RoleLastUsed?.Region ? { date: iso(r.RoleLastUsed.LastUsedDate), region: r.RoleLastUsed.Region ?? null } : null;
    const d = new ResourceDraft(awsIamRole, {
      roleName: name,
      roleId: r.RoleId ?? '',
      arn: r.Arn ?? '',
      path: r.Path ?? '/',
      createDate: iso(r.CreateDate),
      serviceLinked: (r.Path ?? '').startsWith('/aws-service-role/'),
      assumeRolePolicy: trust ?? null,
      maxSessionDuration: sessionDuration.get(r.Arn ?? '') ?? null,
      lastUsed,
      instanceProfiles: (r.InstanceProfileList ?? []).map((p) => p.Arn ?? '').filter((a) => a !== ''),
      attachedPolicies: attached(r.AttachedManagedPolicies),
      inlinePolicies: null,
      permissionsBoundary: boundary(r.PermissionsBoundary),
    });
    // Every role has a trust policy: none in the answer means it was not told.
    if (!trust) d.lose('assumeRolePolicy');
    // Unknown when ListRoles failed, or the role was created between the two listings.
    if (d.properties.maxSessionDuration === null) d.lose('maxSessionDuration');
    d.properties.inlinePolicies = inline(d, r.RolePolicyList);
    const tags = tagsOf(r.Tags);
    out.push(d.finish({ id: r.Arn ?? '', account: ctx.account, region: G, name, ...(tags ? { tags } : {}) }));
  }

  for (const p of policies) {
    const arn = p.Arn ?? '';
    const version = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((v) => v.VersionId === p.DefaultVersionId);
    const document = decodePolicy(version?.Document);
    const d = new ResourceDraft(awsIamPolicy, {
      policyName: p.PolicyName ?? '',
      policyId: p.PolicyId ?? '',
      arn,
      path: p.Path ?? '/',
      awsManaged: arn.startsWith(`arn:${ctx.partition}:iam::aws:policy/`),
      defaultVersionId: p.DefaultVersionId ?? version?.VersionId ?? '',
      document: document ?? null,
      attachmentCount: p.AttachmentCount ?? 0,
      attachedTo: attachedTo.get(arn) ?? { users: [], groups: [], roles: [] },
      createDate: iso(p.CreateDate),
      updateDate: iso(p.UpdateDate),
    });
    // GetAccountAuthorizationDetails lists every version: a missing default version (or document) is not an empty policy.
    if (!document) d.lose('document');
    // A policy the answer gives no name is shown by its ARN, not by an empty name.
    if (!p.PolicyName) d.lose('policyName');
    const name = p.PolicyName || arn;
    // An AWS-managed policy has one ARN in every account, but its attachments are per account:
    // the id carries the account so a multi-account snapshot keeps one resource per account.
    const id = d.properties.awsManaged ? `${arn}#${ctx.account}` : arn;
    out.push(d.finish({ id, account: ctx.account, region: G, ...(name ? { name } : {}) }));
  }

  for (const r of out) await ctx.emit(r);
}

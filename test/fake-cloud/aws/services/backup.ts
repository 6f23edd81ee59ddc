import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioBackupPlan } from '../scenario-data';

/** AWS Backup over REST-JSON: plans with their rules and selections, vaults, region settings, protected resources and restore jobs. */

const here = <T extends { region: string }>(ctx: Ctx, items: T[] | undefined): T[] => (items ?? []).filter((x) => x.region === ctx.region);
const planArn = (ctx: Ctx, id: string): string => `arn:aws:backup:${ctx.region}:${ctx.accountId}:backup-plan:${id}`;
const vaultArn = (ctx: Ctx, name: string): string => `arn:aws:backup:${ctx.region}:${ctx.accountId}:backup-vault:${name}`;
const epoch = (d: string | null | undefined): number | undefined => (d ? Date.parse(d) / 1000 : undefined);

/** The Backup operation a request is, from its method and path. */
export function backupOperation(method: string, path: string): string | undefined {
  if (method !== 'GET') return undefined;
  const p = path.replace(/\/$/, '');
  if (p === '/backup/plans') return 'ListBackupPlans';
  if (/^\/backup\/plans\/[^/]+$/.test(p)) return 'GetBackupPlan';
  if (/^\/backup\/plans\/[^/]+\/selections$/.test(p)) return 'ListBackupSelections';
  if (/^\/backup\/plans\/[^/]+\/selections\/[^/]+$/.test(p)) return 'GetBackupSelection';
  if (p === '/backup-vaults') return 'ListBackupVaults';
  if (/^\/backup-vaults\/[^/]+\/access-policy$/.test(p)) return 'GetBackupVaultAccessPolicy';
  if (p === '/account-settings') return 'DescribeRegionSettings';
  if (p === '/resources') return 'ListProtectedResources';
  if (p === '/restore-jobs') return 'ListRestoreJobs';
  return undefined;
}

const segment = (ctx: Ctx, n: number): string => decodeURIComponent(ctx.path.split('/')[n] ?? '');

function plan(ctx: Ctx): ScenarioBackupPlan {
  const id = segment(ctx, 3);
  const p = here(ctx, ctx.account.data?.backupPlans).find((x) => x.id === id);
  if (!p) throw new FakeError('ResourceNotFoundException', 404, `Failed reading Backup plan with provided version ${id}`);
  return p;
}

function paged<T>(ctx: Ctx, op: string, items: readonly T[]): { items: T[]; more: { NextToken?: string } } {
  const { items: out, next } = page(items, ctx.query.get('nextToken'), ctx.fake.pageSize(`backup:${op}`, Number(ctx.query.get('maxResults') ?? 0), 1000));
  return { items: out, more: next ? { NextToken: next } : {} };
}

export const backupHandlers: Record<string, Handler> = {
  ListBackupPlans(ctx) {
    const { items, more } = paged(ctx, 'ListBackupPlans', here(ctx, ctx.account.data?.backupPlans));
    return { BackupPlansList: items.map((p) => ({ BackupPlanArn: planArn(ctx, p.id), BackupPlanId: p.id, BackupPlanName: p.name, VersionId: 'v1', CreationDate: epoch('2025-01-01T00:00:00Z') })), ...more };
  },

  GetBackupPlan(ctx) {
    const p = plan(ctx);
    return {
      BackupPlanArn: planArn(ctx, p.id),
      BackupPlanId: p.id,
      VersionId: 'v1',
      BackupPlan: {
        BackupPlanName: p.name,
        Rules: p.rules.map((r) => ({
          RuleName: r.name,
          TargetBackupVaultName: r.vault,
          ...(r.schedule ? { ScheduleExpression: r.schedule } : {}),
          ...(r.deleteAfterDays || r.coldAfterDays ? { Lifecycle: { ...(r.deleteAfterDays ? { DeleteAfterDays: r.deleteAfterDays } : {}), ...(r.coldAfterDays ? { MoveToColdStorageAfterDays: r.coldAfterDays } : {}) } } : {}),
          CopyActions: (r.copyTo ?? []).map((c) => ({ DestinationBackupVaultArn: c.vaultArn, ...(c.deleteAfterDays ? { Lifecycle: { DeleteAfterDays: c.deleteAfterDays } } : {}) })),
          RuleId: `rule-${r.name}`,
        })),
      },
    };
  },

  ListBackupSelections(ctx) {
    const p = plan(ctx);
    const { items, more } = paged(ctx, 'ListBackupSelections', p.selections ?? []);
    return { BackupSelectionsList: items.map((s) => ({ SelectionId: `sel-${s.name}`, SelectionName: s.name, BackupPlanId: p.id, IamRoleArn: `arn:aws:iam::${ctx.accountId}:role/backup` })), ...more };
  },

  GetBackupSelection(ctx) {
    const p = plan(ctx);
    const id = segment(ctx, 5);
    const s = (p.selections ?? []).find((x) => `sel-${x.name}` === id);
    if (!s) throw new FakeError('ResourceNotFoundException', 404, `selection ${id} not found`);
    const conditions: Record<string, { ConditionKey: string; ConditionValue: string }[]> = {};
    for (const c of s.conditions ?? []) (conditions[c.operator] ??= []).push({ ConditionKey: `aws:ResourceTag/${c.key}`, ConditionValue: c.value });
    return {
      BackupPlanId: p.id,
      SelectionId: id,
      BackupSelection: {
        SelectionName: s.name,
        IamRoleArn: `arn:aws:iam::${ctx.accountId}:role/backup`,
        Resources: s.resources ?? [],
        NotResources: s.notResources ?? [],
        ListOfTags: (s.listOfTags ?? []).map((t) => ({ ConditionType: 'STRINGEQUALS', ConditionKey: t.key, ConditionValue: t.value })),
        Conditions: conditions,
      },
    };
  },

  ListBackupVaults(ctx) {
    const { items, more } = paged(ctx, 'ListBackupVaults', here(ctx, ctx.account.data?.backupVaults));
    return {
      BackupVaultList: items.map((v) => ({
        BackupVaultName: v.name,
        BackupVaultArn: vaultArn(ctx, v.name),
        CreationDate: epoch('2025-01-01T00:00:00Z'),
        EncryptionKeyArn: v.kmsKeyArn ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-backup`,
        NumberOfRecoveryPoints: v.recoveryPoints ?? 0,
        Locked: Boolean(v.lock),
        ...(v.lock?.minRetentionDays ? { MinRetentionDays: v.lock.minRetentionDays } : {}),
        ...(v.lock?.maxRetentionDays ? { MaxRetentionDays: v.lock.maxRetentionDays } : {}),
        ...(v.lock?.lockDate ? { LockDate: epoch(v.lock.lockDate) } : {}),
      })),
      ...more,
    };
  },

  GetBackupVaultAccessPolicy(ctx) {
    const name = segment(ctx, 2);
    const v = here(ctx, ctx.account.data?.backupVaults).find((x) => x.name === name);
    if (!v) throw new FakeError('ResourceNotFoundException', 404, `Backup vault ${name} does not exist`);
    if (!v.policy) throw new FakeError('ResourceNotFoundException', 404, `Backup vault ${name} has no access policy`);
    return { BackupVaultName: name, BackupVaultArn: vaultArn(ctx, name), Policy: JSON.stringify(v.policy) };
  },

  DescribeRegionSettings(ctx) {
    const r = here(ctx, ctx.account.data?.backupRegions)[0];
    const defaults = { Aurora: true, DynamoDB: true, EFS: true, RDS: true, EBS: true, EC2: true, S3: false };
    return { ResourceTypeOptInPreference: { ...defaults, ...(r?.optIn ?? {}) }, ResourceTypeManagementPreference: { DynamoDB: false, EFS: true } };
  },

  ListProtectedResources(ctx) {
    const r = here(ctx, ctx.account.data?.backupRegions)[0];
    const { items, more } = paged(ctx, 'ListProtectedResources', r?.protected ?? []);
    return { Results: items.map((x) => ({ ResourceArn: x.arn, ResourceType: x.type, ...(x.lastBackupTime ? { LastBackupTime: epoch(x.lastBackupTime) } : {}) })), ...more };
  },

  /**
   * Restore jobs of the region, newest first, filtered by `createdAfter` as AWS does. Their dates
   * count back from the start of the current UTC day, so two scans of one test read the same jobs.
   */
  ListRestoreJobs(ctx) {
    const r = here(ctx, ctx.account.data?.backupRegions)[0];
    const now = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const after = ctx.query.get('createdAfter');
    const since = after === null ? -Infinity : Date.parse(after);
    if (Number.isNaN(since)) throw new FakeError('InvalidParameterValueException', 400, `createdAfter is not a timestamp: ${after}`);
    const jobs = (r?.restoreJobs ?? [])
      .map((j, n) => ({ j, n, created: now - j.createdDaysAgo * 86_400_000 }))
      .filter((x) => x.created > since)
      .sort((a, b) => b.created - a.created);
    const { items, more } = paged(ctx, 'ListRestoreJobs', jobs);
    return {
      RestoreJobs: items.map(({ j, n, created }) => {
        const status = j.status ?? 'COMPLETED';
        const done = status === 'COMPLETED' || status === 'FAILED' || status === 'ABORTED';
        return {
          AccountId: ctx.accountId,
          RestoreJobId: `restore-${n}`,
          RecoveryPointArn: `arn:aws:backup:${ctx.region}:${ctx.accountId}:recovery-point:rp-${n}`,
          CreationDate: created / 1000,
          ...(done ? { CompletionDate: (created + (j.tookHours ?? 1) * 3_600_000) / 1000 } : {}),
          Status: status,
          PercentDone: done ? '100.00%' : '50.00%',
          IamRoleArn: `arn:aws:iam::${ctx.accountId}:role/backup-restore`,
          ResourceType: j.type,
          ...(j.testingPlan ? { CreatedBy: { RestoreTestingPlanArn: `arn:aws:backup:${ctx.region}:${ctx.accountId}:restore-testing-plan:${j.testingPlan}-abc123` } } : {}),
          ...(j.validation ? { ValidationStatus: j.validation } : {}),
        };
      }),
      ...more,
    };
  },
};

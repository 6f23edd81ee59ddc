import {
  type BackupSelection,
  type BackupClient,
  DescribeRegionSettingsCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetBackupVaultAccessPolicyCommand,
  ListBackupPlansCommand,
  type ListBackupPlansCommandOutput,
  ListBackupSelectionsCommand,
  type ListBackupSelectionsCommandOutput,
  ListBackupVaultsCommand,
  type ListBackupVaultsCommandOutput,
  ListProtectedResourcesCommand,
  type ListProtectedResourcesCommandOutput,
  ListRestoreJobsCommand,
  type ListRestoreJobsCommandOutput,
} from '@aws-sdk/client-backup';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsBackupPlan } from '../types/backup-plan';
import { awsBackupRegion, RESTORE_JOB_WINDOW_DAYS } from '../types/backup-region';
import { awsBackupVault } from '../types/backup-vault';
import type { AccountContext } from './context';
import { decodePolicy, iso } from './resource';

const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'] as const;
const TAG_PREFIX = 'aws:ResourceTag/';

/** A selection as the snapshot holds it; null when the answer leaves out what says what it selects. */
function selection(name: string, s: BackupSelection | undefined): Record<string, unknown> | null {
  if (!s) return null;
  const tagKey = (k: string | undefined): string | null => (k === undefined ? null : k.startsWith(TAG_PREFIX) ? k.slice(TAG_PREFIX.length) : k);
  const listOfTags = (s.ListOfTags ?? []).map((t) => ({ key: tagKey(t.ConditionKey), value: t.ConditionValue ?? null }));
  const conditions = OPERATORS.flatMap((operator) => (s.Conditions?.[operator] ?? []).map((c) => ({ operator, key: tagKey(c.ConditionKey), value: c.ConditionValue ?? null })));
  // A tag condition without its key or value cannot be matched: the selection is unknown, not "selects nothing".
  if ([...listOfTags, ...conditions].some((c) => c.key === null || c.value === null)) return null;
  return { selectionName: s.SelectionName ?? name, resources: s.Resources ?? [], notResources: s.NotResources ?? [], listOfTags, conditions };
}

async function collectPlans(ctx: AccountContext, region: string, backup: BackupClient): Promise<void> {
  const listed = await ctx.calls.pages(
    { service: 'backup', operation: 'ListBackupPlans', region },
    (NextToken, abortSignal) => backup.send(new ListBackupPlansCommand({ MaxResults: 1000, NextToken }), { abortSignal }),
    (p: ListBackupPlansCommandOutput) => p.NextToken,
  );
  if (!listed.ok) return;
  await Promise.all(
    listed.value.flatMap((p) => p.BackupPlansList ?? []).map(async (p) => {
      const id = p.BackupPlanId ?? '';
      const arn = p.BackupPlanArn ?? `arn:${ctx.partition}:backup:${region}:${ctx.account}:backup-plan:${id}`;
      const spec = (operation: string) => ({ service: 'backup', operation, region, resourceId: arn });
      const d = new ResourceDraft(awsBackupPlan, { backupPlanId: id, arn, name: p.BackupPlanName ?? id, rules: [], selections: [] });
      await Promise.all([
        ctx.calls.one(spec('GetBackupPlan'), (abortSignal) => backup.send(new GetBackupPlanCommand({ BackupPlanId: id }), { abortSignal })).then((r) => {
          if (!d.from(r)) return;
          d.properties.rules = (r.value?.BackupPlan?.Rules ?? []).map((x) => ({
            ruleName: x.RuleName ?? '',
            targetVaultName: x.TargetBackupVaultName ?? '',
            scheduleExpression: x.ScheduleExpression ?? null,
            deleteAfterDays: x.Lifecycle?.DeleteAfterDays ?? null,
            moveToColdStorageAfterDays: x.Lifecycle?.MoveToColdStorageAfterDays ?? null,
            copyActions: (x.CopyActions ?? []).map((c) => ({ destinationVaultArn: c.DestinationBackupVaultArn ?? '', deleteAfterDays: c.Lifecycle?.DeleteAfterDays ?? null })),
          }));
        }),
        ctx.calls
          .pages(
            spec('ListBackupSelections'),
            (NextToken, abortSignal) => backup.send(new ListBackupSelectionsCommand({ BackupPlanId: id, MaxResults: 1000, NextToken }), { abortSignal }),
            (x: ListBackupSelectionsCommandOutput) => x.NextToken,
          )
          .then(async (r) => {
            if (!d.from(r)) return;
            // What a selection assigns is only in the selection itself: one call each.
            const listed = r.value.flatMap((x) => x.BackupSelectionsList ?? []);
            const answers = await Promise.all(
              listed.map((s) =>
                ctx.calls.one(spec('GetBackupSelection'), (abortSignal) => backup.send(new GetBackupSelectionCommand({ BackupPlanId: id, SelectionId: s.SelectionId ?? '' }), { abortSignal })),
              ),
            );
            if (!answers.every((a) => d.from(a))) return;
            const got = answers.map((a, i) => (a.ok ? selection(listed[i].SelectionName ?? '', a.value?.BackupSelection) : null));
            if (got.some((s) => s === null)) d.lose('selections');
            else d.properties.selections = got;
          }),
      ]);
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: String(d.properties.name) }));
    }),
  );
}

async function collectVaults(ctx: AccountContext, region: string, backup: BackupClient): Promise<void> {
  const listed = await ctx.calls.pages(
    { service: 'backup', operation: 'ListBackupVaults', region },
    (NextToken, abortSignal) => backup.send(new ListBackupVaultsCommand({ MaxResults: 1000, NextToken }), { abortSignal }),
    (p: ListBackupVaultsCommandOutput) => p.NextToken,
  );
  if (!listed.ok) return;
  await Promise.all(
    listed.value.flatMap((p) => p.BackupVaultList ?? []).map(async (v) => {
      const name = v.BackupVaultName ?? '';
      const arn = v.BackupVaultArn ?? `arn:${ctx.partition}:backup:${region}:${ctx.account}:backup-vault:${name}`;
      // Vault Lock is in the listing: no call per vault for it.
      const d = new ResourceDraft(awsBackupVault, {
        name,
        arn,
        encryptionKeyArn: v.EncryptionKeyArn ?? null,
        locked: v.Locked === true,
        minRetentionDays: v.MinRetentionDays ?? null,
        maxRetentionDays: v.MaxRetentionDays ?? null,
        lockDate: iso(v.LockDate),
        recoveryPoints: v.NumberOfRecoveryPoints ?? 0,
        policy: null,
      });
      if (v.Locked === undefined) d.lose('locked');
      const r = await ctx.calls.one({ service: 'backup', operation: 'GetBackupVaultAccessPolicy', region, resourceId: arn, absent: ['ResourceNotFoundException'] }, (abortSignal) =>
        backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name }), { abortSignal }),
      );
      if (d.from(r)) {
        const doc = decodePolicy(r.value?.Policy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
      }
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name }));
    }),
  );
}

/**
 * Restore jobs of the last RESTORE_JOB_WINDOW_DAYS days, the record that recovery was tried
 * (restore tests and manual restores alike). Fills `restoreJobs`; on failure marks it unknown.
 */
async function collectRestoreJobs(ctx: AccountContext, region: string, backup: BackupClient, d: ResourceDraft): Promise<void> {
  const since = new Date(Date.now() - RESTORE_JOB_WINDOW_DAYS * 86_400_000);
  const r = await ctx.calls.pages(
    { service: 'backup', operation: 'ListRestoreJobs', region },
    (NextToken, abortSignal) => backup.send(new ListRestoreJobsCommand({ ByCreatedAfter: since, MaxResults: 1000, NextToken }), { abortSignal }),
    (p: ListRestoreJobsCommandOutput) => p.NextToken,
  );
  if (!d.from(r)) return;
  const jobs = r.value.flatMap((p) => p.RestoreJobs ?? []);
  // A job without its type, status or creation date cannot be counted for or against anything.
  if (jobs.some((j) => !j.ResourceType || !j.Status || !j.CreationDate)) {
    d.lose('restoreJobs');
    return;
  }
  d.properties.restoreJobs = jobs.map((j) => ({
    resourceType: j.ResourceType,
    status: j.Status,
    creationDate: iso(j.CreationDate),
    completionDate: iso(j.CompletionDate),
    restoreTestingPlanArn: j.CreatedBy?.RestoreTestingPlanArn ?? null,
    validationStatus: j.ValidationStatus ?? null,
  }));
}

/**
 * Resource types opted in, the resources that have recovery points, and, where there are any,
 * the recent restore jobs: one call each per region, and none for restore jobs where AWS Backup
 * protects nothing (most regions), since no rule asks about them there.
 */
async function collectRegion(ctx: AccountContext, region: string, backup: BackupClient): Promise<void> {
  const arn = `arn:${ctx.partition}:backup:${region}:${ctx.account}:region-settings`;
  const d = new ResourceDraft(awsBackupRegion, { resourceTypeOptIn: {}, protectedResources: [], restoreJobs: null });
  await Promise.all([
    ctx.calls.one({ service: 'backup', operation: 'DescribeRegionSettings', region }, (abortSignal) => backup.send(new DescribeRegionSettingsCommand({}), { abortSignal })).then((r) => {
      if (d.from(r)) d.properties.resourceTypeOptIn = { ...(r.value?.ResourceTypeOptInPreference ?? {}) };
    }),
    ctx.calls
      .pages(
        { service: 'backup', operation: 'ListProtectedResources', region },
        (NextToken, abortSignal) => backup.send(new ListProtectedResourcesCommand({ MaxResults: 1000, NextToken }), { abortSignal }),
        (p: ListProtectedResourcesCommandOutput) => p.NextToken,
      )
      .then(async (r) => {
        // Protected resources unknown: the restore jobs are still read, so a finding shows them.
        if (d.from(r)) {
          d.properties.protectedResources = r.value
            .flatMap((p) => p.Results ?? [])
            .map((x) => ({ resourceArn: x.ResourceArn ?? '', resourceType: x.ResourceType ?? '', lastBackupTime: iso(x.LastBackupTime) }));
          if ((d.properties.protectedResources as unknown[]).length === 0) return;
        }
        await collectRestoreJobs(ctx, region, backup, d);
      }),
  ]);
  await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: `AWS Backup ${region}` }));
}

/** AWS Backup of one region: plans with their rules and selections, vaults, and region settings. */
export async function collectBackup(ctx: AccountContext, region: string): Promise<void> {
  const backup = ctx.clients.backup(region);
  await Promise.all([collectPlans(ctx, region, backup), collectVaults(ctx, region, backup), collectRegion(ctx, region, backup)]);
}

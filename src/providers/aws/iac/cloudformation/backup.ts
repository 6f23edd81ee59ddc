import { awsBackupPlan } from '../../types/backup-plan';
import { awsBackupVault } from '../../types/backup-vault';
import type { Draft } from '../../../../iac/draft';
import { at, int, isUnresolved, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'];
const tagKey = (k: unknown): unknown => (typeof k === 'string' && k.startsWith('aws:ResourceTag/') ? k.slice('aws:ResourceTag/'.length) : str(k));

function selectionOf(s: CfnResource): Record<string, unknown> {
  const sel = s.props.BackupSelection;
  const tags = list(sel, 'ListOfTags');
  const cond = at(sel, 'Conditions');
  return {
    selectionName: str(at(sel, 'SelectionName'), s.logicalId),
    resources: strList(at(sel, 'Resources')),
    notResources: strList(at(sel, 'NotResources')),
    listOfTags: isUnresolved(tags) ? tags : tags.map((t) => ({ key: tagKey(at(t, 'ConditionKey')), value: str(at(t, 'ConditionValue')) })),
    conditions: isUnresolved(cond)
      ? cond
      : OPERATORS.flatMap((operator) => {
          const l = list(cond, operator);
          return isUnresolved(l) ? [{ operator, key: l, value: l }] : l.map((c) => ({ operator, key: tagKey(at(c, 'ConditionKey')), value: str(at(c, 'ConditionValue')) }));
        }),
  };
}

/** `AWS::Backup::BackupPlan` with the `AWS::Backup::BackupSelection`s that name it. */
export function mapBackupPlans(ctx: CfnContext): Draft[] {
  const selections = ctx.ofType('AWS::Backup::BackupSelection');
  const of = new Map<CfnResource, CfnResource[]>();
  for (const s of selections) for (const p of ctx.targets(s.props.BackupPlanId, 'AWS::Backup::BackupPlan', null)) of.set(p, [...(of.get(p) ?? []), s]);
  const unlinked = selections.find((s) => isUnresolved(s.props.BackupPlanId) && s.props.BackupPlanId.refs.length === 0);
  return ctx.ofType('AWS::Backup::BackupPlan').map((p) => {
    const plan = p.props.BackupPlan;
    const d = ctx.draft(awsBackupPlan, p);
    const name = str(at(plan, 'BackupPlanName')) ?? new Unresolved(`${p.logicalId} has no BackupPlanName`);
    d.set('name', name);
    if (typeof name === 'string') d.name = name;
    d.set('backupPlanId', new Unresolved(`${p.logicalId} id is known only after deploy`));
    d.set('arn', new Unresolved(`${p.logicalId} ARN is known only after deploy`));
    const rules = list(plan, 'BackupPlanRule');
    d.set(
      'rules',
      isUnresolved(rules)
        ? rules
        : rules.map((r) => {
            const copies = list(r, 'CopyActions');
            return {
              ruleName: str(at(r, 'RuleName'), ''),
              targetVaultName: str(at(r, 'TargetBackupVault'), ''),
              scheduleExpression: optStr(at(r, 'ScheduleExpression')),
              deleteAfterDays: int(at(r, 'Lifecycle', 'DeleteAfterDays')),
              moveToColdStorageAfterDays: int(at(r, 'Lifecycle', 'MoveToColdStorageAfterDays')),
              copyActions: isUnresolved(copies) ? copies : copies.map((c) => ({ destinationVaultArn: str(at(c, 'DestinationBackupVaultArn'), ''), deleteAfterDays: int(at(c, 'Lifecycle', 'DeleteAfterDays')) })),
            };
          }),
    );
    d.set('selections', unlinked ? new Unresolved(`${unlinked.logicalId} may assign resources to this plan: its BackupPlanId is known only at deploy`) : (of.get(p) ?? []).map(selectionOf));
    return d;
  });
}

/** `AWS::Backup::BackupVault` with its `LockConfiguration` (compliance mode when `ChangeableForDays` is set) and `AccessPolicy`. */
export function mapBackupVaults(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::Backup::BackupVault').map((v) => {
    const p = v.props;
    const d = ctx.draft(awsBackupVault, v);
    const name = ctx.name(v, 'BackupVaultName', 'vault name');
    d.set('name', name);
    if (typeof name === 'string') d.name = name;
    d.set('arn', new Unresolved(`${v.logicalId} ARN is known only after deploy`));
    d.setCopied('encryptionKeyArn', optStr(p.EncryptionKeyArn));
    const lock = p.LockConfiguration;
    if (isUnresolved(lock)) for (const k of ['locked', 'minRetentionDays', 'maxRetentionDays', 'lockDate']) d.set(k, lock);
    else if (lock === undefined || lock === null) {
      d.set('locked', false);
      for (const k of ['minRetentionDays', 'maxRetentionDays', 'lockDate']) d.set(k, null);
    } else {
      d.set('locked', true);
      d.set('minRetentionDays', int(at(lock, 'MinRetentionDays')));
      d.set('maxRetentionDays', int(at(lock, 'MaxRetentionDays')));
      const changeable = int(at(lock, 'ChangeableForDays'));
      d.setCopied('lockDate', isUnresolved(changeable) ? changeable : changeable === null ? null : new Unresolved(`${v.logicalId}: compliance mode, locked ${changeable} days after deploy`, [], true));
    }
    d.set('policy', p.AccessPolicy === undefined ? null : ctx.policy(v, p.AccessPolicy));
    return d;
  });
}

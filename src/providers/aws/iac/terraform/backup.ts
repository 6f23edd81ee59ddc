import { awsBackupPlan } from '../../types/backup-plan';
import { awsBackupVault } from '../../types/backup-vault';
import type { Draft } from '../../../../iac/draft';
import { at, block, int, isUnresolved, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import { planArn } from '../arn';

const OPERATORS: [string, string][] = [
  ['string_equals', 'StringEquals'],
  ['string_not_equals', 'StringNotEquals'],
  ['string_like', 'StringLike'],
  ['string_not_like', 'StringNotLike'],
];
const tagKey = (k: unknown): unknown => (typeof k === 'string' && k.startsWith('aws:ResourceTag/') ? k.slice('aws:ResourceTag/'.length) : str(k));
/** A lifecycle's delete_after, 0 or absent meaning "kept for good". */
const keep = (lifecycle: unknown): unknown => {
  const n = int(at(lifecycle, 'delete_after'));
  return n === 0 ? null : n;
};

/**
 * `aws_backup_plan` with the `aws_backup_selection`s that name it. Selections the plan cannot tie
 * to one plan (a plan_id known only after apply that does not trace to one) leave every plan's
 * selections unknown.
 */
export function mapBackupPlans(ctx: TfContext): Draft[] {
  const selections = new Children(ctx, 'aws_backup_selection', 'plan_id', ['aws_backup_plan'], (t) => t.values.id);
  return ctx.plan.byType('aws_backup_plan').map((p) => {
    const v = p.values;
    const d = ctx.draft(awsBackupPlan, p);
    const name = str(v.name) ?? new Unresolved(`${p.address} name is known only after apply`);
    d.set('name', name);
    d.name = typeof name === 'string' ? name : p.address;
    d.set('backupPlanId', str(v.id) ?? new Unresolved(`${p.address} id is known only after apply`));
    const arn = planArn(p.address, v.arn);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    const rules = list(v, 'rule');
    d.set(
      'rules',
      isUnresolved(rules)
        ? rules
        : rules.map((r) => {
            const copies = list(r, 'copy_action');
            return {
              ruleName: str(at(r, 'rule_name'), ''),
              targetVaultName: str(at(r, 'target_vault_name'), ''),
              scheduleExpression: optStr(at(r, 'schedule')),
              deleteAfterDays: keep(block(r, 'lifecycle')),
              moveToColdStorageAfterDays: int(at(block(r, 'lifecycle'), 'cold_storage_after')) || null,
              copyActions: isUnresolved(copies) ? copies : copies.map((c) => ({ destinationVaultArn: str(at(c, 'destination_vault_arn'), ''), deleteAfterDays: keep(block(c, 'lifecycle')) })),
            };
          }),
    );
    const maybe = selections.maybeAny(p);
    if (maybe) d.set('selections', new Unresolved(`${maybe.address} may assign resources to this plan: its plan_id could not be traced to one plan`));
    else {
      d.set(
        'selections',
        selections.all(p).map((s) => {
          const sv = s.values;
          const cond = block(sv, 'condition');
          const conditions = OPERATORS.flatMap(([attr, operator]) => {
            const l = list(cond, attr);
            return isUnresolved(l) ? [{ operator, key: l, value: l }] : l.map((c) => ({ operator, key: tagKey(at(c, 'key')), value: str(at(c, 'value')) }));
          });
          const tags = list(sv, 'selection_tag');
          return {
            selectionName: str(sv.name, ''),
            resources: strList(sv.resources),
            notResources: strList(sv.not_resources),
            listOfTags: isUnresolved(tags) ? tags : tags.map((t) => ({ key: tagKey(at(t, 'key')), value: str(at(t, 'value')) })),
            conditions: isUnresolved(cond) ? cond : conditions,
          };
        }),
      );
    }
    return d;
  });
}

/**
 * `aws_backup_vault` with its `aws_backup_vault_lock_configuration` (compliance mode when
 * `changeable_for_days` is set: the lock date is then fixed at apply) and `aws_backup_vault_policy`.
 */
export function mapBackupVaults(ctx: TfContext): Draft[] {
  const byName = (t: { values: Record<string, unknown> }): unknown => t.values.name;
  const locks = new Children(ctx, 'aws_backup_vault_lock_configuration', 'backup_vault_name', ['aws_backup_vault'], byName);
  const policies = new Children(ctx, 'aws_backup_vault_policy', 'backup_vault_name', ['aws_backup_vault'], byName);
  return ctx.plan.byType('aws_backup_vault').map((b) => {
    const v = b.values;
    const d = ctx.draft(awsBackupVault, b);
    const name = str(v.name) ?? new Unresolved(`${b.address} name is known only after apply`);
    d.set('name', name);
    d.name = typeof name === 'string' ? name : b.address;
    const arn = planArn(b.address, v.arn);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.setCopied('encryptionKeyArn', optStr(v.kms_key_arn));
    const existing = (what: string): Unresolved => new Unresolved(`${b.address} exists already and this plan does not declare its ${what}`);
    const lock = locks.of(b, 'backup_vault_name');
    if (isUnresolved(lock)) for (const p of ['locked', 'minRetentionDays', 'maxRetentionDays', 'lockDate']) d.set(p, lock);
    else if (lock) {
      const lv = lock.values;
      d.set('locked', true);
      d.set('minRetentionDays', int(lv.min_retention_days));
      d.set('maxRetentionDays', int(lv.max_retention_days));
      const changeable = int(lv.changeable_for_days);
      d.setCopied('lockDate', isUnresolved(changeable) ? changeable : changeable === null ? null : new Unresolved(`${lock.address}: compliance mode, locked ${changeable} days after apply`, [], true));
    } else if (ctx.creates(b)) {
      d.set('locked', false);
      for (const p of ['minRetentionDays', 'maxRetentionDays', 'lockDate']) d.set(p, null);
    } else for (const p of ['locked', 'minRetentionDays', 'maxRetentionDays', 'lockDate']) d.set(p, existing('Vault Lock'));
    const pol = policies.of(b, 'backup_vault_name');
    if (isUnresolved(pol)) d.set('policy', pol);
    else if (pol) d.set('policy', ctx.policy(pol, pol.values.policy));
    else d.set('policy', ctx.creates(b) ? null : existing('access policy'));
    return d;
  });
}

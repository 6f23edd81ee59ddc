import { awsDynamoDbTable } from '../../types/dynamodb-table';
import type { Draft } from '../../../../iac/draft';
import { at, block, bool, int, isUnresolved, optStr, str, Unresolved } from '../../../../iac/values';
import type { TfContext } from './context';
import { planArn } from '../arn';

/**
 * `aws_dynamodb_table`: the AWS-owned key unless `server_side_encryption` is enabled (then KMS,
 * the AWS-managed aws/dynamodb key when no key is named), point-in-time recovery and deletion
 * protection off, provisioned billing — the provider's defaults.
 */
export function mapDynamoDbTables(ctx: TfContext): Draft[] {
  return ctx.plan.byType('aws_dynamodb_table').map((t) => {
    const v = t.values;
    const d = ctx.draft(awsDynamoDbTable, t);
    const name = str(v.name) ?? new Unresolved(`${t.address} name is known only after apply`);
    d.set('tableName', name);
    d.name = typeof name === 'string' ? name : t.address;
    const arn = planArn(t.address, v.arn);
    d.set('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('billingMode', str(v.billing_mode, 'PROVISIONED'));
    const sse = block(v, 'server_side_encryption');
    const on = isUnresolved(sse) ? sse : bool(at(sse, 'enabled'), false);
    d.set('encryption', {
      type: isUnresolved(on) ? on : on ? 'KMS' : 'AWS_OWNED',
      kmsKeyArn: isUnresolved(on) ? on : on ? optStr(at(sse, 'kms_key_arn')) : null,
    });
    d.set('deletionProtectionEnabled', bool(v.deletion_protection_enabled, false));
    const pitr = block(v, 'point_in_time_recovery');
    const enabled = isUnresolved(pitr) ? pitr : bool(at(pitr, 'enabled'), false);
    d.set('pointInTimeRecovery', { enabled, recoveryPeriodInDays: enabled === true ? int(at(pitr, 'recovery_period_in_days'), 35) : isUnresolved(enabled) ? enabled : null });
    return d;
  });
}

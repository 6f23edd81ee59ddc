import { awsDynamoDbTable } from '../../types/dynamodb-table';
import type { Draft } from '../../../../iac/draft';
import { at, bool, int, isUnresolved, list, optStr, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

function sse(spec: unknown): { type: unknown; kmsKeyArn: unknown } {
  const on = isUnresolved(spec) ? spec : bool(at(spec, 'SSEEnabled'), false);
  return { type: isUnresolved(on) ? on : on ? 'KMS' : 'AWS_OWNED', kmsKeyArn: isUnresolved(on) ? on : on ? optStr(at(spec, 'KMSMasterKeyId')) : null };
}

function pitr(spec: unknown): { enabled: unknown; recoveryPeriodInDays: unknown } {
  const enabled = isUnresolved(spec) ? spec : bool(at(spec, 'PointInTimeRecoveryEnabled'), false);
  return { enabled, recoveryPeriodInDays: enabled === true ? int(at(spec, 'RecoveryPeriodInDays'), 35) : isUnresolved(enabled) ? enabled : null };
}

function common(d: Draft, r: CfnResource, ctx: CfnContext): void {
  const name = ctx.name(r, 'TableName', 'table name');
  d.set('tableName', name);
  if (typeof name === 'string') d.name = name;
  d.set('arn', new Unresolved(`${r.logicalId} ARN is known only after deploy`));
  d.set('billingMode', str(r.props.BillingMode, 'PROVISIONED'));
}

/**
 * `AWS::DynamoDB::Table` (AWS-owned key unless SSE is enabled, point-in-time recovery and deletion
 * protection off), and `AWS::DynamoDB::GlobalTable`: one table per replica, in the replica's
 * region, with the table's encryption and the replica's own recovery and protection settings.
 */
export function mapDynamoDbTables(ctx: CfnContext): Draft[] {
  const tables = ctx.ofType('AWS::DynamoDB::Table').map((t) => {
    const d = ctx.draft(awsDynamoDbTable, t);
    common(d, t, ctx);
    d.set('encryption', sse(t.props.SSESpecification));
    d.set('deletionProtectionEnabled', bool(t.props.DeletionProtectionEnabled, false));
    d.set('pointInTimeRecovery', pitr(t.props.PointInTimeRecoverySpecification));
    return d;
  });
  const replicas = ctx.ofType('AWS::DynamoDB::GlobalTable').flatMap((g) => {
    const reps = list(g.props, 'Replicas');
    const each = isUnresolved(reps) ? [undefined] : reps;
    return each.map((rep, n) => {
      const region = rep === undefined ? undefined : str(at(rep, 'Region'));
      const d = ctx.draft(awsDynamoDbTable, g);
      // Each replica lives in its own region; one whose region is not known stays in the stack's.
      if (typeof region === 'string') d.origin.region = region;
      d.id = `cloudformation:${d.origin.source.file}#${g.logicalId}/${typeof region === 'string' ? region : `replica-${n + 1}`}`;
      common(d, g, ctx);
      d.set('encryption', sse(g.props.SSESpecification));
      d.set('deletionProtectionEnabled', rep === undefined ? reps : bool(at(rep, 'DeletionProtectionEnabled'), false));
      d.set('pointInTimeRecovery', rep === undefined ? { enabled: reps, recoveryPeriodInDays: reps } : pitr(at(rep, 'PointInTimeRecoverySpecification')));
      return d;
    });
  });
  return [...tables, ...replicas];
}

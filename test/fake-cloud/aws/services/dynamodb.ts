import { type Ctx, FakeError, type Handler } from '../server';
import type { ScenarioTable } from '../scenario-data';

/** DynamoDB over JSON 1.0: tables, their descriptions, continuous backups and tags. */

const here = (ctx: Ctx): ScenarioTable[] => (ctx.account.data?.tables ?? []).filter((t) => t.region === ctx.region);
const tableArn = (ctx: Ctx, name: string): string => `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;

function table(ctx: Ctx, nameOrArn: unknown): ScenarioTable {
  const t = here(ctx).find((x) => x.name === nameOrArn || tableArn(ctx, x.name) === nameOrArn);
  if (!t) throw new FakeError('ResourceNotFoundException', 400, `Requested resource not found: Table: ${String(nameOrArn)} not found`);
  return t;
}

export const dynamodbHandlers: Record<string, Handler> = {
  // Pages continue after the last table name returned (ExclusiveStartTableName), names in order.
  ListTables(ctx) {
    const names = here(ctx).map((t) => t.name).sort();
    const start = ctx.json.ExclusiveStartTableName as string | undefined;
    const from = start ? names.findIndex((n) => n > start) : 0;
    const size = ctx.fake.pageSize('dynamodb:ListTables', ctx.json.Limit, 100);
    const rest = from < 0 ? [] : names.slice(from);
    const items = rest.slice(0, size);
    return { TableNames: items, ...(rest.length > size ? { LastEvaluatedTableName: items[items.length - 1] } : {}) };
  },

  DescribeTable(ctx) {
    const t = table(ctx, ctx.json.TableName);
    return {
      Table: {
        TableName: t.name,
        TableArn: tableArn(ctx, t.name),
        TableStatus: 'ACTIVE',
        CreationDateTime: Date.parse('2025-01-01T00:00:00Z') / 1000,
        ...(t.billingMode === 'PAY_PER_REQUEST' ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } : { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
        // The AWS-owned key: no SSE description at all.
        ...(t.kmsKeyArn ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: t.kmsKeyArn } } : {}),
        DeletionProtectionEnabled: t.deletionProtection ?? false,
      },
    };
  },

  DescribeContinuousBackups(ctx) {
    const t = table(ctx, ctx.json.TableName);
    return {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: t.pitr
          ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: t.pitrDays ?? 35, EarliestRestorableDateTime: 1767225600, LatestRestorableDateTime: 1767225600 }
          : { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    };
  },

  ListTagsOfResource(ctx) {
    const t = table(ctx, ctx.json.ResourceArn);
    return { Tags: Object.entries(t.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
  },
};

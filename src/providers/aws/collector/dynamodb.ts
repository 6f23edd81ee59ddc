import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  type ListTablesCommandOutput,
  ListTagsOfResourceCommand,
  type ListTagsOfResourceCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsDynamoDbTable } from '../types/dynamodb-table';
import type { AccountContext } from './context';
import { tagsOf } from './resource';

/**
 * DynamoDB tables of one region: the listing gives names only, so each table costs three calls —
 * its description (encryption, deletion protection), its continuous backups (point-in-time
 * recovery is not in the description) and its tags (which backup selections and rules read).
 */
export async function collectDynamoDb(ctx: AccountContext, region: string): Promise<void> {
  const ddb = ctx.clients.dynamodb(region);
  const listed = await ctx.calls.pages(
    { service: 'dynamodb', operation: 'ListTables', region },
    (ExclusiveStartTableName, abortSignal) => ddb.send(new ListTablesCommand({ Limit: 100, ExclusiveStartTableName }), { abortSignal }),
    (p: ListTablesCommandOutput) => p.LastEvaluatedTableName,
  );
  if (!listed.ok) return;
  await Promise.all(
    listed.value.flatMap((p) => p.TableNames ?? []).map(async (name) => {
      const arn = `arn:${ctx.partition}:dynamodb:${region}:${ctx.account}:table/${name}`;
      const spec = (operation: string) => ({ service: 'dynamodb', operation, region, resourceId: arn });
      const d = new ResourceDraft(awsDynamoDbTable, {
        tableName: name,
        arn,
        status: null,
        billingMode: null,
        encryption: { type: 'AWS_OWNED', kmsKeyArn: null },
        deletionProtectionEnabled: null,
        pointInTimeRecovery: { enabled: null, recoveryPeriodInDays: null },
      });
      let tags: Record<string, string> | undefined;
      await Promise.all([
        ctx.calls.one(spec('DescribeTable'), (abortSignal) => ddb.send(new DescribeTableCommand({ TableName: name }), { abortSignal })).then((r) => {
          if (!d.from(r)) return;
          const t = r.value?.Table;
          // Every answer describes the table: one without it told nothing the call fills.
          if (!t) return d.loseOperation('dynamodb:DescribeTable');
          d.properties.status = t.TableStatus ?? null;
          if (d.properties.status === null) d.lose('status');
          // On-demand tables say so; a table created as provisioned may carry no summary at all.
          d.properties.billingMode = t.BillingModeSummary?.BillingMode ?? (t.ProvisionedThroughput ? 'PROVISIONED' : null);
          // No SSE description: the table uses the key DynamoDB owns (the default).
          const sse = t.SSEDescription;
          const kms = sse?.SSEType === 'KMS' && sse.Status !== 'DISABLED';
          d.properties.encryption = { type: kms ? 'KMS' : 'AWS_OWNED', kmsKeyArn: kms ? (sse?.KMSMasterKeyArn ?? null) : null };
          d.properties.deletionProtectionEnabled = t.DeletionProtectionEnabled === true;
        }),
        ctx.calls.one(spec('DescribeContinuousBackups'), (abortSignal) => ddb.send(new DescribeContinuousBackupsCommand({ TableName: name }), { abortSignal })).then((r) => {
          if (!d.from(r)) return;
          const pitr = r.value?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
          if (!pitr?.PointInTimeRecoveryStatus) return d.lose('pointInTimeRecovery');
          const enabled = pitr.PointInTimeRecoveryStatus === 'ENABLED';
          d.properties.pointInTimeRecovery = { enabled, recoveryPeriodInDays: enabled ? (pitr.RecoveryPeriodInDays ?? 35) : null };
        }),
        ctx.calls
          .pages(
            spec('ListTagsOfResource'),
            (NextToken, abortSignal) => ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken }), { abortSignal }),
            (p: ListTagsOfResourceCommandOutput) => p.NextToken,
          )
          .then((r) => {
            if (d.from(r)) tags = tagsOf(r.value.flatMap((p) => p.Tags ?? []));
          }),
      ]);
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name, ...(tags ? { tags } : {}) }));
    }),
  );
}

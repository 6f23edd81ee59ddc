import { collectBackup } from './backup';
import type { AccountContext } from './context';
import { collectDynamoDb } from './dynamodb';
import { collectEfs } from './efs';
import { collectRds } from './rds';
import { collectSecrets } from './secretsmanager';

/** Data stores, their backups and secrets in one region (issue 17): one progress unit. */
export async function collectDataStores(ctx: AccountContext, region: string): Promise<void> {
  await Promise.all([collectRds(ctx, region), collectDynamoDb(ctx, region), collectBackup(ctx, region), collectSecrets(ctx, region), collectEfs(ctx, region)]);
}

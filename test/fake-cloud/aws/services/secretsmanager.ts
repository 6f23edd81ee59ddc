import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioSecret } from '../scenario-data';

/** Secrets Manager over JSON 1.1: the secret listing and each secret's resource policy. */

const here = (ctx: Ctx): ScenarioSecret[] => (ctx.account.data?.secrets ?? []).filter((s) => s.region === ctx.region);
const secretArn = (ctx: Ctx, name: string): string => `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-AbCdEf`;
const epoch = (d: string | null | undefined): number | undefined => (d ? Date.parse(d) / 1000 : undefined);

export const secretsManagerHandlers: Record<string, Handler> = {
  ListSecrets(ctx) {
    const secrets = here(ctx).map((s) => ({
      ARN: secretArn(ctx, s.name),
      Name: s.name,
      ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
      ...(s.rotationEnabled !== undefined ? { RotationEnabled: s.rotationEnabled } : {}),
      ...(s.rotationDays ? { RotationRules: { AutomaticallyAfterDays: s.rotationDays } } : {}),
      ...(s.lastRotatedDate ? { LastRotatedDate: epoch(s.lastRotatedDate) } : {}),
      ...(s.lastAccessedDate ? { LastAccessedDate: epoch(s.lastAccessedDate) } : {}),
      CreatedDate: epoch(s.createdDate ?? '2025-01-01T00:00:00Z'),
      ...(s.owningService ? { OwningService: s.owningService } : {}),
      Tags: Object.entries(s.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }));
    const { items, next } = page(secrets, ctx.json.NextToken, ctx.fake.pageSize('secretsmanager:ListSecrets', ctx.json.MaxResults, 100));
    return { SecretList: items, ...(next ? { NextToken: next } : {}) };
  },

  GetResourcePolicy(ctx) {
    const id = String(ctx.json.SecretId ?? '');
    const s = here(ctx).find((x) => x.name === id || secretArn(ctx, x.name) === id);
    if (!s) throw new FakeError('ResourceNotFoundException', 400, "Secrets Manager can't find the specified secret.");
    // No policy: the answer simply has no ResourcePolicy.
    return { ARN: secretArn(ctx, s.name), Name: s.name, ...(s.policy ? { ResourcePolicy: JSON.stringify(s.policy) } : {}) };
  },
};

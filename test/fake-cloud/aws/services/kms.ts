import { type Ctx, FakeError, type Handler, page } from '../server';
import type { ScenarioKey } from '../scenario';

/** KMS over JSON 1.1: keys of the region, their metadata, rotation status, policy and aliases. */

const keyArn = (ctx: Ctx, k: ScenarioKey): string => `arn:aws:kms:${k.region}:${ctx.accountId}:key/${k.id}`;
const keysHere = (ctx: Ctx): ScenarioKey[] => (ctx.account.kmsKeys ?? []).filter((k) => k.region === ctx.region);

function key(ctx: Ctx): ScenarioKey {
  const id = String(ctx.json.KeyId ?? '');
  const k = keysHere(ctx).find((x) => x.id === id || keyArn(ctx, x) === id);
  if (!k) throw new FakeError('NotFoundException', 400, `Key '${id}' does not exist`);
  return k;
}

export const kmsHandlers: Record<string, Handler> = {
  ListKeys(ctx) {
    const keys = keysHere(ctx).map((k) => ({ KeyId: k.id, KeyArn: keyArn(ctx, k) }));
    const { items, next } = page(keys, ctx.json.Marker, ctx.fake.pageSize('kms:ListKeys', ctx.json.Limit, 1000));
    return { Keys: items, Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
  },

  ListAliases(ctx) {
    const aliases = keysHere(ctx).flatMap((k) =>
      (k.aliases ?? []).map((a) => ({ AliasName: a, AliasArn: `arn:aws:kms:${k.region}:${ctx.accountId}:${a}`, TargetKeyId: k.id })),
    );
    const { items, next } = page(aliases, ctx.json.Marker, ctx.fake.pageSize('kms:ListAliases', ctx.json.Limit, 100));
    return { Aliases: items, Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) };
  },

  DescribeKey(ctx) {
    const k = key(ctx);
    return {
      KeyMetadata: {
        AWSAccountId: ctx.accountId,
        KeyId: k.id,
        Arn: keyArn(ctx, k),
        CreationDate: Date.parse(k.creationDate) / 1000,
        Enabled: (k.keyState ?? 'Enabled') === 'Enabled',
        Description: k.description ?? '',
        KeyUsage: k.keyUsage ?? 'ENCRYPT_DECRYPT',
        KeyState: k.keyState ?? 'Enabled',
        Origin: k.origin ?? 'AWS_KMS',
        KeyManager: k.keyManager ?? 'CUSTOMER',
        CustomerMasterKeySpec: k.keySpec ?? 'SYMMETRIC_DEFAULT',
        KeySpec: k.keySpec ?? 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: k.multiRegion ?? false,
      },
    };
  },

  GetKeyRotationStatus(ctx) {
    const k = key(ctx);
    if ((k.keySpec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT' || (k.origin ?? 'AWS_KMS') !== 'AWS_KMS') {
      throw new FakeError('UnsupportedOperationException', 400, `${keyArn(ctx, k)} origin or spec does not support rotation`);
    }
    if ((k.keyState ?? 'Enabled').startsWith('Pending')) throw new FakeError('KMSInvalidStateException', 400, `${keyArn(ctx, k)} is pending deletion.`);
    return {
      KeyRotationEnabled: k.rotationEnabled ?? false,
      KeyId: keyArn(ctx, k),
      ...(k.rotationEnabled ? { RotationPeriodInDays: k.rotationPeriodInDays ?? 365 } : {}),
    };
  },

  GetKeyPolicy(ctx) {
    const k = key(ctx);
    return { Policy: JSON.stringify(k.policy), PolicyName: 'default' };
  },
};

import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  type ListAliasesCommandOutput,
  ListKeysCommand,
  type ListKeysCommandOutput,
} from '@aws-sdk/client-kms';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsKmsKey } from '../types/kms-key';
import type { AccountContext } from './context';
import { decodePolicy, iso } from './resource';

/**
 * Customer-managed keys of one region. AWS-managed keys (alias/aws/…) are skipped without
 * further calls; a key whose metadata cannot be read is kept, with that metadata unknown.
 */
export async function collectKms(ctx: AccountContext, region: string): Promise<void> {
  const kms = ctx.clients.kms(region);
  const [keys, aliases] = await Promise.all([
    ctx.calls.pages(
      { service: 'kms', operation: 'ListKeys', region },
      (Marker, abortSignal) => kms.send(new ListKeysCommand({ Limit: 1000, Marker }), { abortSignal }),
      (p: ListKeysCommandOutput) => (p.Truncated ? p.NextMarker : undefined),
    ),
    ctx.calls.pages(
      { service: 'kms', operation: 'ListAliases', region },
      (Marker, abortSignal) => kms.send(new ListAliasesCommand({ Limit: 100, Marker }), { abortSignal }),
      (p: ListAliasesCommandOutput) => (p.Truncated ? p.NextMarker : undefined),
    ),
  ]);
  if (!keys.ok) return;
  const aliasesOf = new Map<string, string[]>();
  if (aliases.ok) {
    for (const a of aliases.value.flatMap((p) => p.Aliases ?? [])) {
      if (a.TargetKeyId && a.AliasName) aliasesOf.set(a.TargetKeyId, [...(aliasesOf.get(a.TargetKeyId) ?? []), a.AliasName]);
    }
  }
  await Promise.all(
    keys.value.flatMap((p) => p.Keys ?? []).map(async (k) => {
      const keyId = k.KeyId ?? '';
      const names = aliasesOf.get(keyId) ?? [];
      if (names.some((n) => n.startsWith('alias/aws/'))) return; // AWS-managed
      const arn = k.KeyArn ?? `arn:${ctx.partition}:kms:${region}:${ctx.account}:key/${keyId}`;
      const spec = (operation: string, absent?: string[]) => ({ service: 'kms', operation, region, resourceId: arn, ...(absent ? { absent } : {}) });
      const described = await ctx.calls.one(spec('DescribeKey'), (abortSignal) => kms.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal }));
      const m = described.ok ? described.value?.KeyMetadata : undefined;
      if (m?.KeyManager === 'AWS') return;
      const keySpec = m?.KeySpec ?? m?.CustomerMasterKeySpec;
      const d = new ResourceDraft(awsKmsKey, {
        keyId,
        arn,
        description: m?.Description ?? '',
        keyManager: m?.KeyManager ?? null,
        keyState: m?.KeyState ?? null,
        keySpec: keySpec ?? null,
        keyUsage: m?.KeyUsage ?? null,
        origin: m?.Origin ?? null,
        multiRegion: m?.MultiRegion === true,
        creationDate: iso(m?.CreationDate),
        rotationEnabled: null,
        rotationPeriodInDays: null,
        policy: null,
        aliases: aliases.ok ? names : null,
      });
      if (d.from(described)) {
        // DescribeKey always sends these: one left out is not told, and no default is guessed.
        for (const p of ['keyManager', 'keyState', 'keySpec', 'keyUsage', 'origin', 'creationDate']) if (d.properties[p] === null) d.lose(p);
      }
      d.from(aliases);
      // Rotation applies to symmetric keys with key material from KMS that are not being deleted
      // (asked whenever that is not known: the call answers "unsupported" where it does not apply).
      const rotates = !m || !keySpec || !m.Origin || !m.KeyState || (keySpec === 'SYMMETRIC_DEFAULT' && m.Origin === 'AWS_KMS' && !m.KeyState.startsWith('Pending'));
      await Promise.all([
        rotates
          ? ctx.calls.one(spec('GetKeyRotationStatus', ['UnsupportedOperationException']), (abortSignal) => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }), { abortSignal })).then((r) => {
              if (!d.from(r) || !r.value) return;
              d.properties.rotationEnabled = r.value.KeyRotationEnabled === true;
              d.properties.rotationPeriodInDays = r.value.RotationPeriodInDays ?? null;
            })
          : undefined,
        ctx.calls.one(spec('GetKeyPolicy'), (abortSignal) => kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }), { abortSignal })).then((r) => {
          if (!d.from(r)) return;
          const doc = decodePolicy(r.value?.Policy);
          if (doc === undefined) d.lose('policy');
          else d.properties.policy = doc;
        }),
      ]);
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name: names[0] ?? keyId }));
    }),
  );
}

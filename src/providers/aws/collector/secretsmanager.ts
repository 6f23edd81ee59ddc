import { GetResourcePolicyCommand, ListSecretsCommand, type ListSecretsCommandOutput } from '@aws-sdk/client-secrets-manager';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsSecretsManagerSecret } from '../types/secretsmanager-secret';
import type { AccountContext } from './context';
import { decodePolicy, iso, tagsOf } from './resource';

/**
 * Secrets of one region: one listing carries rotation, last rotation and last access, key and
 * tags; the resource policy costs one call per secret (it is in no listing).
 */
export async function collectSecrets(ctx: AccountContext, region: string): Promise<void> {
  const sm = ctx.clients.secretsManager(region);
  const listed = await ctx.calls.pages(
    { service: 'secretsmanager', operation: 'ListSecrets', region },
    (NextToken, abortSignal) => sm.send(new ListSecretsCommand({ MaxResults: 100, NextToken }), { abortSignal }),
    (p: ListSecretsCommandOutput) => p.NextToken,
  );
  if (!listed.ok) return;
  await Promise.all(
    listed.value.flatMap((p) => p.SecretList ?? []).map(async (s) => {
      const name = s.Name ?? '';
      const arn = s.ARN ?? `arn:${ctx.partition}:secretsmanager:${region}:${ctx.account}:secret:${name}`;
      const rules = s.RotationRules;
      const d = new ResourceDraft(awsSecretsManagerSecret, {
        name,
        arn,
        kmsKeyId: s.KmsKeyId ?? null,
        rotationEnabled: s.RotationEnabled === true,
        rotationRules: rules ? { automaticallyAfterDays: rules.AutomaticallyAfterDays ?? null, scheduleExpression: rules.ScheduleExpression ?? null } : null,
        lastRotatedDate: iso(s.LastRotatedDate),
        lastAccessedDate: iso(s.LastAccessedDate),
        createdDate: iso(s.CreatedDate),
        owningService: s.OwningService ?? null,
        policy: null,
      });
      const r = await ctx.calls.one({ service: 'secretsmanager', operation: 'GetResourcePolicy', region, resourceId: arn }, (abortSignal) =>
        sm.send(new GetResourcePolicyCommand({ SecretId: arn }), { abortSignal }),
      );
      if (d.from(r)) {
        const doc = decodePolicy(r.value?.ResourcePolicy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
      }
      const tags = tagsOf(s.Tags);
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name, ...(tags ? { tags } : {}) }));
    }),
  );
}

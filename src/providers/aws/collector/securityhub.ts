import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { GetMacieSessionCommand } from '@aws-sdk/client-macie2';
import type { AccountContext } from './context';
import { iso, ResourceDraft } from './resource';

/**
 * Security Hub in one region. Not subscribed is answered as InvalidAccessException ("Account … is
 * not subscribed to AWS Security Hub"): a fact, so the region has no hub; a denial is a gap.
 */
export async function collectSecurityHub(ctx: AccountContext, region: string): Promise<void> {
  const r = await ctx.calls.one({ service: 'securityhub', operation: 'DescribeHub', region, absent: ['InvalidAccessException'] }, (abortSignal) =>
    ctx.clients.securityhub(region).send(new DescribeHubCommand({}), { abortSignal }),
  );
  if (!r.ok || !r.value?.HubArn) return;
  const d = new ResourceDraft({ hubArn: r.value.HubArn, subscribedAt: iso(r.value.SubscribedAt), autoEnableControls: r.value.AutoEnableControls ?? null });
  await ctx.emit(d.finish({ id: r.value.HubArn, type: 'aws.securityhub.hub', account: ctx.account, region, name: 'default' }));
}

/** Macie's answer when it was never enabled: an AccessDeniedException saying so (a real denial says something else). */
const macieNotEnabled = (code: string, message: string): boolean => code === 'AccessDeniedException' && /macie is not enabled/i.test(message);

/** Macie in one region: one call, which answers "not enabled" or the session's status. */
export async function collectMacie(ctx: AccountContext, region: string): Promise<void> {
  const r = await ctx.calls.one({ service: 'macie2', operation: 'GetMacieSession', region, absentWhen: macieNotEnabled }, (abortSignal) =>
    ctx.clients.macie(region).send(new GetMacieSessionCommand({}), { abortSignal }),
  );
  if (!r.ok || !r.value?.status) return;
  const d = new ResourceDraft({ status: r.value.status, findingPublishingFrequency: r.value.findingPublishingFrequency ?? null, serviceRole: r.value.serviceRole ?? null });
  await ctx.emit(d.finish({ id: `arn:${ctx.partition}:macie2:${region}:${ctx.account}:session`, type: 'aws.macie.session', account: ctx.account, region, name: 'macie' }));
}

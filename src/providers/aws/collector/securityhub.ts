import { DescribeHubCommand, GetEnabledStandardsCommand, type GetEnabledStandardsCommandOutput } from '@aws-sdk/client-securityhub';
import { GetMacieSessionCommand } from '@aws-sdk/client-macie2';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsMacieSession } from '../types/macie-session';
import { awsSecurityHubHub } from '../types/securityhub-hub';
import type { AccountContext } from './context';
import { iso } from './resource';

/**
 * Security Hub in one region. Not subscribed is answered as InvalidAccessException ("Account … is
 * not subscribed to AWS Security Hub"): a fact, so the region has no hub; a denial is a gap. Where
 * there is a hub, its enabled standards (one more call, paged by 100).
 */
export async function collectSecurityHub(ctx: AccountContext, region: string): Promise<void> {
  const hub = ctx.clients.securityhub(region);
  const r = await ctx.calls.one({ service: 'securityhub', operation: 'DescribeHub', region, absent: ['InvalidAccessException'] }, (abortSignal) =>
    hub.send(new DescribeHubCommand({}), { abortSignal }),
  );
  if (!r.ok || !r.value?.HubArn) return;
  const d = new ResourceDraft(awsSecurityHubHub, { hubArn: r.value.HubArn, subscribedAt: iso(r.value.SubscribedAt), autoEnableControls: r.value.AutoEnableControls ?? null, standards: [] });
  const std = await ctx.calls.pages(
    { service: 'securityhub', operation: 'GetEnabledStandards', region, resourceId: r.value.HubArn },
    (NextToken, abortSignal) => hub.send(new GetEnabledStandardsCommand({ MaxResults: 100, NextToken }), { abortSignal }),
    (p: GetEnabledStandardsCommandOutput) => p.NextToken,
  );
  if (d.from(std)) {
    const subs = std.value.flatMap((p) => p.StandardsSubscriptions ?? []);
    // A subscription without its standard or status says nothing about what is evaluated.
    if (subs.some((s) => !s.StandardsArn || !s.StandardsStatus)) d.lose('standards');
    else d.properties.standards = subs.map((s) => ({ standardsArn: s.StandardsArn, status: s.StandardsStatus }));
  }
  await ctx.emit(d.finish({ id: r.value.HubArn, account: ctx.account, region, name: 'default' }));
}

/** Macie's answer when it was never enabled: an AccessDeniedException saying so (a real denial says something else). */
const macieNotEnabled = (code: string, message: string): boolean => code === 'AccessDeniedException' && /macie is not enabled/i.test(message);

/** Macie in one region: one call, which answers "not enabled" or the session's status. */
export async function collectMacie(ctx: AccountContext, region: string): Promise<void> {
  const r = await ctx.calls.one({ service: 'macie2', operation: 'GetMacieSession', region, absentWhen: macieNotEnabled }, (abortSignal) =>
    ctx.clients.macie(region).send(new GetMacieSessionCommand({}), { abortSignal }),
  );
  if (!r.ok || !r.value?.status) return;
  const d = new ResourceDraft(awsMacieSession, { status: r.value.status, findingPublishingFrequency: r.value.findingPublishingFrequency ?? null, serviceRole: r.value.serviceRole ?? null });
  await ctx.emit(d.finish({ id: `arn:${ctx.partition}:macie2:${region}:${ctx.account}:session`, account: ctx.account, region, name: 'macie' }));
}

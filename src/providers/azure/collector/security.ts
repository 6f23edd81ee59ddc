import type { SubscriptionContext } from './context';

const onOff = (v: string | undefined): boolean => (v ?? '').toLowerCase() === 'on';

/** Microsoft Defender for Cloud: plans (pricing tiers), security contacts and auto-provisioning. */
export async function collectSecurity(ctx: SubscriptionContext): Promise<void> {
  const sec = ctx.clients.security(ctx.subscription);
  const spec = (operation: string, expect?: 'list') => ({ service: 'security', operation, region: 'global', resourceId: `/subscriptions/${ctx.subscription}`, ...(expect ? { expect } : {}) });
  await Promise.all([
    ctx.calls.one(spec('Pricings_List', 'list'), (abortSignal) => sec.pricings.list({ abortSignal })).then((r) => {
      if (!r.ok) return;
      ctx.draft.set(
        'defenderPlans',
        (r.value?.value ?? []).map((p) => ({ name: p.name ?? '', pricingTier: p.pricingTier ?? 'Free', subPlan: p.subPlan ?? null })).sort((a, b) => a.name.localeCompare(b.name)),
      );
    }),
    ctx.calls.list(spec('SecurityContacts_List'), (abortSignal) => sec.securityContacts.list({ abortSignal }).byPage()).then((r) => {
      if (!r.ok) return;
      ctx.draft.set(
        'securityContacts',
        r.value.map((c) => ({
          name: c.name ?? '',
          emails: (c.email ?? '').split(/[;,]/).map((e) => e.trim()).filter(Boolean),
          phone: c.phone || null,
          alertNotifications: onOff(c.alertNotifications),
          alertsToAdmins: onOff(c.alertsToAdmins),
        })),
      );
    }),
    ctx.calls.list(spec('AutoProvisioningSettings_List'), (abortSignal) => sec.autoProvisioningSettings.list({ abortSignal }).byPage()).then((r) => {
      if (!r.ok) return;
      ctx.draft.set('autoProvisioning', r.value.map((s) => ({ name: s.name ?? '', autoProvision: s.autoProvision ?? 'Off' })));
    }),
  ]);
}

import type { ActivityLogAlertResource, DiagnosticSettingsResource } from '@azure/arm-monitor';
import { ResourceDraft } from '../../../collect/resource-draft';
import { azureActivityLogAlert } from '../types/monitor';
import type { CallResult } from './calls';
import type { SubscriptionContext } from './context';
import { armId, armIdOrNull, resourceGroupOf } from './resource';

/**
 * Diagnostic settings of one resource (or of the subscription's activity log) as the snapshot
 * holds them; a log entry naming neither a category nor a category group (an answer this client
 * version cannot represent) leaves that setting's logs unknown: `unreadable` lists them.
 */
export function diagnosticSettings(list: DiagnosticSettingsResource[]): { settings: unknown[]; unreadable: number[] } {
  const unreadable: number[] = [];
  const settings = list.map((s, i) => {
    const logs = (s.logs ?? []).map((l) => {
      const raw = l as { category?: string; categoryGroup?: string };
      if (!raw.category && !raw.categoryGroup) unreadable.push(i);
      return {
        category: raw.category ?? null,
        categoryGroup: raw.categoryGroup ?? null,
        enabled: l.enabled === true,
        retentionDays: l.retentionPolicy?.enabled ? (l.retentionPolicy.days ?? 0) : null,
      };
    });
    return {
      name: s.name ?? '',
      storageAccountId: armIdOrNull(s.storageAccountId),
      workspaceId: armIdOrNull(s.workspaceId),
      eventHubAuthorizationRuleId: armIdOrNull(s.eventHubAuthorizationRuleId),
      logs,
    };
  });
  return { settings, unreadable: [...new Set(unreadable)] };
}

export function readDiagnostics(ctx: SubscriptionContext, resourceUri: string, region: string): Promise<CallResult<{ value?: DiagnosticSettingsResource[] } | null>> {
  const monitor = ctx.clients.monitor(ctx.subscription);
  return ctx.calls.one({ service: 'monitor', operation: 'DiagnosticSettings_List', region, resourceId: armId(resourceUri), expect: 'list' }, (abortSignal) =>
    monitor.diagnosticSettings.list(resourceUri, { abortSignal }),
  );
}

/** The subscription activity log's diagnostic settings, and its activity log alerts. */
export async function collectMonitor(ctx: SubscriptionContext): Promise<void> {
  const monitor = ctx.clients.monitor(ctx.subscription);
  await Promise.all([
    readDiagnostics(ctx, `/subscriptions/${ctx.subscription}`, 'global').then((r) => {
      if (!r.ok) return;
      const { settings, unreadable } = diagnosticSettings(r.value?.value ?? []);
      ctx.draft.set('activityLogDiagnosticSettings', settings);
      if (unreadable.length) ctx.draft.lose('activityLogDiagnosticSettings');
    }),
    ctx.calls
      .list({ service: 'monitor', operation: 'ActivityLogAlerts_ListBySubscriptionId', region: 'global' }, (abortSignal) => monitor.activityLogAlerts.listBySubscriptionId({ abortSignal }).byPage())
      .then(async (r) => {
        if (!r.ok) return;
        for (const a of r.value) await ctx.emit(alert(a, ctx.subscription));
      }),
  ]);
}

function alert(a: ActivityLogAlertResource, subscription: string) {
  const d = new ResourceDraft(azureActivityLogAlert, {
    resourceGroup: resourceGroupOf(a.id),
    enabled: a.enabled !== false,
    scopes: (a.scopes ?? []).map((s) => armId(s)),
    conditions: (a.condition?.allOf ?? []).map((c) => {
      const x = c as { field?: string; equals?: string; containsAny?: string[] };
      return { field: x.field ?? '', equals: x.equals ?? null, containsAny: x.containsAny ?? null };
    }),
    actionGroups: (a.actions?.actionGroups ?? []).map((g) => armId(g.actionGroupId)),
  });
  const id = armId(a.id);
  return d.finish({ id, account: subscription, region: 'global', name: a.name ?? id.split('/').pop() });
}

import { arr, str } from '../../../core/resource-types/schema-helpers';
import type { FactDef } from '../../../facts/fact-types';

interface Condition {
  field: string;
  equals: string | null;
  containsAny: string[] | null;
}

/**
 * The administrative operations an activity log alert certainly fires on, in lower case, for the
 * whole subscription it lives in: the alert is enabled, its scopes include that subscription, and
 * its conditions are only the category `Administrative` and the operation names. Any other
 * condition (a level, a status, a resource group, a caller) narrows the alert to part of those
 * operations, so it counts for none — as CIS's audit reads it.
 */
export const activityLogAlertWatchedOperations: FactDef = {
  type: 'azure.monitor.activity-log-alert',
  name: 'watchedOperations',
  description:
    "Operation names (lower case) the alert fires on for every change in its own subscription: empty when it is disabled, does not cover the whole subscription, or has conditions other than category 'Administrative' and the operation names.",
  schema: arr(str()),
  dependsOn: ['enabled', 'scopes', 'conditions'],
  compute(alert) {
    const p = alert.properties as { enabled?: boolean; scopes?: string[]; conditions?: Condition[] };
    if (p.enabled !== true) return [];
    const sub = `/subscriptions/${alert.account}`.toLowerCase();
    if (!(p.scopes ?? []).some((s) => s.toLowerCase() === sub)) return [];
    const ops: string[] = [];
    for (const c of p.conditions ?? []) {
      const field = c.field.toLowerCase();
      const values = c.equals !== null ? [c.equals] : (c.containsAny ?? []);
      if (field === 'category') {
        if (!values.some((v) => v.toLowerCase() === 'administrative')) return [];
      } else if (field === 'operationname') ops.push(...values.map((v) => v.toLowerCase()));
      else return [];
    }
    return [...new Set(ops)].sort();
  },
};

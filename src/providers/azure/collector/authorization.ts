import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import { type CallOutcome, ResourceDraft } from '../../../collect/resource-draft';
import { azureRoleAssignment } from '../types/role-assignment';
import { azureRoleDefinition } from '../types/role-definition';
import type { SubscriptionContext } from './context';
import { armId } from './resource';

/** The GUID at the end of a role definition id. */
export function roleGuid(id: string | undefined): string {
  return (id ?? '').split('/').pop()!.toLowerCase();
}

export type ScopeType = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

export function scopeTypeOf(scope: string): ScopeType {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  if (s === '' || s === '/') return 'root';
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) return 'managementGroup';
  if (/^\/subscriptions\/[^/]+$/.test(s)) return 'subscription';
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return 'resourceGroup';
  return 'resource';
}

/**
 * Role definitions visible from the subscription (built-in and custom: one call) and every role
 * assignment that applies to it — made at it, below it, or above it (management groups, the root
 * scope) — in one paged listing. Custom roles and inherited assignments are tenant objects,
 * emitted once by the tenant registry.
 */
export async function collectAuthorization(ctx: SubscriptionContext): Promise<void> {
  const auth = ctx.clients.authorization(ctx.subscription);
  const spec = (operation: string) => ({ service: 'authorization', operation, region: 'global' });
  const [defs, assignments] = await Promise.all([
    ctx.calls.list(spec('RoleDefinitions_List'), (abortSignal) => auth.roleDefinitions.list(`/subscriptions/${ctx.subscription}`, { abortSignal }).byPage()),
    ctx.calls.list(spec('RoleAssignments_ListForSubscription'), (abortSignal) => auth.roleAssignments.listForSubscription({ abortSignal }).byPage()),
  ]);
  const byGuid = new Map<string, RoleDefinition>();
  if (defs.ok) {
    for (const d of defs.value) {
      byGuid.set(roleGuid(d.id ?? d.name), d);
      if (d.roleType === 'CustomRole') ctx.tenant.customRole(customRole(d, ctx.tenantId ?? ctx.subscription));
    }
  }
  if (!assignments.ok) return;
  for (const a of assignments.value) {
    const r = assignment(a, byGuid, defs, ctx);
    if (r === null) continue;
    if (r.scopeType === 'root' || r.scopeType === 'managementGroup') ctx.tenant.inheritedAssignment(r.resource, ctx.subscription);
    else await ctx.emit(r.resource);
  }
}

function assignment(a: RoleAssignment, defs: Map<string, RoleDefinition>, listed: CallOutcome<unknown>, ctx: SubscriptionContext) {
  const scope = armId(a.scope ?? '') || '/';
  const scopeType = scopeTypeOf(scope);
  const guid = roleGuid(a.roleDefinitionId);
  const def = defs.get(guid);
  const d = new ResourceDraft(azureRoleAssignment, {
    scope,
    scopeType,
    principalId: a.principalId ?? '',
    principalType: a.principalType ?? 'Unknown',
    roleDefinitionId: guid,
    role: def
      ? {
          name: def.roleName ?? guid,
          type: def.roleType ?? 'BuiltInRole',
          actions: (def.permissions ?? []).flatMap((p) => p.actions ?? []),
          notActions: (def.permissions ?? []).flatMap((p) => p.notActions ?? []),
          dataActions: (def.permissions ?? []).flatMap((p) => p.dataActions ?? []),
        }
      : null,
    condition: a.condition ?? null,
    subscriptions: [],
  });
  // ARM always sends these: an assignment without them cannot be judged.
  if (!a.principalId) d.lose('principalId');
  if (!a.roleDefinitionId) d.lose('roleDefinitionId', 'role');
  d.from(listed);
  const id = armId(a.id);
  if (!id) return null;
  // Above a subscription: the management group's name (the tenant root group's is the tenant id).
  const account = scopeType === 'root' ? (ctx.tenantId ?? 'root') : scopeType === 'managementGroup' ? (scope.split('/').pop() ?? scope) : ctx.subscription;
  return { scopeType, resource: d.finish({ id, account, region: 'global', name: a.name ?? id.split('/').pop() }) };
}

function customRole(d: RoleDefinition, account: string) {
  const guid = roleGuid(d.id ?? d.name);
  const draft = new ResourceDraft(azureRoleDefinition, {
    roleName: d.roleName ?? guid,
    description: d.description ?? '',
    assignableScopes: (d.assignableScopes ?? []).map((s) => armId(s) || '/'),
    permissions: (d.permissions ?? []).map((p) => ({ actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] })),
  });
  return draft.finish({ id: `/providers/microsoft.authorization/roledefinitions/${guid}`, account, region: 'global', name: d.roleName ?? guid });
}

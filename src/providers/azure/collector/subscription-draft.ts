import { ResourceDraft } from '../../../collect/resource-draft';
import type { Resource } from '../../../core/types';
import { azureSubscription } from '../types/subscription';

/**
 * The `azure.subscription` resource, filled in by the subscription listing, Resource Graph,
 * Defender for Cloud and Monitor. Every property read by a call starts unknown and becomes known
 * only when that call succeeded.
 */
export class SubscriptionDraft {
  private readonly draft: ResourceDraft;

  constructor(readonly subscriptionId: string, info: { displayName?: string; state?: string; tenantId?: string }) {
    this.draft = new ResourceDraft(azureSubscription, {
      subscriptionId,
      displayName: info.displayName ?? subscriptionId,
      state: info.state ?? null,
      tenantId: info.tenantId ?? null,
      managementGroupAncestors: null,
      regionsInUse: null,
      defenderPlans: null,
      securityContacts: null,
      autoProvisioning: null,
      activityLogDiagnosticSettings: null,
    });
    this.draft.unknownUntilRead();
    if (info.state === undefined) this.draft.unknown.add('state');
    if (info.tenantId === undefined) this.draft.unknown.add('tenantId');
  }

  set(path: string, value: unknown): void {
    this.draft.unknown.delete(path);
    this.draft.properties[path] = value;
  }

  /** Marks a path unknown again (a part of its answer could not be read). */
  lose(path: string): void {
    this.draft.lose(path);
  }

  get name(): string {
    return String(this.draft.properties.displayName);
  }

  toResource(): Resource {
    return this.draft.finish({ id: `/subscriptions/${this.subscriptionId}`, account: this.subscriptionId, region: 'global', name: this.name });
  }
}

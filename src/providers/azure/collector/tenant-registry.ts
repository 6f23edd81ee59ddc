import type { Resource } from '../../../core/types';

/**
 * Objects that belong to the tenant rather than to one subscription, seen from every subscription
 * they apply to: role assignments made at a management group or the root scope (inherited by the
 * subscriptions beneath) and custom role definitions. Each is emitted once, at the end, with the
 * subscriptions that saw it.
 */
export class TenantRegistry {
  private readonly assignments = new Map<string, { resource: Resource; subscriptions: Set<string> }>();
  private readonly roles = new Map<string, Resource>();

  /** An inherited assignment as listed from `subscription` (the first listing's copy is kept). */
  inheritedAssignment(resource: Resource, subscription: string): void {
    let entry = this.assignments.get(resource.id);
    if (!entry) this.assignments.set(resource.id, (entry = { resource, subscriptions: new Set() }));
    entry.subscriptions.add(subscription);
    // A copy whose role could be resolved beats one whose role definitions could not be listed.
    if (entry.resource.unknown?.includes('role') && !resource.unknown?.includes('role')) entry.resource = resource;
  }

  customRole(resource: Resource): void {
    if (!this.roles.has(resource.id)) this.roles.set(resource.id, resource);
  }

  resources(): Resource[] {
    const out: Resource[] = [];
    for (const { resource, subscriptions } of this.assignments.values()) {
      out.push({ ...resource, properties: { ...resource.properties, subscriptions: [...subscriptions].sort() } });
    }
    out.push(...this.roles.values());
    return out.sort((a, b) => (a.type + a.id < b.type + b.id ? -1 : 1));
  }
}

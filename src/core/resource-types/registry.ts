import type { ProviderTopology } from '../provider-plugin';
import type { Provider } from '../types';
import type { JsonSchema } from './schema-helpers';

/**
 * Which API operation fills which part of a resource. The engine uses it to turn a failed
 * operation in the snapshot's coverage into UNKNOWN verdicts for exactly the rules that depend
 * on the missing data.
 */
export interface OperationSource {
  /** `service:Operation`, matching coverage entries (`s3:GetBucketAcl`). */
  op: string;
  /** The operation enumerates resources of this type: its failure leaves the list incomplete. */
  lists?: boolean;
  /** Property paths the operation fills: its failure makes them unknown. */
  paths?: string[];
}

/** A registered resource type: the contract between every collector that emits it and every rule that reads it. */
export interface ResourceTypeDef {
  type: string;
  provider: Provider;
  description: string;
  /** `global` types live in region `global`. */
  scope: 'global' | 'regional';
  /** JSON Schema of `properties`. */
  properties: JsonSchema;
  operations: OperationSource[];
  /**
   * Property paths that exist only in a live account (last-used dates, a trail's logging status):
   * rules that read them are not evaluated against infrastructure code.
   */
  runtimeOnly?: string[];
  /**
   * Top-level properties the type gained after snapshots of it were first written. The schema
   * does not require them, so an older snapshot still loads; a resource without one has it
   * unknown (the trustscan that wrote the snapshot did not read it), never a value guessed in its
   * place, so a rule on it says UNKNOWN instead of PASS or FAIL.
   */
  addedLater?: string[];
  /**
   * Property holding accounts (other than the owner) that the resource also serves, e.g. an
   * organization trail; account-scoped look-ups find it in those accounts too.
   */
  memberAccountsPath?: string;
  /**
   * Which accounts can own the resources that serve others: `management` (organization trails
   * belong to the management account, even when a delegated administrator creates them) or
   * `organization` (any account, e.g. a delegated administrator's organization analyzer), or
   * `member` (each member's own listing returns what serves it, e.g. role assignments inherited
   * from a management group: a listing gap in one account leaves no other account incomplete).
   */
  servedFrom?: 'management' | 'organization' | 'member';
}

export class ResourceTypeRegistry {
  private readonly types = new Map<string, ResourceTypeDef>();
  private readonly topologies = new Map<string, ProviderTopology>();

  constructor(defs: readonly ResourceTypeDef[] = [], topologies: Readonly<Record<string, ProviderTopology>> = {}) {
    for (const d of defs) this.register(d);
    for (const [provider, t] of Object.entries(topologies)) this.topologies.set(provider, t);
  }

  /** How a provider's accounts relate in an organization (undefined when it has no such notion). */
  topology(provider: string): ProviderTopology | undefined {
    return this.topologies.get(provider);
  }

  register(def: ResourceTypeDef): void {
    if (this.types.has(def.type)) throw new Error(`resource type ${def.type} registered twice`);
    // A property added later must be optional, or the older snapshots it exists for fail to load.
    const required = (def.properties.required ?? []) as string[];
    const declared = (def.properties.properties ?? {}) as Record<string, unknown>;
    for (const p of def.addedLater ?? []) {
      if (!(p in declared) || required.includes(p)) throw new Error(`resource type ${def.type}: addedLater '${p}' must be a top-level property its schema does not require`);
    }
    this.types.set(def.type, def);
  }

  get(type: string): ResourceTypeDef | undefined {
    return this.types.get(type);
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  list(): ResourceTypeDef[] {
    return [...this.types.values()].sort((a, b) => a.type.localeCompare(b.type));
  }
}

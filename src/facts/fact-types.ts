import type { JsonSchema } from '../core/resource-types/schema-helpers';
import type { Resource } from '../core/types';

/**
 * Returned by a fact (or inside a fact's value) when the data needed to decide it is missing: the
 * engine's own UNKNOWN, so a fact's `MaybeUnknown<boolean>` is already a verdict (see core/tri).
 */
export { UNKNOWN_VALUE, type MaybeUnknown } from '../core/tri';

/**
 * Evaluation settings that facts read: choices the security team makes centrally (on the command
 * line today, in the config file later), never something the scanned account can change.
 */
export interface FactSettings {
  /**
   * ARN patterns (`*` and `?` wildcards, case-sensitive) of the IAM principals and policies that
   * are allowed to hold administrative or privilege-escalation rights: break-glass users, the
   * organization's admin roles, deployment roles. Facts report them as `privileged`.
   */
  privilegedPrincipals?: readonly string[];
}

/** What a fact may consult besides its own resource. */
export interface FactContext {
  /** Resources of `type` in `account` (including those that serve it, such as organization trails). */
  resourcesInAccount(type: string, account: string): readonly Resource[];
  /** True when the resources of `type` in `account` could not all be listed. */
  listingIncomplete(type: string, account: string): boolean;
  /** True when `path` (dotted) of `resource` could not be read. */
  isUnknown(resource: Resource, path: string): boolean;
  /** Why `path` of `resource` could not be read (`acl: s3:GetBucketAcl denied (AccessDenied)`), or undefined when it could. */
  whyUnknown(resource: Resource, path: string): string | undefined;
  /**
   * Resources of `type`, in any account, whose field `by` (`$id`, `$name` or a top-level property
   * name such as `arn`) equals `value`. Indexed on first use: cheap to call per resource. A
   * look-up across accounts must be declared by its provider (`evaluationContext.lookups`) unless
   * `type` is kept whole: a bounded-memory evaluation indexes only those, and stops on any other
   * (rather than find nothing in the accounts it does not hold).
   */
  resourcesWhere(type: string, by: string, value: string): readonly Resource[];
  /** `resourcesWhere` within one account, which needs no declaration: the account's own resources are always at hand. */
  resourcesWhereInAccount(type: string, by: string, value: string, account: string): readonly Resource[];
  /** The evaluation settings. */
  readonly settings: FactSettings;
}

/**
 * A derived, provider-aware property that rules read as `facts.<name>` — logic a condition
 * language cannot state well (policy semantics, effective settings combined across levels).
 */
export interface FactDef {
  /** Resource type the fact is computed for. */
  type: string;
  name: string;
  description: string;
  /** JSON Schema of the fact's value, so rule paths into it are checked like any other. */
  schema: JsonSchema;
  /**
   * Properties of the resource the fact reads: rules that read the fact depend on the API
   * operations behind them. The fact itself decides what an unknown input means (via
   * `ctx.isUnknown`), because part of the answer may still be certain.
   */
  dependsOn: string[];
  /** Pure: same resource and context, same value. May return UNKNOWN_VALUE, whole or in parts. */
  compute(resource: Resource, ctx: FactContext): unknown;
  /**
   * Why the value (or a part of it) is UNKNOWN, in words a finding can show: which related
   * resource is missing, which condition could not be evaluated. Optional; without it the engine
   * names the unknown `dependsOn` paths.
   */
  unknownReasons?(resource: Resource, ctx: FactContext): string[];
  /**
   * Conditions the value holds under that the snapshot cannot check, in words a finding shows
   * with its verdict ("public unless the account blocks public access"): for infrastructure code
   * read without the account's own settings. `value` is the fact's value. Optional; empty when the
   * value is unconditional.
   */
  caveats?(resource: Resource, ctx: FactContext, value: unknown): string[];
}

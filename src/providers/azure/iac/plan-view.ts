import type { Origin } from '../../../iac/draft';
import type { Unresolved } from '../../../iac/values';

/**
 * What the azurerm mappers need from a Terraform plan reader: resource instances by type, and the
 * instances a value refers to. Shaped after the plan reader's own instance and `resolve`, so the
 * generic reader (when it moves out of the AWS folder, with a per-provider mapper hook) can hand
 * itself over unchanged.
 */
export interface PlanInstance {
  address: string;
  type: string;
  name: string;
  /** Planned values; unknown leaves are Unresolved. */
  values: Record<string, unknown>;
  line: number;
}

export interface PlanView<I extends PlanInstance = PlanInstance> {
  byType(type: string): I[];
  /** Managed instances of `types` that a value (or its references) points to. */
  resolve(from: I, value: Unresolved | readonly string[], types: readonly string[]): I[];
  /** Where an instance was declared and which subscription and region it deploys to. */
  origin(inst: I): Origin;
}

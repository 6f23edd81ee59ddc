import type { Problem } from '../core/errors';
import type { Resource } from '../core/types';
import type { IacPlacement, TerraformMapping, Unread } from './adapter';
import { readerOf, type TerraformReader } from './adapters';
import { UNKNOWN_REGION } from './draft';
import type { TfPlan } from './terraform-plan';

/**
 * One Terraform plan (a plan file, or configuration evaluated into the plan shape) through every
 * provider's Terraform adapter: each maps the instances of its resource types, and says where they
 * deploy. Instances of types an adapter knows but does not read are collected as not read.
 */
export interface TerraformReading {
  /** Every adapter's resources, in the plug-in list's order. */
  resources: Resource[];
  problems: Problem[];
  /** Instances of types known but not read (the adapters' `unmapped` tables). */
  unmapped: Unread[];
  /** Each adapter's mapping, by provider. */
  mappings: Map<string, TerraformMapping>;
  /** The reader of a resource type, if any adapter has its provider. */
  readerOf(type: string): TerraformReader | undefined;
}

export function mapTerraform(readers: readonly TerraformReader[], plan: TfPlan, doc: Record<string, unknown>, file: string, placement: IacPlacement): TerraformReading {
  const mappings = new Map<string, TerraformMapping>();
  const resources: Resource[] = [];
  const problems: Problem[] = [];
  for (const r of readers) {
    const m = r.adapter.map({ plan, doc, file, placement });
    mappings.set(r.provider, m);
    resources.push(...m.resources);
    problems.push(...m.problems);
  }
  const unmapped: Unread[] = [];
  for (const i of plan.instances) {
    const r = readerOf(readers, i.type);
    const runtimeType = r?.adapter.unmapped[i.type];
    if (!r || runtimeType === undefined) continue;
    unmapped.push({ what: i.type, address: i.address, provider: r.provider, ...mappings.get(r.provider)!.origin(i), affects: [runtimeType], why: 'is not read by trustscan' });
  }
  return { resources, problems, unmapped, mappings, readerOf: (type) => readerOf(readers, type) };
}

/** Instances a plan gives no values for (a no-op whose before and after are null) of types that touch what rules check. */
export function valuelessUnread(reading: TerraformReading, plan: TfPlan, placement: IacPlacement): Unread[] {
  return plan.valueless.flatMap((v): Unread[] => {
    const r = reading.readerOf(v.type);
    const affects = r?.adapter.affects?.(v.type);
    if (!r || !affects) return [];
    const account = reading.mappings.get(r.provider)!.account;
    return [{ what: v.type, address: v.address, provider: r.provider, account, region: placement.region ?? UNKNOWN_REGION, affects, why: 'is in the plan without its values (a no-op whose before and after are null)' }];
  });
}

/** Type of the resource a configuration address names (`module.a["k"].data.x_y.n[0]` → `x_y`). */
export function addressType(address: string): string | undefined {
  const rest = address.replace(/^(module\.[A-Za-z0-9_-]+(\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\])?\.)*/, '').replace(/^data\./, '');
  const m = /^([A-Za-z0-9-]+_[A-Za-z0-9_-]*)\./.exec(rest);
  return m?.[1];
}

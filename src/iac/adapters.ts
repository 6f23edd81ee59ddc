import type { ProviderPlugin } from '../core/provider-plugin';
import { loadProviders } from '../providers/index';
import type { IacAdapters, TerraformAdapter } from './adapter';

/**
 * The infrastructure-code adapters of the provider plug-ins in use (every built-in one by
 * default), in the plug-in list's order: the order their resources appear in a snapshot, and the
 * first is the provider a reading is attributed to when nothing in it names one.
 */
export function iacAdapters(plugins: readonly ProviderPlugin[] = loadProviders()): IacAdapters[] {
  return plugins.flatMap((p) => (p.iac ? [p.iac.load()] : []));
}

/** An adapter's Terraform reader, with the provider it belongs to. */
export interface TerraformReader {
  provider: string;
  adapter: TerraformAdapter;
}

export function terraformReaders(adapters: readonly IacAdapters[]): TerraformReader[] {
  return adapters.flatMap((a) => (a.terraform ? [{ provider: a.provider, adapter: a.terraform }] : []));
}

/**
 * The reader of a Terraform resource type: Terraform names a resource type after its provider
 * (`<provider>_<kind>`), so the prefix before the first underscore says whose it is.
 */
export function readerOf(readers: readonly TerraformReader[], type: string): TerraformReader | undefined {
  const prefix = type.slice(0, type.indexOf('_'));
  return readers.find((r) => r.adapter.terraformProviders.includes(prefix));
}

/** Whether some provider sets `attr` on every created instance of `type`. */
export function alwaysSetBy(readers: readonly TerraformReader[]): (type: string, attr: string) => boolean {
  return (type, attr) => readerOf(readers, type)?.adapter.alwaysSet?.(type, attr) === true;
}

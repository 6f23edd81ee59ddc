import type { ProviderPlugin } from '../core/provider-plugin';

/** A provider as the CLI and the composition root know it before loading it. */
export interface ProviderEntry {
  id: string;
  /** Loads the plug-in (types, facts, rule folders, option declarations: never a cloud SDK). */
  load(): ProviderPlugin;
}

/*
 * Loaded with a deferred require rather than an import: the module is read the first time a
 * command needs the provider, and synchronously, so registries can be built without awaiting.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * Every built-in provider, loaded lazily: a command pays only for the providers it uses.
 * Adding a cloud is a folder under src/providers/ and one line here.
 */
export const PROVIDERS: readonly ProviderEntry[] = [
  { id: 'aws', load: () => (require('./aws/index') as typeof import('./aws/index')).awsProvider },
  { id: 'azure', load: () => (require('./azure/index') as typeof import('./azure/index')).azureProvider },
];

/* eslint-enable @typescript-eslint/no-require-imports */

/** Loads the built-in providers named (all of them by default). */
export function loadProviders(ids?: readonly string[]): ProviderPlugin[] {
  return PROVIDERS.filter((p) => !ids || ids.includes(p.id)).map((p) => p.load());
}

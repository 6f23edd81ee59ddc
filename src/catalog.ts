import type { ProviderPlugin } from './core/provider-plugin';
import { ResourceTypeRegistry } from './core/resource-types/registry';
import type { FrameworkCatalog } from './compliance/framework';
import { builtinFrameworks, frameworksWith } from './compliance/framework-loader';
import { loadRulesOrThrow, resolveRuleDirs } from './engine/rule-loader';
import type { CompiledRule } from './engine/rule-types';
import { FactRegistry } from './facts/index';
import { loadProviders } from './providers/index';

/**
 * The composition root: the provider plug-ins in use and everything built from them once — the
 * resource type registry (with each provider's organization topology), the facts, the built-in
 * rule folders and the frameworks. The CLI, the programmatic API and the tests all start here.
 */
export interface Catalog {
  providers: readonly ProviderPlugin[];
  registry: ResourceTypeRegistry;
  facts: FactRegistry;
  frameworks: FrameworkCatalog;
  /** Every provider's built-in rule folders (what `--rules builtin` means). */
  builtinRuleDirs: readonly string[];
  /** Loads and compiles rules (`dirs` as --rules gives them; default: the built-in rules), or throws an InputError. */
  loadRules(dirs?: readonly string[]): CompiledRule[];
}

export interface CatalogOptions {
  /** Provider ids to load (default: every built-in provider). */
  providers?: readonly string[];
  /** Framework files or folders added to the built-in frameworks. */
  frameworkFiles?: readonly string[];
}

/** Builds a catalogue from plug-ins already loaded. */
export function catalogOf(plugins: readonly ProviderPlugin[], frameworks: FrameworkCatalog = builtinFrameworks()): Catalog {
  const registry = new ResourceTypeRegistry(
    plugins.flatMap((p) => p.types),
    Object.fromEntries(plugins.filter((p) => p.topology).map((p) => [p.id, p.topology!])),
  );
  const facts = new FactRegistry(plugins.flatMap((p) => p.facts));
  const builtinRuleDirs = plugins.flatMap((p) => p.ruleDirs);
  return {
    providers: plugins,
    registry,
    facts,
    frameworks,
    builtinRuleDirs,
    loadRules: (dirs) => loadRulesOrThrow(resolveRuleDirs(dirs ? [...dirs] : undefined, builtinRuleDirs), registry, facts, frameworks),
  };
}

export function loadCatalog(opts: CatalogOptions = {}): Catalog {
  return catalogOf(loadProviders(opts.providers), frameworksWith(opts.frameworkFiles ?? []));
}

let builtin: Catalog | undefined;

/** Every built-in provider with the built-in frameworks, built once per process. */
export function builtinCatalog(): Catalog {
  builtin ??= loadCatalog();
  return builtin;
}

/** The resource types of every built-in provider (shared: do not register more types into it). */
export function builtinRegistry(): ResourceTypeRegistry {
  return builtinCatalog().registry;
}

/** The facts of every built-in provider. */
export function builtinFacts(): FactRegistry {
  return builtinCatalog().facts;
}

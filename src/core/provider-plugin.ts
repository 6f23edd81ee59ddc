import type { Logger } from 'pino';
import type { FactDef } from '../facts/fact-types';
import type { IacAdapters } from '../iac/adapter';
import type { JsonSchema } from './resource-types/schema-helpers';
import type { ResourceTypeDef } from './resource-types/registry';
import type { CoverageEntry, Resource, SnapshotMetadata } from './types';

/**
 * Sharding as a collector sees it (`--shard i/N`): the collector hands its whole unit list to
 * `select` once it knows it (after listing the organization, the folders, the subscriptions)
 * and collects only the units returned. Context a unit's evaluation needs from outside the unit
 * (organization membership, containers above projects) is still read by every part.
 */
export interface UnitSelector {
  select(provider: string, units: readonly string[]): string[];
}

/**
 * The one contract every cloud provider implements. A provider is a folder under
 * `src/providers/<id>/` whose index exports one `ProviderPlugin`, plus one line in
 * `src/providers/index.ts`. Generic layers (core, engine, compliance, report, pipeline,
 * suppress, config) only ever see this interface: they never name a provider.
 *
 * Loading a plug-in is cheap (types, facts, rule folders, option declarations): the cloud SDK is
 * only loaded by `collector.load()`, so commands that do not collect never pay for it.
 */
export interface ProviderPlugin {
  /** Short id used in resource types (`aws.s3.bucket`), snapshots, rule folders and the CLI (`scan aws`). */
  id: string;
  /** Display name: "Amazon Web Services". */
  name: string;
  /** Short name, as OCSF's `cloud.provider` and narrow tables show it: "AWS". */
  shortName: string;
  /** What one scanned unit is called: account (AWS), project (Google Cloud), subscription (Azure). */
  unit: { singular: string; plural: string };
  /** Resource types the provider's collectors and IaC mappers emit. */
  types: readonly ResourceTypeDef[];
  /** Derived properties its rules read as `facts.*`. */
  facts: readonly FactDef[];
  /** Folders of its built-in rules (absolute paths). */
  ruleDirs: readonly string[];
  /** How accounts relate inside an organization, for resources that serve other accounts. */
  topology?: ProviderTopology;
  /** The runtime collector (`trustscan collect <id>`, `trustscan scan <id>`), when the provider has one. */
  collector?: CollectorPlugin;
  /**
   * Its infrastructure-code adapters (Terraform mappers for its resource types, its own template
   * formats), loaded by `trustscan iac` only: `load()` is synchronous (the readers are), and the
   * adapters import no cloud SDK either.
   */
  iac?: IacPlugin;
  /**
   * What the evaluation of one unit reads from other units through the facts (a merge evaluates
   * unit by unit, in bounded memory, and must hand each unit exactly this): resource types kept
   * whole for every unit, and look-ups (type, field) answered across units. The unit type, the
   * types that serve other units (`memberAccountsPath`) and what rules relate to are found
   * without being declared.
   */
  evaluationContext?: EvaluationContextDeclaration;
}

/** The declaration of a provider's infrastructure-code adapters: cheap to hold, `load()` brings the mappers in. */
export interface IacPlugin {
  load(): IacAdapters;
}

/** See ProviderPlugin.evaluationContext. */
export interface EvaluationContextDeclaration {
  /** Types whose every resource any unit's evaluation may read (e.g. the containers above projects). */
  types?: readonly string[];
  /** Look-ups across units: resources of `type` whose field `by` ($id, $name or a top-level property) a fact looks up by value. */
  lookups?: readonly { type: string; by: string }[];
  /**
   * Units that reach others: a fact that follows a relation from one unit into another (AWS role
   * assumption across accounts) reads `types` of every unit reachable from the units it
   * evaluates. `from` says, for a resource of a type it names, which units' evaluation reaches
   * the resource's unit (unit ids of the same provider, `*` for every unit, undefined for none);
   * reachability is followed transitively. A bounded-memory evaluation loads `types` of exactly
   * the reachable units; a unit it does not reach has none of them to offer.
   */
  reach?: {
    types: readonly string[];
    from: Readonly<Record<string, (r: Resource) => readonly string[] | '*' | undefined>>;
    /**
     * For a type `from` names: true when the resource alone settles what a fact concludes from
     * reaching it (an AWS role whose own policies allow everything: what lies beyond it in its
     * account cannot raise it further). A unit reached only through such resources loads just
     * them, not its `types`. `find` reads the declared look-ups (`lookups`) of the whole organization.
     */
    terminal?: Readonly<Record<string, (r: Resource, find: (type: string, by: string, value: string) => readonly Resource[], named: (id: string) => boolean) => boolean>>;
    /**
     * For a type `from` names: the identifiers its relation names (an AWS trust policy's principal
     * ARNs; `*` for anyone or unreadable). `named` in `terminal` says whether any resource of the
     * organization names an identifier.
     */
    names?: Readonly<Record<string, (r: Resource) => readonly string[]>>;
  };
}

/**
 * Which resource describes a scanned unit and its organization: the engine uses it to decide
 * whether an organization-wide resource (an organization trail, an aggregated sink) owned by one
 * unit can serve another, so a listing gap in the owner widens to the members it may serve.
 */
export interface ProviderTopology {
  /** Resource type with one resource per scanned unit (e.g. the account resource). */
  unitType: string;
  /** Top-level property of that resource holding the organization id (null or '' when standalone). */
  organizationIdPath: string;
  /** Top-level property holding the organization's management unit id, when the provider has one. */
  managementUnitPath?: string;
  /**
   * Top-level property of the unit resource listing the containers above the unit (folders, the
   * organization), for providers whose organization-wide resources belong to a container rather
   * than to a unit: such a resource can serve a unit only when its owner (the resource's
   * `account`) is one of the unit's ancestors, and a unit never serves another unit.
   */
  ancestorsPath?: string;
}

/** A command-line option of a collector, declared as data so the CLI can offer it without loading the SDK. */
export interface CollectorOption {
  /** Commander flags: `--regions <list>`, `--org`, `--no-progress`. */
  flags: string;
  description: string;
  /** Parses and checks one value; throws an Error whose message says what is expected. */
  parse?: (value: string, previous: unknown) => unknown;
  /** Key of the provider's section in trustscan.yaml that supplies the default, if any. */
  configKey?: string;
}

/** What a collector needs from the command that runs it. */
export interface CollectContext {
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Progress line on a terminal (a no-op when stderr is not a terminal or progress is off). */
  progress: CollectProgress;
  /** Set when this run collects one shard of the scope (see UnitSelector). */
  shard?: UnitSelector;
}

/** The counters a progress line shows; every collector reports the same ones. */
export interface CollectProgress {
  start(): void;
  addAccounts(n: number): void;
  accountDone(): void;
  addRegions(n: number): void;
  regionDone(): void;
  addUnits(n: number): void;
  unitDone(): void;
  /** HTTP requests made (pages and retries included). */
  requests(n: number): void;
  stop(): void;
}

/** Where a collector hands its output, resource by resource (the snapshot writer or memory). */
export interface CollectSink {
  /** Called once, before any resource, when the scanned units are known. */
  start?(metadata: Omit<SnapshotMetadata, 'finishedAt'>): Promise<void>;
  resource(r: Resource): Promise<void> | void;
}

/** What a finished collection reports besides the resources it emitted. */
export interface Collection {
  metadata: SnapshotMetadata;
  coverage: CoverageEntry[];
  stats: {
    resources: number;
    calls: number;
    callsByOperation: Record<string, number>;
    /** Scanned units (accounts, projects, subscriptions). */
    accounts: number;
    /** Units that could not be read at all (their findings are UNKNOWN). */
    unreadableAccounts: string[];
  };
}

/** A loaded collector: the part of a provider that talks to the cloud through its SDK. */
export interface CollectorRuntime {
  /**
   * Turns parsed command-line options and the provider's section of trustscan.yaml (`config`,
   * already merged: options win) into a collection request; throws UsageError for bad
   * combinations. Called before anything is read.
   */
  prepare(options: Record<string, unknown>, context: CollectContext, origin: OptionOrigin): unknown;
  /** Reads the cloud into `sink`, read-only; never throws for an API failure (those become coverage gaps). */
  collect(request: unknown, sink: CollectSink, context: CollectContext): Promise<Collection>;
}

/** Where the option values handed to `prepare` came from, so its messages can name the config file. */
export interface OptionOrigin {
  /** trustscan.yaml, when one was read. */
  configFile?: string;
  /** Option names (camelCase, as in `options`) whose value came from the config file. */
  fromConfig: readonly string[];
}

/** The declaration of a collector: cheap to load; `load()` brings the SDK in. */
export interface CollectorPlugin {
  /** One line for `trustscan collect --help`. */
  description: string;
  options: readonly CollectorOption[];
  /** JSON Schema of the provider's section of trustscan.yaml (`aws:`, `gcp:`, …). */
  configSchema?: JsonSchema;
  load(): Promise<CollectorRuntime>;
}

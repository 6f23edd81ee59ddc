import type { Problem } from '../core/errors';
import type { Resource, Snapshot } from '../core/types';
import type { ProviderSupport } from './terraform-config/index';
import type { TfInstance, TfPlan } from './terraform-plan';

/**
 * The contract between the generic infrastructure-code readers (src/iac: files, formats, the
 * Terraform plan and configuration readers, the snapshot) and a provider's knowledge of its
 * resources. A provider plug-in declares its adapters (`ProviderPlugin.iac`); the readers only
 * ever iterate them, so adding a cloud's Terraform resources, or a cloud's own template format,
 * touches nothing generic.
 */

/** Where the command line says the code deploys, when the code does not. */
export interface IacPlacement {
  /** Account / project / subscription id (--account). */
  account?: string;
  /** Region (--region). */
  region?: string;
  /** Unit id when neither `account` nor the code says (the one unit of `--context`). */
  defaultAccount?: string;
}

/** A runtime snapshot of the unit the code deploys to (`trustscan iac --context`). */
export interface IacContext {
  /** The snapshot file, named in the resources it completes. */
  file: string;
  snapshot: Snapshot;
}

/** Something in a file that was not read, and what it may change: reported as a coverage gap. */
export interface Unread {
  /** The construct (a Terraform resource type, a template transform). */
  what: string;
  address: string;
  /** The provider plug-in whose runtime types it may change. */
  provider: string;
  account: string;
  region: string;
  /** Runtime types it may make or change; `*` for any. */
  affects: string[];
  why: string;
}

/** One Terraform plan (from `terraform show -json`, or evaluated from configuration) as an adapter gets it. */
export interface TerraformInput {
  plan: TfPlan;
  /** The plan document: its `configuration.provider_config` says where providers deploy. */
  doc: Record<string, unknown>;
  /** The plan file, or the root module folder, as the user names it. */
  file: string;
  placement: IacPlacement;
}

/** What an adapter made of one plan. */
export interface TerraformMapping {
  resources: Resource[];
  /** Problems located in the code (a policy that is not JSON): the file is rejected. */
  problems: Problem[];
  /** The unit and region an instance of the adapter's provider deploys to (for coverage about it). */
  origin(inst: TfInstance): { account: string; region: string };
  /** The unit the plan deploys to when no instance says (for coverage about the whole input). */
  account: string;
}

/** A provider's reader of Terraform: the resource types of its Terraform provider(s). */
export interface TerraformAdapter {
  /** Terraform provider names it reads (`google`): resource types named `<name>_…` are its. */
  terraformProviders: readonly string[];
  /**
   * Resource types that carry settings the rules check at runtime but that the adapter does not
   * map, each with the runtime type it changes: their instances are reported as not read (a
   * coverage gap on that type), so the rules on it say UNKNOWN instead of nothing.
   */
  unmapped: Readonly<Record<string, string>>;
  /** The runtime types a resource type can make or change; null for none the rules check (instances a plan gives no values for). */
  affects?(type: string): string[] | null;
  /** Attributes the provider sets on every created instance (see `PlanOptions.alwaysSet`). */
  alwaysSet?(type: string, attr: string): boolean;
  /** What the provider computes without calling the cloud, when configuration is evaluated (data sources). */
  configSupport?(placement: IacPlacement): ProviderSupport;
  /** Maps the plan's instances of its resource types. */
  map(input: TerraformInput): TerraformMapping;
}

/** One file, read by a document adapter. */
export interface DocumentInput {
  /** The file as the user names it. */
  file: string;
  text: string;
  doc: Record<string, unknown>;
  /** Line of each top-level entry, by name (what `recognize`/`parseText` found). */
  lines: Map<string, number>;
  placement: IacPlacement;
}

/** A provider's own template format (one that only its resources are written in). */
export interface DocumentAdapter {
  /** Format name, reported per file and as the coverage service of what it does not read. */
  format: string;
  /** What a file of the format is, for messages: "a … template". */
  noun: string;
  /** What a document lacks when it is not of the format, for messages. */
  lacks: string;
  /** Recognizes a JSON document (the text it was parsed from gives the lines); undefined when it is not one. */
  recognizeJson(doc: Record<string, unknown>, text: string): { lines: Map<string, number> } | undefined;
  /** Parses text that is not JSON (YAML); undefined when it is not of the format; throws InputError when it cannot be parsed. */
  parseText(file: string, text: string): { doc: Record<string, unknown>; lines: Map<string, number> } | undefined;
  /** Reads one document; throws InputError when it cannot be read at all. */
  read(input: DocumentInput): { resources: Resource[]; problems: Problem[]; unread: Unread[] };
}

/**
 * What a provider brings to `trustscan iac`. Loaded only when infrastructure code is read
 * (`ProviderPlugin.iac.load()`), never by commands that do not read it.
 */
export interface IacAdapters {
  /** The provider plug-in's id. */
  provider: string;
  terraform?: TerraformAdapter;
  documents?: readonly DocumentAdapter[];
  /**
   * Completes the resources read from code with what the code does not say but the unit does
   * (its --context snapshot, a catalogue the provider ships); returns resources to add.
   */
  complete?(resources: Resource[], context: IacContext | undefined): Resource[];
}

import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { fileError, InputError, type Problem } from '../core/errors';
import { parseJson } from '../core/json-text';
import { INPUT_LIMITS, readInputTextSync } from '../core/input-text';
import type { ProviderPlugin } from '../core/provider-plugin';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { SnapshotValidator } from '../core/snapshot-validator';
import { type CoverageEntry, SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import type { DocumentAdapter, IacAdapters, IacContext } from './adapter';
import { alwaysSetBy, iacAdapters, terraformReaders } from './adapters';
import { MAX_DEPTH, pointerOf, tooDeep } from './limits';
import { configRoots, dirHasConfig, readConfig } from './terraform-config-input';
import { mapTerraform, valuelessUnread } from './terraform-mapping';
import { TfPlan } from './terraform-plan';
import { blockAddress, declarationSites } from './terraform-sites';
import { unreadCoverage } from './unread';

/**
 * `trustscan iac`: plans, configuration and templates → resources of the runtime types. The
 * readers here are generic (files, formats, Terraform's plan and configuration, the snapshot);
 * what each resource type means is the provider's, through the adapters its plug-in declares
 * (`ProviderPlugin.iac`, see adapter.ts).
 */

export type { IacContext } from './adapter';

export interface IacOptions {
  /** Account / project / subscription id the code deploys to, when the code does not say. */
  account?: string;
  /** Region, when the code does not say (Terraform: provider configuration or the resource's region). */
  region?: string;
  /** Report broken files and go on with the others, instead of stopping at the first. */
  keepGoing?: boolean;
  /** Directory that file names in sources are made relative to. */
  cwd: string;
  /** A runtime snapshot of the unit the code deploys to (`--context`). */
  context?: IacContext;
  /** Unit id when neither `account` nor the code says (the one unit of `--context`). */
  defaultAccount?: string;
  /** Terraform configuration: variables files (--var-file), NAME=VALUE (--var), and the environment (TF_VAR_*). */
  varFiles?: string[];
  vars?: string[];
  env?: Record<string, string | undefined>;
  /** The provider plug-ins whose adapters read the code (default: every built-in provider). */
  providers?: readonly ProviderPlugin[];
}

/** `terraform-plan`, `terraform-config`, or a provider's own template format (a document adapter's `format`). */
export type IacFormat = string;

export interface IacFileResult {
  file: string;
  format: IacFormat;
  resources: number;
  /** Terraform resources being deleted (not checked). */
  deleted: number;
  /** Resources of types this reader does not map, as coverage gaps. */
  notRead: CoverageEntry[];
}

export interface IacResult {
  snapshot: Snapshot;
  files: IacFileResult[];
  /** Problems of files that were skipped (only with keepGoing). */
  problems: Problem[];
}

const EXTENSIONS = /\.(json|ya?ml|template|tpl)$/i;
const TERRAFORM_FILE = /\.tf(\.json)?$/;

/** Files named on the command line, with folders expanded (recursively, to files that may hold plans or templates). */
export function expandPaths(paths: string[], cwd: string): string[] {
  return expandInputs(paths, cwd).files;
}

/**
 * Inputs named on the command line: plan and template files, and Terraform root module folders.
 * A folder holding .tf files is a root module (its other files are its own: policy JSON read by
 * file(), variables files), unless another folder of the walk calls it as a local module. A .tf
 * file named on its own is read with the rest of its folder, and only its resources reported.
 */
export function expandInputs(paths: string[], cwd: string): { files: string[]; configs: { dir: string; only?: Set<string> }[] } {
  const out: string[] = [];
  const dirs: string[] = [];
  const explicit = new Set<string>();
  const only = new Map<string, Set<string>>();
  // Below a Terraform folder, only Terraform folders are inputs: its other files (templates for
  // templatefile(), policy JSON for file(), fixtures) belong to the configuration.
  const visit = (p: string, top: boolean, inTerraform: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw fileError(relative(cwd, p) || p, e);
    }
    if (st.isDirectory()) {
      const isTf = dirHasConfig(p);
      if (isTf) {
        if (!dirs.includes(p)) dirs.push(p);
        if (top) explicit.add(p);
      }
      const entries = readdirSync(p).filter((n) => !n.startsWith('.') && n !== 'node_modules').sort();
      for (const n of entries) visit(join(p, n), false, inTerraform || isTf);
    } else if (inTerraform) {
      return;
    } else if (top && TERRAFORM_FILE.test(p)) {
      const dir = dirname(p);
      if (!dirs.includes(dir)) dirs.push(dir);
      explicit.add(dir);
      const set = only.get(dir) ?? new Set<string>();
      set.add(relative(cwd, p) || p);
      only.set(dir, set);
    } else if (top || EXTENSIONS.test(p)) out.push(p);
  };
  for (const p of paths) visit(isAbsolute(p) ? p : join(cwd, p), true, false);
  const roots = dirs.length > 0 ? configRoots(dirs, explicit) : [];
  // A folder named whole wins over files of it named alone.
  const whole = new Set(paths.map((p) => (isAbsolute(p) ? p : join(cwd, p))));
  return { files: out, configs: roots.map((dir) => ({ dir, ...(only.has(dir) && !whole.has(dir) ? { only: only.get(dir) } : {}) })) };
}

/** Something JSON or text recognised: a Terraform plan, or a document of a provider's own format. */
export interface Detected {
  format: IacFormat;
  doc: Record<string, unknown>;
  lines?: Map<string, number>;
  /** The document adapter that reads it (none for a Terraform plan). */
  adapter?: DocumentAdapter;
}

/** Recognises a file by its content: a Terraform plan (JSON with resource_changes/planned_values) or a document of a provider's format. */
export function detect(file: string, text: string, adapters: readonly IacAdapters[] = iacAdapters()): Detected {
  const documents = adapters.flatMap((a) => a.documents ?? []);
  const nouns = documents.map((d) => d.noun);
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') throw InputError.at({ file }, `file is empty: expected ${['a Terraform plan (terraform show -json)', ...nouns].join(' or ')}`);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // Parse the original text so that reported lines match the file.
    const doc = parseJson(text.replace(/^\uFEFF/, ''), file);
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
      const d = doc as Record<string, unknown>;
      if ('resource_changes' in d || 'planned_values' in d) return { format: 'terraform-plan', doc: d };
      for (const adapter of documents) {
        const found = adapter.recognizeJson(d, trimmed);
        if (found) return { format: adapter.format, doc: d, lines: found.lines, adapter };
      }
      if ('values' in d && 'terraform_version' in d) {
        throw InputError.at({ file }, 'this is Terraform state (terraform show -json without a plan file): give the plan, terraform show -json plan.out');
      }
    }
    throw InputError.at({ file }, `JSON but neither a Terraform plan (no resource_changes)${documents.map((a) => ` nor ${a.noun} (${a.lacks})`).join('')}`);
  }
  if (/^\s*(resource|provider|module|variable|terraform|data)\s+("[\w-]+"\s*)*\{/m.test(text)) {
    throw InputError.at({ file }, 'this looks like Terraform source: name it .tf (or give its folder), or give a plan: terraform plan -out plan.out && terraform show -json plan.out');
  }
  for (const adapter of documents) {
    const parsed = adapter.parseText(file, text);
    if (parsed) return { format: adapter.format, doc: parsed.doc, lines: parsed.lines, adapter };
  }
  throw InputError.at({ file }, `neither a Terraform plan${documents.map((a) => ` nor ${a.noun} (${a.lacks})`).join('')}`);
}

/** Reads one file into resources; throws InputError with every problem found. */
export function readIacFile(path: string, opts: IacOptions, adapters: readonly IacAdapters[] = iacAdapters(opts.providers)): { resources: Resource[]; result: IacFileResult } {
  const file = relative(opts.cwd, path) || path;
  let text: string;
  try {
    // The one checked reader: encodings other than UTF-8, binary data and endless input refused.
    text = readInputTextSync(path, { bytes: INPUT_LIMITS.document, what: 'a plan or template' });
  } catch (e) {
    // Named as the user sees it (relative to the working directory), like every other problem.
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, file: p.file === path ? file : p.file, message: p.message.split(path).join(file) })));
    throw fileError(file, e);
  }
  const { format, doc, lines, adapter } = detect(file, text, adapters);
  const placement = { account: opts.account, region: opts.region, defaultAccount: opts.defaultAccount };
  let resources: Resource[];
  let problems: Problem[];
  let deleted = 0;
  let notRead: CoverageEntry[];
  if (adapter) {
    const read = adapter.read({ file, text, doc, lines: lines ?? new Map(), placement });
    resources = read.resources;
    problems = read.problems;
    notRead = unreadCoverage(adapter.format, file, read.unread);
  } else {
    // Every reader below recurses into values: nesting no real input has is refused first.
    const deep = tooDeep(doc, MAX_DEPTH + 16);
    if (deep) throw InputError.at({ file, pointer: pointerOf(deep) }, 'nests deeper than any plan Terraform writes (refused)');
    const readers = terraformReaders(adapters);
    const plan = new TfPlan(file, text, doc, { alwaysSet: alwaysSetBy(readers) });
    // The configuration beside the plan: findings point at the resource block, not line 1 of the plan.
    const sites = declarationSites(dirname(path), opts.cwd);
    if (sites) {
      for (const inst of [...plan.instances, ...plan.data]) {
        const site = sites.get(blockAddress(inst.address));
        if (site) Object.assign(inst, site);
      }
    }
    const reading = mapTerraform(readers, plan, doc, file, placement);
    resources = reading.resources;
    problems = [...plan.problems, ...reading.problems];
    deleted = plan.deleted;
    notRead = unreadCoverage('terraform', file, [...reading.unmapped, ...valuelessUnread(reading, plan, placement)]);
    // Ids of resources without a cloud id name the plan, wherever their block is declared.
    for (const r of resources) if (r.id.startsWith('terraform:')) r.id = `terraform:${file}#${r.source.address}`;
  }
  if (problems.length > 0) throw new InputError(problems);
  return { resources, result: { file, format, resources: resources.length, deleted, notRead } };
}

/**
 * Reads plans and templates into one snapshot of the runtime resource types, validated against
 * their schemas. A value that does not fit the schema (an unknown enum value, say) is reported
 * at the declaring resource.
 */
export function loadIac(paths: string[], registry: ResourceTypeRegistry, opts: IacOptions): IacResult {
  const started = new Date().toISOString();
  const { files, configs } = expandInputs(paths, opts.cwd);
  const validator = new SnapshotValidator(registry);
  const resources: Resource[] = [];
  const results: IacFileResult[] = [];
  const skipped: Problem[] = [];
  const ids = new Set<string>();
  const adapters = iacAdapters(opts.providers);
  const readers = terraformReaders(adapters);
  const inputs: (() => { resources: Resource[]; result: IacFileResult })[] = [
    ...files.map((path) => () => readIacFile(path, opts, adapters)),
    ...configs.map((c) => () => {
      const r = readConfig(c, opts, readers);
      const notRead = unreadCoverage('terraform', r.display, r.reading.unmapped);
      return { resources: r.resources, result: { file: r.display, format: 'terraform-config', resources: r.resources.length, deleted: 0, notRead: [...notRead, ...r.coverage] } };
    }),
  ];
  for (const read of inputs) {
    try {
      const { resources: rs, result } = read();
      const problems: Problem[] = [];
      for (const r of rs) {
        // The same ARN declared in two inputs: keep both, told apart by where they are declared.
        if (ids.has(`${r.type} ${r.id}`)) r.id = `${r.id}#${result.file}:${r.source.address}`;
        for (let n = 2; ids.has(`${r.type} ${r.id}`); n++) r.id = `${r.id.replace(/#\d+$/, '')}#${n}`;
        ids.add(`${r.type} ${r.id}`);
        for (const p of validator.validateResource(r, { file: result.file, pointer: '' })) {
          problems.push({ file: result.file, line: r.source.line, message: `${r.source.address}: ${p.pointer?.replace(/^\/properties\//, '').replace(/\//g, '.')} ${p.message}` });
        }
      }
      if (problems.length > 0) throw new InputError(problems);
      resources.push(...rs);
      results.push(result);
    } catch (e) {
      if (!(e instanceof InputError) || !opts.keepGoing) throw e;
      skipped.push(...e.problems);
    }
  }
  // What the code does not say but the unit (--context) or a catalogue the provider ships does.
  for (const a of adapters) {
    for (const r of a.complete?.(resources, opts.context) ?? []) {
      const problems = validator.validateResource(r, { file: r.source.file ?? '', pointer: '' });
      if (problems.length > 0) throw new InputError(problems.map((p) => ({ file: r.source.file ?? r.id, message: `${r.source.address}: ${p.pointer} ${p.message}` })));
      resources.push(r);
    }
  }
  // Accounts and providers are those the code deploys to (an account, a project, a subscription).
  const accountKeys = new Map<string, { provider: string; id: string }>();
  for (const r of resources) accountKeys.set(`${r.provider}\u0000${r.account}`, { provider: r.provider, id: r.account });
  const accounts = [...accountKeys.values()];
  const providers = [...new Set([...resources.map((r) => r.provider), ...results.flatMap((r) => r.notRead.map((c) => c.provider))])].sort();
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    metadata: {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      startedAt: started,
      finishedAt: new Date().toISOString(),
      // Code that declares nothing is attributed to the first provider of the list.
      providers: providers.length ? providers : adapters.slice(0, 1).map((a) => a.provider),
      accounts,
      description: `infrastructure code: ${results.map((r) => r.file).join(', ')}`,
    },
    resources,
    coverage: results.flatMap((r) => r.notRead),
  };
  return { snapshot, files: results, problems: skipped };
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, type Problem } from '../core/errors';
import type { CoverageEntry, Resource } from '../core/types';
import { alwaysSetBy, type TerraformReader } from './adapters';
import { UNKNOWN_ACCOUNT } from './draft';
import { type Gap, readTerraformConfig, terraformConfigReady } from './terraform-config/index';
import { isConfigFile } from './terraform-config/module-config';
import { addressType, mapTerraform, type TerraformReading } from './terraform-mapping';
import { TfPlan } from './terraform-plan';

/**
 * Terraform configuration (.tf, .tf.json folders) as an input of `trustscan iac`: each root
 * module is evaluated into the plan shape and read by the same plan readers and mappers as
 * `terraform show -json`, so one Terraform resource type has one mapping. What evaluation could
 * not know is reported per file in the coverage, in the name of the provider whose resource it is.
 */

export interface ConfigInput {
  /** Root module folder. */
  dir: string;
  /** When files were named on the command line: report only resources declared in them. */
  only?: Set<string>;
}

export interface ConfigReadOptions {
  account?: string;
  /** Account id when neither `account` nor the configuration says (the one account of `--context`). */
  defaultAccount?: string;
  region?: string;
  cwd: string;
  varFiles?: string[];
  vars?: string[];
  env?: Record<string, string | undefined>;
}

/** Folders of a walk that hold .tf files, minus those another of them calls as a local module. */
export function configRoots(dirs: string[], explicit: Set<string>): string[] {
  const called = new Set<string>();
  // Module sources are literal strings: a scan finds the local ones without parsing every file twice.
  const SOURCE = /\bsource"?\s*[=:]\s*"(\.{1,2}(?:\/[^"]*)?)"/g;
  for (const d of dirs) {
    for (const n of readdirSync(d).filter(isConfigFile)) {
      let text: string;
      try {
        text = readFileSync(join(d, n), 'utf8');
      } catch {
        continue;
      }
      for (const m of text.matchAll(SOURCE)) called.add(join(d, m[1]).replace(/\/$/, ''));
    }
  }
  return dirs.filter((d) => explicit.has(d) || !called.has(d));
}

export function dirHasConfig(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => isConfigFile(n) && statSync(join(dir, n)).isFile());
  } catch {
    return false;
  }
}

/** Where a gap is reported: the provider of the resource it is in, and the unit that provider deploys to. */
type Attribution = (address: string) => { provider: string; account: string };

function coverageOf(gaps: Gap[], attribute: Attribution): CoverageEntry[] {
  const groups = new Map<string, { file: string; kind: string; provider: string; account: string; gaps: Gap[] }>();
  for (const g of gaps) {
    const kind = g.kind === 'value' ? (g.valueKind ?? 'after-apply') : g.kind;
    const { provider, account } = attribute(g.address);
    const key = `${g.file}\u0000${kind}\u0000${provider}\u0000${account}`;
    let e = groups.get(key);
    if (!e) groups.set(key, (e = { file: g.file, kind, provider, account, gaps: [] }));
    e.gaps.push(g);
  }
  const what: Record<string, string> = {
    'module-not-on-disk': 'module(s) not on disk: every resource type may be missing from the check',
    'unknown-instances': 'resource block(s) whose number of instances is not known',
    'after-apply': 'value(s) known only after apply',
    'data-source': 'value(s) read from the cloud by data sources',
    'unset-variable': 'value(s) from variables with no value',
    sensitive: 'value(s) from sensitive variables (never read)',
    unsupported: 'value(s) from functions or constructs trustscan does not evaluate',
    error: 'value(s) from expressions Terraform would reject',
    impure: 'value(s) that change at every run',
    file: 'value(s) from files that are not read',
  };
  return [...groups.values()].map(({ file, kind, provider, account, gaps: gs }) => {
    const reasons = [...new Set(gs.map((g) => `${g.address}: ${g.reason}`))];
    return {
      provider,
      account,
      region: 'global',
      service: 'terraform',
      operation: kind,
      outcome: kind === 'error' || kind === 'unsupported' ? 'error' : 'not-enabled',
      message: `${file}: ${gs.length} ${what[kind] ?? kind} — ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; … ${reasons.length} in all` : ''}`,
      ...(kind === 'module-not-on-disk' ? { affects: ['*'] } : {}),
    };
  });
}

/**
 * Evaluates one root module and maps it with every provider's Terraform adapter. Throws
 * InputError with every problem (syntax errors, undeclared references, cycles), located at file,
 * line and column.
 */
export function readConfig(input: ConfigInput, opts: ConfigReadOptions, readers: readonly TerraformReader[]): { display: string; resources: Resource[]; reading: TerraformReading; coverage: CoverageEntry[]; files: string[] } {
  if (!terraformConfigReady()) throw new Error('Terraform configuration read before the HCL parser was loaded');
  const display = relative(opts.cwd, input.dir) || '.';
  const placement = { account: opts.account, region: opts.region, defaultAccount: opts.defaultAccount };
  const providers = readers.flatMap((r) => (r.adapter.configSupport ? [r.adapter.configSupport(placement)] : []));
  const res = readTerraformConfig(input.dir, { cwd: opts.cwd, account: opts.account, varFiles: opts.varFiles, vars: opts.vars, env: opts.env, providers });
  if (res.problems.length > 0) {
    throw new InputError(res.problems.map((p): Problem => ({ file: p.file, line: p.line, ...(p.column ? { column: p.column } : {}), message: p.message })));
  }
  const doc = res.plan as Record<string, unknown>;
  const plan = new TfPlan(display, '', doc, { alwaysSet: alwaysSetBy(readers) });
  for (const inst of [...plan.instances, ...plan.data]) {
    const loc = res.locations.get(inst.address);
    if (loc) {
      inst.line = loc.line;
      inst.file = loc.file;
    }
  }
  const reading = mapTerraform(readers, plan, doc, display, placement);
  let resources = reading.resources;
  // A module's file is shared by every root that calls it: ids without a cloud id name the root.
  for (const r of resources) if (r.id.startsWith('terraform:')) r.id = `terraform:${display}#${r.source.address}`;
  const problems = [...plan.problems, ...reading.problems];
  if (problems.length > 0) throw new InputError(problems);
  if (input.only) resources = resources.filter((r) => r.source.file === undefined || input.only!.has(r.source.file));
  // What is not known is the provider's whose resource it is in; what is in none (a module not on
  // disk, a variable), the first provider's that has resources here, else the first provider's.
  const fallback = readers.find((r) => plan.instances.some((i) => reading.readerOf(i.type) === r)) ?? readers[0];
  const unitOf = (provider: string): string => reading.mappings.get(provider)?.account ?? UNKNOWN_ACCOUNT;
  const attribute: Attribution = (address) => {
    const type = addressType(address);
    const provider = ((type !== undefined ? reading.readerOf(type) : undefined) ?? fallback)?.provider ?? UNKNOWN_ACCOUNT;
    return { provider, account: unitOf(provider) };
  };
  const coverage = coverageOf(res.gaps, attribute);
  // A stand-in for an unknown number of instances: its type's listing is incomplete.
  const partial = new Map<string, { file: string; provider: string; types: Set<string> }>();
  for (const r of resources) {
    if (!r.source.address?.includes('[*]')) continue;
    const file = r.source.file ?? display;
    const key = `${file}\u0000${r.provider}`;
    const p = partial.get(key) ?? { file, provider: r.provider, types: new Set<string>() };
    p.types.add(r.type);
    partial.set(key, p);
  }
  for (const { file, provider, types } of partial.values()) {
    coverage.push({
      provider,
      account: unitOf(provider),
      region: 'global',
      service: 'terraform',
      operation: 'instances',
      outcome: 'not-enabled',
      affects: [...types],
      message: `${file}: how many instances some resource blocks make is not known from the code, so the ${[...types].join(', ')} resources listed may not be all`,
    });
  }
  return { display, resources, reading, coverage, files: res.files };
}

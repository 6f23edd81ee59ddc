import { builtinCatalog } from '../../../src/catalog';
import type { Finding, Results, Snapshot } from '../../../src/core/types';
import { evaluate } from '../../../src/engine/evaluate';
import { loadIac } from '../../../src/iac/index';
import { tempDir, writeTemp } from '../../helpers';

/**
 * Terraform plans of the google provider, in the shape `terraform show -json` writes: resource
 * changes with after / after_unknown, and the configuration with each resource's expressions
 * (what the code sets: a constant, or the references of an expression) and the provider block.
 */

export const NOW = new Date('2026-12-01T00:00:00Z');
const catalog = builtinCatalog();

/** One resource of a plan. `values` are what the code sets; `computed` attributes the provider fills at apply (unset in the code). */
export interface Res {
  address: string;
  values?: Record<string, unknown>;
  /** Attributes known only after apply because the code sets them from something created by the plan: their references. */
  refs?: Record<string, string[]>;
  /** Attributes the code leaves out and the provider computes (after_unknown without an expression). */
  computed?: string[];
  /** Values Terraform plans for attributes the code leaves out (their defaults). */
  defaults?: Record<string, unknown>;
  actions?: string[];
  provider?: string;
}

function constants(v: unknown): unknown {
  if (Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    return v.map((b) => Object.fromEntries(Object.entries(b as Record<string, unknown>).map(([k, x]) => [k, constants(x)])));
  }
  return { constant_value: v };
}

export function plan(resources: Res[], provider: Record<string, unknown> = { project: 'acme-prod', region: 'europe-west1' }): string {
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.5',
      resource_changes: resources.map((r) => {
        const [type, name] = r.address.split('.');
        const unknown: Record<string, unknown> = { id: true };
        for (const c of r.computed ?? []) unknown[c] = true;
        for (const a of Object.keys(r.refs ?? {})) unknown[a] = true;
        return {
          address: r.address,
          mode: 'managed',
          type,
          name,
          provider_name: `registry.terraform.io/hashicorp/${r.provider ?? 'google'}`,
          change: { actions: r.actions ?? ['create'], before: null, after: { ...(r.defaults ?? {}), ...(r.values ?? {}), ...Object.fromEntries(Object.keys(r.refs ?? {}).map((a) => [a, null])) }, after_unknown: unknown },
        };
      }),
      configuration: {
        provider_config: { google: { name: 'google', full_name: 'registry.terraform.io/hashicorp/google', expressions: Object.fromEntries(Object.entries(provider).map(([k, v]) => [k, { constant_value: v }])) } },
        root_module: {
          resources: resources.map((r) => {
            const [type, name] = r.address.split('.');
            return {
              address: r.address,
              mode: 'managed',
              type,
              name,
              provider_config_key: r.provider ?? 'google',
              expressions: {
                ...Object.fromEntries(Object.entries(r.values ?? {}).map(([k, v]) => [k, constants(v)])),
                ...Object.fromEntries(Object.entries(r.refs ?? {}).map(([k, refs]) => [k, { references: refs }])),
              },
            };
          }),
        },
      },
    },
    null,
    1,
  );
}

/** The snapshot `trustscan iac` makes of a plan. */
export function load(text: string, opts: { account?: string; file?: string } = {}): Snapshot {
  const file = writeTemp(tempDir(), opts.file ?? 'plan.json', text);
  return loadIac([file], catalog.registry, { cwd: ROOT_OF(file), account: opts.account }).snapshot;
}

const ROOT_OF = (file: string): string => file.slice(0, file.lastIndexOf('/'));

export function run(s: Snapshot): Results {
  return evaluate(s, catalog.loadRules(), catalog.registry, { now: NOW }).results;
}

/** Statuses of a rule's findings, by resource address. */
export function verdicts(results: Results, rule: string): Record<string, string> {
  return Object.fromEntries(results.findings.filter((f: Finding) => f.ruleId === rule).map((f) => [f.resource.source?.address ?? f.resource.id, f.status]));
}

/** Common resources. */
export const bucket = (name: string, values: Record<string, unknown> = {}, extra: Partial<Res> = {}): Res => ({
  address: `google_storage_bucket.${name.replace(/-/g, '_')}`,
  values: { name, location: 'EU', ...values },
  computed: ['public_access_prevention', 'soft_delete_policy', 'uniform_bucket_level_access', 'self_link', 'url'].filter((c) => !(c in values)),
  ...extra,
});

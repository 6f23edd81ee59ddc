import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvError } from '../core/ajv';
import { fileError, InputError, type Problem } from '../core/errors';
import { INPUT_LIMITS, readInputText } from '../core/input-text';
import { parseYaml } from '../core/yaml';
import type { JsonSchema } from '../core/resource-types/schema-helpers';
import { SEVERITIES, type Severity } from '../core/types';
import type { DocPath } from '../core/yaml-source';
import { locate, schemaProblems } from '../core/yaml-source';
import { configFromEnv, ENV_PREFIX, envNameAt, isUrl } from './env-config';
import type { SuppressionEntry } from '../suppress/suppressions';

/**
 * trustscan.yaml: project defaults for every command (rules, accounts, regions, output formats,
 * the gate) and the suppressions. Command-line options win over it. Relative paths in it are
 * relative to the file's own folder.
 */
export interface TrustscanConfig {
  /** The file it was read from. */
  file: string;
  rules?: string[];
  accounts?: string[];
  regions?: string[];
  formats?: string[];
  outputDir?: string;
  failOn?: Severity;
  failOnUnknown?: boolean;
  baseline?: string;
  /** Like --privileged: ARN patterns of principals allowed admin / privilege-escalation rights. */
  privileged?: string[];
  /** Like --framework-file: framework definition files added to the built-in ones (absolute paths). */
  frameworks?: string[];
  /** Like --history: true for the default store, or a SQLite file (resolved) or postgres:// URL. */
  history?: boolean | string;
  suppressions: SuppressionEntry[];
  /** Each provider's section (`aws:`, `gcp:`, …), validated against the provider's own schema. */
  providers: Record<string, Record<string, unknown>>;
  /**
   * Keys set by `TRUSTSCAN_*` variables (`failOn`, `aws.regions`) → the variable: they win over
   * the file, and are the pipeline owner's, so messages name the variable, not the file.
   */
  fromEnv?: Map<string, string>;
}

/** Where a config key's value came from, for messages: its variable, else the file. */
export function sourceOf(config: TrustscanConfig, key: string): string {
  const name = config.fromEnv?.get(key);
  return name ? `$${name}` : config.file;
}

/** Names looked for in the working directory when --config is not given. */
export const CONFIG_FILE_NAMES = ['trustscan.yaml', 'trustscan.yml'];

const id = { type: 'string', minLength: 1 };
const glob = { type: 'string', minLength: 1, description: 'a glob: * matches any characters, ? one character' };

export const suppressionEntrySchema: JsonSchema = {
  type: 'object',
  required: ['reason', 'expires'],
  additionalProperties: false,
  properties: {
    rule: { ...glob, description: 'rule id (glob)' },
    resource: { ...glob, description: 'resource id as findings give it (glob)' },
    account: { ...glob, description: 'account / project / subscription id (glob); quote it in YAML' },
    region: { ...glob, description: 'region, or global (glob)' },
    tags: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' }, description: 'resource tags that must all be present, values as globs' },
    reason: { type: 'string', minLength: 1, description: 'why the risk is accepted' },
    expires: { type: 'string', format: 'date', description: 'last day (YYYY-MM-DD, UTC) the waiver applies' },
    owner: { type: 'string', minLength: 1 },
    ticket: { type: 'string', minLength: 1 },
  },
};

const suppressionList = { type: 'array', items: suppressionEntrySchema };

/**
 * The JSON Schema of trustscan.yaml with a section per provider (`aws:`, `gcp:`, …) whose schema
 * the provider plug-in declares. A key that is neither a known option nor a provider is an error.
 */
export function configSchemaWith(sections: Readonly<Record<string, JsonSchema>>): JsonSchema {
  return { ...configSchema, properties: { ...(configSchema.properties as Record<string, JsonSchema>), ...sections } };
}

export const configSchema: JsonSchema = {
  $id: 'https://trustscan.dev/schemas/config-1.json',
  title: 'trustscan.yaml',
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: { type: 'array', items: id, description: 'rule directories or files; "builtin" = the shipped rules' },
    accounts: { type: 'array', items: id, description: 'accounts to scan (collectors); quote ids in YAML' },
    regions: { type: 'array', items: id, description: 'regions to scan (collectors), or ["all"]' },
    formats: { type: 'array', items: { type: 'string', pattern: '^[a-z]+(=.+)?$' }, description: 'output formats, FORMAT or FORMAT=FILE' },
    outputDir: { type: 'string', minLength: 1 },
    failOn: { enum: [...SEVERITIES] },
    failOnUnknown: { type: 'boolean' },
    baseline: { type: 'string', minLength: 1 },
    privileged: { type: 'array', items: id, description: 'principal or policy ids (* and ? wildcards) allowed to hold admin or privilege-escalation rights' },
    frameworks: { type: 'array', items: id, description: 'framework definition files or folders (frameworks/schema.json) added to the built-in ones' },
    suppressions: suppressionList,
    history: {
      description: 'record every run in the history store: true for the per-user default, or a SQLite file path or postgres:// URL (put the password in PGPASSWORD or ~/.pgpass, not here)',
      oneOf: [{ type: 'boolean' }, { type: 'string', minLength: 1 }],
    },
  },
};

const suppressionsFileSchema: JsonSchema = {
  type: 'object',
  required: ['suppressions'],
  additionalProperties: false,
  properties: { suppressions: suppressionList },
};

const validators = new Map<JsonSchema, ValidateFunction>();
function validatorFor(schema: JsonSchema): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    const ajv = createAjv({ allErrors: true });
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  return v;
}

const MATCH_FIELDS = ['rule', 'resource', 'account', 'region', 'tags'] as const;

/** Parses and validates YAML text against `schema`, with every problem located (file:line:column). */
function parseValidated(text: string, file: string, schema: JsonSchema): { value: Record<string, unknown>; where: (p: DocPath, key?: string) => { line: number; column: number } } {
  const parsed = parseYaml(text, file);
  const where = (path: DocPath, key?: string): { line: number; column: number } => locate(parsed.doc, parsed.lines, path, key);
  const value = parsed.value ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw InputError.at({ file, line: 1, column: 1 }, 'must be a YAML mapping');
  }
  const problems: Problem[] = [];
  const obj = value as Record<string, unknown>;
  // Unquoted account ids become numbers in YAML and lose their leading zeros: say so plainly.
  const accountNumber = (v: unknown, path: DocPath): void => {
    if (typeof v === 'number') problems.push({ file, ...where(path), message: `account id ${v} must be quoted ('${v}'): unquoted, YAML reads a number and drops leading zeros` });
  };
  if (Array.isArray(obj.accounts)) obj.accounts.forEach((a, i) => accountNumber(a, ['accounts', i]));
  const entries = Array.isArray(obj.suppressions) ? (obj.suppressions as unknown[]) : [];
  entries.forEach((e, i) => {
    if (!e || typeof e !== 'object') return;
    const entry = e as Record<string, unknown>;
    accountNumber(entry.account, ['suppressions', i, 'account']);
    if (!MATCH_FIELDS.some((k) => entry[k] !== undefined)) {
      problems.push({ file, ...where(['suppressions', i]), message: `a suppression needs at least one of ${MATCH_FIELDS.join(', ')}: without them it would mute everything` });
    }
    if (entry.expires instanceof Date) entry.expires = entry.expires.toISOString().slice(0, 10);
  });
  const validate = validatorFor(schema);
  const skip = new Set(problems.map((p) => `${p.line}:${p.column}`));
  if (!validate(obj)) problems.push(...schemaProblems(validate.errors ?? [], where, file).filter((p) => !skip.has(`${p.line}:${p.column}`)));
  if (problems.length) throw new InputError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
  return { value: obj, where };
}

function toEntries(raw: unknown, file: string, where: (p: DocPath) => { line: number }): SuppressionEntry[] {
  return ((raw as Omit<SuppressionEntry, 'source'>[] | undefined) ?? []).map((e, i) => ({ ...e, source: `${file}:${where(['suppressions', i]).line}` }));
}

const YAML_LIMIT = { bytes: INPUT_LIMITS.yaml, what: 'a YAML file' };

function readText(file: string): Promise<string> {
  return readInputText(file, YAML_LIMIT);
}

/** Parses trustscan.yaml text; `file` names it in errors and anchors its relative paths. */
export function parseConfig(text: string, file: string, sections: Readonly<Record<string, JsonSchema>> = {}): TrustscanConfig {
  const { value, where } = parseValidated(text, file, Object.keys(sections).length ? configSchemaWith(sections) : configSchema);
  const base = dirname(file);
  // A URL (an object in a bucket) is not a path: it stays as written.
  const rel = (p: string): string => (isAbsolute(p) || isUrl(p) ? p : join(base, p));
  const providers = Object.fromEntries(Object.keys(sections).filter((k) => value[k] !== undefined).map((k) => [k, value[k] as Record<string, unknown>]));
  const cfg: TrustscanConfig = { file, suppressions: toEntries(value.suppressions, file, where), providers };
  if (value.rules) cfg.rules = (value.rules as string[]).map((r) => (r === 'builtin' ? r : rel(r)));
  if (value.accounts) cfg.accounts = value.accounts as string[];
  if (value.regions) cfg.regions = value.regions as string[];
  if (value.formats) {
    cfg.formats = (value.formats as string[]).map((f) => {
      const eq = f.indexOf('=');
      return eq === -1 || f.slice(eq + 1) === '-' ? f : `${f.slice(0, eq)}=${rel(f.slice(eq + 1))}`;
    });
  }
  if (value.outputDir) cfg.outputDir = rel(value.outputDir as string);
  if (value.failOn) cfg.failOn = value.failOn as Severity;
  if (value.failOnUnknown !== undefined) cfg.failOnUnknown = value.failOnUnknown as boolean;
  if (value.baseline) cfg.baseline = rel(value.baseline as string);
  if (value.privileged) cfg.privileged = value.privileged as string[];
  if (value.frameworks) cfg.frameworks = (value.frameworks as string[]).map(rel);
  if (typeof value.history === 'boolean') cfg.history = value.history;
  else if (typeof value.history === 'string') cfg.history = /^postgres(ql)?:\/\//i.test(value.history) ? value.history : rel(value.history);
  return cfg;
}

/**
 * The configuration: trustscan.yaml (`explicit` when given, else $TRUSTSCAN_CONFIG, else the first
 * of CONFIG_FILE_NAMES in `cwd`; `false` for none), with the `TRUSTSCAN_*` variables of `env` over
 * it. Undefined when there is neither.
 */
export async function loadConfig(
  explicit: string | undefined | false,
  cwd: string,
  sections: Readonly<Record<string, JsonSchema>> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<TrustscanConfig | undefined> {
  const fromEnvFile = env[`${ENV_PREFIX}CONFIG`];
  const file = explicit === false ? undefined : await loadConfigFile(explicit || (fromEnvFile ? resolve(cwd, fromEnvFile) : undefined), cwd, sections);
  return withEnv(file, env, cwd, sections);
}

/** The file's configuration with the variables' values over it. */
function withEnv(config: TrustscanConfig | undefined, env: NodeJS.ProcessEnv, cwd: string, sections: Readonly<Record<string, JsonSchema>>): TrustscanConfig | undefined {
  const schema = Object.keys(sections).length ? configSchemaWith(sections) : configSchema;
  const { value, names } = configFromEnv(env, schema, Object.keys(sections), cwd);
  if (names.size === 0) return config;
  const validate = validatorFor(schema);
  if (!validate(value)) {
    throw new InputError(
      (validate.errors ?? [])
        .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
        .map((e) => {
          const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
          return { file: `$${envNameAt(e.instancePath, names) ?? `${ENV_PREFIX}*`}`, message: `${describeAjvError(e)}${allowed ? `: ${allowed.join(', ')}` : ''}` };
        }),
    );
  }
  const out: TrustscanConfig = config ? { ...config, providers: { ...config.providers } } : { file: `$${[...names.values()][0]}`, suppressions: [], providers: {} };
  for (const [key, v] of Object.entries(value)) {
    if (key in sections) out.providers[key] = { ...(out.providers[key] ?? {}), ...(v as Record<string, unknown>) };
    else (out as unknown as Record<string, unknown>)[key] = v;
  }
  out.fromEnv = names;
  return out;
}

/** Reads trustscan.yaml: `explicit` when given (it must exist), else the first of CONFIG_FILE_NAMES in `cwd`, else none. */
async function loadConfigFile(explicit: string | undefined, cwd: string, sections: Readonly<Record<string, JsonSchema>>): Promise<TrustscanConfig | undefined> {
  if (explicit) return parseConfig(await readText(explicit), explicit, sections);
  for (const name of CONFIG_FILE_NAMES) {
    const file = resolve(cwd, name);
    try {
      await fs.access(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw fileError(file, e);
    }
    return parseConfig(await readText(file), file, sections);
  }
  return undefined;
}

/** Reads a --suppressions file: a YAML (or JSON) mapping with a `suppressions` list. */
export async function loadSuppressionsFile(file: string): Promise<SuppressionEntry[]> {
  const { value, where } = parseValidated(await readText(file), file, suppressionsFileSchema);
  return toEntries(value.suppressions, file, where);
}

import { isAbsolute, join } from 'node:path';
import { InputError, type Problem } from '../core/errors';
import type { JsonSchema } from '../core/resource-types/schema-helpers';

/**
 * `TRUSTSCAN_*` environment variables: every option trustscan.yaml holds, for pipelines that set
 * options through the environment (containers, CI variables). A variable wins over the file and
 * loses to the command line. Names are the key in upper snake case (`failOnUnknown` →
 * `TRUSTSCAN_FAIL_ON_UNKNOWN`), provider sections prefixed by the provider (`aws.orgRole` →
 * `TRUSTSCAN_AWS_ORG_ROLE`). Lists are comma-separated; booleans are true/false (or 1/0).
 * Suppressions stay in files: a list of records does not fit one variable.
 */

export const ENV_PREFIX = 'TRUSTSCAN_';

/** Keys no variable of this layer stands for (TRUSTSCAN_HISTORY is read by the history store itself). */
const NOT_FROM_ENV = new Set(['suppressions', 'history']);

/** `failOnUnknown` → `FAIL_ON_UNKNOWN`. */
function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The variable that stands for a key of trustscan.yaml (or of a provider's section of it). */
export function envName(key: string, section?: string): string {
  return `${ENV_PREFIX}${section ? `${snake(section)}_` : ''}${snake(key)}`;
}

/** Paths in trustscan.yaml are relative to the file; in a variable, to the working directory. */
const PATH_KEYS = new Set(['rules', 'outputDir', 'baseline', 'frameworks']);

function kinds(s: JsonSchema): Set<string> {
  const out = new Set<string>();
  const add = (x: JsonSchema): void => {
    const t = x.type;
    if (typeof t === 'string') out.add(t);
    else if (Array.isArray(t)) for (const y of t) out.add(String(y));
    else if (Array.isArray(x.enum)) out.add('string');
  };
  add(s);
  for (const alt of [...((s.oneOf as JsonSchema[] | undefined) ?? []), ...((s.anyOf as JsonSchema[] | undefined) ?? [])]) add(alt);
  return out;
}

/** One variable's text as the schema's type: the schema check afterwards says what is wrong with it. */
function valueOf(text: string, schema: JsonSchema, name: string, problems: Problem[]): unknown {
  const k = kinds(schema);
  const t = text.trim();
  if (k.has('array')) return t === '' ? [] : t.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (k.has('boolean')) {
    if (/^(true|1|yes)$/i.test(t)) return true;
    if (/^(false|0|no)$/i.test(t)) return false;
    if (!k.has('string')) {
      problems.push({ file: `$${name}`, message: `expected true or false, got '${t}'` });
      return undefined;
    }
  }
  if (k.has('integer') || k.has('number')) {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n)) {
      problems.push({ file: `$${name}`, message: `expected a number, got '${t}'` });
      return undefined;
    }
    return n;
  }
  return t;
}

/** `scheme://…` (an object in a bucket): an address, not a path relative to a folder. */
export function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
}

export interface EnvConfig {
  /** Top-level keys and provider sections, shaped like trustscan.yaml (paths made absolute). */
  value: Record<string, unknown>;
  /** Config key (`failOn`, `aws.regions`) → the variable it came from. */
  names: Map<string, string>;
}

/**
 * Reads the `TRUSTSCAN_*` variables that stand for keys of `schema` (trustscan.yaml's, with its
 * provider sections). Empty variables are ignored (unset in CI templates). Type problems are
 * reported naming the variable; the caller validates the result against the schema.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, schema: JsonSchema, sections: readonly string[], cwd: string): EnvConfig {
  const value: Record<string, unknown> = {};
  const names = new Map<string, string>();
  const problems: Problem[] = [];
  const read = (props: Record<string, JsonSchema>, into: Record<string, unknown>, section?: string): void => {
    for (const [key, s] of Object.entries(props)) {
      if (NOT_FROM_ENV.has(key)) continue;
      const name = envName(key, section);
      const text = env[name];
      if (text === undefined || text.trim() === '') continue;
      let v = valueOf(text, s, name, problems);
      if (v === undefined) continue;
      const abs = (p: string): string => (p === 'builtin' || p === '-' || isAbsolute(p) || isUrl(p) ? p : join(cwd, p));
      if (!section && PATH_KEYS.has(key)) v = Array.isArray(v) ? v.map((p) => abs(String(p))) : abs(String(v));
      // FORMAT=FILE: the file relative to the working directory.
      if (!section && key === 'formats' && Array.isArray(v)) v = v.map((f) => (String(f).includes('=') ? `${String(f).slice(0, String(f).indexOf('='))}=${abs(String(f).slice(String(f).indexOf('=') + 1))}` : f));
      into[key] = v;
      names.set(section ? `${section}.${key}` : key, name);
    }
  };
  const props = propertiesOf(schema);
  read(Object.fromEntries(Object.entries(props).filter(([k]) => !sections.includes(k))), value);
  for (const section of sections) {
    const into: Record<string, unknown> = {};
    read(propertiesOf(props[section] ?? {}), into, section);
    if (Object.keys(into).length) value[section] = into;
  }
  if (problems.length) throw new InputError(problems);
  return { value, names };
}

/** The variable a schema error's instance path (`/aws/regions/0`) points into, for messages. */
export function envNameAt(instancePath: string, names: Map<string, string>): string | undefined {
  const parts = instancePath.split('/').filter((p) => p !== '');
  return names.get(parts.slice(0, 2).join('.')) ?? names.get(parts[0] ?? '');
}

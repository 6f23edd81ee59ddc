import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../core/ajv';
import { bundled } from '../core/data-bundle';
import { fileError, InputError, type Problem } from '../core/errors';
import { PACKAGE_ROOT } from '../core/version';
import { parseYamlSource, schemaProblems } from '../core/yaml-source';
import { type Framework, FrameworkCatalog } from './framework';

/** The built-in framework definitions and their JSON Schema. */
export const BUILTIN_FRAMEWORKS_DIR = join(PACKAGE_ROOT, 'frameworks');
export const FRAMEWORK_SCHEMA_FILE = join(BUILTIN_FRAMEWORKS_DIR, 'schema.json');

let validator: ValidateFunction | undefined;
function frameworkValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(FRAMEWORK_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    validator = createAjv({ allErrors: true }).compile(schema);
  }
  return validator;
}

interface FrameworkDoc {
  id: string;
  title: string;
  version: string;
  publisher?: string;
  url?: string;
  description?: string;
  providers?: string[];
  groups: { title: string; manual?: string; criteria: { id: string; title: string; manual?: string; level?: number; assessment?: 'automated' | 'manual'; service?: string; gap?: string }[] }[];
  mappings?: Record<string, string[]>;
}

/** Parses and checks one framework file; returns the framework or every problem, located. */
export function loadFrameworkText(text: string, file: string, opts: { bundle?: boolean } = {}): { framework?: Framework; problems: Problem[] } {
  const pre = opts.bundle === false ? undefined : bundled<Omit<Framework, 'file'>>('framework', text);
  if (pre) return { framework: { ...pre, file }, problems: [] };
  const parsed = parseYamlSource(text, file);
  if (parsed.problems.length) return { problems: parsed.problems };
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problems: [{ file, line: 1, column: 1, message: 'a framework file must be a YAML mapping (id, title, version, groups)' }] };
  const validate = frameworkValidator();
  if (!validate(value)) return { problems: schemaProblems(validate.errors ?? [], parsed.where, file) };
  const doc = value as FrameworkDoc;
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const criteria: Framework['criteria'] = [];
  doc.groups.forEach((g, gi) =>
    g.criteria.forEach((c, ci) => {
      if (seen.has(c.id)) problems.push({ file, ...parsed.where(['groups', gi, 'criteria', ci, 'id']), message: `criterion '${c.id}' is defined twice` });
      seen.set(c.id, g.title);
      const manual = c.manual ?? g.manual;
      criteria.push({ id: c.id, title: c.title, group: g.title, ...(manual ? { manual } : {}), ...pick(c, ['level', 'assessment', 'service', 'gap']) });
    }),
  );
  const mappings = Object.entries(doc.mappings ?? {}).map(([rule, ids]) => {
    ids.forEach((id, i) => {
      if (!seen.has(id)) problems.push({ file, ...parsed.where(['mappings', rule, i]), message: `'${id}' is not a criterion of ${doc.id}` });
    });
    return { rule, criteria: ids };
  });
  if (problems.length) return { problems };
  const head = pick(doc, ['id', 'title', 'version', 'publisher', 'url', 'description', 'providers']) as Pick<Framework, 'id' | 'title' | 'version'>;
  return { framework: { ...head, criteria, mappings, file }, problems: [] };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Framework files named by `paths` (folders give their .yaml/.yml files, schema.json aside). */
export function frameworkFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw fileError(p, e);
    }
    if (!st.isDirectory()) return [p];
    return readdirSync(p)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort()
      .map((n) => join(p, n));
  });
}

/** Loads framework files into a catalogue, or throws an InputError listing every problem. */
export function loadFrameworks(paths: readonly string[]): FrameworkCatalog {
  const frameworks: Framework[] = [];
  const problems: Problem[] = [];
  for (const file of frameworkFiles(paths)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw fileError(file, e);
    }
    const loaded = loadFrameworkText(text, file);
    problems.push(...loaded.problems);
    if (!loaded.framework) continue;
    const dup = frameworks.find((f) => f.id === loaded.framework!.id);
    if (dup) problems.push({ file, line: 1, column: 1, message: `framework '${loaded.framework.id}' is already defined in ${dup.file}` });
    else frameworks.push(loaded.framework);
  }
  if (problems.length) throw new InputError(problems);
  return new FrameworkCatalog(frameworks);
}

let builtin: FrameworkCatalog | undefined;

/** The frameworks shipped with trustscan (read once per process). */
export function builtinFrameworks(): FrameworkCatalog {
  builtin ??= loadFrameworks([BUILTIN_FRAMEWORKS_DIR]);
  return builtin;
}

/** The built-in frameworks plus the user's framework files. */
export function frameworksWith(files: readonly string[]): FrameworkCatalog {
  if (files.length === 0) return builtinFrameworks();
  return loadFrameworks([BUILTIN_FRAMEWORKS_DIR, ...files]);
}

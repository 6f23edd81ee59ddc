import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join, relative, sep, basename, extname } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../core/ajv';
import { schemaProblems } from '../core/yaml-source';
import { fileError, InputError, type Problem } from '../core/errors';
import { INPUT_LIMITS, readInputTextSync } from '../core/input-text';
import { type ParsedYaml, parseYaml } from '../core/yaml';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { PACKAGE_ROOT } from '../core/version';
import type { FrameworkCatalog } from '../compliance/framework';
import type { FactRegistry } from '../facts/index';
import { compileRule } from './compile-rule';
import { bundled } from '../core/data-bundle';
import type { DocPath } from './node';
import type { CompiledRule, RuleDefinition } from './rule-types';
import { locate } from '../core/yaml-source';

export { pointerToPath, schemaProblems } from '../core/yaml-source';

/** The built-in rule directory and its JSON Schema. */
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const RULE_SCHEMA_FILE = join(BUILTIN_RULES_DIR, 'schema.json');

let validator: ValidateFunction | undefined;
function ruleValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(RULE_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    validator = createAjv({ allErrors: true }).compile(schema);
  }
  return validator;
}

/** Every .yaml/.yml file below `dir`, sorted, or `dir` itself when it is a file. */
export function findRuleFiles(dir: string): string[] {
  const statOf = (p: string): Stats => {
    try {
      return statSync(p);
    } catch (e) {
      throw fileError(p, e);
    }
  };
  const st = statOf(dir);
  if (st.isFile()) return [dir];
  if (!st.isDirectory()) throw InputError.at({ file: dir }, 'not a regular file or folder (a device, a pipe?): rules are read from YAML files');
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      const s = statOf(p);
      if (s.isDirectory()) walk(p);
      // Only regular files: opening a FIFO named x.yaml would wait for a writer for ever.
      else if (/\.ya?ml$/i.test(name) && s.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** A rule as the build-time bundle holds it: the definition as parsed and validated, and its version. */
export interface BundledRule {
  def: RuleDefinition;
  version: string;
}

/** Result of loading one rule file: the compiled rule, or the problems that stop it. */
export interface LoadedRuleFile {
  file: string;
  rule?: CompiledRule;
  problems: Problem[];
  /** Where each part of the document is (for later checks such as duplicate ids). */
  where: (path: DocPath, key?: string) => { line: number; column: number };
}

/** Parses, validates and compiles one rule file; never throws for bad content. */
export function loadRuleText(
  text: string,
  file: string,
  registry: ResourceTypeRegistry,
  facts: FactRegistry,
  frameworks?: FrameworkCatalog,
  opts: { bundle?: boolean } = {},
): LoadedRuleFile {
  // A built-in rule parsed and checked at build time compiles from JSON; it is read from its YAML
  // again only if it does not compile here (to place the problems in the file).
  const pre = opts.bundle === false ? undefined : bundled<BundledRule>('rule', text);
  if (pre) {
    const compiled = compileRule(pre.def, file, registry, facts, frameworks, pre.version);
    if (compiled.rule && compiled.problems.length === 0) {
      let where: LoadedRuleFile['where'] | undefined;
      const lazyWhere: LoadedRuleFile['where'] = (path, key) => (where ??= loadRuleText(text, file, registry, facts, frameworks, { bundle: false }).where)(path, key);
      return { file, where: lazyWhere, rule: compiled.rule, problems: [] };
    }
  }
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text, file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { file, where: () => ({ line: 1, column: 1 }), problems: e.problems };
  }
  const where = (path: DocPath, key?: string): { line: number; column: number } => locate(parsed.doc, parsed.lines, path, key);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { file, where, problems: [{ file, line: 1, column: 1, message: 'a rule file must be a YAML mapping (id, title, check, …)' }] };
  }
  const def = value as RuleDefinition;
  const validate = ruleValidator();
  const schemaErrors = validate(def) ? [] : (validate.errors ?? []);
  // Conditions get precise messages from the compiler; keep the schema's only where the compiler is silent.
  const inCondition = (e: ErrorObject): boolean => /^\/(check|when)(\/|$)/.test(e.instancePath);
  const structural = schemaProblems(schemaErrors.filter((e) => !inCondition(e)), where, file);
  const canCompile = typeof def.resourceType === 'string' && def.check !== undefined;
  const compiled = canCompile ? compileRule(def, file, registry, facts, frameworks) : { problems: [] };
  const compileProblems = compiled.problems.map((p) => ({ file, ...where(p.at, p.key), message: p.message }));
  const conditionSchema = compileProblems.length ? [] : schemaProblems(schemaErrors.filter(inCondition), where, file);
  const compiledAt = new Set(compileProblems.map((p) => `${p.line}:${p.column}`));
  const problems = [...structural.filter((p) => !compiledAt.has(`${p.line}:${p.column}`)), ...compileProblems, ...conditionSchema].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const base = basename(file, extname(file));
  if (typeof def.id === 'string' && base !== def.id) {
    problems.push({ file, ...where(['id']), message: `rule id '${def.id}' must match the file name (${base}${extname(file)})` });
  }
  if (problems.length || !('rule' in compiled) || !compiled.rule) return { file, where, problems };
  return { file, where, rule: compiled.rule, problems: [] };
}

export function loadRuleFile(file: string, registry: ResourceTypeRegistry, facts: FactRegistry, frameworks?: FrameworkCatalog): LoadedRuleFile {
  return loadRuleText(readInputTextSync(file, { bytes: INPUT_LIMITS.yaml, what: 'a rule file' }), file, registry, facts, frameworks);
}

/** How a rule file is named in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith(`..${sep}`) && rel !== '..' ? rel : file;
}

/** Resolves `--rules` values: `builtin` means the rules shipped with trustscan (every provider's rule folders). */
export function resolveRuleDirs(dirs: string[] | undefined, builtin: readonly string[] = [BUILTIN_RULES_DIR]): string[] {
  if (!dirs || dirs.length === 0) return [...builtin];
  return dirs.flatMap((d) => (d === 'builtin' ? builtin : [d]));
}

/** Loads every rule below `dirs`; returns all rules and all problems (including duplicate ids). */
export function loadRuleDirs(
  dirs: string[],
  registry: ResourceTypeRegistry,
  facts: FactRegistry,
  frameworks?: FrameworkCatalog,
): { rules: CompiledRule[]; problems: Problem[]; files: string[] } {
  const rules: CompiledRule[] = [];
  const problems: Problem[] = [];
  const found = dirs.map((d) => ({ dir: d, files: findRuleFiles(d) }));
  // Zero rules would evaluate nothing and pass every gate: an empty folder is a mistake.
  for (const f of found) if (f.files.length === 0) problems.push({ file: displayPath(f.dir), message: 'no rule files (*.yaml, *.yml) in this folder: nothing would be evaluated' });
  const files = [...new Set(found.flatMap((f) => f.files))];
  // Positions are looked up only for a duplicate: locating needs the YAML, which bundled rules skip.
  const byId = new Map<string, { file: string; where: LoadedRuleFile['where'] }>();
  for (const f of files) {
    const shownName = displayPath(f);
    const loaded = loadRuleFile(f, registry, facts, frameworks);
    problems.push(...loaded.problems.map((p) => ({ ...p, file: shownName })));
    if (!loaded.rule) continue;
    const id = loaded.rule.def.id;
    const first = byId.get(id);
    if (first) {
      const at = first.where(['id']);
      problems.push({ file: shownName, ...loaded.where(['id']), message: `duplicate rule id '${id}' (first defined at ${first.file}:${at.line}:${at.column})` });
      continue;
    }
    byId.set(id, { file: shownName, where: loaded.where });
    rules.push({ ...loaded.rule, file: shownName });
  }
  rules.sort((a, b) => (a.def.id < b.def.id ? -1 : a.def.id > b.def.id ? 1 : 0));
  return { rules, problems, files };
}

/** Loads rules or throws an InputError listing every problem. */
export function loadRulesOrThrow(dirs: string[], registry: ResourceTypeRegistry, facts: FactRegistry, frameworks?: FrameworkCatalog): CompiledRule[] {
  const { rules, problems } = loadRuleDirs(dirs, registry, facts, frameworks);
  if (problems.length) throw new InputError(problems);
  return rules;
}

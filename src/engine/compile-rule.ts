import { canonicalJson, sha256 } from '../core/hash';
import { formatPath, isPathPrefix, parsePath } from '../core/property-path';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { type FrameworkCatalog, PRIMARY_FRAMEWORK } from '../compliance/framework';
import { builtinFrameworks } from '../compliance/framework-loader';
import type { FactRegistry } from '../facts/index';
import { compileCondition } from './compile-condition';
import type { CompileEnv, CompileProblem } from './node';
import type { CompiledRule, RuleDefinition } from './rule-types';

/** Rule version: a short hash of the rule's canonical content (formatting and comments do not count). */
export function ruleVersion(def: RuleDefinition): string {
  return sha256(canonicalJson(def)).slice(0, 12);
}

/**
 * Compiles a rule that already passed the JSON Schema: resolves its resource type, checks its
 * framework mappings (`soc2`, `frameworks`) against the framework definitions and every path
 * against the type's schema, and turns `when` and `check` into functions. Returns every problem
 * found, each placed in the rule document.
 */
export function compileRule(
  def: RuleDefinition,
  file: string,
  registry: ResourceTypeRegistry,
  facts: FactRegistry,
  frameworks: FrameworkCatalog = builtinFrameworks(),
  /** The rule's version when already known (a bundled rule): saves hashing its content again. */
  knownVersion?: string,
): { rule?: CompiledRule; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const typeDef = registry.get(def.resourceType);
  if (!typeDef) {
    const known = registry.list().map((t) => t.type);
    problems.push({ at: ['resourceType'], message: `unknown resource type '${def.resourceType}' (known: ${known.join(', ')})` });
  }
  const seen = new Set<string>();
  def.soc2?.forEach((c, i) => {
    if (!frameworks.criterion(PRIMARY_FRAMEWORK, c.id)) problems.push({ at: ['soc2', i, 'id'], message: `'${c.id}' is not a SOC 2 (2017 TSC) criterion` });
    else if (seen.has(c.id)) problems.push({ at: ['soc2', i, 'id'], message: `'${c.id}' is listed twice` });
    seen.add(c.id);
  });
  for (const [fw, ids] of Object.entries(def.frameworks ?? {})) {
    if (fw === PRIMARY_FRAMEWORK) problems.push({ at: ['frameworks'], key: fw, message: `map SOC 2 criteria under 'soc2:' (with a rationale each), not under frameworks` });
    else if (!frameworks.has(fw)) problems.push({ at: ['frameworks'], key: fw, message: `unknown framework '${fw}' (known: ${frameworks.list().map((f) => f.id).join(', ')}; add a framework file with --framework-file)` });
    else ids.forEach((id, i) => {
      if (!frameworks.criterion(fw, id)) problems.push({ at: ['frameworks', fw, i], message: `'${id}' is not a criterion of ${fw}` });
    });
  }
  const expects = new Set(def.tests?.map((t) => t.expect));
  if (!expects.has('pass') || !expects.has('fail')) {
    problems.push({ at: [], key: 'tests', message: 'tests need at least one case that must pass and one that must fail' });
  }
  def.tests?.forEach((t, i) => {
    const type = t.resource?.type;
    if (type !== undefined && type !== def.resourceType) {
      problems.push({ at: ['tests', i, 'resource', 'type'], message: `the resource under test must be a ${def.resourceType}` });
    }
    t.others?.forEach((o, j) => {
      if (o.type === undefined) problems.push({ at: ['tests', i, 'others', j], message: `other resources need a 'type'` });
      else if (!registry.has(o.type)) problems.push({ at: ['tests', i, 'others', j, 'type'], message: `unknown resource type '${o.type}'` });
    });
  });
  if (!typeDef) return { problems };

  const scope = { typeDef, schema: typeDef.properties, prefix: [] };
  const env: CompileEnv = { registry, facts, problems, reads: [], types: new Set([typeDef.type]), caveatFacts: new Set(), rootScope: scope };
  const when = def.when === undefined ? null : compileCondition(def.when, ['when'], scope, env);
  const check = compileCondition(def.check, ['check'], scope, env);
  if (problems.length) return { problems };

  const runtimeOnly = env.reads.some(({ type, path }) =>
    (registry.get(type)?.runtimeOnly ?? []).some((p) => isPathPrefix(parsePath(p), path)),
  );
  const reads = [...new Map(env.reads.map((r) => [`${r.type} ${formatPath(r.path)}`, { type: r.type, path: formatPath(r.path) }])).values()];
  const mapping = frameworks.mappingOf(def);
  const others = Object.fromEntries(Object.entries(mapping).filter(([fw]) => fw !== PRIMARY_FRAMEWORK));
  return {
    rule: {
      def,
      file,
      version: knownVersion ?? ruleVersion(def),
      typeDef,
      when,
      check,
      runtimeOnly,
      reads,
      types: [...env.types].sort(),
      caveatFacts: [...env.caveatFacts!],
      mapping,
      ...(Object.keys(others).length ? { frameworks: others } : {}),
    },
    problems,
  };
}

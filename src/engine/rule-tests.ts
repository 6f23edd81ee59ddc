import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvError, unescapePointer } from '../core/ajv';
import { isPathPrefix, parsePath } from '../core/property-path';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import type { JsonSchema } from '../core/resource-types/schema-helpers';
import type { CoverageEntry, Finding, Resource, Snapshot } from '../core/types';
import { SNAPSHOT_SCHEMA_VERSION } from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import type { EvalContext } from './eval-context';
import { runRules, type Verdict } from './evaluator';
import { buildFinding } from './finding-builder';
import type { CompiledRule, ResourceSpec, RuleTestCase } from './rule-types';
import { SnapshotIndex } from './snapshot-index';

/** Default scan time of rule test cases, so date cases do not age. */
export const DEFAULT_TEST_SCAN_TIME = '2026-01-01T00:00:00Z';
export const TEST_ACCOUNT = '123456789012';

export interface CaseResult {
  ruleId: string;
  file: string;
  index: number;
  name: string;
  expected: RuleTestCase['expect'];
  actual: RuleTestCase['expect'] | 'error';
  ok: boolean;
  /** What went wrong: the verdict's message, or why the case itself is invalid. */
  detail: string;
}

/** The schema with every `required` removed: test cases may leave out what the rule does not read. */
function relax(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(relax);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'required') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, relax(s)])) : relax(v);
  }
  return out;
}

/** Runs the test cases embedded in rules (like ESLint's RuleTester valid/invalid cases). */
export class RuleTester {
  private readonly ajv = createAjv({ allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  /** `onFinding` sees each case's finding (tests of what findings look like across every rule). */
  constructor(
    private readonly registry: ResourceTypeRegistry,
    private readonly onFinding?: (f: Finding) => void,
  ) {}

  private validate(type: string, properties: unknown, unknown: string[] = []): string | undefined {
    let v = this.validators.get(type);
    if (!v) {
      v = this.ajv.compile(relax(this.registry.get(type)!.properties) as JsonSchema);
      this.validators.set(type, v);
    }
    if (v(properties)) return undefined;
    // Values listed as unknown may be anything (usually null), as in a snapshot.
    const unknownSegs = unknown.map(parsePath);
    const e = v.errors!.find((x) => {
      const segs = x.instancePath.split('/').slice(1).map(unescapePointer);
      return !unknownSegs.some((u) => isPathPrefix(u, segs));
    });
    if (!e) return undefined;
    return `properties${e.instancePath.replace(/\//g, '.')}: ${describeAjvError(e)}`;
  }

  private resource(spec: ResourceSpec, defaultType: string, n: number): Resource | string {
    const type = spec.type ?? defaultType;
    const def = this.registry.get(type);
    if (!def) return `unknown resource type '${type}'`;
    const properties = spec.properties ?? {};
    const problem = this.validate(type, properties, spec.unknown);
    if (problem) return `${type}: ${problem}`;
    const notUnknown = spec.present?.find((p) => !spec.unknown?.includes(p));
    if (notUnknown !== undefined) return `present '${notUnknown}' is not listed in unknown`;
    const account = spec.account ?? TEST_ACCOUNT;
    const region = spec.region ?? (def.scope === 'global' ? 'global' : 'us-east-1');
    const r: Resource = {
      id: spec.id ?? `test:${type}:${n}`,
      type,
      provider: def.provider,
      account,
      region,
      source: spec.source ?? { kind: 'runtime' },
      properties,
    };
    if (spec.name !== undefined) r.name = spec.name;
    if (spec.tags !== undefined) r.tags = spec.tags;
    if (spec.unknown !== undefined) r.unknown = spec.unknown;
    if (spec.present !== undefined) r.present = spec.present;
    return r;
  }

  runCase(rule: CompiledRule, tc: RuleTestCase, index: number): CaseResult {
    const base = { ruleId: rule.def.id, file: rule.file, index, name: tc.name, expected: tc.expect };
    const subject = this.resource(tc.resource, rule.def.resourceType, 0);
    if (typeof subject === 'string') return { ...base, actual: 'error', ok: false, detail: `resource: ${subject}` };
    const resources: Resource[] = [subject];
    for (const [i, o] of (tc.others ?? []).entries()) {
      const r = this.resource(o, rule.def.resourceType, i + 1);
      if (typeof r === 'string') return { ...base, actual: 'error', ok: false, detail: `others[${i}]: ${r}` };
      resources.push(r);
    }
    const coverage = (tc.coverage ?? []).map(
      (c) => ({ provider: subject.provider, account: subject.account, region: subject.region, outcome: 'denied', ...c }) as CoverageEntry,
    );
    const scanTime = tc.scanTime ?? DEFAULT_TEST_SCAN_TIME;
    const snapshot: Snapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      metadata: { tool: { name: TOOL_NAME, version: TOOL_VERSION }, startedAt: scanTime, finishedAt: scanTime, providers: [subject.provider], accounts: [] },
      resources,
      coverage,
    };
    const ctx: EvalContext = { now: Date.parse(scanTime), index: new SnapshotIndex(snapshot, this.registry, tc.settings) };
    const seen: { verdict: Verdict | 'not-applicable' } = { verdict: 'not-applicable' };
    let detail = '';
    runRules([rule], ctx, (o) => {
      if (o.entry?.r !== subject) return;
      seen.verdict = o.status;
      const f = buildFinding(o, ctx);
      this.onFinding?.(f);
      detail = `${f.message}${f.unknownReasons ? ` [${f.unknownReasons.join('; ')}]` : ''} evidence ${JSON.stringify(f.evidence)}`;
    });
    const actual = seen.verdict === 'not-applicable' ? 'not-applicable' : (seen.verdict.toLowerCase() as RuleTestCase['expect']);
    return { ...base, actual, ok: actual === tc.expect, detail: detail || 'no finding (excluded by when, or skipped for infrastructure code)' };
  }

  runRule(rule: CompiledRule): CaseResult[] {
    return rule.def.tests.map((tc, i) => this.runCase(rule, tc, i));
  }
}

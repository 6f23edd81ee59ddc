import type { FactDef } from '../facts/fact-types';
import type { ResourceTypeDef } from '../core/resource-types/registry';
import type { CoverageEntry, Severity } from '../core/types';
import type { Node } from './node';
import type { FactSettings } from '../facts/fact-types';

/** A resource as written in a rule's test case: every field optional, properties may be partial. */
export interface ResourceSpec {
  type?: string;
  id?: string;
  name?: string;
  account?: string;
  region?: string;
  tags?: Record<string, string>;
  source?: { kind: 'runtime' | 'terraform' | 'cloudformation'; file?: string; line?: number; address?: string };
  properties?: Record<string, unknown>;
  unknown?: string[];
  /** Paths of `unknown` whose value is certainly set. */
  present?: string[];
}

export interface RuleTestCase {
  name: string;
  expect: 'pass' | 'fail' | 'unknown' | 'not-applicable';
  resource: ResourceSpec;
  others?: ResourceSpec[];
  coverage?: Partial<CoverageEntry>[];
  scanTime?: string;
  /** Evaluation settings for this case (e.g. the privileged-principal allow-list). */
  settings?: FactSettings;
}

/** A rule file as written (rules/schema.json is its JSON Schema; rules/README.md documents it). */
export interface RuleDefinition {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  resourceType: string;
  soc2: { id: string; rationale: string }[];
  frameworks?: Record<string, string[]>;
  remediation: { summary: string; console?: string; cli?: string; terraform?: string; cloudformation?: string };
  references?: string[];
  when?: unknown;
  check: unknown;
  messages?: { pass?: string; fail?: string };
  tests: RuleTestCase[];
}

/** A rule compiled once, ready to evaluate any number of resources. */
export interface CompiledRule {
  def: RuleDefinition;
  /** File the rule came from, as given on the command line (relative paths stay relative). */
  file: string;
  /** Hash of the rule's content: stamped into every finding. */
  version: string;
  typeDef: ResourceTypeDef;
  when: Node | null;
  check: Node;
  /**
   * True when the rule reads data that exists only in a live account: on infrastructure code, a
   * verdict the code decides without it is reported, one that waits on it is not.
   */
  runtimeOnly: boolean;
  /** Property paths the rule reads, per resource type (dotted, `*` for array elements). */
  reads: { type: string; path: string }[];
  /** Resource types the rule looks at: its own, related and queried ones. */
  types: string[];
  /** Facts of its own resource that the rule reads and that may state caveats (see FactDef.caveats). */
  caveatFacts?: FactDef[];
  /** Framework id → criteria the rule gives evidence for: its own mappings plus those of framework files (`soc2` included). */
  mapping: Record<string, string[]>;
  /** `mapping` without the primary framework, as findings carry it in `frameworks`; undefined when empty. */
  frameworks?: Record<string, string[]>;
}

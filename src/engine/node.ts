import { parsePath } from '../core/property-path';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import type { FactRegistry } from '../facts/index';
import type { FactDef } from '../facts/fact-types';
import type { EvalContext } from './eval-context';
import type { CompiledPath, Scope } from './paths';
import type { Target } from './snapshot-index';
import { FALSE, type Tri } from '../core/tri';

/** A compiled condition: its verdict, the evidence it read, and why it was UNKNOWN. */
export interface Node {
  fn: (t: Target, ctx: EvalContext) => Tri;
  explain: (t: Target, ctx: EvalContext, out: Record<string, unknown>) => void;
  why: (t: Target, ctx: EvalContext, out: string[]) => void;
}

/** Location of a value inside the rule document, as keys and indices from the root. */
export type { DocPath } from '../core/yaml-source';
import type { DocPath } from '../core/yaml-source';

export interface CompileProblem {
  at: DocPath;
  message: string;
  /** Point at this key of the object at `at` rather than at its value. */
  key?: string;
}

/** Shared state of one rule's compilation. */
export interface CompileEnv {
  registry: ResourceTypeRegistry;
  facts: FactRegistry;
  problems: CompileProblem[];
  /** Every property path read, per resource type (for runtime-only checks). */
  reads: { type: string; path: string[] }[];
  /** Every resource type the rule looks at (its own, related and queried types). */
  types: Set<string>;
  /** Facts of the rule's own resource that it reads and that may state caveats. */
  caveatFacts?: Set<FactDef>;
  /** The scope of the rule's own resource (facts read there can carry caveats). */
  rootScope?: Scope;
}

/** Compiles a nested condition (passed down so that operator modules need not import the compiler). */
export type CompileFn = (raw: unknown, at: DocPath, scope: Scope, env: CompileEnv) => Node;

export const NEVER: Node = { fn: () => FALSE, explain: () => {}, why: () => {} };

/**
 * Evidence key listing, for values that could not be read but are certainly set and decided the
 * verdict by being set (`exists`), why each is unknown.
 */
export const UNKNOWN_BUT_SET = 'unknownButSet';

/**
 * A value read for the evidence. An unreadable one stays the UNKNOWN marker here: the finding builder
 * turns every marker into null and lists its path in `unknownEvidence`, so an evidence field never
 * holds a placeholder string where it otherwise holds an object or a boolean.
 */
export function shown(v: unknown): unknown {
  return v === undefined ? null : v;
}

export function problem(env: CompileEnv, at: DocPath, message: string, key?: string): Node {
  env.problems.push({ at, message, key });
  return NEVER;
}

/** Reason a compiled path read UNKNOWN on a target. */
export function pathReason(p: CompiledPath, t: Target, ctx: EvalContext): string {
  if (p.fact) {
    const own = p.fact.unknownReasons?.(t.entry.r, ctx.index) ?? [];
    if (own.length) return `${p.text}: ${own.join('; ')}`;
    const reasons = p.fact.dependsOn
      .map((d) => ctx.index.unknownReason(t.entry, parsePath(d)))
      .filter((r): r is string => r !== undefined);
    return reasons.length
      ? `${p.text}: depends on ${reasons.join('; ')}`
      : `${p.text}: could not be determined (a resource it depends on could not be read)`;
  }
  if (p.absolute) {
    const r = ctx.index.unknownReason(t.entry, p.absolute);
    if (r) return r;
  }
  return `${p.text}: could not be read`;
}


import { PRIMARY_FRAMEWORK_ID } from '../core/types';
import { globMatcher } from '../suppress/glob';

/**
 * Compliance frameworks as data (frameworks/*.yaml, validated against frameworks/schema.json):
 * SOC 2, the CIS benchmarks, or a team's own control set. Rules map to a framework by its id;
 * a framework file may also map existing rules itself. Results carry one roll-up per framework.
 */

/** The framework every rule must map to, and whose roll-up every run carries. */
export const PRIMARY_FRAMEWORK = PRIMARY_FRAMEWORK_ID;

export interface FrameworkCriterion {
  id: string;
  title: string;
  /** The group (category, section) it belongs to. */
  group: string;
  /** Evidence an auditor needs when no automated rule covers it. */
  manual?: string;
  level?: number;
  assessment?: 'automated' | 'manual';
  service?: string;
  /** Why no built-in rule checks it. */
  gap?: string;
}

export interface Framework {
  id: string;
  title: string;
  version: string;
  publisher?: string;
  url?: string;
  description?: string;
  /** Only about these providers (a CIS benchmark); absent for provider-neutral frameworks. */
  providers?: string[];
  criteria: FrameworkCriterion[];
  /** Rule id globs → criteria, from the framework file. */
  mappings: { rule: string; criteria: string[] }[];
  /** File it was read from (for messages). */
  file: string;
}

/** Identity of a framework as results record it. */
export interface FrameworkRef {
  id: string;
  title: string;
  version: string;
}

/** What a rule declares about frameworks: its `soc2` list and its `frameworks` map. */
export interface RuleFrameworkRefs {
  id: string;
  soc2?: { id: string }[];
  frameworks?: Record<string, string[]>;
}

/** The frameworks in force for a run, indexed. */
export class FrameworkCatalog {
  private readonly byId = new Map<string, { framework: Framework; criteria: Map<string, FrameworkCriterion>; matchers: { match: (id: string) => boolean; criteria: string[] }[] }>();

  constructor(frameworks: readonly Framework[]) {
    for (const f of frameworks) {
      if (this.byId.has(f.id)) throw new Error(`framework ${f.id} defined twice (${this.byId.get(f.id)!.framework.file}, ${f.file})`);
      this.byId.set(f.id, {
        framework: f,
        criteria: new Map(f.criteria.map((c) => [c.id, c])),
        matchers: f.mappings.map((m) => {
          const g = globMatcher(m.rule)!;
          return { match: (id: string) => g(id), criteria: m.criteria };
        }),
      });
    }
  }

  list(): Framework[] {
    return [...this.byId.values()].map((e) => e.framework);
  }

  get(id: string): Framework | undefined {
    return this.byId.get(id)?.framework;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  criterion(framework: string, id: string): FrameworkCriterion | undefined {
    return this.byId.get(framework)?.criteria.get(id);
  }

  /**
   * Every framework's criteria a rule gives evidence for: its own `soc2` and `frameworks`
   * entries plus the mappings of framework files, deduplicated, in the catalogue's order.
   */
  mappingOf(rule: RuleFrameworkRefs): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const add = (fw: string, ids: readonly string[]): void => {
      if (ids.length === 0) return;
      const list = (out[fw] ??= []);
      for (const id of ids) if (!list.includes(id)) list.push(id);
    };
    add(PRIMARY_FRAMEWORK, (rule.soc2 ?? []).map((c) => c.id));
    for (const [fw, ids] of Object.entries(rule.frameworks ?? {})) add(fw, ids);
    for (const [fw, e] of this.byId) for (const m of e.matchers) if (m.match(rule.id)) add(fw, m.criteria);
    return out;
  }

  /** Frameworks whose roll-up belongs in a run over `providers`: provider-neutral ones, and those about a provider scanned. */
  applicableTo(providers: readonly string[]): Framework[] {
    return this.list().filter((f) => !f.providers || f.providers.some((p) => providers.includes(p)));
  }
}

export function frameworkRef(f: Framework): FrameworkRef {
  return { id: f.id, title: f.title, version: f.version };
}

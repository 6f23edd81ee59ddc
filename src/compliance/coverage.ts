import { type FrameworkCatalog, type FrameworkRef, frameworkRef } from './framework';

/** What coverage needs to know of a rule: its provider and its mapping to every framework. */
export interface RuleMapping {
  id: string;
  provider: string;
  /** Framework id → criteria (`soc2` included). */
  mapping: Record<string, string[]>;
}

export interface CriterionCoverage {
  id: string;
  title: string;
  /** Its group in the framework (category, section). */
  group: string;
  /** Rules of the provider mapped to it. */
  rules: string[];
  covered: boolean;
  level?: number;
  assessment?: 'automated' | 'manual';
  /** For criteria no rule covers: why, and the evidence an auditor needs instead. */
  note?: string;
}

/** How much of one framework one provider's rules cover. */
export interface FrameworkCoverage {
  provider: string;
  framework: FrameworkRef;
  criteria: CriterionCoverage[];
  summary: { covered: number; total: number; automated: number; automatedCovered: number };
}

export interface CoverageReport {
  coverage: FrameworkCoverage[];
}

/**
 * Which criteria of which frameworks each provider's rules cover, and why the rest are not:
 * for every provider with rules, every framework that applies to it (provider-neutral ones such
 * as SOC 2, and the provider's own benchmarks), optionally narrowed to `only` frameworks.
 */
export function coverageOf(rules: readonly RuleMapping[], frameworks: FrameworkCatalog, only?: readonly string[]): CoverageReport {
  const providers = [...new Set(rules.map((r) => r.provider))].sort();
  const coverage: FrameworkCoverage[] = [];
  for (const provider of providers) {
    const own = rules.filter((r) => r.provider === provider);
    // Provider-neutral frameworks (SOC 2) first, then the provider's own benchmarks.
    const applicable = frameworks.applicableTo([provider]).sort((a, b) => Number(a.providers !== undefined) - Number(b.providers !== undefined));
    for (const fw of applicable) {
      if (only && only.length && !only.includes(fw.id)) continue;
      const by = new Map<string, string[]>();
      for (const r of own) for (const id of r.mapping[fw.id] ?? []) (by.get(id) ?? by.set(id, []).get(id)!).push(r.id);
      const criteria = fw.criteria.map((c): CriterionCoverage => {
        const ids = [...new Set(by.get(c.id) ?? [])].sort();
        const note = c.gap ?? c.manual;
        return {
          id: c.id,
          title: c.title,
          group: c.group,
          rules: ids,
          covered: ids.length > 0,
          ...(c.level !== undefined ? { level: c.level } : {}),
          ...(c.assessment ? { assessment: c.assessment } : {}),
          ...(ids.length === 0 && note ? { note } : {}),
        };
      });
      const automated = criteria.filter((c) => c.assessment === 'automated');
      coverage.push({
        provider,
        framework: frameworkRef(fw),
        criteria,
        summary: {
          covered: criteria.filter((c) => c.covered).length,
          total: criteria.length,
          automated: automated.length,
          automatedCovered: automated.filter((c) => c.covered).length,
        },
      });
    }
  }
  return { coverage };
}

import { CIS_AWS_V3, CIS_AWS_V3_RECOMMENDATIONS } from '../providers/aws/cis-aws-v3';
import { manualNote, SOC2_CRITERIA } from './soc2-catalogue';

/** What coverage needs to know of a rule. */
export interface RuleMapping {
  id: string;
  soc2: string[];
  frameworks?: Record<string, string[]>;
}

export interface Soc2Coverage {
  id: string;
  category: string;
  title: string;
  rules: string[];
  covered: boolean;
  /** For criteria no rule covers: the evidence the auditor needs instead. */
  note?: string;
}

export interface CisCoverage {
  id: string;
  title: string;
  section: string;
  level: 1 | 2;
  assessment: 'Automated' | 'Manual';
  rules: string[];
  covered: boolean;
  /** For recommendations no rule covers: why. */
  gap?: string;
}

export interface CoverageReport {
  soc2: Soc2Coverage[];
  cis: { framework: string; recommendations: CisCoverage[] };
  /** Rules that cite a CIS v3.0.0 id the benchmark does not have. */
  unknownCisIds: { rule: string; id: string }[];
  summary: {
    soc2: { covered: number; total: number };
    cis: { covered: number; total: number; automatedCovered: number; automated: number };
  };
}

/** Which SOC 2 criteria and CIS AWS v3.0.0 recommendations the given rules cover, and which not. */
export function coverageOf(rules: readonly RuleMapping[]): CoverageReport {
  const bySoc2 = new Map<string, string[]>();
  const byCis = new Map<string, string[]>();
  for (const r of rules) {
    for (const c of r.soc2) (bySoc2.get(c) ?? bySoc2.set(c, []).get(c)!).push(r.id);
    for (const c of r.frameworks?.[CIS_AWS_V3] ?? []) (byCis.get(c) ?? byCis.set(c, []).get(c)!).push(r.id);
  }
  const soc2 = SOC2_CRITERIA.map((c): Soc2Coverage => {
    const ids = [...new Set(bySoc2.get(c.id) ?? [])].sort();
    return { id: c.id, category: c.category, title: c.title, rules: ids, covered: ids.length > 0, ...(ids.length ? {} : { note: manualNote(c.id) }) };
  });
  const known = new Set(CIS_AWS_V3_RECOMMENDATIONS.map((r) => r.id));
  const recommendations = CIS_AWS_V3_RECOMMENDATIONS.map((rec): CisCoverage => {
    const ids = [...new Set(byCis.get(rec.id) ?? [])].sort();
    const { gap, ...rest } = rec;
    return { ...rest, rules: ids, covered: ids.length > 0, ...(ids.length === 0 ? { gap: gap ?? 'no loaded rule maps to it' } : {}) };
  });
  const unknownCisIds = rules.flatMap((r) => (r.frameworks?.[CIS_AWS_V3] ?? []).filter((id) => !known.has(id)).map((id) => ({ rule: r.id, id })));
  const automated = recommendations.filter((r) => r.assessment === 'Automated');
  return {
    soc2,
    cis: { framework: CIS_AWS_V3, recommendations },
    unknownCisIds,
    summary: {
      soc2: { covered: soc2.filter((c) => c.covered).length, total: soc2.length },
      cis: {
        covered: recommendations.filter((r) => r.covered).length,
        total: recommendations.length,
        automatedCovered: automated.filter((r) => r.covered).length,
        automated: automated.length,
      },
    },
  };
}

import { coverageOf } from '../../src/compliance/coverage';
import { builtinCatalog } from '../../src/catalog';

const CIS = 'cis-azure-foundations-v3.0.0';
const catalog = builtinCatalog();
const azure = catalog.loadRules().filter((r) => r.typeDef.provider === 'azure');
const report = coverageOf(azure.map((r) => ({ id: r.def.id, provider: 'azure', mapping: r.mapping })), catalog.frameworks);
const of = (fw: string) => report.coverage.find((c) => c.provider === 'azure' && c.framework.id === fw)!;

describe('the Azure rule pack', () => {
  it('has at least 35 rules, each with console and CLI remediation', () => {
    expect(azure.length).toBeGreaterThanOrEqual(35);
    for (const r of azure) {
      expect(r.def.remediation.console?.trim()).toBeTruthy();
      expect(r.def.remediation.cli?.trim()).toBeTruthy();
    }
  });

  it('reaches at least the SOC 2 criteria the AWS pack reaches', () => {
    const covered = of('soc2').criteria.filter((c) => c.covered).map((c) => c.id);
    expect(covered).toEqual(expect.arrayContaining(['CC4.1', 'CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC6.7', 'CC6.8', 'CC7.1', 'CC7.2', 'CC7.3', 'CC7.4', 'CC7.5', 'CC8.1', 'A1.2', 'C1.1', 'C1.2']));
  });

  it('covers every automated CIS Azure v3.0.0 recommendation of the services it collects, and says why the rest are not', () => {
    const criteria = catalog.frameworks.get(CIS)!.criteria;
    const collected = new Set(['defender', 'keyvault', 'storage', 'sql', 'monitor', 'network', 'authorization']);
    const rows = of(CIS).criteria;
    const missing = rows.filter((r) => !r.covered && collected.has(criteria.find((c) => c.id === r.id)!.service ?? '') && criteria.find((c) => c.id === r.id)!.assessment === 'automated');
    // Defender extension components, legacy DNS, classic storage analytics logging, per-database TDE, Application Insights
    expect(missing.map((r) => r.id).sort()).toEqual(['3.1.10', '3.1.16', '3.1.1.2', '3.1.4.2', '3.1.4.3', '4.12', '4.13', '4.14', '5.1.5', '6.3.1'].sort());
    for (const r of rows.filter((x) => !x.covered)) expect(criteria.find((c) => c.id === r.id)?.gap).toBeTruthy();
  });
});

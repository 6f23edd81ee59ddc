import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCatalog } from '../../../src/catalog';
import { validateSnapshotDocument } from '../../../src/core/snapshot-loader';
import type { Snapshot } from '../../../src/core/types';
import { evaluate } from '../../../src/engine/evaluate';
import { TfPlan, type TfInstance } from '../../../src/providers/aws/iac/terraform/plan';
import type { PlanView } from '../../../src/providers/azure/iac/plan-view';
import { mapAzurermPlan } from '../../../src/providers/azure/iac/terraform';
import { ROOT } from '../../helpers';

/**
 * The azurerm mappers over the plan reader that exists today (still in the AWS folder: the test
 * wires it as the generic reader's per-provider hook will), so the same rules gate a pull request.
 */
const SUB = '11111111-1111-4111-8111-111111111111';
const file = join(ROOT, 'fixtures', 'iac', 'azure', 'plan.json');
const text = readFileSync(file, 'utf8');
const plan = new TfPlan(file, text, JSON.parse(text) as Record<string, unknown>, { account: SUB });
const view: PlanView<TfInstance> = {
  byType: (t) => plan.byType(t),
  resolve: (from, v, types) => plan.resolve(from, v, types),
  origin: (inst) => ({ source: { kind: 'terraform', file: 'plan.json', line: inst.line, address: inst.address }, account: SUB, region: 'unknown' }),
};
const resources = mapAzurermPlan(view);
const snapshot: Snapshot = validateSnapshotDocument(
  JSON.parse(JSON.stringify({ schemaVersion: '1.0', metadata: { tool: { name: 'trustscan', version: '0' }, startedAt: '2026-12-01T00:00:00Z', finishedAt: '2026-12-01T00:00:00Z', providers: ['azure'], accounts: [{ provider: 'azure', id: SUB }] }, resources, coverage: [] })),
  'plan',
  builtinCatalog().registry,
);
const results = evaluate(snapshot, builtinCatalog().loadRules(), builtinCatalog().registry, { now: new Date('2026-12-01T00:00:00Z') }).results;
const status = (rule: string) => results.findings.filter((f) => f.ruleId === rule).map((f) => f.status);

describe('azurerm plan → Azure resource types', () => {
  test('every mapped resource validates against its type', () => {
    expect(snapshot.resources.map((r) => r.type).sort()).toEqual([
      'azure.authorization.role-assignment',
      'azure.keyvault.vault',
      'azure.monitor.activity-log-alert',
      'azure.network.nsg',
      'azure.storage.account',
      'azure.subscription',
    ]);
    expect(snapshot.resources.find((r) => r.type === 'azure.storage.account')!.region).toBe('westeurope');
  });

  test('a container linked by reference joins its account; a diagnostic setting its vault', () => {
    const acct = snapshot.resources.find((r) => r.type === 'azure.storage.account')!;
    expect(acct.properties.containers).toEqual([{ name: 'public', publicAccess: 'Blob' }]);
    const kv = snapshot.resources.find((r) => r.type === 'azure.keyvault.vault')!;
    expect((kv.properties.diagnosticSettings as unknown[]).length).toBe(1);
  });

  test('the same rules gate the plan: failures fail, after-apply values stay UNKNOWN', () => {
    expect(status('azure-storage-minimum-tls')).toEqual(['FAIL']);
    expect(status('azure-storage-no-anonymous-access')).toEqual(['PASS']);
    expect(status('azure-keyvault-recoverable')).toEqual(['FAIL']);
    expect(status('azure-network-nsg-no-internet-ssh')).toEqual(['FAIL']);
    expect(status('azure-defender-servers')).toEqual(['FAIL']);
    // the workspace id is known only after apply: whether the audit logs have a destination is unknown
    expect(status('azure-keyvault-logging')).toEqual(['UNKNOWN']);
    // key creation times exist only in a live subscription: the rule is not evaluated on code
    expect(status('azure-storage-keys-regenerated')).toEqual([]);
  });
});

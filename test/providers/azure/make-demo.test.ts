import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers';
import { collectSnapshot, loadScenario, withFake } from './azure-helpers';

// Regenerates fixtures/demo/azure-snapshot.json when MAKE_AZURE_DEMO=1 (the demo is a collected snapshot, not hand-written).
(process.env.MAKE_AZURE_DEMO ? test : test.skip)('make the Azure demo snapshot', async () => {
  const scenario = loadScenario();
  scenario.subscriptions = scenario.subscriptions.filter((s) => s.displayName !== 'contoso-sandbox');
  await withFake({ scenario, faults: [{ op: 'keyvault:Secrets_List', resource: 'contoso-prod-kv', kind: 'denied' }] }, async (fake) => {
    const { snapshot } = await collectSnapshot(fake);
    snapshot.metadata.startedAt = '2026-11-30T02:00:00Z';
    snapshot.metadata.finishedAt = '2026-11-30T02:01:10Z';
    snapshot.metadata.description = 'Demo: the Contoso tenant — a production subscription with typical drift and a scanner missing Key Vault secret read, and a well-kept shared-services subscription';
    writeFileSync(join(ROOT, 'fixtures', 'demo', 'azure-snapshot.json'), `${JSON.stringify(snapshot, null, 1)}\n`);
  });
});

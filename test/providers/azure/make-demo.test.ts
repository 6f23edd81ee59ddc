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
    // The fake's token names nobody; the demo shows an application's scan.
    snapshot.metadata.collectedBy = [{ provider: 'azure', principal: 'application 6f1d7c2a-9b7e-4d1e-a1b2-3c4d5e6f7a8b (object 9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d)', via: 'tenant 72f988bf-0000-4000-8000-00000000c0de' }];
    snapshot.metadata.description = 'Demo: the Contoso tenant — a production subscription with typical drift and a scanner missing Key Vault secret read, and a well-kept shared-services subscription';
    writeFileSync(join(ROOT, 'fixtures', 'demo', 'azure-snapshot.json'), `${JSON.stringify(snapshot, null, 1)}\n`);
  });
});

import { builtinRegistry } from '../../src/catalog';
import type { Snapshot } from '../../src/core/types';
import { collectSnapshot as collectAws, loadScenario as loadAwsScenario, withFake as withFakeAws } from '../providers/aws/collector/aws-helpers';
import { collectSnapshot as collectAzure, loadScenario as loadAzureScenario, withFake as withFakeAzure } from '../providers/azure/azure-helpers';
import { collectGcpSnapshot, loadGcpScenario, startFakeGcp } from '../providers/gcp/gcp-helpers';

/**
 * A failed call marks unknown the paths its resource type's registry entry says the operation
 * fills; an operation a collector reads into a resource whose type does not declare it is a
 * programming error, thrown (src/collect/resource-draft.ts). Here every operation a fault-free
 * scan makes is denied against each provider's fake, so every read runs its failure path: a scan
 * that throws, or an operation never denied, fails the test. Operations reached only when
 * another succeeds (a bucket's settings after the bucket listing) are denied in a later round,
 * with the ones before them answering.
 */

type Scan = (denied: readonly string[]) => Promise<Snapshot>;

const AWS_ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };

const SCANS: Record<string, Scan> = {
  aws: (denied) =>
    withFakeAws({ scenario: loadAwsScenario('acme-org'), faults: denied.map((op) => ({ op, kind: 'denied' as const })) }, async (fake) => (await collectAws(fake, AWS_ORG)).snapshot),
  gcp: async (denied) => {
    const fake = await startFakeGcp({ scenario: loadGcpScenario('acme-org'), faults: denied.map((method) => ({ method, kind: 'denied' as const })) });
    try {
      return (await collectGcpSnapshot(fake)).snapshot;
    } finally {
      await fake.stop();
    }
  },
  azure: (denied) => withFakeAzure({ scenario: loadAzureScenario(), faults: denied.map((op) => ({ op, kind: 'denied' as const })) }, async (fake) => (await collectAzure(fake)).snapshot),
};

/** Calls nothing can proceed without: denying them stops the scan (exit 2), by design. */
const STOPS = new Set(['sts:GetCallerIdentity', 'organizations:ListAccounts', 'subscriptions:Subscriptions_List']);

const opsOf = (s: Snapshot, outcome?: string): Set<string> => new Set(s.coverage.filter((c) => outcome === undefined || c.outcome === outcome).map((c) => `${c.service}:${c.operation}`));

describe.each(Object.keys(SCANS))('%s: every operation denied, round by round', (provider) => {
  it('leaves what it reads unknown, without a programming error', async () => {
    const scan = SCANS[provider];
    const filling = new Set(builtinRegistry().list().flatMap((d) => d.operations.filter((o) => o.paths?.length).map((o) => o.op)));
    const made = [...opsOf(await scan([]))].filter((op) => !STOPS.has(op));
    // A guard on the test itself: a scenario that reaches few operations that fill paths proves little.
    expect(made.filter((op) => filling.has(op)).length).toBeGreaterThanOrEqual(provider === 'aws' ? 30 : 8);
    let left = made;
    for (let round = 1; left.length > 0; round++) {
      const denied = opsOf(await scan(left), 'denied');
      const next = left.filter((op) => !denied.has(op));
      // No progress: those operations are never reached while the others answer either.
      if (next.length === left.length) throw new Error(`round ${round}: never denied ${next.join(', ')}`);
      left = next;
    }
  }, 180_000);
});

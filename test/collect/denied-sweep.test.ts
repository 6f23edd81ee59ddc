import { builtinRegistry } from '../../src/catalog';
import type { Snapshot } from '../../src/core/types';
import { collectSnapshot as collectAws, loadScenario as loadAwsScenario, withFake as withFakeAws } from '../providers/aws/collector/aws-helpers';
import { collectSnapshot as collectAzure, loadScenario as loadAzureScenario, withFake as withFakeAzure } from '../providers/azure/azure-helpers';
import { syntheticScenario } from '../fake-cloud/aws/synthetic';
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

/** The snapshot with each fake's own address (a queue URL holds it) made the same for every run. */
const unaddressed = (s: Snapshot, url: string): Snapshot => JSON.parse(JSON.stringify(s).split(url).join('http://fake')) as Snapshot;

const AWS_ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };
const SMALL = { accounts: 1, regions: 1, bucketsPerAccount: 2, principalsPerAccount: 6, keysPerRegion: 1, securityGroupsPerRegion: 1, instancesPerRegion: 2, vpcsPerRegion: 1, serverCertificatesPerAccount: 1 };

const SCANS: Record<string, Scan> = {
  aws: (denied) =>
    withFakeAws({ scenario: loadAwsScenario('acme-org'), faults: denied.map((op) => ({ op, kind: 'denied' as const })) }, async (fake) => unaddressed((await collectAws(fake, AWS_ORG)).snapshot, fake.url)),
  // The synthetic organization reads the services acme-org has none of (GuardDuty, Lambda, queues, load balancers…).
  'aws (synthetic)': (denied) =>
    withFakeAws({ scenario: syntheticScenario(SMALL), credentialReportPolls: 0, faults: denied.map((op) => ({ op, kind: 'denied' as const })) }, async (fake) => unaddressed((await collectAws(fake, { org: true, roleName: 'TrustScanAudit' })).snapshot, fake.url)),
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

/** Dotted paths where `a` and `b` differ (an array of another length differs as a whole). */
function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const objects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!objects || Array.isArray(a) !== Array.isArray(b) || (Array.isArray(a) && (a as unknown[]).length !== (b as unknown[]).length)) return [path];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((k) => changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
}

/**
 * What a denial changed in a resource that both scans read, and its unknown paths do not cover:
 * a value the scan reports as read that is not the value it reads when the call answers.
 */
function silentlyChanged(base: Snapshot, got: Snapshot): string[] {
  const before = new Map(base.resources.map((r) => [r.id, r]));
  const out: string[] = [];
  for (const r of got.resources) {
    const b = before.get(r.id);
    if (!b) continue;
    const unknown = r.unknown ?? [];
    const covered = (p: string): boolean => unknown.some((u) => u === p || p.startsWith(`${u}.`) || u.startsWith(`${p}.`));
    for (const p of changedPaths(b.properties, r.properties)) if (!covered(p)) out.push(`${r.id} ${p}`);
    if (JSON.stringify(b.tags ?? {}) !== JSON.stringify(r.tags ?? {}) && !unknown.includes('$tags')) out.push(`${r.id} tags`);
  }
  return out;
}

/** Operations some scan denied, over every provider. */
const swept = new Set<string>();

/** Operations that fill paths no scenario reaches, with why. Each is a gap in the sweep. */
const NOT_REACHED: Record<string, string> = {
  'ec2:GetManagedPrefixListEntries': 'no scenario has a customer-managed prefix list',
  'cloudresourcemanager:GetFolder': "acme-org's projects sit under the organization, not a folder",
};

const opsOf = (s: Snapshot, outcome?: string): Set<string> => new Set(s.coverage.filter((c) => outcome === undefined || c.outcome === outcome).map((c) => `${c.service}:${c.operation}`));

describe.each(Object.keys(SCANS))('%s: every operation denied, round by round', (provider) => {
  it('leaves what it reads unknown, without a programming error', async () => {
    const scan = SCANS[provider];
    const filling = new Set(builtinRegistry().list().flatMap((d) => d.operations.filter((o) => o.paths?.length).map((o) => o.op)));
    const base = await scan([]);
    const made = [...opsOf(base)].filter((op) => !STOPS.has(op));
    for (const op of made) swept.add(op);
    // A guard on the test itself: a scenario that reaches few operations that fill paths proves little.
    expect(made.filter((op) => filling.has(op)).length).toBeGreaterThanOrEqual(provider.startsWith('aws') ? 30 : 8);
    let left = made;
    for (let round = 1; left.length > 0; round++) {
      const got = await scan(left);
      // A denial never changes a value silently: what differs from the answered scan is unknown.
      expect(silentlyChanged(base, got)).toEqual([]);
      const denied = opsOf(got, 'denied');
      const next = left.filter((op) => !denied.has(op));
      // No progress: those operations are never reached while the others answer either.
      if (next.length === left.length) throw new Error(`round ${round}: never denied ${next.join(', ')}`);
      left = next;
    }
  }, 180_000);
});

it('the scans above deny every operation the type registry says fills a path', () => {
  const filling = new Set(builtinRegistry().list().flatMap((d) => d.operations.filter((o) => o.paths?.length).map((o) => o.op)));
  expect([...filling].filter((op) => !swept.has(op) && !STOPS.has(op) && !(op in NOT_REACHED)).sort()).toEqual([]);
  // An exception that a scan now reaches is stale.
  expect(Object.keys(NOT_REACHED).filter((op) => swept.has(op))).toEqual([]);
});

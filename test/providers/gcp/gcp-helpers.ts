import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { builtinRegistry } from '../../../src/catalog';
import { validateSnapshotDocument } from '../../../src/core/snapshot-loader';
import type { Collection } from '../../../src/core/provider-plugin';
import type { Resource, Snapshot } from '../../../src/core/types';
import { collectGcp, type GcpCollectOptions } from '../../../src/providers/gcp/collector/collector';
import type { GcpScenario } from '../../fake-cloud/gcp/scenario';
import { FakeGcp, type FakeGcpOptions } from '../../fake-cloud/gcp/server';
import { ROOT } from '../../helpers';

export const GCP_SCENARIOS = join(ROOT, 'fixtures', 'scenarios', 'gcp');

/** A fresh copy of a scenario (tests may edit it). */
export function loadGcpScenario(name: string): GcpScenario {
  return JSON.parse(readFileSync(join(GCP_SCENARIOS, `${name}.json`), 'utf8')) as GcpScenario;
}

export const silentLog = pino({ level: 'silent' });

export async function startFakeGcp(opts: FakeGcpOptions): Promise<FakeGcp> {
  const fake = new FakeGcp(opts);
  await fake.start();
  return fake;
}

/** Collector options for the fake: its endpoint, a fixed token, fast retries. */
export function fakeGcpOptions(fake: FakeGcp, extra: Partial<GcpCollectOptions> = {}): GcpCollectOptions {
  return {
    organization: fake.scenario.organization?.id,
    auth: { accessToken: 'fake-token', fetch },
    endpointUrl: fake.url,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 },
    log: silentLog,
    ...extra,
  };
}

/** Collects through the real clients, and checks the snapshot against the contract. */
export async function collectGcpSnapshot(fake: FakeGcp, extra: Partial<GcpCollectOptions> = {}): Promise<{ snapshot: Snapshot; collection: Collection }> {
  const resources: Resource[] = [];
  const collection = await collectGcp(fakeGcpOptions(fake, extra), { resource: (r) => void resources.push(r) });
  const doc: Snapshot = { schemaVersion: '1.0', metadata: collection.metadata, resources, coverage: collection.coverage };
  // Throws an InputError listing every problem when the snapshot breaks the contract.
  const snapshot = validateSnapshotDocument(JSON.parse(JSON.stringify(doc)), 'collected', builtinRegistry());
  return { snapshot, collection };
}

export function byId(snapshot: Snapshot, type: string, name: string): Resource {
  const r = snapshot.resources.find((x) => x.type === type && (x.name === name || x.id.endsWith(`/${name}`)));
  if (!r) throw new Error(`no ${type} ${name} in the snapshot`);
  return r;
}

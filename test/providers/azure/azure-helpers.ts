import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { builtinRegistry } from '../../../src/catalog';
import type { Collection } from '../../../src/core/provider-plugin';
import { validateSnapshotDocument } from '../../../src/core/snapshot-loader';
import type { Resource, Snapshot } from '../../../src/core/types';
import { collectAzure, type AzureCollectOptions } from '../../../src/providers/azure/collector/collector';
import { type FakeAzure, type FakeAzureOptions, startFakeAzure, TEST_CA } from '../../fake-cloud/azure/server';
import type { Scenario } from '../../fake-cloud/azure/scenario';
import { ROOT } from '../../helpers';

export const SCENARIOS = join(ROOT, 'fixtures', 'scenarios', 'azure');
export const PROD = '11111111-1111-4111-8111-111111111111';
export const SHARED = '22222222-2222-4222-8222-222222222222';
export const SANDBOX = '33333333-3333-4333-8333-333333333333';
export const TENANT = '72f988bf-0000-4000-8000-00000000c0de';

export function loadScenario(name = 'contoso'): Scenario {
  return JSON.parse(readFileSync(join(SCENARIOS, `${name}.json`), 'utf8')) as Scenario;
}

export const silentLog = pino({ level: 'silent' });

/** Collector options for the fake: its endpoint and certificate, a stub token, fast retries. */
export function fakeOptions(fake: FakeAzure, extra: Partial<AzureCollectOptions> = {}): AzureCollectOptions {
  return {
    credential: { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3600_000 }) },
    endpoint: fake.url,
    ca: TEST_CA,
    env: {},
    retry: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    log: silentLog,
    ...extra,
  };
}

export async function collectSnapshot(fake: FakeAzure, extra: Partial<AzureCollectOptions> = {}): Promise<{ snapshot: Snapshot; collection: Collection }> {
  const resources: Resource[] = [];
  const collection = await collectAzure(fakeOptions(fake, extra), { resource: (r) => void resources.push(r) });
  const doc: Snapshot = { schemaVersion: '1.0', metadata: collection.metadata, resources, coverage: collection.coverage };
  const snapshot = validateSnapshotDocument(JSON.parse(JSON.stringify(doc)), 'collected', builtinRegistry());
  return { snapshot, collection };
}

export async function withFake<T>(options: FakeAzureOptions, fn: (fake: FakeAzure) => Promise<T>): Promise<T> {
  const fake = await startFakeAzure(options);
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

export function find(snapshot: Snapshot, type: string, name: string, account?: string): Resource {
  const r = snapshot.resources.find((x) => x.type === type && x.name === name && (account === undefined || x.account === account));
  if (!r) throw new Error(`no ${type} named ${name}${account ? ` in ${account}` : ''} in the snapshot`);
  return r;
}

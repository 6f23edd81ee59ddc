import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { collectAws, type AwsCollectOptions, type AwsCollection } from '../../../../src/providers/aws/collector/collector';
import { validateSnapshotDocument } from '../../../../src/core/snapshot-loader';
import type { Resource, Snapshot } from '../../../../src/core/types';
import { type FakeAws, type FakeAwsOptions, startFakeAws } from '../../../fake-cloud/aws/server';
import type { Scenario } from '../../../fake-cloud/aws/scenario';
import { ROOT } from '../../../helpers';
import { builtinRegistry } from '../../../../src/catalog';

// Versions are pinned; the SDK's Node 22 notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const SCENARIOS = join(ROOT, 'fixtures', 'scenarios', 'aws');

/** A fresh copy of a scenario file (tests may edit it). */
export function loadScenario(name: string): Scenario {
  return JSON.parse(readFileSync(join(SCENARIOS, `${name}.json`), 'utf8')) as Scenario;
}

export const silentLog = pino({ level: 'silent' });

/** Collector options for the fake: its endpoint, the scenario's first caller, fast retries and polls. */
export function fakeOptions(fake: FakeAws, extra: Partial<AwsCollectOptions> = {}): AwsCollectOptions {
  const caller = fake.scenario.callers[0];
  return {
    credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: 'fake-secret' },
    endpointUrl: fake.url,
    homeRegion: 'us-east-1',
    env: {},
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    // The fake completes a report after a set number of polls; the time limit only bites when the
    // machine is starved (a full suite on two loaded cores queues IAM behind every regional call).
    credentialReport: { pollIntervalMs: 5, timeoutMs: 60_000 },
    log: silentLog,
    ...extra,
  };
}

/** Collects through the real SDK clients, and checks the snapshot against the contract. */
export async function collectSnapshot(fake: FakeAws, extra: Partial<AwsCollectOptions> = {}): Promise<{ snapshot: Snapshot; collection: AwsCollection }> {
  const resources: Resource[] = [];
  const collection = await collectAws(fakeOptions(fake, extra), { resource: (r) => void resources.push(r) });
  const doc: Snapshot = { schemaVersion: '1.0', metadata: collection.metadata, resources, coverage: collection.coverage };
  // Throws an InputError listing every problem when the snapshot breaks the contract.
  const snapshot = validateSnapshotDocument(JSON.parse(JSON.stringify(doc)), 'collected', builtinRegistry());
  return { snapshot, collection };
}

export async function withFake<T>(options: FakeAwsOptions, fn: (fake: FakeAws) => Promise<T>): Promise<T> {
  const fake = await startFakeAws(options);
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

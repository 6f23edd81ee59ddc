import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRegistry } from '../../../src/catalog';
import { loadSnapshot } from '../../../src/core/snapshot-loader';
import type { Results } from '../../../src/core/types';
import { ROOT, tempDir, writeTemp, spawnCliAsync } from '../../helpers';
import { loadGcpScenario, startFakeGcp } from './gcp-helpers';
import type { FakeGcp, FakeGcpOptions } from '../../fake-cloud/gcp/server';

/** `trustscan collect gcp` / `scan gcp` as a real process, through the real clients, against the fake. */

const TOKEN = 'ya29.fake-token-never-logged';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnCliAsync(args, { env: { GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, ...env } });

async function withFake<T>(opts: Partial<FakeGcpOptions>, fn: (fake: FakeGcp) => Promise<T>): Promise<T> {
  const fake = await startFakeGcp({ scenario: loadGcpScenario('acme-org'), ...opts });
  try {
    return await fn(fake);
  } finally {
    await fake.stop();
  }
}

describe('trustscan collect gcp / scan gcp (built CLI)', () => {
  test('collect writes a valid snapshot of the organization atomically; stdout stays empty; the token is nowhere', async () => {
    const dir = tempDir();
    const out = join(dir, 'gcp.ndjson');
    await withFake({}, async (fake) => {
      const r = await run(['collect', 'gcp', '--organization', '100000000001', '--output', out], { TRUSTSCAN_GCP_ENDPOINT_URL: fake.url });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
      // Only reads were made (the read-only proof is in gcp-roundtrip.test.ts).
      expect(fake.calls.length).toBeGreaterThan(20);
    });
    const snapshot = await loadSnapshot(out, builtinRegistry());
    expect(snapshot.resources.filter((x) => x.type === 'gcp.project').map((x) => x.account).sort()).toEqual(['acme-dev', 'acme-prod', 'acme-security']);
    expect(readFileSync(out, 'utf8')).not.toContain('fake-token-never-logged');
    expect(readdirSync(dir)).toEqual(['gcp.ndjson']);
  });

  test('scan evaluates in the same run, with the output options of evaluate, and gates with --fail-on', async () => {
    await withFake({}, async (fake) => {
      const r = await run(['scan', 'gcp', '--projects', 'acme-prod', '--endpoint-url', fake.url, '--format', 'json', '--fail-on', 'critical']);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('fake-token-never-logged');
      const results = JSON.parse(r.stdout) as Results;
      const f = results.findings.find((x) => x.ruleId === 'gcp-storage-bucket-not-public' && x.resource.name === 'acme-prod-public-assets')!;
      expect(f.status).toBe('FAIL');
      expect(f.resource.provider).toBe('gcp');
      expect(results.findings.find((x) => x.ruleId === 'gcp-compute-firewall-no-public-ssh' && x.resource.name === 'default-allow-ssh')!.status).toBe('FAIL');
      expect(results.frameworks['cis-gcp-foundations-v3.0.0']).toBeDefined();
      expect(results.frameworks.soc2.controls.find((c) => c.id === 'CC6.6')!.status).toBe('FAIL');
    });
  });

  test('a denial reaches the SOC 2 table as UNKNOWN and the run is marked incomplete', async () => {
    await withFake({ faults: [{ method: 'storage:*', unit: 'acme-security', kind: 'denied' }] }, async (fake) => {
      const r = await run(['scan', 'gcp', '--projects', 'acme-security', '--endpoint-url', fake.url, '--format', 'json', '--rules', join(ROOT, 'rules', 'gcp', 'storage')]);
      const results = JSON.parse(r.stdout) as Results;
      expect(results.findings.map((x) => x.status)).toEqual(expect.arrayContaining(['UNKNOWN']));
      expect(results.findings.every((x) => x.status !== 'PASS')).toBe(true);
      expect(results.frameworks.soc2.controls.find((c) => c.id === 'CC6.1')!.status).toBe('UNKNOWN');
      expect(results.scan.complete).toBe(false);
      // The warning names the operation and the project, not the credentials.
      expect(r.stderr).toMatch(/ListBuckets/);
      expect(r.stderr).not.toContain('fake-token-never-logged');
    });
  });

  test('usage errors exit 2 with a message, before anything is read', async () => {
    const none = await run(['collect', 'gcp', '--output', '-']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--organization ID, --folders IDS or --projects IDS/);
    const badEndpoint = await run(['collect', 'gcp', '--projects', 'my-project-1', '--output', '-'], { TRUSTSCAN_GCP_ENDPOINT_URL: 'not a url' });
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toMatch(/TRUSTSCAN_GCP_ENDPOINT_URL/);
    expect(`${none.stderr}${badEndpoint.stderr}`).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('missing or unusable credentials exit 2 with one line saying what to do, and nothing is read', async () => {
    // No token, no key file, no gcloud, no metadata server.
    const env = { GOOGLE_OAUTH_ACCESS_TOKEN: '', HOME: tempDir(), METADATA_SERVER_DETECTION: 'none' };
    const none = await run(['collect', 'gcp', '--projects', 'my-project-1', '--output', '-'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no usable Google Cloud credentials.*GOOGLE_APPLICATION_CREDENTIALS/);
    const key = writeTemp(tempDir(), 'key.json', JSON.stringify({ type: 'service_account', client_email: 'x@p.iam.gserviceaccount.com' }));
    const bad = await run(['collect', 'gcp', '--projects', 'my-project-1', '--output', '-'], { ...env, GOOGLE_APPLICATION_CREDENTIALS: key });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no usable Google Cloud credentials/);
    expect(`${none.stderr}${bad.stderr}`).not.toMatch(/\n\s+at /);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../../../src/core/types';
import { TEST_CA } from '../../fake-cloud/azure/server';
import { cli, tempDir, writeTemp } from '../../helpers';
import { loadScenario, PROD, SANDBOX, SHARED, withFake } from './azure-helpers';

/**
 * `trustscan scan azure` / `collect azure` as a user runs them: options parsed and checked by the
 * CLI, a bearer token from the environment, the fake's endpoint and certificate, every output
 * option of `evaluate`.
 */
const dir = tempDir();
const caFile = writeTemp(dir, 'fake-ca.pem', TEST_CA);
const env = { TRUSTSCAN_AZURE_ACCESS_TOKEN: 'token-from-ci' };

describe('trustscan scan azure / collect azure', () => {
  test('scan: every visible subscription, SOC 2 and CIS Azure roll-ups, several outputs at once', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX] }, async (fake) => {
      const junit = join(dir, 'azure.xml'); // SARIF of a live scan is refused: code scanning needs files
      const r = await cli(['scan', 'azure', '--endpoint', fake.url, '--ca-file', caFile, '--subscriptions', 'all', '--format', 'json', '--format', `junit=${junit}`, '--framework', 'cis-azure-foundations-v3.0.0', '--fail-on', 'high'], env);
      expect(r.stderr).not.toMatch(/internal error|token-from-ci/);
      const results = JSON.parse(r.stdout) as Results;
      // the subscriptions, and the management groups whose inherited assignments they hold
      expect(results.scan.accounts.map((a) => [a.provider, a.account])).toEqual(expect.arrayContaining([
        ['azure', PROD],
        ['azure', SHARED],
      ]));
      expect(results.scan.accounts.map((a) => a.account)).not.toContain(SANDBOX);
      expect(Object.keys(results.frameworks).sort()).toEqual(['cis-azure-foundations-v3.0.0', 'soc2']);
      expect(results.findings.some((f) => f.status === 'FAIL' && f.ruleId.startsWith('azure-'))).toBe(true);
      expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites/);
      expect(r.code).toBe(1); // the contoso scenario has high-severity drift
      expect(fake.calls.every((c) => c.method === 'GET' || c.op === 'resourcegraph:Resources')).toBe(true);
    });
  });

  test('collect: --management-group reaches the subscriptions beneath it; the unreadable one is in the snapshot as such', async () => {
    await withFake({ scenario: loadScenario(), invisible: [SANDBOX] }, async (fake) => {
      const out = join(dir, 'landing.json');
      const r = await cli(['collect', 'azure', '--endpoint', fake.url, '--ca-file', caFile, '--management-group', 'contoso-landing', '-o', out], env);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      const snapshot = JSON.parse(readFileSync(out, 'utf8'));
      expect(snapshot.metadata.accounts.map((a: { id: string }) => a.id)).toEqual([PROD, SANDBOX]);
      expect(snapshot.coverage.find((c: { account: string }) => c.account === SANDBOX)).toMatchObject({ outcome: 'denied', affects: ['*'] });
    });
  });

  test.each([
    [['--management-group', 'contoso-landing', '--subscriptions', PROD], /exclusive/],
    [['--subscriptions', 'prod'], /not a subscription id: prod/],
    [['--cloud', 'AzureGermanCloud'], /AzureCloud, AzureUSGovernment, AzureChinaCloud/],
    [['--endpoint', 'http://127.0.0.1:1'], /https/],
    [['--concurrency', '0'], /whole number/],
    [['--ca-file', join(dir, 'missing.pem')], /missing\.pem: no such file/],
  ])('bad options are usage errors (exit 2) that say what is expected: %j', async (args, message) => {
    const r = await cli(['collect', 'azure', ...(args as string[]), '-o', join(dir, 'never.json')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results, Snapshot } from '../../../src/core/types';
import { cli, ROOT } from '../../helpers';
import { collectGcpSnapshot, loadGcpScenario, startFakeGcp } from './gcp-helpers';

/**
 * The Google Cloud half of the demo (`fixtures/demo/gcp-organization.json`) is what the collector
 * writes for the acme scenario when the scanner lacks one permission (the IAM policy of one
 * Cloud KMS key): this test collects it again and compares, so the fixture cannot drift from what the
 * collector really produces. `TRUSTSCAN_WRITE_DEMO=1 npx jest test/providers/gcp/gcp-demo` rewrites it.
 */

const FIXTURE = join(ROOT, 'fixtures', 'demo', 'gcp-organization.json');
const AWS_DEMO = join(ROOT, 'fixtures', 'demo', 'snapshot.json');
/** The AWS demo's scan time, so date rules read both halves alike. */
const STARTED = '2026-11-25T02:00:00Z';

async function demoSnapshot(): Promise<Snapshot> {
  const fake = await startFakeGcp({
    scenario: loadGcpScenario('acme-org'),
    faults: [{ method: 'cloudkms:GetCryptoKeyIamPolicy', resource: 'cryptoKeys/archive', kind: 'denied' }],
  });
  try {
    const { snapshot } = await collectGcpSnapshot(fake);
    const key = (x: { type?: string; id?: string; account?: string; service?: string; operation?: string; resourceId?: string }): string =>
      [x.type, x.id, x.account, x.service, x.operation, x.resourceId].join('\u0000');
    return {
      schemaVersion: snapshot.schemaVersion,
      metadata: {
        ...snapshot.metadata,
        startedAt: STARTED,
        finishedAt: '2026-11-25T02:01:12Z',
        description: 'Demo: the acme Google Cloud organization (two folders, three projects) with typical drift; the scanner may not read the IAM policy of one Cloud KMS key',
        // The fake is reached with a bare token, which names nobody; the demo shows a service account's scan.
        collectedBy: [{ provider: 'gcp', principal: 'trustscan-collector@acme-security.iam.gserviceaccount.com' }],
      },
      resources: [...snapshot.resources].sort((a, b) => key(a).localeCompare(key(b))),
      coverage: [...snapshot.coverage].sort((a, b) => key(a).localeCompare(key(b))),
    };
  }
  finally {
    await fake.stop();
  }
}

describe('the Google Cloud demo organization', () => {
  it('is what the collector writes for the acme scenario', async () => {
    const fresh = await demoSnapshot();
    // The one missing permission is the only gap (a transient failure must not be baked in).
    expect(fresh.coverage.filter((c) => !['ok', 'not-enabled'].includes(c.outcome)).map((c) => [c.operation, c.outcome])).toEqual([['GetCryptoKeyIamPolicy', 'denied']]);
    if (process.env.TRUSTSCAN_WRITE_DEMO === '1') writeFileSync(FIXTURE, `${JSON.stringify(fresh, null, 1)}\n`);
    // Call counts include retries of transient failures (a loaded machine): compared apart from them.
    const withoutCalls = (x: { coverage: { calls?: number }[] }): unknown => ({ ...x, coverage: x.coverage.map((c) => ({ ...c, calls: undefined })) });
    expect(withoutCalls(JSON.parse(readFileSync(FIXTURE, 'utf8')) as typeof fresh)).toEqual(withoutCalls(JSON.parse(JSON.stringify(fresh)) as typeof fresh));
  });

  it('evaluates with the AWS demo as one SOC 2 table, each finding tagged with its provider', async () => {
    const r = await cli(['evaluate', AWS_DEMO, FIXTURE, '--format', 'json']);
    const results = JSON.parse(r.stdout) as Results;
    const providers = new Set(results.findings.map((f) => f.resource.provider));
    expect([...providers].sort()).toEqual(['aws', 'gcp']);
    const gcp = results.findings.filter((f) => f.resource.provider === 'gcp');
    // Typical drift fails; the one missing permission is UNKNOWN, with its reason.
    expect(gcp.find((f) => f.ruleId === 'gcp-storage-bucket-not-public' && f.resource.name === 'acme-prod-public-assets')!.status).toBe('FAIL');
    // Its ACL grants allAuthenticatedUsers: a FAIL of its own.
    expect(gcp.find((f) => f.ruleId === 'gcp-storage-bucket-not-public' && f.resource.name === 'acme-prod-customer-data')!.status).toBe('FAIL');
    expect(gcp.find((f) => f.ruleId === 'gcp-iam-project-no-public-principals' && f.resource.account === 'acme-dev')!.status).toBe('FAIL');
    const denied = gcp.find((f) => f.ruleId === 'gcp-kms-key-not-public' && f.resource.name === 'archive')!;
    expect(denied.status).toBe('UNKNOWN');
    expect(denied.unknownReasons!.join(' ')).toMatch(/GetCryptoKeyIamPolicy denied/);
    expect(results.frameworks.soc2.controls.find((c) => c.id === 'CC6.1')!.rules.some((id) => id.startsWith('gcp-'))).toBe(true);
    expect(results.scan.snapshot.accounts.filter((a) => a.provider === 'gcp').map((a) => a.id)).toEqual(expect.arrayContaining(['acme-prod', 'acme-dev', 'acme-security']));
  });
});

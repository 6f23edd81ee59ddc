import { createServer } from 'node:net';
import pino from 'pino';
import { Writable } from 'node:stream';
import { evaluate } from '../../../../src/engine/evaluate';
import { builtinCatalog, builtinRegistry } from '../../../../src/catalog';
import { parseSeconds } from '../../../../src/providers/aws/collector-options';
import { documentProblem, fieldProblem, inspectBody } from '../../../../src/providers/aws/collector/answer-shape';
import { AWS_ANSWERS } from '../../../../src/providers/aws/collector/answer-shapes';
import { retryVerdict } from '../../../../src/providers/aws/collector/retry-policy';
import { captureSdkWarnings } from '../../../../src/providers/aws/collector/sdk-guard';
import { HTML_PAGE } from '../../../fake-cloud/aws/answer-faults';
import { spawnCli, tempDir, writeTemp } from '../../../helpers';
import { collectSnapshot, loadScenario, withFake } from './aws-helpers';

const ORG = { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1' };
const gaps = (s: { coverage: { outcome: string }[] }) => s.coverage.filter((c) => c.outcome !== 'ok');

describe('what an answer is', () => {
  test('bodies are told apart before any SDK decodes them', () => {
    expect(inspectBody('')).toEqual({ kind: 'empty', complete: true });
    expect(inspectBody(HTML_PAGE)).toMatchObject({ kind: 'html' });
    expect(inspectBody('<?xml version="1.0"?><ListRolesResponse xmlns="x"><ListRolesResult/></ListRolesResponse>')).toEqual({ kind: 'xml', root: 'ListRolesResponse', complete: true });
    expect(inspectBody('<ListRolesResponse><ListRolesResult><Roles>')).toEqual({ kind: 'xml', root: 'ListRolesResponse', complete: false });
    expect(inspectBody('{"Keys": [')).toEqual({ kind: 'json', complete: false });
    expect(documentProblem({ xml: 'ListAllMyBucketsResult' }, inspectBody(HTML_PAGE))).toBe('an HTML page instead of an XML document <ListAllMyBucketsResult>');
    expect(documentProblem({ json: true }, inspectBody(''))).toBe('an empty body instead of a JSON document');
  });

  test('a decoded answer without its list, or a policy without statements, is not the answer', () => {
    expect(fieldProblem(AWS_ANSWERS['ec2:DescribeSecurityGroups'], {})).toBe('the answer lacks SecurityGroups');
    expect(fieldProblem(AWS_ANSWERS['ec2:DescribeSecurityGroups'], { SecurityGroups: [] })).toBeNull();
    expect(fieldProblem(AWS_ANSWERS['s3:GetBucketPolicy'], { Policy: '{}' })).toBe('Policy is a document without Statement');
    expect(fieldProblem(AWS_ANSWERS['kms:GetKeyPolicy'], { Policy: '<html>' })).toBe('Policy is not a JSON document');
    expect(fieldProblem(AWS_ANSWERS['iam:ListRoles'], { Roles: [], IsTruncated: true })).toMatch(/IsTruncated but carries no Marker/);
  });

  test('a final answer is not retried; a broken one is retried once, then given up when it repeats', () => {
    expect(retryVerdict({ status: 501 }, undefined)).toBe('stop');
    expect(retryVerdict({ status: 200, foreignBody: 'html' }, undefined)).toBe('retry');
    expect(retryVerdict({ status: 200, foreignBody: 'html' }, { status: 200, foreignBody: 'html' })).toBe('stop');
    expect(retryVerdict({ status: 503, foreignBody: 'html' }, { status: 503, foreignBody: 'html' })).toBe('retry');
    expect(retryVerdict({ status: 403, foreignBody: 'html' }, undefined)).toBe('stop');
    expect(retryVerdict({ status: 429, throttled: true }, undefined)).toBe('usual');
  });

  test('seconds are checked like every option', () => {
    expect(parseSeconds('2.5')).toBe(2.5);
    for (const bad of ['0', '-1', 'abc', '', '4000']) expect(() => parseSeconds(bad)).toThrow(/seconds/);
  });
});

describe('through the SDK', () => {
  test('an empty ListBuckets with HTTP 200 is a gap and an unknown listing, not an account without buckets', async () => {
    const faults = [{ op: 's3:ListBuckets', kind: 'empty' as const, account: '222222222222' }];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ORG);
      expect(gaps(snapshot)).toEqual([
        expect.objectContaining({ account: '222222222222', service: 's3', operation: 'ListBuckets', outcome: 'error', message: expect.stringMatching(/^not a valid answer: HTTP 200 with an empty body/) }),
      ]);
      const { results } = evaluate(snapshot, builtinCatalog().loadRules(), builtinRegistry());
      const placeholders = results.findings.filter((f) => f.resource.account === '222222222222' && f.resource.type === 'aws.s3.bucket');
      expect(placeholders.length).toBeGreaterThan(0);
      expect(placeholders.every((f) => f.status === 'UNKNOWN')).toBe(true);
    });
  });

  test('a request that never answers is a gap after the call timeout, not a stalled scan', async () => {
    const faults = [{ op: 'iam:GetAccountSummary', kind: 'hang' as const, account: '222222222222' }];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const started = Date.now();
      const { snapshot } = await collectSnapshot(fake, { ...ORG, timeouts: { connectMs: 1_000, callMs: 2_000 } });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(gaps(snapshot)).toEqual([
        expect.objectContaining({ account: '222222222222', service: 'iam', operation: 'GetAccountSummary', outcome: 'error', message: expect.stringMatching(/no complete answer within 2 s \(the call timeout\)/) }),
      ]);
    });
  }, 30_000);

  test('a region named with --regions that the account does not list is UNKNOWN there, not skipped', async () => {
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, { accounts: ['111111111111'], roleName: 'TrustScanAudit', regions: ['us-east-1', 'ap-south-2'] });
      expect(gaps(snapshot)).toEqual([
        expect.objectContaining({ account: '111111111111', region: 'ap-south-2', service: 'ec2', operation: 'DescribeRegions', message: expect.stringMatching(/ap-south-2/) }),
      ]);
      const { results } = evaluate(snapshot, builtinCatalog().loadRules(), builtinRegistry());
      const there = results.findings.filter((f) => f.resource.region === 'ap-south-2');
      expect(there.length).toBeGreaterThan(0);
      expect(there.filter((f) => f.status !== 'UNKNOWN')).toEqual([]);
    });
  });

  test("the SDK's console warnings go to the structured logger while a collection runs", () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }));
    const restore = captureSdkWarnings(log);
    console.warn('@smithy/node-http-handler:WARN - socket usage at capacity=50');
    restore();
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 40, source: 'aws-sdk', msg: '@smithy/node-http-handler:WARN - socket usage at capacity=50' })]);
  });
});

describe('the CLI', () => {
  const CREDS = { AWS_ACCESS_KEY_ID: 'AKIAFAKEMANAGEMENT01', AWS_SECRET_ACCESS_KEY: 'fake-secret', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

  test('a refused connection is an unreachable endpoint (exit 2), not credentials AWS did not accept', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = spawnCli(['collect', 'aws', '--endpoint-url', `http://127.0.0.1:${port}`, '--connect-timeout', '2', '-o', '/dev/null', '--no-config'], { env: CREDS });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the AWS endpoint http:\/\/127\.0\.0\.1:\d+ \(sts:GetCallerIdentity\): connection refused/);
    expect(r.stderr).not.toMatch(/did not accept the credentials/);
  }, 30_000);

  test('timeouts are checked from the command line and from trustscan.yaml', () => {
    const bad = spawnCli(['collect', 'aws', '--call-timeout', '0', '-o', '/dev/null', '--no-config'], { env: CREDS });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--call-timeout.*seconds greater than 0/);
    const file = writeTemp(tempDir(), 'trustscan.yaml', 'aws:\n  connectTimeout: -3\n');
    const fromFile = spawnCli(['collect', 'aws', '--config', file, '-o', '/dev/null'], { env: CREDS });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/connectTimeout/);
  });
});

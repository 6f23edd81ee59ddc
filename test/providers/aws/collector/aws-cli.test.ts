import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../../../../src/core/snapshot-loader';
import { Progress } from '../../../../src/pipeline/progress';
import { parseCredentialReport, parseCsv } from '../../../../src/providers/aws/collector/credential-report';
import { cli, ROOT, tempDir, writeTemp, spawnCliAsync } from '../../../helpers';
import { loadScenario, withFake } from './aws-helpers';
import { builtinRegistry } from '../../../../src/catalog';

/** Runs the built CLI as a real process, asynchronously (the fake answers from this process). */
const run = (args: string[], env: NodeJS.ProcessEnv, cwd = ROOT) => spawnCliAsync(args, { cwd, env: { AWS_EC2_METADATA_DISABLED: 'true', ...env } });

const CREDS = { AWS_ACCESS_KEY_ID: 'AKIAFAKEMANAGEMENT01', AWS_SECRET_ACCESS_KEY: 'fake-secret-never-logged', AWS_REGION: 'us-east-1' };

describe('trustscan collect aws / scan aws (built CLI, credentials from the default provider chain)', () => {
  test('collect writes a valid NDJSON snapshot atomically, stdout stays empty, no secret anywhere', async () => {
    const dir = tempDir();
    const out = join(dir, 'snapshot.ndjson');
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const r = await run(['collect', 'aws', '--org', '--role-name', 'TrustScanAudit', '--external-id', 'acme-ext-1', '--endpoint-url', fake.url, '--output', out], CREDS);
      // Logs (one plain line per entry on stderr when not a terminal): only the suspended account, skipped on purpose.
      expect(r.stderr.trim().split('\n').map((l) => l.replace(/^\[[^\]]+\] (\w+): /, '$1 ').replace(/ \{.*\}$/, ''))).toEqual(['WARN organization account is not ACTIVE: skipped']);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    });
    const snapshot = await loadSnapshot(out, builtinRegistry());
    expect(snapshot.metadata.accounts).toHaveLength(3);
    expect(snapshot.resources.filter((x) => x.type === 'aws.s3.bucket')).toHaveLength(4);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('fake-secret-never-logged');
    // The external id is not written into the metadata (it does appear, as data, in the role's trust policy).
    expect(JSON.stringify(snapshot.metadata)).not.toContain('acme-ext-1');
    expect(readdirSync(dir)).toEqual(['snapshot.ndjson']); // no temporary file left behind
  });

  test('scan evaluates in the same run with the output options of evaluate, and gates with --fail-on', async () => {
    const dir = tempDir();
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const r = await run(
        ['scan', 'aws', '--accounts', '222222222222', '--role-name', 'TrustScanAudit', '--external-id', 'acme-ext-1', '--endpoint-url', fake.url, '--format', 'json', '--fail-on', 'critical', '--save-snapshot', join(dir, 's.json')],
        CREDS,
      );
      expect(r.code).toBe(1); // the public bucket fails a critical rule
      const results = JSON.parse(r.stdout);
      expect(results.findings.find((f: any) => f.ruleId === 'aws-s3-bucket-no-public-acl' && f.resource.name === 'acme-prod-public').status).toBe('FAIL');
      expect(results.scan.snapshot.accounts).toEqual([{ provider: 'aws', id: '222222222222' }]);
      expect(existsSync(join(dir, 's.json'))).toBe(true);
      const nd = await run(['scan', 'aws', '--endpoint-url', fake.url, '--format', 'ndjson', '--regions', 'us-east-1'], CREDS);
      expect(nd.code).toBe(0);
      const lines = nd.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBeGreaterThan(5);
      expect(lines.every((f) => f.resource.account === '111111111111' && typeof f.fingerprint === 'string')).toBe(true);
    });
  });

  test('usage errors exit 2 with one clear line (in-process)', async () => {
    const cases: [string[], RegExp][] = [
      [['collect', 'aws', '--org', '--accounts', '111111111111', '--role-name', 'R', '-o', 'x.ndjson'], /--org and --accounts are exclusive/],
      [['collect', 'aws', '--accounts', '111111111111', '-o', 'x.ndjson'], /needs --role-name/],
      [['collect', 'aws', '--regions', 'mars-1', '-o', 'x.ndjson'], /not a region: mars-1/],
      [['collect', 'aws', '--accounts', '12345', '--role-name', 'R', '-o', 'x.ndjson'], /not an account id: 12345/],
      [['collect', 'aws', '--concurrency', '0', '-o', 'x.ndjson'], /whole number/],
      [['collect', 'aws'], /required option '-o, --output <file>'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  test('no credentials, or rejected credentials: exit 2 naming the problem', async () => {
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const none = await run(['collect', 'aws', '--endpoint-url', fake.url, '-o', join(tempDir(), 's.ndjson')], { AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no AWS credentials found/);
      const bad = await run(['collect', 'aws', '--endpoint-url', fake.url, '-o', join(tempDir(), 's.ndjson')], { ...CREDS, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN', AWS_CONFIG_FILE: '/nonexistent' });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/AWS did not accept the credentials.*InvalidClientTokenId/);
      expect(bad.stderr).not.toContain('fake-secret-never-logged');
    });
  });
});

describe('trustscan.yaml accounts and regions are the defaults of collect aws and scan aws', () => {
  const ROLE = ['--role-name', 'TrustScanAudit', '--external-id', 'acme-ext-1'];
  /** Accounts and the regions of every regional call the fake saw since `from`. */
  const seen = (fake: { calls: { service: string; operation: string; account: string | null; region: string }[] }, from: number) => {
    // The caller's own identity and its organization's member list (read once, from the caller) aside.
    const calls = fake.calls.slice(from).filter((c) => c.service !== 'sts' && !(c.service === 'organizations' && c.operation === 'ListAccounts'));
    // Regional listings (the organization trail's status is read in its home region, whatever was scanned).
    const regional = calls.filter((c) => ['ec2', 'kms', 'access-analyzer'].includes(c.service) ? c.operation !== 'DescribeRegions' : c.operation === 'DescribeTrails');
    return { accounts: [...new Set(calls.map((c) => c.account))].sort(), regions: [...new Set(regional.map((c) => c.region))].sort() };
  };

  test('used when no option is given; options win, --org over the file accounts too; --no-config and --config FILE', async () => {
    const dir = tempDir();
    writeTemp(dir, 'trustscan.yaml', "accounts: ['222222222222']\nregions: [eu-west-1]\n");
    writeTemp(dir, 'other.yaml', "accounts: ['333333333333']\nregions: [all]\n");
    const out = join(dir, 's.ndjson');
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const collect = async (args: string[]) => {
        const from = fake.calls.length;
        const r = await run(['collect', 'aws', '--endpoint-url', fake.url, '-o', out, ...args], CREDS, dir);
        expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 0, expect.any(String)]);
        const accounts = (await loadSnapshot(out, builtinRegistry())).metadata.accounts.map((a) => a.id);
        const called = seen(fake, from);
        expect(called.accounts).toEqual(accounts); // nothing read in any other account
        return { accounts, regions: called.regions };
      };
      // The file's accounts and regions.
      expect(await collect(ROLE)).toEqual({ accounts: ['222222222222'], regions: ['eu-west-1'] });
      // Each option wins over its field alone.
      expect(await collect([...ROLE, '--regions', 'us-east-1'])).toEqual({ accounts: ['222222222222'], regions: ['us-east-1'] });
      // The file's eu-west-1 is not a region of that account: nothing is called there (it is a gap, UNKNOWN).
      expect(await collect([...ROLE, '--accounts', '333333333333'])).toEqual({ accounts: ['333333333333'], regions: [] });
      expect((await collect([...ROLE, '--org'])).accounts).toEqual(['111111111111', '222222222222', '333333333333']);
      // No config: the caller's account, every enabled region.
      expect(await collect(['--no-config'])).toEqual({ accounts: ['111111111111'], regions: ['eu-west-1', 'us-east-1'] });
      // --config FILE (relative to the working directory) replaces trustscan.yaml; its regions: [all].
      expect(await collect([...ROLE, '--config', 'other.yaml'])).toEqual({ accounts: ['333333333333'], regions: ['us-east-1'] });
      // scan aws reads the same defaults (its --config also carries the output settings).
      const from = fake.calls.length;
      const r = await run(['scan', 'aws', '--endpoint-url', fake.url, ...ROLE, '--format', 'json'], CREDS, dir);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).scan.snapshot.accounts).toEqual([{ provider: 'aws', id: '222222222222' }]);
      expect(seen(fake, from)).toEqual({ accounts: ['222222222222'], regions: ['eu-west-1'] });
    });
    // Seven CLI processes, one after the other: more than the default 30 s on a loaded machine.
  }, 120_000);

  test('bad values in the file, or file accounts without --role-name: exit 2 naming the file, before any call', async () => {
    const dir = tempDir();
    const badRegion = writeTemp(dir, 'bad-region.yaml', 'regions: [eu-west-1, mars-1]\n');
    const badAccount = writeTemp(dir, 'bad-account.yaml', "accounts: ['12345']\n");
    const accounts = writeTemp(dir, 'accounts.yaml', "accounts: ['222222222222']\n");
    const cases: [string[], RegExp][] = [
      [['collect', 'aws', '--config', badRegion, '-o', 'x.ndjson'], /bad-region\.yaml: regions: .*not a region: mars-1/],
      [['scan', 'aws', '--config', badAccount], /bad-account\.yaml: accounts: .*not an account id: 12345/],
      [['collect', 'aws', '--config', accounts, '-o', 'x.ndjson'], /needs --role-name.*accounts come from .*accounts\.yaml/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { AWS_ACCESS_KEY_ID: 'AKIAUNUSED', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('credential report parsing', () => {
  test('quoted cells, CRLF line ends and the special values', () => {
    expect(parseCsv('a,"b,c","d ""q"""\r\n1,2,3\n')).toEqual([['a', 'b,c', 'd "q"'], ['1', '2', '3']]);
    const csv = [
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
      '<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,2021-01-01T00:00:00+00:00,false,N/A',
      'u,arn:aws:iam::1:user/u,2020-01-01T00:00:00+00:00,true,2026-01-02T03:04:05+00:00,N/A,N/A,false,false,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,true,2025-05-05T05:05:05+00:00,2026-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,false,N/A',
    ].join('\n');
    const [root, u] = parseCredentialReport(csv);
    expect(root).toMatchObject({ user: '<root_account>', passwordEnabled: null, passwordLastUsed: null, passwordLastChanged: null, mfaActive: true, accessKeys: [], signingCertificatesActive: true });
    expect(u).toMatchObject({ passwordEnabled: true, passwordLastUsed: '2026-01-02T03:04:05Z', passwordLastChanged: null, mfaActive: false });
    expect(u.accessKeys).toEqual([
      { slot: 1, active: false, lastRotated: '2024-01-01T00:00:00Z', lastUsedDate: null, lastUsedService: null },
      { slot: 2, active: true, lastRotated: '2025-05-05T05:05:05Z', lastUsedDate: '2026-01-01T00:00:00Z', lastUsedService: 's3' },
    ]);
    expect(() => parseCredentialReport('user,arn\nx,y')).toThrow(/column 'password_enabled' missing/);
    expect(() => parseCredentialReport(csv.replace('2026-01-02T03:04:05+00:00', 'yesterday'))).toThrow(/unexpected date 'yesterday'/);
  });
});

describe('progress', () => {
  test('drawn on a terminal, silent otherwise', async () => {
    const written: string[] = [];
    const tty = new Progress({ isTTY: true, write: (s: string) => written.push(s) });
    tty.addAccounts(2);
    tty.addRegions(3);
    tty.addUnits(11);
    tty.unitDone();
    tty.requests(42);
    tty.start();
    await new Promise((r) => setTimeout(r, 300));
    tty.stop();
    expect(written.join('')).toContain('accounts 0/2 · account-regions 0/3 · services 1/11 · 42 API calls');
    const quiet: string[] = [];
    const pipe = new Progress({ isTTY: false, write: (s: string) => quiet.push(s) });
    pipe.start();
    pipe.requests(1);
    await new Promise((r) => setTimeout(r, 300));
    pipe.stop();
    expect(quiet).toEqual([]);
  });
});

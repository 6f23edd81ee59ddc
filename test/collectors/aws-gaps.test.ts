import { join } from 'node:path';
import { CredentialReportError, parseCredentialReport } from '../../src/collectors/aws/credential-report';
import { builtinRegistry } from '../../src/core/resource-types/index';
import type { Snapshot } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../src/engine/rule-loader';
import { FactRegistry } from '../../src/facts/index';
import { ROOT } from '../helpers';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';
// After the server (through aws-helpers): the services and the server import each other.
import { credentialReport } from '../fake-cloud/services/iam';

/** What an answer leaves out, or a call that fails late, must reach the snapshot as a gap. */

const MGMT = '111111111111';
const ONLY_MGMT = { accounts: [MGMT] };

function run(snapshot: Snapshot, ...files: string[]) {
  const rules = loadRulesOrThrow(files.map((f) => join(ROOT, 'rules', f)), builtinRegistry(), new FactRegistry());
  return evaluate(snapshot, rules, builtinRegistry()).results;
}

const gaps = (s: Snapshot) => s.coverage.filter((c) => c.outcome !== 'ok');

describe('the credential report is read whole or not at all', () => {
  const csv = credentialReport(loadScenario('acme-org').accounts[0]);
  const [header, ...rows] = csv.split('\n');

  it('parses the report the fake writes (the columns AWS documents)', () => {
    expect(parseCredentialReport(csv).map((r) => r.user)).toEqual(['<root_account>', 'alice', 'ci-deployer', 'bob,the.builder', 'old-key-never-used']);
  });

  it('a row with fewer cells than the header is not a user without keys: the report is unreadable', () => {
    const cut = rows[1].split(',').slice(0, 9).join(','); // alice, up to access_key_1_active
    expect(() => parseCredentialReport([header, rows[0], cut, ...rows.slice(2)].join('\n'))).toThrow(CredentialReportError);
  });

  it('a report without a column it reads is unreadable, not a report where every such cell is empty', () => {
    for (const column of ['access_key_2_active', 'access_key_2_last_rotated', 'access_key_1_last_used_date', 'password_last_used', 'cert_1_active']) {
      const i = header.split(',').indexOf(column);
      const drop = (line: string): string => {
        const cells = parseCsvLine(line);
        cells.splice(i, 1);
        return cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
      };
      expect(() => parseCredentialReport([header, ...rows].map(drop).join('\n'))).toThrow(new RegExp(column));
    }
  });

  it('through the SDK: a truncated report is a recorded gap, and the credential rules are UNKNOWN', async () => {
    const truncate = (body: string): string =>
      body.replace(/<Content>([^<]*)<\/Content>/, (_, b64: string) => {
        const lines = Buffer.from(b64, 'base64').toString('utf8').split('\n');
        lines[2] = lines[2].split(',').slice(0, 9).join(',');
        return `<Content>${Buffer.from(lines.join('\n')).toString('base64')}</Content>`;
      });
    await withFake({ scenario: loadScenario('acme-org'), rewrite: { 'iam:GetCredentialReport': truncate } }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      expect(gaps(snapshot).map((c) => [c.operation, c.outcome, c.message])).toEqual([['GetCredentialReport', 'error', expect.stringMatching(/credential report unreadable/)]]);
      expect(find(snapshot, 'aws.iam.user', 'alice').unknown).toEqual(expect.arrayContaining(['accessKeys', 'mfaActive', 'passwordEnabled']));
      const r = run(snapshot, 'aws/iam/aws-iam-user-access-keys-rotated.yaml');
      expect(r.findings.filter((f) => f.resource.name === 'alice').map((f) => f.status)).toEqual(['UNKNOWN']);
    });
  });
});

/** One CSV line into cells (quoted cells may hold commas). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

describe('an AssumeRole answer without credentials', () => {
  it('is a gap for the whole account, not an account with nothing in it', async () => {
    const noCredentials = (body: string): string => body.replace(/<Credentials>.*<\/Credentials>/s, '');
    await withFake({ scenario: loadScenario('acme-org'), rewrite: { 'sts:AssumeRole': noCredentials } }, async (fake) => {
      const { snapshot, collection } = await collectSnapshot(fake, { accounts: [MGMT, '333333333333'], roleName: 'TrustScanAudit' });
      expect(collection.stats.unreadableAccounts).toEqual(['333333333333']);
      expect(gaps(snapshot)).toEqual([
        expect.objectContaining({ account: '333333333333', service: 'sts', operation: 'AssumeRole', outcome: 'error', affects: ['*'], message: expect.stringMatching(/answered without credentials/) }),
      ]);
      const r = run(snapshot, 'aws/iam/aws-iam-root-mfa.yaml');
      expect(r.findings.map((f) => [f.resource.account, f.status])).toEqual([
        [MGMT, 'PASS'],
        ['333333333333', 'UNKNOWN'],
      ]);
    });
  });
});

describe('a field a successful answer leaves out is unknown, never a default', () => {
  const drop = (re: RegExp) => (body: string) => body.replace(re, '$1');
  const rewrite = {
    'iam:GetAccountSummary': (body: string) => body.replace(/<member><key>(AccountMFAEnabled|AccountAccessKeysPresent)<\/key><value>\d+<\/value><\/member>/g, '').replace(/<entry><key>(AccountMFAEnabled|AccountAccessKeysPresent)<\/key><value>\d+<\/value><\/entry>/g, ''),
    'iam:GetAccountAuthorizationDetails': (body: string) =>
      [
        /(<PolicyName>boundary-deployers<\/PolicyName>.*?)<PolicyVersionList>.*?<\/PolicyVersionList>/s,
        /(<RoleName>OrganizationAccountAccessRole<\/RoleName>.*?)<AssumeRolePolicyDocument>[^<]*<\/AssumeRolePolicyDocument>/s,
        /(<PolicyName>deploy-artifacts<\/PolicyName>)<PolicyDocument>[^<]*<\/PolicyDocument>/,
      ].reduce((b, re) => drop(re)(b), body),
    's3:GetBucketPolicyStatus': drop(/(<PolicyStatus[^>]*>)<IsPublic>\w+<\/IsPublic>/),
    'kms:DescribeKey': (body: string) => {
      const j = JSON.parse(body) as { KeyMetadata: Record<string, unknown> };
      delete j.KeyMetadata.KeyState;
      return JSON.stringify(j);
    },
  };
  const faults = [{ op: 's3:GetBucketPolicy', kind: 'denied' as const, resource: 'acme-prod-public' }];

  it('root MFA and access keys, policy documents, a trust policy, the policy status and a key state', async () => {
    await withFake({ scenario: loadScenario('acme-org'), rewrite, faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, { accounts: [MGMT, '222222222222'], roleName: 'TrustScanAudit', externalId: 'acme-ext-1' });
      expect(find(snapshot, 'aws.account', 'acme-management').unknown).toEqual(['root.accessKeysPresent', 'root.mfaEnabled', 'root.virtualMfa']);
      expect(find(snapshot, 'aws.iam.policy', 'boundary-deployers').unknown).toEqual(['document']);
      expect(find(snapshot, 'aws.iam.role', 'OrganizationAccountAccessRole').unknown).toEqual(['assumeRolePolicy']);
      expect(find(snapshot, 'aws.iam.user', 'ci-deployer').unknown).toEqual(['inlinePolicies.0.document']);
      // The policy denied, and a policy status that does not say whether it is public.
      expect(find(snapshot, 'aws.s3.bucket', 'acme-prod-public').unknown).toEqual(['policy', 'policyStatus']);
      expect(find(snapshot, 'aws.kms.key', 'alias/org-cloudtrail').unknown).toEqual(['keyState']);
      const r = run(snapshot, 'aws/iam/aws-iam-root-no-access-keys.yaml', 'aws/s3/aws-s3-bucket-policy-not-public.yaml', 'aws/kms/aws-kms-key-not-pending-deletion.yaml', 'aws/iam/aws-iam-role-trust-not-public.yaml');
      const status = (rule: string, name: string) => r.findings.find((f) => f.ruleId === rule && f.resource.name === name)?.status;
      expect(status('aws-iam-root-no-access-keys', 'acme-management')).toBe('UNKNOWN');
      expect(status('aws-s3-bucket-policy-not-public', 'acme-prod-public')).toBe('UNKNOWN');
      expect(status('aws-kms-key-not-pending-deletion', 'retired-key')).toBe('UNKNOWN');
      expect(status('aws-iam-role-trust-not-public', 'OrganizationAccountAccessRole')).toBe('UNKNOWN');
    });
  });
});

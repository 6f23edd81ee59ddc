import { join } from 'node:path';
import pino from 'pino';
import { CredentialReportError, parseCredentialReport } from '../../../../src/providers/aws/collector/credential-report';
import type { Snapshot } from '../../../../src/core/types';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../../../src/engine/rule-loader';
import { ROOT } from '../../../helpers';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';
// After the server (through aws-helpers): the services and the server import each other.
import { credentialReport } from '../../../fake-cloud/aws/services/iam';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';

/** What an answer leaves out, or a call that fails late, must reach the snapshot as a gap. */

const MGMT = '111111111111';
const ONLY_MGMT = { accounts: [MGMT] };

function run(snapshot: Snapshot, ...files: string[]) {
  const rules = loadRulesOrThrow(files.map((f) => join(ROOT, 'rules', f)), builtinRegistry(), builtinFacts());
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
        expect.objectContaining({ account: '333333333333', service: 'sts', operation: 'AssumeRole', outcome: 'error', affects: ['*'], message: expect.stringMatching(/not a valid answer: the answer lacks Credentials.AccessKeyId/) }),
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

describe('a listing that fails after some pages', () => {
  it('is a gap for the whole listing: the pages already read are not passed off as the full list', async () => {
    const faults = [
      { op: 'iam:GetAccountAuthorizationDetails', kind: 'throttled' as const, after: 2 },
      { op: 'kms:ListKeys', kind: 'server' as const, after: 1, region: 'eu-west-1' },
      { op: 'ec2:DescribeSecurityGroups', kind: 'denied' as const, after: 1, region: 'us-east-1' },
    ];
    await withFake({ scenario: loadScenario('acme-org'), pageSize: 1, faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      expect(gaps(snapshot).map((c) => [c.operation, c.region, c.outcome])).toEqual([
        ['GetAccountAuthorizationDetails', 'global', 'throttled'],
        ['ListKeys', 'eu-west-1', 'error'],
        ['DescribeSecurityGroups', 'us-east-1', 'denied'],
      ]);
      // Page 3 of the authorization details failed: none of the users of pages 1 and 2 is emitted as if it were all of them.
      expect(snapshot.resources.filter((r) => r.type.startsWith('aws.iam.') && r.type !== 'aws.iam.server-certificate')).toEqual([]);
      expect(snapshot.resources.filter((r) => r.type === 'aws.kms.key' && r.region === 'eu-west-1')).toEqual([]);
      expect(snapshot.resources.filter((r) => r.type === 'aws.ec2.security-group' && r.region === 'us-east-1')).toEqual([]);
      const r = run(snapshot, 'aws/iam/aws-iam-user-console-mfa.yaml', 'aws/kms/aws-kms-key-rotation.yaml', 'aws/ec2/aws-ec2-sg-no-admin-ports-ipv4.yaml', 'aws/iam/aws-iam-support-role.yaml');
      const byRule = (id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => [f.resource.region, f.status]);
      expect(byRule('aws-iam-user-console-mfa')).toEqual([['global', 'UNKNOWN']]);
      expect(byRule('aws-kms-key-rotation')).toEqual(expect.arrayContaining([['eu-west-1', 'UNKNOWN']]));
      expect(byRule('aws-ec2-sg-no-admin-ports-ipv4')).toEqual(expect.arrayContaining([['us-east-1', 'UNKNOWN']]));
      expect(byRule('aws-iam-support-role')).toEqual([['global', 'UNKNOWN']]);
      for (const id of ['CC6.1', 'CC6.6']) expect(r.frameworks.soc2.controls.find((c) => c.id === id)!.status).not.toBe('PASS');
    });
  });
});

describe('secrets', () => {
  it('no secret key or session token reaches the logs (debug level, with failures), the coverage or the snapshot', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    const faults = [
      { op: 's3:GetBucketAcl', kind: 'denied' as const },
      { op: 'kms:*', kind: 'throttled' as const },
      { op: 'ec2:DescribeInstances', kind: 'custom' as const, code: 'SignatureDoesNotMatch', status: 403 },
    ];
    await withFake({ scenario: loadScenario('acme-org'), faults }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, { org: true, roleName: 'TrustScanAudit', externalId: 'acme-ext-1', log });
      expect(fake.sessions.length).toBeGreaterThan(1);
      expect(gaps(snapshot).length).toBeGreaterThan(5);
      const text = JSON.stringify(snapshot) + lines.join('');
      for (const s of fake.sessions) {
        expect(text).not.toContain(s.secretAccessKey);
        expect(text).not.toContain(s.sessionToken);
      }
      expect(text).not.toContain('fake-secret');
    });
  });
});

describe('an ACL grant that does not say who or what', () => {
  it('leaves the ACL unknown: a group grant without its URI may be to AllUsers', async () => {
    const rewrite = { 's3:GetBucketAcl': (body: string) => body.replace(/<URI>[^<]*<\/URI>/g, '') };
    await withFake({ scenario: loadScenario('acme-org'), rewrite }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, { accounts: ['222222222222'], roleName: 'TrustScanAudit', externalId: 'acme-ext-1' });
      expect(find(snapshot, 'aws.s3.bucket', 'acme-prod-public').unknown).toEqual(['acl']);
      const r = run(snapshot, 'aws/s3/aws-s3-bucket-no-public-acl.yaml');
      expect(r.findings.find((f) => f.resource.name === 'acme-prod-public')!.status).toBe('UNKNOWN');
    });
  });
});

describe('a security group range without its CIDR', () => {
  it('leaves the rules unknown, not a range that matches nothing', async () => {
    const rewrite = { 'ec2:DescribeSecurityGroups': (body: string) => body.replace(/<cidrIp>0\.0\.0\.0\/0<\/cidrIp>/g, '') };
    await withFake({ scenario: loadScenario('acme-org'), rewrite }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      const sg = find(snapshot, 'aws.ec2.security-group', 'bastion-ssh');
      expect(sg.unknown).toEqual(['egress', 'ingress']);
      const r = run(snapshot, 'aws/ec2/aws-ec2-sg-no-admin-ports-ipv4.yaml');
      expect(r.findings.find((f) => f.resource.name === 'bastion-ssh')!.status).toBe('UNKNOWN');
    });
  });
});

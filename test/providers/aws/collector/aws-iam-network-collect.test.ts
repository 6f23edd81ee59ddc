import { join } from 'node:path';
import type { Snapshot } from '../../../../src/core/types';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../../../src/engine/rule-loader';
import { ROOT } from '../../../helpers';
import { collectSnapshot, find, loadScenario, withFake } from './aws-helpers';
import type { Scenario } from '../../../fake-cloud/aws/scenario';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';

/** Collection of what the escalation and network analyses need, over the real SDK: prefix lists and instance profiles. */

const MGMT = '111111111111';
const ONLY_MGMT = { accounts: [MGMT] };

function run(snapshot: Snapshot, file: string) {
  const rules = loadRulesOrThrow([join(ROOT, 'rules', file)], builtinRegistry(), builtinFacts());
  return evaluate(snapshot, rules, builtinRegistry()).results.findings;
}

/** acme-org with an SSH rule open to a prefix list, a prefix list nobody refers to, and an admin role behind an instance profile. */
function scenario(): Scenario {
  const s = loadScenario('acme-org');
  const acct = s.accounts.find((a) => a.id === MGMT)!;
  const region = acct.regions.find((r) => r.name === 'us-east-1')!;
  region.prefixLists = [
    { prefixListId: 'pl-0anywhere', name: 'anywhere', entries: [{ cidr: '0.0.0.0/1' }, { cidr: '128.0.0.0/1' }] },
    { prefixListId: 'pl-0unused', name: 'unused', entries: [{ cidr: '0.0.0.0/0' }] },
  ];
  region.securityGroups = [
    ...(region.securityGroups ?? []),
    { groupId: 'sg-0viaprefix', groupName: 'ssh-via-prefix-list', description: 'ssh', ingress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, prefixListIds: ['pl-0anywhere'] }] },
  ];
  acct.iam!.roles = [
    ...(acct.iam!.roles ?? []),
    {
      name: 'app-admin',
      createDate: '2025-01-01T00:00:00Z',
      assumeRolePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      inlinePolicies: [{ name: 'all', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      instanceProfiles: ['app'],
    },
  ];
  return s;
}

describe('managed prefix lists referred to by security groups', () => {
  it('are read with the fewest calls, and one holding the whole internet fails the SSH rule', async () => {
    await withFake({ scenario: scenario() }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      const pl = find(snapshot, 'aws.ec2.prefix-list', 'anywhere');
      expect(pl.properties.entries).toEqual([
        { cidr: '0.0.0.0/1', description: null },
        { cidr: '128.0.0.0/1', description: null },
      ]);
      // Only referenced lists are read: one Describe for the region, one entries call per list.
      expect(snapshot.resources.filter((r) => r.type === 'aws.ec2.prefix-list').map((r) => r.name)).toEqual(['anywhere']);
      const calls = fake.calls.filter((c) => /PrefixList/.test(c.operation));
      expect(calls.map((c) => `${c.operation}@${c.region}`).sort()).toEqual(['DescribeManagedPrefixLists@us-east-1', 'GetManagedPrefixListEntries@us-east-1']);
      const f = run(snapshot, 'aws/ec2/aws-ec2-sg-no-admin-ports-ipv4.yaml').find((x) => x.resource.name === 'ssh-via-prefix-list');
      expect(f?.status).toBe('FAIL');
    });
  });

  it('unreadable entries make the rule UNKNOWN, never PASS', async () => {
    await withFake({ scenario: scenario(), faults: [{ op: 'ec2:GetManagedPrefixListEntries', kind: 'denied' }] }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      expect(find(snapshot, 'aws.ec2.prefix-list', 'anywhere').unknown).toEqual(['entries']);
      const f = run(snapshot, 'aws/ec2/aws-ec2-sg-no-admin-ports-ipv4.yaml').find((x) => x.resource.name === 'ssh-via-prefix-list');
      expect(f?.status).toBe('UNKNOWN');
      expect(snapshot.coverage.filter((c) => c.outcome === 'denied').map((c) => c.operation)).toEqual(['GetManagedPrefixListEntries']);
    });
  });
});

describe('instance profiles of roles', () => {
  it('are collected, so SSM on an instance whose role is an administrator is an escalation', async () => {
    const s = scenario();
    const acct = s.accounts.find((a) => a.id === MGMT)!;
    acct.iam!.users = [
      ...(acct.iam!.users ?? []),
      {
        name: 'operator',
        createDate: '2025-01-01T00:00:00Z',
        inlinePolicies: [{ name: 'ssm', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:SendCommand', Resource: '*' }] } }],
      },
    ];
    await withFake({ scenario: s }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      expect(find(snapshot, 'aws.iam.role', 'app-admin').properties.instanceProfiles).toEqual([`arn:aws:iam::${MGMT}:instance-profile/app`]);
      const f = run(snapshot, 'aws/iam/aws-iam-user-no-privilege-escalation.yaml').find((x) => x.resource.name === 'operator');
      expect(f?.status).toBe('FAIL');
      expect(JSON.stringify(f?.evidence)).toContain('role/app-admin');
    });
  });
});

describe('the credential report’s age', () => {
  it('a report generated for this scan is complete', async () => {
    await withFake({ scenario: loadScenario('acme-org') }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      const alice = find(snapshot, 'aws.iam.user', 'alice');
      expect(alice.properties.accessKeysComplete).toBe(true);
      expect(alice.properties.credentialReportGeneratedAt).toBe('2026-01-01T00:00:00Z');
    });
  });

  it('a report IAM reused misses keys created since: unknown, with its age in the reason', async () => {
    await withFake({ scenario: loadScenario('acme-org'), credentialReportPolls: 0 }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake, ONLY_MGMT);
      const alice = find(snapshot, 'aws.iam.user', 'alice');
      expect(alice.unknown).toContain('accessKeysComplete');
      expect(alice.unknownReasons?.accessKeysComplete).toMatch(/reused a credential report generated 2026-01-01T00:00:00Z \(.* old when this scan read it\): access keys created since are not in it/);
      const f = run(snapshot, 'aws/iam/aws-iam-user-single-active-key.yaml').find((x) => x.resource.name === 'alice');
      expect(f?.status).toBe('UNKNOWN');
      expect(f?.unknownReasons?.join(' ')).toMatch(/reused a credential report/);
    });
  });
});

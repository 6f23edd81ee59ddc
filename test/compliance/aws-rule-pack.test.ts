import { coverageOf, type CoverageReport, type FrameworkCoverage } from '../../src/compliance/coverage';
import type { Finding, Results } from '../../src/core/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, DEMO, ROOT } from '../helpers';
import { builtinCatalog } from '../../src/catalog';

const CIS_AWS_V3 = 'cis-aws-foundations-v3.0.0';
/** The SOC 2 criteria the AWS rules evidence, in the framework's order (rules/README.md says why each of the others is MANUAL). */
const AWS_SOC2_COVERED = ['CC2.1', 'CC3.2', 'CC3.4', 'CC4.1', 'CC4.2', 'CC5.2', 'CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC6.7', 'CC6.8', 'CC7.1', 'CC7.2', 'CC7.3', 'CC7.4', 'CC7.5', 'CC8.1', 'CC9.1', 'A1.1', 'A1.2', 'A1.3', 'C1.1', 'C1.2', 'PI1.4', 'PI1.5'];
const catalog = builtinCatalog();
const CIS_AWS_V3_RECOMMENDATIONS = catalog.frameworks.get(CIS_AWS_V3)!.criteria;
const rules = catalog.loadRules();
const aws = rules.filter((r) => r.typeDef.provider === 'aws');
const full = coverageOf(aws.map((r) => ({ id: r.def.id, provider: 'aws', mapping: r.mapping })), catalog.frameworks);
const of = (r: CoverageReport, fw: string): FrameworkCoverage => r.coverage.find((c) => c.provider === 'aws' && c.framework.id === fw)!;
const report = { cis: { recommendations: of(full, CIS_AWS_V3).criteria }, soc2: of(full, 'soc2').criteria, summary: { soc2: of(full, 'soc2').summary } };

/** Services the AWS rule pack is responsible for (IAM Access Analyzer is part of IAM in CIS). */
const PACK_SERVICES = new Set(['iam', 's3', 'cloudtrail', 'kms', 'ec2', 'access-analyzer', 'rds', 'efs', 'config', 'cloudwatch', 'securityhub', 'macie']);

describe('the AWS rule pack', () => {
  it('has at least 45 rules across IAM, S3, CloudTrail, KMS and EC2', () => {
    expect(aws.length).toBeGreaterThanOrEqual(45);
    const services = new Set(aws.map((r) => r.def.id.split('-')[1]));
    expect([...services].sort()).toEqual(['backup', 'cloudfront', 'cloudtrail', 'cloudwatch', 'config', 'dynamodb', 'ec2', 'ecr', 'efs', 'elbv2', 'guardduty', 'iam', 'kms', 'lambda', 'macie', 'opensearch', 'rds', 'redshift', 's3', 'secretsmanager', 'securityhub', 'sns', 'sqs']);
  });

  it.each(aws.map((r) => [r.def.id, r] as const))('%s has console and CLI remediation steps', (_id, r) => {
    expect(r.def.remediation.console?.trim()).toBeTruthy();
    expect(r.def.remediation.cli?.trim()).toBeTruthy();
  });

  it('covers every CIS v3.0.0 recommendation IAM, S3, CloudTrail, KMS and EC2 settings can show', () => {
    const missing = report.cis.recommendations.filter((r) => PACK_SERVICES.has(CIS_AWS_V3_RECOMMENDATIONS.find((x) => x.id === r.id)!.service ?? '') && !r.covered);
    // what is left is a judgement, not a setting: federation as the way people sign in, peering routes
    expect(missing.map((r) => r.id)).toEqual(['1.21', '5.5']);
    expect(missing.every((r) => r.assessment === 'manual')).toBe(true);
  });

  it('says why each CIS recommendation it does not cover is not covered', () => {
    for (const r of report.cis.recommendations.filter((x) => !x.covered)) {
      expect(CIS_AWS_V3_RECOMMENDATIONS.find((x) => x.id === r.id)?.gap).toBeTruthy();
    }
  });

  it('has the whole benchmark (rules citing an id it lacks do not load: rules validate reports them)', () => {
    expect(CIS_AWS_V3_RECOMMENDATIONS).toHaveLength(62);
  });

  it('gives automated evidence for every SOC 2 criterion a cloud setting can evidence', () => {
    const covered = report.soc2.filter((c) => c.covered).map((c) => c.id);
    // Issue 17 asks for at least 26; each one is argued in rules/README.md.
    expect(covered).toEqual(AWS_SOC2_COVERED);
    for (const c of report.soc2.filter((x) => !x.covered)) expect(c.note).toBeTruthy();
  });

  it('maps every rule to SOC 2 with a rationale an auditor can read', () => {
    for (const r of aws) {
      expect(r.def.soc2.length).toBeGreaterThan(0);
      for (const m of r.def.soc2) expect(m.rationale.trim().length).toBeGreaterThan(20);
    }
  });
});

describe('rules/README.md on SOC 2 coverage', () => {
  const readme = readFileSync(join(ROOT, 'rules', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## SOC 2 coverage: what stays MANUAL, and why'));
  const order = catalog.frameworks.get('soc2')!.criteria.map((c) => c.id);
  /** `CC1.1–CC1.5` → every id from the first to the last, in the framework's order. */
  const expand = (cell: string): string[] => {
    const [from, to] = cell.split('–');
    const a = order.indexOf(from);
    const b = order.indexOf(to ?? from);
    expect([a, b].every((i) => i >= 0) && a <= b).toBe(true);
    return order.slice(a, b + 1);
  };

  it('lists the covered criteria the rules actually cover', () => {
    const sentence = /these (\d+) criteria have automated evidence: (.+?)\. The other/.exec(section.replace(/\s+/g, ' '));
    expect(sentence).not.toBeNull();
    const listed = sentence![2].replace(' and ', ', ').split(', ').map((x) => x.trim());
    expect(listed).toEqual(AWS_SOC2_COVERED);
    expect(Number(sentence![1])).toBe(AWS_SOC2_COVERED.length);
  });

  it('says why every criterion the AWS rules do not cover stays MANUAL, and lists none they cover', () => {
    const rows = section.split('\n').filter((l) => /^\| (CC|A|C|PI|P)\d/.test(l));
    const inTable = rows.flatMap((l) => expand(l.split('|')[1].trim().split(' ')[0]));
    const uncovered = report.soc2.filter((c) => !c.covered).map((c) => c.id);
    expect(inTable).toEqual(uncovered);
    // each row gives a reason and the evidence to ask for instead
    for (const l of rows) expect(l.split('|').slice(2, 4).every((cell) => cell.trim().length > 20)).toBe(true);
  });
});

describe('trustscan rules coverage', () => {
  it('prints which SOC 2 criteria and CIS ids are covered by which rules, and which are not', async () => {
    const r = await cli(['rules', 'coverage', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CC6\.8 +│ rules +│ [^│]*aws-iam-role-no-privilege-escalation/);
    expect(r.stdout).toMatch(/CC6\.4 +│ MANUAL/);
    expect(r.stdout).toMatch(/2\.3\.1 +│ rules +│ [^│]*aws-rds-instance-storage-encrypted/);
    expect(r.stdout).toMatch(/cis-aws-foundations-v3\.0\.0 \(aws\): 57 of 62 criteria covered/);
    expect(r.stdout).toMatch(/SOC 2 \(aws\): 26 of 61 criteria covered; the other 35 stay MANUAL/);
    expect(r.stdout).toMatch(/A1\.3 +│ rules +│ [^│]*aws-backup-restore-tested/);
    expect(r.stdout).toMatch(/4\.3 +│ rules +│ [^│]*aws-/);
  });

  it('emits the same report as JSON', async () => {
    const r = await cli(['rules', 'coverage', '--format', 'json']);
    const json = JSON.parse(r.stdout) as CoverageReport;
    expect(of(json, CIS_AWS_V3).criteria.find((x) => x.id === '1.16')?.rules).toEqual(['aws-iam-policy-no-full-admin']);
    expect(of(json, 'soc2').summary).toEqual(report.summary.soc2);
  });
});

describe('the demo organization', () => {
  let plain: Results;
  let allowed: Results;
  beforeAll(async () => {
    plain = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json'])).stdout) as Results;
    const privileged = ['--privileged', 'arn:aws:iam::*:role/OrganizationAccountAccessRole', '--privileged', 'arn:aws:iam::111111111111:user/break-glass-admin'];
    allowed = JSON.parse((await cli(['evaluate', DEMO, '--format', 'json', ...privileged])).stdout) as Results;
  });
  const find = (r: Results, rule: string, name: string): Finding | undefined => r.findings.find((f) => f.ruleId === rule && f.resource.name === name);

  it('shows a user whose pass-role rights, from the union of two policies, only lack a more privileged role', () => {
    // No role of the account that Lambda may assume is more privileged: not an escalation today…
    expect(find(plain, 'aws-iam-user-no-privilege-escalation', 'release-bot')?.status).toBe('PASS');
    // …but a potential one, found only by putting the two policies together.
    const f = find(plain, 'aws-iam-user-potential-privilege-escalation', 'release-bot');
    expect(f?.status).toBe('FAIL');
    const paths = f?.evidence['facts.permissions.potentialEscalation'] as { method: string; sources: string[] }[];
    expect(paths).toEqual([
      expect.objectContaining({
        method: 'pass-role-lambda-invoke',
        sources: ['arn:aws:iam::222222222222:policy/release-lambda-deploy', 'arn:aws:iam::222222222222:policy/release-pass-role'],
      }),
    ]);
    // neither policy escalates on its own
    for (const name of ['release-lambda-deploy', 'release-pass-role']) expect(find(plain, 'aws-iam-policy-no-privilege-escalation', name)?.status).toBe('PASS');
  });

  it('shows a bucket that is public only through its policy', () => {
    expect(find(plain, 'aws-s3-bucket-policy-not-public', 'acme-prod-marketing-site')?.status).toBe('FAIL');
    expect(find(plain, 'aws-s3-bucket-no-public-acl', 'acme-prod-marketing-site')?.status).toBe('PASS');
    // the bucket whose policy could not be read is UNKNOWN, not PASS
    expect(find(plain, 'aws-s3-bucket-policy-not-public', 'acme-prod-invoices')?.status).toBe('UNKNOWN');
  });

  it('shows the edge and analytics services: a CloudFront distribution in front of a public website bucket, an OpenSearch domain open to the internet, a Redshift cluster whose require_ssl the scanner could not read', () => {
    expect(['aws-cloudfront-s3-origin-access', 'aws-cloudfront-viewer-https', 'aws-cloudfront-waf'].map((r) => find(plain, r, 'E2PROMO7XAMPLE')?.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(find(plain, 'aws-cloudfront-s3-origin-access', 'E1SHOP4XAMPLE')?.status).toBe('PASS');
    // aws:SourceIp 0.0.0.0/0 pins nothing: the same analyser as bucket policies says public.
    expect(find(plain, 'aws-opensearch-domain-policy-not-public', 'orders-search')?.status).toBe('FAIL');
    const ssl = find(plain, 'aws-redshift-cluster-require-ssl', 'analytics');
    expect([ssl?.status, ssl?.unknownReasons?.join(' ')]).toEqual(['UNKNOWN', expect.stringContaining('redshift:DescribeClusterParameters denied')]);
    // AWS Backup was read in the region and has no plan there: a FAIL, not an UNKNOWN.
    expect(find(plain, 'aws-rds-instance-in-backup-plan', 'billing-db')?.status).toBe('FAIL');
  });

  it('lets the privileged allow-list pass the organization admin roles and the break-glass user', () => {
    expect(find(plain, 'aws-iam-role-no-privilege-escalation', 'OrganizationAccountAccessRole')?.status).toBe('FAIL');
    expect(allowed.findings.filter((f) => f.ruleId === 'aws-iam-role-no-privilege-escalation' && f.resource.name === 'OrganizationAccountAccessRole').map((f) => f.status)).toEqual([
      'PASS',
      'PASS',
    ]);
    expect(find(allowed, 'aws-iam-user-no-admin-access', 'break-glass-admin')?.status).toBe('PASS');
    expect(find(allowed, 'aws-iam-user-no-admin-access', 'ci-deployer')?.status).toBe('FAIL');
  });
});

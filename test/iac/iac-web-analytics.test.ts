import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Resource, Results } from '../../src/core/types';
import { loadIac } from '../../src/iac/index';
import { builtinRegistry } from '../../src/catalog';
import { cli, ROOT, tempDir, writeTemp } from '../helpers';

/**
 * CloudFront, OpenSearch Service, Redshift and RDS snapshot sharing in infrastructure code (issue
 * 17): a Terraform plan and a CloudFormation template declaring the same resources give the same
 * verdicts, and a value known only after apply (or left to AWS's changing defaults) is UNKNOWN,
 * never PASS.
 */

const DIR = join(ROOT, 'fixtures', 'iac', 'web-analytics');
const SERVICES = /-(cloudfront|opensearch|redshift)-|-rds-snapshot-/;
const ACCOUNT = ['--account', '123456789012', '--region', 'us-east-1'];
const opts = { cwd: ROOT, account: '123456789012', region: 'us-east-1' };

/** Verdicts by rule and resource; a distribution (named only at apply) goes by its block or logical id, lower-cased. */
async function verdicts(args: string[]): Promise<Record<string, string>> {
  const r = await cli([...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  const fs = (JSON.parse(r.stdout) as Results).findings.filter((f: Finding) => SERVICES.test(f.ruleId));
  return Object.fromEntries(fs.map((f) => [`${f.ruleId} ${String(f.resource.name).split('.').pop()!.toLowerCase()}`, f.status]).sort());
}

const load = (file: string): Resource[] => loadIac([file], builtinRegistry(), opts).snapshot.resources;

describe('CloudFront, OpenSearch and Redshift in infrastructure code', () => {
  it('a plan and a template declaring the same resources give the same verdicts, the expected ones', async () => {
    const plan = await verdicts(['iac', join(DIR, 'plan.json'), ...ACCOUNT]);
    const template = await verdicts(['iac', join(DIR, 'template.yaml'), ...ACCOUNT]);
    // CloudFormation cannot take a manual RDS snapshot: the plan's snapshots are its own.
    expect(template).toEqual(Object.fromEntries(Object.entries(plan).filter(([k]) => !k.includes('-rds-snapshot-'))));
    expect(plan).toEqual({
      'aws-cloudfront-access-logging promo': 'PASS', // a CloudWatch Logs delivery of the same code carries its logs
      'aws-cloudfront-access-logging shop': 'PASS',
      'aws-cloudfront-origin-https promo': 'FAIL',
      'aws-cloudfront-origin-https shop': 'PASS',
      'aws-cloudfront-origin-tls-current promo': 'PASS',
      'aws-cloudfront-origin-tls-current shop': 'PASS',
      'aws-cloudfront-s3-origin-access promo': 'FAIL',
      'aws-cloudfront-s3-origin-access shop': 'PASS', // its OAC is created by the same code: set, id unknown
      'aws-cloudfront-viewer-https promo': 'FAIL',
      'aws-cloudfront-viewer-https shop': 'PASS',
      'aws-cloudfront-viewer-tls-current promo': 'FAIL',
      'aws-cloudfront-viewer-tls-current shop': 'PASS',
      'aws-cloudfront-waf promo': 'FAIL',
      'aws-cloudfront-waf shop': 'PASS',
      'aws-opensearch-domain-audit-logs logs': 'PASS',
      'aws-opensearch-domain-audit-logs search': 'FAIL',
      'aws-opensearch-domain-encrypted-at-rest logs': 'PASS',
      'aws-opensearch-domain-encrypted-at-rest search': 'FAIL',
      'aws-opensearch-domain-error-logs logs': 'PASS',
      'aws-opensearch-domain-error-logs search': 'FAIL',
      'aws-opensearch-domain-fine-grained-access logs': 'PASS',
      'aws-opensearch-domain-fine-grained-access search': 'FAIL',
      'aws-opensearch-domain-https-tls12 logs': 'PASS',
      'aws-opensearch-domain-https-tls12 search': 'FAIL',
      'aws-opensearch-domain-in-vpc logs': 'PASS',
      'aws-opensearch-domain-in-vpc search': 'FAIL',
      'aws-opensearch-domain-no-untrusted-accounts logs': 'PASS',
      'aws-opensearch-domain-no-untrusted-accounts search': 'PASS',
      'aws-opensearch-domain-node-to-node-encryption logs': 'PASS',
      'aws-opensearch-domain-node-to-node-encryption search': 'FAIL',
      'aws-opensearch-domain-policy-not-public logs': 'PASS',
      'aws-opensearch-domain-policy-not-public search': 'FAIL', // its policy is a separate resource
      'aws-rds-snapshot-encrypted orders-final': 'PASS', // taken of an encrypted instance of the plan
      'aws-rds-snapshot-encrypted reports-snap': 'UNKNOWN', // its cluster is not in the plan
      'aws-rds-snapshot-not-public orders-final': 'FAIL', // shared_accounts = ["all"]
      'aws-rds-snapshot-not-public reports-snap': 'PASS',
      'aws-rds-snapshot-not-shared-outside-org orders-final': 'PASS',
      'aws-rds-snapshot-not-shared-outside-org reports-snap': 'UNKNOWN', // whether 999988887777 is in the organization is not in the code
      'aws-redshift-cluster-audit-logging legacy': 'FAIL',
      'aws-redshift-cluster-audit-logging warehouse': 'PASS',
      'aws-redshift-cluster-encrypted legacy': 'FAIL',
      'aws-redshift-cluster-encrypted warehouse': 'PASS',
      'aws-redshift-cluster-enhanced-vpc-routing legacy': 'FAIL',
      'aws-redshift-cluster-enhanced-vpc-routing warehouse': 'PASS',
      'aws-redshift-cluster-not-public legacy': 'FAIL',
      'aws-redshift-cluster-not-public warehouse': 'PASS',
      'aws-redshift-cluster-require-ssl legacy': 'FAIL', // the original default group
      'aws-redshift-cluster-require-ssl warehouse': 'PASS', // its parameter group, from the same code
      'aws-redshift-cluster-snapshot-retention legacy': 'FAIL',
      'aws-redshift-cluster-snapshot-retention warehouse': 'PASS',
      'aws-redshift-cluster-version-upgrade legacy': 'FAIL',
      'aws-redshift-cluster-version-upgrade warehouse': 'PASS',
    });
  });

  it('maps what each service declares, and links the resources that configure another', () => {
    const tf = load(join(DIR, 'plan.json'));
    const by = (address: string) => tf.find((r) => r.source.address === address)!;
    const shop = by('aws_cloudfront_distribution.shop');
    expect([shop.region, shop.present, shop.unknown]).toEqual(['global', expect.arrayContaining(['origins.0.originAccessControlId', 'arn']), expect.arrayContaining(['standardLogging'])]);
    expect(by('aws_cloudfront_distribution.promo').properties).toMatchObject({ standardLogging: true, webAclId: null, logging: null, viewerCertificate: { source: 'cloudfront', minimumProtocolVersion: 'TLSv1' } });
    expect(by('aws_elasticsearch_domain.search').properties).toMatchObject({ engineVersion: 'Elasticsearch_7.10', vpcId: null, accessPolicy: { Statement: [{ Principal: { AWS: '*' } }] } });
    expect(by('aws_redshift_cluster.warehouse').properties).toMatchObject({ requireSsl: true, auditLogging: { enabled: true, destination: 'cloudwatch' } });
    expect(by('aws_db_snapshot.orders_final').properties).toMatchObject({ kind: 'instance', encrypted: true, restoreAccess: ['all'] });
  });

  it("left to AWS's defaults or known only after apply is UNKNOWN, never PASS", async () => {
    const plan = JSON.parse(readFileSync(join(DIR, 'plan.json'), 'utf8'));
    for (const rc of plan.resource_changes) {
      const after = rc.change.after;
      if (rc.address === 'aws_redshift_cluster.warehouse') {
        delete after.encrypted; // the default changed with AWS's newer security defaults and the provider version
        delete after.publicly_accessible;
      }
      if (rc.address === 'aws_opensearch_domain.logs') delete after.domain_endpoint_options; // AWS decides HTTPS and the TLS policy
      if (rc.address === 'aws_cloudfront_distribution.promo') {
        // An origin whose domain is another resource's attribute: a website endpoint is a website, anything else undecided.
        after.origin[0].domain_name = null;
        rc.change.after_unknown.origin = [{ domain_name: true }];
      }
    }
    plan.configuration.root_module.resources.find((r: { address: string }) => r.address === 'aws_cloudfront_distribution.promo').expressions = {
      origin: [{ domain_name: { references: ['aws_s3_bucket_website_configuration.promo.website_endpoint', 'aws_s3_bucket_website_configuration.promo'] } }],
    };
    const file = writeTemp(tempDir(), 'plan.json', JSON.stringify(plan));
    const v = await verdicts(['iac', file, ...ACCOUNT]);
    expect([v['aws-redshift-cluster-encrypted warehouse'], v['aws-redshift-cluster-not-public warehouse'], v['aws-opensearch-domain-https-tls12 logs'], v['aws-cloudfront-s3-origin-access promo']]).toEqual([
      'UNKNOWN',
      'UNKNOWN',
      'UNKNOWN',
      'FAIL', // the reference names a website endpoint: a public bucket, whatever its name turns out to be
    ]);
    plan.configuration.root_module.resources.find((r: { address: string }) => r.address === 'aws_cloudfront_distribution.promo').expressions = {
      origin: [{ domain_name: { references: ['var.origin_domain'] } }],
    };
    const other = writeTemp(tempDir(), 'plan.json', JSON.stringify(plan));
    expect((await verdicts(['iac', other, ...ACCOUNT]))['aws-cloudfront-s3-origin-access promo']).toBe('UNKNOWN');
  });

  it('a distribution without logging of its own is UNKNOWN when no delivery of the code carries its logs (one may exist outside it)', async () => {
    const dir = tempDir();
    const file = writeTemp(
      dir,
      'cf.yaml',
      [
        'Resources:',
        '  Site:',
        '    Type: AWS::CloudFront::Distribution',
        '    Properties:',
        '      DistributionConfig:',
        '        Enabled: true',
        '        DefaultCacheBehavior: { TargetOriginId: o, ViewerProtocolPolicy: https-only }',
        '        Origins: [{ Id: o, DomainName: api.example.com, CustomOriginConfig: { OriginProtocolPolicy: https-only } }]',
      ].join('\n'),
    );
    const v = await verdicts(['iac', file, ...ACCOUNT]);
    expect([v['aws-cloudfront-access-logging site'], v['aws-cloudfront-origin-tls-current site']]).toEqual(['UNKNOWN', 'UNKNOWN']);
  });
});

import { join } from 'node:path';
import type { Scenario } from '../../../fake-cloud/aws/scenario';
import { evaluate } from '../../../../src/engine/evaluate';
import { loadRulesOrThrow } from '../../../../src/engine/rule-loader';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';
import type { Finding, Snapshot } from '../../../../src/core/types';
import { ROOT } from '../../../helpers';
import { collectSnapshot, loadScenario, withFake } from './aws-helpers';

/**
 * CloudFront (global, once per account), OpenSearch Service and Redshift through the real SDK
 * clients against the fake: REST-XML, REST-JSON and Query on the wire, what went over it comes back
 * in the snapshot, each service takes the fewest calls, and a denied call leaves exactly the
 * fields it fills unknown, so the rules on them say UNKNOWN.
 */

const ACCOUNT = '555555555555';
const OPEN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: `arn:aws:es:us-east-1:${ACCOUNT}:domain/public/*` }] };

function scenario(): Scenario {
  const s = loadScenario('single-account-buckets');
  s.accounts[0].webAnalytics = {
    distributions: [
      {
        id: 'E1WEB',
        aliases: ['www.example.com'],
        viewerProtocolPolicy: 'redirect-to-https',
        behaviours: [{ pathPattern: '/api/*', targetOriginId: 'api', viewerProtocolPolicy: 'https-only' }],
        certificate: { source: 'acm', minimumProtocolVersion: 'TLSv1.2_2021' },
        origins: [
          { id: 'assets', domainName: 'assets.s3.us-east-1.amazonaws.com', s3: {}, oac: 'E2OAC' },
          { id: 'api', domainName: 'api.example.com', custom: { protocolPolicy: 'https-only', sslProtocols: ['TLSv1.2'] } },
        ],
        webAclId: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/edge/1`,
        logging: { bucket: 'cf-logs.s3.amazonaws.com', prefix: 'web/' },
      },
      {
        id: 'E2SITE',
        behaviours: [{ pathPattern: '/old/*', viewerProtocolPolicy: 'allow-all' }],
        origins: [{ id: 'site', domainName: 'site.s3-website-us-east-1.amazonaws.com', custom: { protocolPolicy: 'http-only', sslProtocols: ['SSLv3', 'TLSv1'] } }],
      },
      { id: 'E3V2LOG', viewerProtocolPolicy: 'https-only', origins: [{ id: 'b', domainName: 'b.s3.amazonaws.com', s3: { oai: 'E1OAI' } }] },
    ],
    logDeliveries: [
      { sourceName: 'cf-v2', distributions: ['E3V2LOG'] },
      { sourceName: 'cf-undelivered', distributions: ['E2SITE'], delivered: false },
    ],
    searchDomains: [
      {
        name: 'logs',
        region: 'us-east-1',
        vpcId: 'vpc-0123',
        encryptionAtRest: true,
        nodeToNodeEncryption: true,
        enforceHttps: true,
        tlsSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10',
        fineGrainedAccessControl: true,
        accessPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: '*' }] },
        logs: ['AUDIT_LOGS', 'ES_APPLICATION_LOGS'],
      },
      { name: 'public', region: 'us-east-1', engineVersion: 'Elasticsearch_7.10', accessPolicy: OPEN_POLICY, logs: ['SEARCH_SLOW_LOGS'] },
      ...Array.from({ length: 4 }, (_, i) => ({ name: `idx-${i}`, region: 'us-east-1', encryptionAtRest: true })),
    ],
    redshiftClusters: [
      { id: 'warehouse', region: 'us-east-1', encrypted: true, enhancedVpcRouting: true, snapshotRetention: 14, parameterGroup: 'secure', logging: { destination: 'cloudwatch', exports: ['connectionlog', 'userlog'] }, tags: { team: 'data' } },
      { id: 'legacy', region: 'us-east-1', publiclyAccessible: true, allowVersionUpgrade: false },
      { id: 'staging', region: 'us-east-1', encrypted: true, parameterGroup: 'secure', parameterApplyStatus: 'pending-reboot' },
    ],
    redshiftParameterGroups: [{ name: 'secure', region: 'us-east-1', requireSsl: true }],
  };
  return s;
}

const of = (snapshot: Snapshot, type: string) => snapshot.resources.filter((r) => r.type === type);
const rules = loadRulesOrThrow([join(ROOT, 'rules', 'aws', 'cloudfront'), join(ROOT, 'rules', 'aws', 'opensearch'), join(ROOT, 'rules', 'aws', 'redshift')], builtinRegistry(), builtinFacts());
const verdicts = (snapshot: Snapshot): Map<string, Finding['status']> =>
  new Map(evaluate(snapshot, rules, builtinRegistry(), { now: new Date('2026-06-01T00:00:00Z') }).results.findings.map((f) => [`${f.ruleId} ${f.resource.name}`, f.status]));

describe('CloudFront, OpenSearch and Redshift over the wire', () => {
  test('every field read comes back, with the fewest calls', async () => {
    await withFake({ scenario: scenario(), pageSize: 1 }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      expect(snapshot.coverage.filter((c) => c.outcome !== 'ok')).toEqual([]);
      const web = of(snapshot, 'aws.cloudfront.distribution').find((r) => r.name === 'E1WEB')!;
      expect([web.id, web.region, web.account]).toEqual([`arn:aws:cloudfront::${ACCOUNT}:distribution/E1WEB`, 'global', ACCOUNT]);
      expect(web.properties).toEqual({
        id: 'E1WEB',
        arn: web.id,
        domainName: 'e1web.cloudfront.net',
        aliases: ['www.example.com'],
        enabled: true,
        cacheBehaviors: [
          { pathPattern: '*', targetOriginId: 'assets', viewerProtocolPolicy: 'redirect-to-https' },
          { pathPattern: '/api/*', targetOriginId: 'api', viewerProtocolPolicy: 'https-only' },
        ],
        viewerCertificate: { source: 'acm', minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
        origins: [
          { id: 'assets', domainName: 'assets.s3.us-east-1.amazonaws.com', kind: 's3', originAccessControlId: 'E2OAC', originAccessIdentity: null, protocolPolicy: null, sslProtocols: [] },
          { id: 'api', domainName: 'api.example.com', kind: 'custom', originAccessControlId: null, originAccessIdentity: null, protocolPolicy: 'https-only', sslProtocols: ['TLSv1.2'] },
        ],
        webAclId: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/edge/1`,
        logging: { bucket: 'cf-logs.s3.amazonaws.com', prefix: 'web/', includeCookies: false },
        standardLogging: false,
      });
      const site = of(snapshot, 'aws.cloudfront.distribution').find((r) => r.name === 'E2SITE')!;
      expect([site.properties.viewerCertificate, (site.properties.origins as { kind: string }[])[0].kind, site.properties.webAclId, site.properties.logging, site.properties.standardLogging]).toEqual([
        { source: 'cloudfront', minimumProtocolVersion: 'TLSv1', sslSupportMethod: 'vip' },
        's3-website',
        null,
        null,
        false, // a delivery source without a delivery logs nothing
      ]);
      const v2 = of(snapshot, 'aws.cloudfront.distribution').find((r) => r.name === 'E3V2LOG')!;
      expect([(v2.properties.origins as { originAccessIdentity: string }[])[0].originAccessIdentity, v2.properties.logging, v2.properties.standardLogging]).toEqual(['origin-access-identity/cloudfront/E1OAI', null, true]);

      const domains = of(snapshot, 'aws.opensearch.domain');
      expect(domains.map((d) => d.name).sort()).toEqual(['idx-0', 'idx-1', 'idx-2', 'idx-3', 'logs', 'public']);
      expect(domains.find((d) => d.name === 'logs')!.properties).toEqual({
        name: 'logs',
        arn: `arn:aws:es:us-east-1:${ACCOUNT}:domain/logs`,
        engineVersion: 'OpenSearch_2.17',
        vpcId: 'vpc-0123',
        encryptionAtRest: true,
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-es`,
        nodeToNodeEncryption: true,
        enforceHttps: true,
        tlsSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10',
        accessPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: '*' }] },
        fineGrainedAccessControl: true,
        internalUserDatabase: false,
        anonymousAuth: false,
        logPublishing: { auditLogs: true, applicationLogs: true, indexSlowLogs: false, searchSlowLogs: false },
      });
      const pub = domains.find((d) => d.name === 'public')!;
      expect([pub.properties.vpcId, pub.properties.engineVersion, pub.properties.accessPolicy, pub.properties.logPublishing]).toEqual([
        null,
        'Elasticsearch_7.10',
        OPEN_POLICY,
        { auditLogs: false, applicationLogs: false, indexSlowLogs: false, searchSlowLogs: true },
      ]);

      const clusters = of(snapshot, 'aws.redshift.cluster');
      const warehouse = clusters.find((c) => c.name === 'warehouse')!;
      expect([warehouse.id, warehouse.tags]).toEqual([`arn:aws:redshift:us-east-1:${ACCOUNT}:cluster:warehouse`, { team: 'data' }]);
      expect(warehouse.properties).toEqual({
        clusterIdentifier: 'warehouse',
        arn: warehouse.id,
        nodeType: 'ra3.xlplus',
        status: 'available',
        encrypted: true,
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-redshift`,
        publiclyAccessible: false,
        enhancedVpcRouting: true,
        automatedSnapshotRetentionPeriod: 14,
        allowVersionUpgrade: true,
        parameterGroupName: 'secure',
        requireSsl: true,
        auditLogging: { enabled: true, destination: 'cloudwatch', logExports: ['connectionlog', 'userlog'] },
      });
      const legacy = clusters.find((c) => c.name === 'legacy')!;
      expect([legacy.properties.parameterGroupName, legacy.properties.requireSsl, legacy.properties.auditLogging, legacy.properties.publiclyAccessible]).toEqual([
        'default.redshift-1.0',
        false,
        { enabled: false, destination: null, logExports: [] },
        true,
      ]);
      // A parameter change waiting for a reboot is not in force: require_ssl is not known.
      const staging = clusters.find((c) => c.name === 'staging')!;
      expect([staging.properties.requireSsl, staging.unknown, staging.unknownReasons]).toEqual([null, ['requireSsl'], { requireSsl: expect.stringContaining('secure is pending-reboot') }]);

      const calls = fake.countByOperation();
      expect(
        Object.fromEntries(
          [
            'cloudfront:ListDistributions',
            'cloudfront:GetDistributionConfig',
            'logs:DescribeDeliverySources',
            'logs:DescribeDeliveries',
            'es:ListDomainNames',
            'es:DescribeDomains',
            'redshift:DescribeClusters',
            'redshift:DescribeLoggingStatus',
            'redshift:DescribeClusterParameters',
          ].map((op) => [op, calls[op]]),
        ),
      ).toEqual({
        'cloudfront:ListDistributions': 3, // page size 1, three distributions: once per account, not per region
        'cloudfront:GetDistributionConfig': 3, // legacy logging is only in the configuration
        'logs:DescribeDeliverySources': 2, // two sources, one page each
        'logs:DescribeDeliveries': 1, // one delivery
        'es:ListDomainNames': 1,
        'es:DescribeDomains': 2, // six domains, five per call
        'redshift:DescribeClusters': 3,
        'redshift:DescribeLoggingStatus': 3,
        'redshift:DescribeClusterParameters': 2 * 8, // two distinct groups (secure, the default), eight parameters a page
      });
      expect(fake.calls.filter((c) => c.service === 'cloudfront').every((c) => c.method === 'GET' && c.region === 'us-east-1')).toBe(true);
      expect(fake.calls.filter((c) => c.operation === 'DescribeDeliverySources').every((c) => c.region === 'us-east-1')).toBe(true);
    });
  });

  test('an account without distributions, domains or clusters pays one listing each, and nothing else', async () => {
    await withFake({ scenario: loadScenario('single-account-buckets') }, async (fake) => {
      const { snapshot } = await collectSnapshot(fake);
      expect(of(snapshot, 'aws.cloudfront.distribution')).toEqual([]);
      const calls = fake.countByOperation();
      expect(['cloudfront:ListDistributions', 'logs:DescribeDeliverySources', 'cloudfront:GetDistributionConfig', 'es:ListDomainNames', 'es:DescribeDomains', 'redshift:DescribeClusters', 'redshift:DescribeLoggingStatus'].map((op) => calls[op] ?? 0)).toEqual([1, 0, 0, 1, 0, 1, 0]);
    });
  });

  test('the rules decide on what was collected: pass, fail, and unknown where a call was denied', async () => {
    const clean = await withFake({ scenario: scenario() }, async (fake) => verdicts((await collectSnapshot(fake)).snapshot));
    expect(
      [
        'aws-cloudfront-viewer-https E1WEB',
        'aws-cloudfront-viewer-https E2SITE',
        'aws-cloudfront-viewer-tls-current E1WEB',
        'aws-cloudfront-viewer-tls-current E2SITE',
        'aws-cloudfront-s3-origin-access E1WEB',
        'aws-cloudfront-s3-origin-access E2SITE',
        'aws-cloudfront-s3-origin-access E3V2LOG',
        'aws-cloudfront-origin-https E2SITE',
        'aws-cloudfront-origin-tls-current E2SITE',
        'aws-cloudfront-access-logging E1WEB',
        'aws-cloudfront-access-logging E2SITE',
        'aws-cloudfront-access-logging E3V2LOG',
        'aws-cloudfront-waf E1WEB',
        'aws-opensearch-domain-policy-not-public logs',
        'aws-opensearch-domain-policy-not-public public',
        'aws-opensearch-domain-https-tls12 logs',
        'aws-opensearch-domain-audit-logs public',
        'aws-redshift-cluster-require-ssl warehouse',
        'aws-redshift-cluster-require-ssl legacy',
        'aws-redshift-cluster-require-ssl staging',
        'aws-redshift-cluster-audit-logging legacy',
        'aws-redshift-cluster-not-public legacy',
      ].map((k) => [k, clean.get(k)]),
    ).toEqual([
      ['aws-cloudfront-viewer-https E1WEB', 'PASS'],
      ['aws-cloudfront-viewer-https E2SITE', 'FAIL'],
      ['aws-cloudfront-viewer-tls-current E1WEB', 'PASS'],
      ['aws-cloudfront-viewer-tls-current E2SITE', 'FAIL'],
      ['aws-cloudfront-s3-origin-access E1WEB', 'PASS'],
      ['aws-cloudfront-s3-origin-access E2SITE', 'FAIL'],
      ['aws-cloudfront-s3-origin-access E3V2LOG', 'PASS'],
      ['aws-cloudfront-origin-https E2SITE', 'FAIL'],
      ['aws-cloudfront-origin-tls-current E2SITE', 'PASS'], // an HTTP-only origin negotiates no TLS at all (origin-https fails it)
      ['aws-cloudfront-access-logging E1WEB', 'PASS'],
      ['aws-cloudfront-access-logging E2SITE', 'FAIL'],
      ['aws-cloudfront-access-logging E3V2LOG', 'PASS'],
      ['aws-cloudfront-waf E1WEB', 'PASS'],
      ['aws-opensearch-domain-policy-not-public logs', 'PASS'],
      ['aws-opensearch-domain-policy-not-public public', 'FAIL'],
      ['aws-opensearch-domain-https-tls12 logs', 'PASS'],
      ['aws-opensearch-domain-audit-logs public', 'FAIL'],
      ['aws-redshift-cluster-require-ssl warehouse', 'PASS'],
      ['aws-redshift-cluster-require-ssl legacy', 'FAIL'],
      ['aws-redshift-cluster-require-ssl staging', 'UNKNOWN'],
      ['aws-redshift-cluster-audit-logging legacy', 'FAIL'],
      ['aws-redshift-cluster-not-public legacy', 'FAIL'],
    ]);

    const denied = await withFake(
      {
        scenario: scenario(),
        faults: [
          { op: 'cloudfront:GetDistributionConfig', kind: 'denied', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2SITE` },
          { op: 'logs:DescribeDeliverySources', kind: 'denied' },
          { op: 'redshift:DescribeLoggingStatus', kind: 'denied', resource: `arn:aws:redshift:us-east-1:${ACCOUNT}:cluster:legacy` },
          { op: 'redshift:DescribeClusterParameters', kind: 'denied' },
        ],
      },
      async (fake) => {
        const { snapshot } = await collectSnapshot(fake);
        const dist = (name: string) => of(snapshot, 'aws.cloudfront.distribution').find((r) => r.name === name)!;
        expect([dist('E2SITE').unknown, dist('E1WEB').unknown]).toEqual([['logging', 'standardLogging'], ['standardLogging']]);
        // A denial on the shared parameter group is named in each cluster's reasons, not just "not readable".
        expect(of(snapshot, 'aws.redshift.cluster').find((c) => c.name === 'warehouse')!.unknownReasons!.requireSsl).toMatch(/^redshift:DescribeClusterParameters denied for parameter group secure/);
        expect(of(snapshot, 'aws.redshift.cluster').map((c) => [c.name, c.unknown]).sort()).toEqual([
          ['legacy', ['auditLogging', 'requireSsl']],
          ['staging', ['requireSsl']],
          ['warehouse', ['requireSsl']],
        ]);
        return verdicts(snapshot);
      },
    );
    expect(
      ['aws-cloudfront-access-logging E1WEB', 'aws-cloudfront-access-logging E2SITE', 'aws-cloudfront-access-logging E3V2LOG', 'aws-redshift-cluster-audit-logging legacy', 'aws-redshift-cluster-audit-logging warehouse', 'aws-redshift-cluster-require-ssl warehouse'].map((k) => [k, denied.get(k)]),
    ).toEqual([
      ['aws-cloudfront-access-logging E1WEB', 'PASS'], // legacy logging read: the deliveries do not matter
      ['aws-cloudfront-access-logging E2SITE', 'UNKNOWN'],
      ['aws-cloudfront-access-logging E3V2LOG', 'UNKNOWN'], // its only logging is a delivery, which could not be read
      ['aws-redshift-cluster-audit-logging legacy', 'UNKNOWN'],
      ['aws-redshift-cluster-audit-logging warehouse', 'PASS'],
      ['aws-redshift-cluster-require-ssl warehouse', 'UNKNOWN'],
    ]);
  });

  test('a denied listing leaves no resource and an UNKNOWN per rule, never a silent pass', async () => {
    await withFake(
      { scenario: scenario(), faults: [{ op: 'cloudfront:ListDistributions', kind: 'denied' }, { op: 'es:DescribeDomains', kind: 'denied', resource: 'logs,public,idx-0,idx-1,idx-2' }, { op: 'redshift:DescribeClusters', kind: 'throttled' }] },
      async (fake) => {
        const { snapshot } = await collectSnapshot(fake);
        expect(of(snapshot, 'aws.cloudfront.distribution')).toEqual([]);
        expect(of(snapshot, 'aws.redshift.cluster')).toEqual([]);
        // One batch of five denied: only the sixth domain was read.
        expect(of(snapshot, 'aws.opensearch.domain')).toHaveLength(1);
        const gaps = snapshot.coverage.filter((c) => c.outcome !== 'ok').map((c) => `${c.service}:${c.operation} ${c.outcome}`);
        expect(gaps.sort()).toEqual(['cloudfront:ListDistributions denied', 'es:DescribeDomains denied', 'redshift:DescribeClusters throttled']);
        const findings = evaluate(snapshot, rules, builtinRegistry(), { now: new Date('2026-06-01T00:00:00Z') }).results.findings;
        const placeholders = findings.filter((f) => f.resource.id.startsWith('unlisted:'));
        expect(new Set(placeholders.map((f) => f.ruleId.split('-')[1]))).toEqual(new Set(['cloudfront', 'opensearch', 'redshift']));
        expect(placeholders.every((f) => f.status === 'UNKNOWN')).toBe(true);
      },
    );
  });
});

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { bool, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.opensearch.domain` — an Amazon OpenSearch Service domain (OpenSearch or legacy
 * Elasticsearch engine): encryption, endpoint exposure, access policy, fine-grained access control
 * and log publishing. Id: the domain ARN.
 */
export const awsOpenSearchDomain: ResourceTypeDef = {
  type: 'aws.opensearch.domain',
  provider: 'aws',
  description: 'An OpenSearch Service domain: encryption at rest and between nodes, HTTPS and TLS policy, VPC or public endpoint, access policy, fine-grained access control, log publishing.',
  scope: 'regional',
  properties: obj({
    name: str(),
    arn: str(),
    engineVersion: str('OpenSearch_2.17, Elasticsearch_7.10, …'),
    vpcId: nullable(str(), 'the VPC its endpoint is in; null for a public endpoint'),
    encryptionAtRest: bool(),
    kmsKeyId: nullable(str()),
    nodeToNodeEncryption: bool(),
    enforceHttps: bool(),
    tlsSecurityPolicy: nullable(str('Policy-Min-TLS-1-0-2019-07, Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10')),
    accessPolicy: policyDocument('domain access policy; null when none'),
    fineGrainedAccessControl: bool('fine-grained access control (advanced security options) is on'),
    internalUserDatabase: bool('users of the internal database can sign in (fine-grained access control)'),
    anonymousAuth: bool('anonymous requests are let in (a migration setting of fine-grained access control)'),
    logPublishing: obj(
      {
        auditLogs: bool(),
        applicationLogs: bool('error logs (ES_APPLICATION_LOGS)'),
        indexSlowLogs: bool(),
        searchSlowLogs: bool(),
      },
      'log types published to CloudWatch Logs (enabled, with a log group)',
    ),
  }),
  operations: [
    { op: 'es:ListDomainNames', lists: true },
    { op: 'es:DescribeDomains', lists: true },
  ],
};

import { join } from 'node:path';
import type { ProviderPlugin } from '../../core/provider-plugin';
import { PACKAGE_ROOT } from '../../core/version';
import { AWS_COLLECTOR_OPTIONS, AWS_CONFIG_SCHEMA } from './collector-options';
import { AWS_FACTS } from './facts/index';
import { AWS_TYPES } from './types/index';
import { accountsReachingRole, principalsTrusted, roleSettledAlone } from './facts/iam-reach';

/**
 * Amazon Web Services as a trustscan provider. Importing this module loads no AWS SDK: the
 * collector's runtime (and with it the SDK) is loaded by `collector.load()` only.
 */
export const awsProvider: ProviderPlugin = {
  id: 'aws',
  name: 'Amazon Web Services',
  shortName: 'AWS',
  unit: { singular: 'account', plural: 'accounts' },
  types: AWS_TYPES,
  facts: AWS_FACTS,
  ruleDirs: [join(PACKAGE_ROOT, 'rules', 'aws')],
  topology: { unitType: 'aws.account', organizationIdPath: 'organizationId', managementUnitPath: 'organizationManagementAccount' },
  // Facts that look across accounts: an AWS-managed policy listed in another account, a trail's key in a security account.
  evaluationContext: {
    // The privilege-escalation graph follows role assumption across accounts (a user of one may
    // assume a role another trusts it with, then act there): the principals and policies of every
    // account a role's trust reaches from the evaluated ones; instances only by their profile.
    // A role that is administrator by its own policies (the role Organizations creates in every
    // member) or leads nowhere (an audit role) is loaded alone: reaching it settles the
    // escalation, whatever its account holds.
    reach: {
      types: ['aws.iam.user', 'aws.iam.role', 'aws.iam.group', 'aws.iam.policy'],
      from: { 'aws.iam.role': accountsReachingRole },
      terminal: { 'aws.iam.role': roleSettledAlone },
      names: { 'aws.iam.role': principalsTrusted },
    },
    lookups: [
      { type: 'aws.iam.policy', by: 'arn' },
      { type: 'aws.kms.key', by: 'arn' },
      // CIS section 4 chains: an organization trail's log group, filters, alarms and topics live in another account.
      { type: 'aws.sns.topic', by: 'arn' },
      { type: 'aws.account', by: 'accountId' },
      { type: 'aws.logs.metric-filter', by: 'logGroupName' },
      { type: 'aws.cloudwatch.alarm', by: 'metricName' },
      // A security group in code naming a prefix list the same code declares (its pl- id comes at deploy).
      { type: 'aws.ec2.prefix-list', by: '$id' },
      { type: 'aws.ec2.instance', by: 'iamInstanceProfileArn' },
    ],
  },
  collector: {
    description: 'read AWS accounts (IAM, S3, CloudTrail, KMS, EC2, Access Analyzer, RDS, DynamoDB, AWS Backup, Secrets Manager, EFS, Config, GuardDuty, Security Hub, Macie, CloudWatch, SNS, SQS, ECR, ELBv2, Lambda, CloudFront, OpenSearch, Redshift) through the AWS SDK, read-only',
    options: AWS_COLLECTOR_OPTIONS,
    configSchema: AWS_CONFIG_SCHEMA,
    load: async () => (await import('./collector/runtime')).awsCollectorRuntime,
  },
  // Loaded by `trustscan iac` only (a synchronous require: the readers are synchronous).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  iac: { load: () => (require('./iac/index') as typeof import('./iac/index')).awsIac },
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.redshift.cluster` — a provisioned Amazon Redshift cluster: encryption, exposure, routing,
 * snapshots, upgrades, audit logging and whether its parameter group requires SSL. Id: the cluster
 * ARN (`arn:<partition>:redshift:<region>:<account>:cluster:<id>`).
 */
export const awsRedshiftCluster: ResourceTypeDef = {
  type: 'aws.redshift.cluster',
  provider: 'aws',
  description: 'A Redshift cluster: encryption, public accessibility, enhanced VPC routing, automated snapshots, version upgrades, audit logging, require_ssl.',
  scope: 'regional',
  properties: obj({
    clusterIdentifier: str(),
    arn: str(),
    nodeType: str(),
    status: str('available, paused, creating, …'),
    encrypted: bool(),
    kmsKeyId: nullable(str()),
    publiclyAccessible: bool(),
    enhancedVpcRouting: bool(),
    automatedSnapshotRetentionPeriod: int('days automated snapshots are kept; 0 turns them off'),
    allowVersionUpgrade: bool('major version upgrades are applied in the maintenance window'),
    parameterGroupName: nullable(str()),
    requireSsl: bool('the require_ssl parameter of its parameter group, as in effect'),
    auditLogging: obj({
      enabled: bool(),
      destination: nullable(strEnum(['s3', 'cloudwatch'])),
      logExports: arr(str(), 'connectionlog, userlog, useractivitylog (CloudWatch destination)'),
    }),
  }),
  operations: [
    { op: 'redshift:DescribeClusters', lists: true },
    { op: 'redshift:DescribeLoggingStatus', paths: ['auditLogging'] },
    { op: 'redshift:DescribeClusterParameters', paths: ['requireSsl'] },
  ],
  runtimeOnly: ['status'],
};

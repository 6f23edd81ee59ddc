import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, dateTime, nullable, obj, str, stringMap } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.backup.region`: AWS Backup in one region of an account. Id:
 * `arn:<partition>:backup:<region>:<account>:region-settings`. Which resource types AWS Backup
 * may back up there (a plan skips a type that is not opted in), and the resources that have a
 * recovery point.
 */
export const awsBackupRegion: ResourceTypeDef = {
  type: 'aws.backup.region',
  provider: 'aws',
  description: 'AWS Backup settings of one region: resource types opted in, and the resources that have recovery points.',
  scope: 'regional',
  properties: obj({
    resourceTypeOptIn: { ...stringMap('resource type (RDS, Aurora, DynamoDB, EFS, …) → whether AWS Backup may back it up'), additionalProperties: { type: 'boolean' } },
    protectedResources: arr(obj({ resourceArn: str(), resourceType: str(), lastBackupTime: nullable(dateTime()) }), 'resources with at least one recovery point'),
  }),
  operations: [
    { op: 'backup:DescribeRegionSettings', paths: ['resourceTypeOptIn'] },
    { op: 'backup:ListProtectedResources', paths: ['protectedResources'] },
  ],
  runtimeOnly: ['protectedResources'],
};

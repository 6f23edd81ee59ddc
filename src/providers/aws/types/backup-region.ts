import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, dateTime, nullable, obj, str, stringMap } from '../../../core/resource-types/schema-helpers';

/** How far back the collector lists restore jobs: a quarter and some, so a rule may ask for a quarterly restore test. */
export const RESTORE_JOB_WINDOW_DAYS = 100;

/**
 * `aws.backup.region`: AWS Backup in one region of an account. Id:
 * `arn:<partition>:backup:<region>:<account>:region-settings`. Which resource types AWS Backup
 * may back up there (a plan skips a type that is not opted in), the resources that have a
 * recovery point, and the restore jobs of the last RESTORE_JOB_WINDOW_DAYS days (restore tests
 * and manual restores): the record that recovery was tried.
 */
export const awsBackupRegion: ResourceTypeDef = {
  type: 'aws.backup.region',
  provider: 'aws',
  description: 'AWS Backup in one region: resource types opted in, the resources that have recovery points, and recent restore jobs.',
  scope: 'regional',
  properties: obj({
    resourceTypeOptIn: { ...stringMap('resource type (RDS, Aurora, DynamoDB, EFS, …) → whether AWS Backup may back it up'), additionalProperties: { type: 'boolean' } },
    protectedResources: arr(obj({ resourceArn: str(), resourceType: str(), lastBackupTime: nullable(dateTime()) }), 'resources with at least one recovery point'),
    restoreJobs: nullable(
      arr(
        obj({
          resourceType: str('AWS Backup resource type restored (RDS, Aurora, DynamoDB, EFS, EBS, …)'),
          status: str('PENDING, RUNNING, COMPLETED, ABORTED or FAILED'),
          creationDate: dateTime(),
          completionDate: nullable(dateTime()),
          restoreTestingPlanArn: nullable(str(), 'the restore testing plan that started the job; null for a restore started by hand'),
          validationStatus: nullable(str(), 'FAILED, SUCCESSFUL, TIMED_OUT or VALIDATING; null when no validation was reported'),
        }),
      ),
      `restore jobs created in the ${RESTORE_JOB_WINDOW_DAYS} days before the scan; null when not read because AWS Backup protects nothing in the region; absent from snapshots written before it was read (unknown there)`,
    ),
  }, undefined, ['restoreJobs']),
  operations: [
    { op: 'backup:DescribeRegionSettings', paths: ['resourceTypeOptIn'] },
    { op: 'backup:ListProtectedResources', paths: ['protectedResources'] },
    { op: 'backup:ListRestoreJobs', paths: ['restoreJobs'] },
  ],
  runtimeOnly: ['protectedResources', 'restoreJobs'],
  // Read since the SOC 2 additions of issue 17: absent from an older snapshot, which is "not read", not "none".
  addedLater: ['restoreJobs'],
};

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

const condition = obj({
  operator: strEnum(['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike']),
  key: str('a tag key (without the aws:ResourceTag/ prefix)'),
  value: str(),
});

/**
 * `aws.backup.plan`. Id: the plan ARN; region: its region (a plan backs up resources of its own
 * account and region). Selections are the resource assignments: `resources` and `listOfTags` add
 * resources (either one), `conditions` must all hold, `notResources` take resources out.
 */
export const awsBackupPlan: ResourceTypeDef = {
  type: 'aws.backup.plan',
  provider: 'aws',
  description: 'An AWS Backup plan with its rules (schedule, retention, copies) and resource selections.',
  scope: 'regional',
  properties: obj({
    backupPlanId: str(),
    arn: str(),
    name: str(),
    rules: arr(
      obj({
        ruleName: str(),
        targetVaultName: str(),
        scheduleExpression: nullable(str(), 'cron(…) or rate(…); null for on-demand only'),
        deleteAfterDays: nullable(int(), 'retention of recovery points; null keeps them forever'),
        moveToColdStorageAfterDays: nullable(int()),
        copyActions: arr(obj({ destinationVaultArn: str(), deleteAfterDays: nullable(int()) })),
      }),
    ),
    selections: arr(
      obj({
        selectionName: str(),
        resources: arr(str(), 'ARN patterns (* wildcards) of the resources assigned'),
        notResources: arr(str(), 'ARN patterns of resources left out'),
        listOfTags: arr(obj({ key: str(), value: str() }), 'resources carrying any one of these tags are assigned'),
        conditions: arr(condition, 'every one must hold for a resource to be assigned'),
      }),
    ),
  }),
  operations: [
    { op: 'backup:ListBackupPlans', lists: true },
    { op: 'backup:GetBackupPlan', paths: ['rules'] },
    { op: 'backup:ListBackupSelections', paths: ['selections'] },
    { op: 'backup:GetBackupSelection', paths: ['selections'] },
  ],
};

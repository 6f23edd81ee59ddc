import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/** `aws.guardduty.detector` — a GuardDuty detector (at most one per account and region). Id: `arn:aws:guardduty:<region>:<account>:detector/<id>`. */
export const awsGuardDutyDetector: ResourceTypeDef = {
  type: 'aws.guardduty.detector',
  provider: 'aws',
  description: 'A GuardDuty detector with its status and protection features.',
  scope: 'regional',
  properties: obj({
    detectorId: str(),
    status: nullable(str('ENABLED, DISABLED')),
    findingPublishingFrequency: nullable(str()),
    features: arr(obj({ name: str(), status: str('ENABLED, DISABLED') }), 'protection plans (S3, EKS, RDS, Lambda, malware, runtime)'),
  }),
  operations: [
    { op: 'guardduty:ListDetectors', lists: true },
    { op: 'guardduty:GetDetector', paths: ['status', 'findingPublishingFrequency', 'features', '$tags'] },
  ],
};

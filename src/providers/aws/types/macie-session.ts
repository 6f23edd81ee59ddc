import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { nullable, obj, str } from '../../../core/resource-types/schema-helpers';

/**
 * `aws.macie.session` — Amazon Macie in an account and region (GetMacieSession). Where Macie was
 * never enabled there is none: Macie proves that with AccessDeniedException "Macie is not
 * enabled", told apart from a real denial by its message. Id: `arn:aws:macie2:<region>:<account>:session`.
 */
export const awsMacieSession: ResourceTypeDef = {
  type: 'aws.macie.session',
  provider: 'aws',
  description: 'Amazon Macie, where it is enabled (ENABLED or PAUSED), per account and region.',
  scope: 'regional',
  properties: obj({
    status: str('ENABLED, PAUSED'),
    findingPublishingFrequency: nullable(str()),
    serviceRole: nullable(str()),
  }),
  operations: [{ op: 'macie2:GetMacieSession', lists: true }],
  runtimeOnly: ['status'],
};

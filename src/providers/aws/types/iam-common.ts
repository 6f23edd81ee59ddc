import { arr, nullable, obj, policyDocument, str } from '../../../core/resource-types/schema-helpers';

/** Managed policies attached to a user, group or role. */
export const attachedPolicies = arr(obj({ policyName: str(), policyArn: str() }), 'attached managed policies');

/** Inline policies embedded in a user, group or role, documents decoded. */
export const inlinePolicies = arr(obj({ policyName: str(), document: policyDocument() }), 'inline policies');

export const permissionsBoundary = nullable(
  obj({ type: str(), arn: str() }),
  'permissions boundary; null when none',
);

/** Operations behind the IAM authorization data (users, groups, roles, policies). */
export const GAAD = 'iam:GetAccountAuthorizationDetails';

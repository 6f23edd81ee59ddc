import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { attachedPolicies, GAAD, inlinePolicies, permissionsBoundary } from './iam-common';

const credentialReportPaths = ['passwordEnabled', 'passwordLastUsed', 'passwordLastChanged', 'mfaActive', 'accessKeys', 'credentialReportGeneratedAt', 'accessKeysComplete'];

/** `aws.iam.user`. Id: the user ARN; region `global`. Credential fields come from the credential report. */
export const awsIamUser: ResourceTypeDef = {
  type: 'aws.iam.user',
  provider: 'aws',
  description: 'An IAM user with its credentials, group memberships and policies.',
  scope: 'global',
  properties: obj({
    userName: str(),
    userId: str(),
    arn: str(),
    path: str(),
    createDate: dateTime(),
    passwordEnabled: bool('has a console password (login profile)'),
    passwordLastUsed: nullable(dateTime(), 'null when never used or no information'),
    passwordLastChanged: nullable(dateTime()),
    mfaActive: bool('has at least one MFA device'),
    accessKeys: arr(
      obj({
        slot: int('1 or 2, as in the credential report'),
        active: bool(),
        lastRotated: nullable(dateTime(), 'creation or last rotation'),
        lastUsedDate: nullable(dateTime(), 'null when never used'),
        lastUsedService: nullable(str()),
      }),
      'access keys that exist (active or inactive)',
    ),
    credentialReportGeneratedAt: nullable(dateTime(), 'when IAM generated the credential report the credential fields come from'),
    accessKeysComplete: bool(
      'true when the credential report was generated for this scan, so no key is missing from accessKeys; unknown (with the report’s age) when IAM reused an older report, which misses keys created since; absent in infrastructure code',
    ),
    groups: arr(str(), 'names of the groups the user belongs to'),
    attachedPolicies,
    inlinePolicies,
    permissionsBoundary,
  },
  undefined,
  // Read from the credential report, which infrastructure code has no counterpart of.
  ['credentialReportGeneratedAt', 'accessKeysComplete'],
  ),
  operations: [
    { op: GAAD, lists: true, paths: ['userId', 'path', 'createDate', 'groups', 'attachedPolicies', 'inlinePolicies', 'permissionsBoundary'] },
    { op: 'iam:GenerateCredentialReport', paths: credentialReportPaths },
    { op: 'iam:GetCredentialReport', paths: credentialReportPaths },
  ],
  runtimeOnly: [
    'passwordLastUsed',
    'passwordLastChanged',
    'mfaActive',
    'accessKeys.*.lastRotated',
    'accessKeys.*.lastUsedDate',
    'accessKeys.*.lastUsedService',
    'userId',
    'createDate',
    'credentialReportGeneratedAt',
  ],
};

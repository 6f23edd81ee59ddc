import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

const publicAccessBlock = obj({
  blockPublicAcls: bool(),
  ignorePublicAcls: bool(),
  blockPublicPolicy: bool(),
  restrictPublicBuckets: bool(),
});

/** `aws.account` — account-wide settings. Id: `arn:aws:iam::<account>:root`; region `global`. */
export const awsAccount: ResourceTypeDef = {
  type: 'aws.account',
  provider: 'aws',
  description: 'An AWS account: root user, password policy and account-wide settings.',
  scope: 'global',
  properties: obj({
    accountId: str('12-digit account id'),
    alias: nullable(str(), 'IAM account alias (ListAccountAliases), null when none'),
    partition: strEnum(['aws', 'aws-cn', 'aws-us-gov']),
    organizationId: nullable(str(), 'AWS Organizations id, null when the account is standalone'),
    organizationManagementAccount: nullable(str(), "the organization's management account id (DescribeOrganization MasterAccountId); null when standalone"),
    organizationAccounts: nullable(
      arr(str()),
      "every account of the organization (ListAccounts, readable from the management account or a delegated administrator); null when standalone",
    ),
    passwordPolicy: nullable(
      obj({
        minimumPasswordLength: int(),
        requireSymbols: bool(),
        requireNumbers: bool(),
        requireUppercaseCharacters: bool(),
        requireLowercaseCharacters: bool(),
        allowUsersToChangePassword: bool(),
        expirePasswords: bool(),
        maxPasswordAge: nullable(int(), 'days; null when passwords do not expire'),
        passwordReusePrevention: nullable(int(), 'previous passwords remembered; null when not set'),
        hardExpiry: nullable(bool()),
      }),
      'IAM password policy; null when none is configured (NoSuchEntity)',
    ),
    root: obj({
      mfaEnabled: bool('GetAccountSummary AccountMFAEnabled'),
      virtualMfa: nullable(bool(), 'true when the root MFA is a virtual device (ListVirtualMFADevices); null when no MFA'),
      accessKeysPresent: bool('GetAccountSummary AccountAccessKeysPresent'),
      accessKeys: arr(
        obj({
          slot: int('1 or 2, as in the credential report'),
          active: bool(),
          lastRotated: nullable(dateTime()),
          lastUsedDate: nullable(dateTime()),
        }),
        'root access keys from the credential report',
      ),
      passwordLastUsed: nullable(dateTime(), 'null when never used or no information'),
      signingCertificatesActive: bool(),
    }),
    s3PublicAccessBlock: nullable(publicAccessBlock, 'account-level S3 Block Public Access (S3 Control); null when not configured'),
    enabledRegions: arr(str(), 'regions enabled for the account (EC2 DescribeRegions)'),
  }),
  operations: [
    { op: 'sts:AssumeRole', lists: true },
    { op: 'iam:ListAccountAliases', paths: ['alias'] },
    { op: 'organizations:DescribeOrganization', paths: ['organizationId', 'organizationManagementAccount'] },
    { op: 'organizations:ListAccounts', paths: ['organizationAccounts'] },
    { op: 'iam:GetAccountPasswordPolicy', paths: ['passwordPolicy'] },
    { op: 'iam:GetAccountSummary', paths: ['root.mfaEnabled', 'root.accessKeysPresent'] },
    { op: 'iam:ListVirtualMFADevices', paths: ['root.virtualMfa'] },
    { op: 'iam:GenerateCredentialReport', paths: ['root.accessKeys', 'root.passwordLastUsed', 'root.signingCertificatesActive'] },
    { op: 'iam:GetCredentialReport', paths: ['root.accessKeys', 'root.passwordLastUsed', 'root.signingCertificatesActive'] },
    { op: 's3control:GetPublicAccessBlock', paths: ['s3PublicAccessBlock'] },
    { op: 'ec2:DescribeRegions', paths: ['enabledRegions'] },
  ],
  runtimeOnly: ['root', 'enabledRegions', 'alias', 'organizationId', 'organizationManagementAccount', 'organizationAccounts'],
};

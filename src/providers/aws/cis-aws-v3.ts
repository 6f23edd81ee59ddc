/**
 * CIS Amazon Web Services Foundations Benchmark v3.0.0: every recommendation, titled in our own
 * words, with its profile level and CIS's own assessment status. `gap` says why no built-in rule
 * checks a recommendation — outside the services trustscan collects, or a judgement no setting
 * can show — and is printed by `trustscan rules coverage` only when no loaded rule covers it.
 */

export const CIS_AWS_V3 = 'cis-aws-foundations-v3.0.0';

export interface CisRecommendation {
  id: string;
  title: string;
  section: string;
  level: 1 | 2;
  /** CIS's assessment status: whether the benchmark itself considers it automatable. */
  assessment: 'Automated' | 'Manual';
  /** The AWS service whose settings decide it. */
  service: string;
  /** Why the built-in rules do not check it (absent when they do). */
  gap?: string;
}

const IAM = '1 Identity and Access Management';
const S3 = '2.1 Storage — S3';
const EC2 = '2.2 Storage — EC2';
const RDS = '2.3 Storage — RDS';
const EFS = '2.4 Storage — EFS';
const LOG = '3 Logging';
const MON = '4 Monitoring';
const NET = '5 Networking';

const NOT_COLLECTED = (what: string): string => `${what} is not collected by trustscan yet: the recommendation needs data outside IAM, S3, CloudTrail, KMS and EC2`;
const METRIC_FILTER =
  'needs CloudWatch Logs metric filters, alarms and SNS subscriptions, which are not collected; aws-cloudtrail-cloudwatch-logs checks the prerequisite (the trail delivers to CloudWatch Logs)';

type Row = [id: string, title: string, section: string, level: 1 | 2, assessment: 'Automated' | 'Manual', service: string, gap?: string];

const ROWS: Row[] = [
  ['1.1', 'Maintain current contact details', IAM, 1, 'Manual', 'account', 'whether contact details are current and reach more than one person is a judgement, not a setting'],
  ['1.2', 'Security contact information is registered', IAM, 1, 'Manual', 'account', NOT_COLLECTED('the account alternate contacts (account:GetAlternateContact)')],
  ['1.3', 'Security questions are registered in the AWS account', IAM, 1, 'Manual', 'account', 'security questions have no API; they can only be seen in the console as root'],
  ['1.4', "No 'root' user account access key exists", IAM, 1, 'Automated', 'iam'],
  ['1.5', "MFA is enabled for the 'root' user account", IAM, 1, 'Automated', 'iam'],
  ['1.6', "Hardware MFA is enabled for the 'root' user account", IAM, 2, 'Manual', 'iam'],
  ['1.7', "Eliminate use of the 'root' user for administrative and daily tasks", IAM, 1, 'Manual', 'iam'],
  ['1.8', 'IAM password policy requires a minimum length of 14 or more', IAM, 1, 'Automated', 'iam'],
  ['1.9', 'IAM password policy prevents password reuse', IAM, 1, 'Automated', 'iam'],
  ['1.10', 'MFA is enabled for all IAM users that have a console password', IAM, 1, 'Automated', 'iam'],
  ['1.11', 'No access keys are set up at user creation for IAM users with a console password', IAM, 1, 'Manual', 'iam'],
  ['1.12', 'Credentials unused for 45 days or more are disabled', IAM, 1, 'Automated', 'iam'],
  ['1.13', 'Only one active access key per IAM user', IAM, 1, 'Automated', 'iam'],
  ['1.14', 'Access keys are rotated every 90 days or less', IAM, 1, 'Automated', 'iam'],
  ['1.15', 'IAM users receive permissions only through groups', IAM, 1, 'Automated', 'iam'],
  ['1.16', 'IAM policies that allow full "*:*" administrative privileges are not attached', IAM, 1, 'Automated', 'iam'],
  ['1.17', 'A support role exists to manage incidents with AWS Support', IAM, 1, 'Automated', 'iam'],
  ['1.18', 'IAM instance roles are used for AWS resource access from instances', IAM, 2, 'Automated', 'ec2'],
  ['1.19', 'Expired SSL/TLS certificates stored in IAM are removed', IAM, 1, 'Automated', 'iam'],
  ['1.20', 'IAM Access Analyzer is enabled for all regions', IAM, 1, 'Automated', 'access-analyzer'],
  [
    '1.21',
    'IAM users are managed centrally through identity federation or AWS Organizations',
    IAM,
    2,
    'Manual',
    'iam',
    'an organisational choice: trustscan checks every IAM user it finds, but whether people sign in through federation is not a single setting',
  ],
  ['1.22', 'Access to AWSCloudShellFullAccess is restricted', IAM, 1, 'Manual', 'iam'],
  ['2.1.1', 'S3 bucket policies deny HTTP requests', S3, 2, 'Automated', 's3'],
  ['2.1.2', 'MFA Delete is enabled on S3 buckets', S3, 2, 'Manual', 's3'],
  ['2.1.3', 'All data in S3 has been discovered, classified and secured when required', S3, 2, 'Manual', 'macie', NOT_COLLECTED('Amazon Macie')],
  ['2.1.4', "S3 buckets are configured with 'Block public access'", S3, 1, 'Automated', 's3'],
  ['2.2.1', 'EBS volume encryption is enabled in all regions', EC2, 1, 'Automated', 'ec2'],
  ['2.3.1', 'Encryption at rest is enabled for RDS instances', RDS, 1, 'Automated', 'rds', NOT_COLLECTED('Amazon RDS')],
  ['2.3.2', 'Auto minor version upgrade is enabled for RDS instances', RDS, 1, 'Automated', 'rds', NOT_COLLECTED('Amazon RDS')],
  ['2.3.3', 'RDS instances are not publicly accessible', RDS, 1, 'Automated', 'rds', NOT_COLLECTED('Amazon RDS')],
  ['2.4.1', 'Encryption is enabled for EFS file systems', EFS, 1, 'Manual', 'efs', NOT_COLLECTED('Amazon EFS')],
  ['3.1', 'CloudTrail is enabled in all regions', LOG, 1, 'Automated', 'cloudtrail'],
  ['3.2', 'CloudTrail log file validation is enabled', LOG, 2, 'Automated', 'cloudtrail'],
  ['3.3', 'AWS Config is enabled in all regions', LOG, 2, 'Automated', 'config', NOT_COLLECTED('AWS Config (configuration recorders)')],
  ['3.4', 'S3 bucket access logging is enabled on the CloudTrail S3 bucket', LOG, 1, 'Automated', 'cloudtrail'],
  ['3.5', 'CloudTrail logs are encrypted at rest using KMS keys', LOG, 2, 'Automated', 'cloudtrail'],
  ['3.6', 'Rotation is enabled for customer-created symmetric KMS keys', LOG, 2, 'Automated', 'kms'],
  ['3.7', 'VPC flow logging is enabled in all VPCs', LOG, 2, 'Automated', 'ec2'],
  ['3.8', 'Object-level logging for write events is enabled for S3 buckets', LOG, 2, 'Automated', 'cloudtrail'],
  ['3.9', 'Object-level logging for read events is enabled for S3 buckets', LOG, 2, 'Automated', 'cloudtrail'],
  ['4.1', 'Unauthorized API calls are monitored', MON, 2, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.2', 'Management console sign-in without MFA is monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.3', "Usage of the 'root' account is monitored", MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.4', 'IAM policy changes are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.5', 'CloudTrail configuration changes are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.6', 'Management console authentication failures are monitored', MON, 2, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.7', 'Disabling or scheduled deletion of customer-created KMS keys is monitored', MON, 2, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.8', 'S3 bucket policy changes are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.9', 'AWS Config configuration changes are monitored', MON, 2, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.10', 'Security group changes are monitored', MON, 2, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.11', 'Network ACL changes are monitored', MON, 2, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.12', 'Changes to network gateways are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.13', 'Route table changes are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.14', 'VPC changes are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.15', 'AWS Organizations changes are monitored', MON, 1, 'Manual', 'cloudwatch', METRIC_FILTER],
  ['4.16', 'AWS Security Hub is enabled', MON, 2, 'Automated', 'securityhub', NOT_COLLECTED('AWS Security Hub')],
  ['5.1', 'No network ACL allows ingress from 0.0.0.0/0 to remote server administration ports', NET, 1, 'Automated', 'ec2'],
  ['5.2', 'No security group allows ingress from 0.0.0.0/0 to remote server administration ports', NET, 1, 'Automated', 'ec2'],
  ['5.3', 'No security group allows ingress from ::/0 to remote server administration ports', NET, 1, 'Automated', 'ec2'],
  ['5.4', 'The default security group of every VPC restricts all traffic', NET, 2, 'Automated', 'ec2'],
  ['5.5', 'Routing tables for VPC peering are "least access"', NET, 2, 'Manual', 'ec2', 'whether each peering route is as narrow as it can be is a judgement about the network design'],
  ['5.6', 'The EC2 metadata service only allows IMDSv2', NET, 1, 'Automated', 'ec2'],
];

export const CIS_AWS_V3_RECOMMENDATIONS: readonly CisRecommendation[] = ROWS.map(([id, title, section, level, assessment, service, gap]) => ({
  id,
  title,
  section,
  level,
  assessment,
  service,
  ...(gap ? { gap } : {}),
}));

import type { ScenarioData } from './scenario-data';
import type { ScenarioWebAnalytics } from './scenario-web-analytics';

/**
 * A fake AWS world: accounts with their IAM (server certificates included), buckets, trails, keys,
 * and per region their EC2 resources (security groups, instances, VPCs with flow logs, network
 * ACLs) and Access Analyzer analyzers. Scenario files live in fixtures/scenarios/*.json; tests
 * and the benchmark may also build one in code.
 *
 * Field names follow the snapshot's property names where one exists, so a round-trip test can
 * compare what went over the wire with what came back. Dates are ISO 8601 strings.
 */

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface ScenarioAccessKey {
  active: boolean;
  lastRotated: string;
  lastUsedDate?: string | null;
  lastUsedService?: string | null;
  lastUsedRegion?: string | null;
}

export interface ScenarioUser {
  name: string;
  id?: string;
  path?: string;
  createDate: string;
  groups?: string[];
  attachedPolicies?: string[];
  inlinePolicies?: { name: string; document: unknown }[];
  permissionsBoundary?: string | null;
  password?: { lastUsed?: string | null; lastChanged?: string | null } | null;
  mfaActive?: boolean;
  accessKeys?: ScenarioAccessKey[];
  /** Raw credential-report cells that replace the computed ones (e.g. `password_last_used: no_information`). */
  report?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ScenarioGroup {
  name: string;
  id?: string;
  path?: string;
  createDate: string;
  attachedPolicies?: string[];
  inlinePolicies?: { name: string; document: unknown }[];
}

export interface ScenarioRole {
  name: string;
  id?: string;
  path?: string;
  createDate: string;
  assumeRolePolicy: unknown;
  maxSessionDuration?: number;
  lastUsed?: { date: string | null; region: string | null } | null;
  attachedPolicies?: string[];
  inlinePolicies?: { name: string; document: unknown }[];
  permissionsBoundary?: string | null;
  /** Names of the instance profiles holding the role (path `/`). */
  instanceProfiles?: string[];
}

export interface ScenarioPolicy {
  /** Absent: the answer gives no PolicyName (as some emulators do); `arn` is then required. */
  name?: string;
  /** Defaults to arn:aws:iam::<account>:policy<path><name>, or the AWS-managed ARN when `awsManaged`. */
  arn?: string;
  id?: string;
  path?: string;
  awsManaged?: boolean;
  document: unknown;
  defaultVersionId?: string;
  createDate: string;
  updateDate: string;
}

export interface ScenarioIam {
  users?: ScenarioUser[];
  groups?: ScenarioGroup[];
  roles?: ScenarioRole[];
  policies?: ScenarioPolicy[];
  passwordPolicy?: {
    minimumPasswordLength: number;
    requireSymbols: boolean;
    requireNumbers: boolean;
    requireUppercaseCharacters: boolean;
    requireLowercaseCharacters: boolean;
    allowUsersToChangePassword: boolean;
    expirePasswords: boolean;
    maxPasswordAge: number | null;
    passwordReusePrevention: number | null;
    hardExpiry: boolean | null;
  } | null;
  root?: {
    mfaEnabled: boolean;
    /** true: a virtual MFA device; false: hardware (only meaningful when mfaEnabled). */
    virtualMfa?: boolean;
    accessKeys?: ScenarioAccessKey[];
    passwordLastUsed?: string | null;
    report?: Record<string, string>;
  };
  /** Virtual MFA devices of users (the root's comes from root.virtualMfa). */
  virtualMfaUsers?: string[];
  /** SSL/TLS certificates uploaded to IAM (ListServerCertificates). */
  serverCertificates?: ScenarioServerCertificate[];
}

export interface ScenarioServerCertificate {
  name: string;
  id?: string;
  path?: string;
  uploadDate: string;
  expiration: string;
}

export interface ScenarioGrant {
  granteeType: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
  granteeId?: string | null;
  granteeUri?: string | null;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export interface ScenarioBucket {
  name: string;
  region: string;
  creationDate: string;
  tags?: Record<string, string>;
  publicAccessBlock?: PublicAccessBlock | null;
  policy?: unknown;
  /** What GetBucketPolicyStatus answers; defaults to a simple "Principal: *" check. */
  policyIsPublic?: boolean;
  acl?: { ownerId?: string; grants: ScenarioGrant[] };
  objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  encryption?: { sseAlgorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsMasterKeyId?: string | null; bucketKeyEnabled?: boolean }[] | null;
  versioning?: { status: 'Enabled' | 'Suspended' | null; mfaDelete: 'Enabled' | 'Disabled' | null };
  logging?: { targetBucket: string; targetPrefix: string } | null;
  /** Lifecycle rules (GetBucketLifecycleConfiguration); absent: none. */
  lifecycle?: { id?: string; enabled: boolean; prefix?: string; expirationDays?: number; transitionDays?: number; noncurrentDays?: number; abortMultipartDays?: number }[];
}

export interface ScenarioTrail {
  name: string;
  homeRegion: string;
  isMultiRegionTrail?: boolean;
  isOrganizationTrail?: boolean;
  includeGlobalServiceEvents?: boolean;
  logFileValidationEnabled?: boolean;
  kmsKeyId?: string | null;
  s3BucketName: string;
  s3KeyPrefix?: string | null;
  snsTopicArn?: string | null;
  cloudWatchLogsLogGroupArn?: string | null;
  cloudWatchLogsRoleArn?: string | null;
  status?: {
    isLogging: boolean;
    latestDeliveryError?: string | null;
    latestDeliveryTime?: string | null;
    latestCloudWatchLogsDeliveryTime?: string | null;
  };
  eventSelectors?: {
    readWriteType: 'ReadOnly' | 'WriteOnly' | 'All';
    includeManagementEvents: boolean;
    dataResources?: { type: string; values: string[] }[];
    excludeManagementEventSources?: string[];
  }[];
  advancedEventSelectors?: { name?: string | null; fieldSelectors: ({ field: string } & Record<string, string[] | string>)[] }[];
}

export interface ScenarioKey {
  id: string;
  region: string;
  description?: string;
  keyManager?: 'AWS' | 'CUSTOMER';
  keyState?: string;
  keySpec?: string;
  keyUsage?: string;
  origin?: string;
  multiRegion?: boolean;
  creationDate: string;
  rotationEnabled?: boolean;
  rotationPeriodInDays?: number | null;
  policy: unknown;
  aliases?: string[];
}

export interface ScenarioPermission {
  ipProtocol: string;
  fromPort?: number | null;
  toPort?: number | null;
  ipv4Ranges?: { cidr: string; description?: string | null }[];
  ipv6Ranges?: { cidr: string; description?: string | null }[];
  prefixListIds?: string[];
  referencedGroups?: { groupId: string; userId?: string | null }[];
}

export interface ScenarioSecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId?: string | null;
  tags?: Record<string, string>;
  ingress?: ScenarioPermission[];
  egress?: ScenarioPermission[];
}

export interface ScenarioPrefixList {
  prefixListId: string;
  name: string;
  /** Defaults to the account; `AWS` for AWS-managed lists. */
  ownerId?: string;
  addressFamily?: 'IPv4' | 'IPv6';
  entries: { cidr: string; description?: string }[];
}

export interface ScenarioInstance {
  instanceId: string;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
  iamInstanceProfileArn?: string | null;
  /** Left out of the answer when absent (as an emulator might). */
  metadataOptions?: { httpTokens: 'optional' | 'required'; httpEndpoint: 'enabled' | 'disabled' };
  vpcId?: string | null;
  /** Instances launched together share a reservation (DescribeInstances groups them); default: one each. */
  reservationId?: string;
  tags?: Record<string, string>;
}

export interface ScenarioVpc {
  vpcId: string;
  cidrBlock: string;
  isDefault?: boolean;
  tags?: Record<string, string>;
}

export interface ScenarioFlowLog {
  flowLogId: string;
  /** The VPC, subnet or network interface it records. */
  resourceId: string;
  trafficType: 'ACCEPT' | 'REJECT' | 'ALL';
  logDestinationType?: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';
  flowLogStatus?: string;
  deliverLogsStatus?: 'SUCCESS' | 'FAILED' | 'SKIPPED' | null;
}

export interface ScenarioAclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  ruleAction: 'allow' | 'deny';
  cidrBlock?: string | null;
  ipv6CidrBlock?: string | null;
  portRange?: { from: number; to: number } | null;
}

export interface ScenarioNetworkAcl {
  networkAclId: string;
  vpcId: string;
  isDefault?: boolean;
  tags?: Record<string, string>;
  entries: ScenarioAclEntry[];
}

export interface ScenarioAnalyzer {
  name: string;
  type: 'ACCOUNT' | 'ORGANIZATION' | 'ACCOUNT_UNUSED_ACCESS' | 'ORGANIZATION_UNUSED_ACCESS' | 'ACCOUNT_INTERNAL_ACCESS' | 'ORGANIZATION_INTERNAL_ACCESS';
  status?: 'ACTIVE' | 'CREATING' | 'DISABLED' | 'FAILED';
  createdAt: string;
  tags?: Record<string, string>;
}

export interface ScenarioRegion {
  name: string;
  optInStatus?: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
  ebsEncryptionByDefault?: boolean;
  ebsDefaultKmsKeyId?: string;
  securityGroups?: ScenarioSecurityGroup[];
  /** Managed prefix lists visible in the region (owned, shared or AWS-managed). */
  prefixLists?: ScenarioPrefixList[];
  instances?: ScenarioInstance[];
  vpcs?: ScenarioVpc[];
  flowLogs?: ScenarioFlowLog[];
  networkAcls?: ScenarioNetworkAcl[];
  /** IAM Access Analyzer analyzers created in this region. */
  analyzers?: ScenarioAnalyzer[];
  /** AWS Config recorders (with their status) and delivery channels. */
  config?: { recorders?: ScenarioConfigRecorder[]; deliveryChannels?: { name: string; s3BucketName?: string; snsTopicArn?: string }[] };
  /** GuardDuty detectors. */
  guardDutyDetectors?: { id: string; status: 'ENABLED' | 'DISABLED'; features?: { name: string; status: 'ENABLED' | 'DISABLED' }[]; tags?: Record<string, string> }[];
  /** Security Hub, when the account is subscribed in this region. */
  securityHub?: {
    subscribedAt: string;
    autoEnableControls?: boolean;
    /** Enabled standards by id (`aws-foundational-security-best-practices/v/1.0.0`, `cis-aws-foundations-benchmark/v/1.2.0`, …); default none. */
    standards?: { id: string; status?: 'PENDING' | 'READY' | 'FAILED' | 'DELETING' | 'INCOMPLETE' }[];
  } | null;
  /** Amazon Macie, when enabled in this region. */
  macie?: { status: 'ENABLED' | 'PAUSED' } | null;
  /** CloudWatch Logs metric filters. */
  metricFilters?: ScenarioMetricFilter[];
  /** CloudWatch metric alarms. */
  alarms?: ScenarioAlarm[];
  /** SNS topics. */
  snsTopics?: ScenarioTopic[];
  /** SQS queues. */
  sqsQueues?: { name: string; kmsMasterKeyId?: string | null; sqsManagedSse?: boolean; policy?: unknown }[];
  /** Private ECR repositories, and the registry's scanning rules. */
  ecrRepositories?: { name: string; scanOnPush?: boolean; imageTagMutability?: 'MUTABLE' | 'IMMUTABLE'; policy?: unknown }[];
  /** Elastic Load Balancing v2 load balancers with their listeners and attributes. */
  loadBalancers?: {
    name: string;
    type?: 'application' | 'network' | 'gateway';
    scheme?: 'internet-facing' | 'internal';
    listeners: { port: number; protocol: string; sslPolicy?: string; redirectToHttps?: boolean }[];
    accessLogs?: boolean;
    deletionProtection?: boolean;
    dropInvalidHeaderFields?: boolean;
  }[];
  /** Lambda functions. */
  lambdaFunctions?: { name: string; runtime?: string; environment?: Record<string, string>; kmsKeyArn?: string; policy?: unknown; urlAuthType?: 'NONE' | 'AWS_IAM' }[];
  ecrScanningRules?: { scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL'; filters: string[] }[];
}

export interface ScenarioConfigRecorder {
  name: string;
  roleArn?: string;
  allSupported?: boolean;
  includeGlobalResourceTypes?: boolean;
  resourceTypes?: string[];
  recording?: boolean;
  lastStatus?: 'Pending' | 'Success' | 'Failure';
}

export interface ScenarioMetricFilter {
  filterName: string;
  logGroupName: string;
  filterPattern: string;
  metricName: string;
  metricNamespace: string;
}

export interface ScenarioAlarm {
  alarmName: string;
  metricName: string;
  namespace: string;
  alarmActions?: string[];
  actionsEnabled?: boolean;
  stateValue?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

export interface ScenarioTopic {
  name: string;
  kmsMasterKeyId?: string | null;
  policy?: unknown;
  subscriptionsConfirmed?: number;
  subscriptionsPending?: number;
}

export interface ScenarioAccount {
  id: string;
  name: string;
  email?: string;
  status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  alias?: string | null;
  /** Roles a scanner may assume in this account, with the external id each requires. */
  scannerRoles?: { name: string; externalId?: string }[];
  regions: ScenarioRegion[];
  iam?: ScenarioIam;
  s3?: { publicAccessBlock?: PublicAccessBlock | null; buckets?: ScenarioBucket[] };
  trails?: ScenarioTrail[];
  kmsKeys?: ScenarioKey[];
  /** Databases, backups, secrets and file systems (issue 17). */
  data?: ScenarioData;
  /** CloudFront, OpenSearch Service and Redshift (issue 17). */
  webAnalytics?: ScenarioWebAnalytics;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Long-term access keys the scanner may start with, and whose they are. */
  callers: { accessKeyId: string; account: string; userName?: string }[];
  organization?: { id: string; managementAccount: string; delegatedAdministrators?: string[] };
  accounts: ScenarioAccount[];
}

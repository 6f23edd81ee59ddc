import type { AnswerShape, AnswerTable, FieldRule } from './answer-shape';

/**
 * What each AWS operation the collector calls promises to answer. The document rule is checked
 * on the raw body (Query and EC2 answers are `<OperationResponse>`; S3's REST answers have one
 * root per operation; JSON services answer an object); the required fields on the decoded answer.
 *
 * A field is required when AWS always sends it, empty or not: list elements (`<Roles/>` decodes to
 * an empty list, a missing one to nothing), pagination flags, the document of a Get. Fields AWS
 * leaves out when they do not apply are not listed; the readers treat those one by one.
 * Every operation a reader calls must be here: the call layer refuses one that is not.
 */

/** IAM, STS (Query protocol) and EC2: `<OperationResponse>` around the result. */
const query = (operation: string, required: FieldRule[] = [], more?: AnswerShape['more']): [string, AnswerShape] => [
  operation,
  { document: { xml: `${operation}Response` }, required, ...(more ? { more } : {}) },
];
/** JSON 1.1 and REST-JSON services: a JSON object. */
const json = (operation: string, required: FieldRule[] = [], more?: AnswerShape['more']): [string, AnswerShape] => [
  operation,
  { document: { json: true }, required, ...(more ? { more } : {}) },
];
/** S3 and S3 Control (REST-XML): the root element is the operation's own. */
const restXml = (operation: string, root: string, required: FieldRule[] = []): [string, AnswerShape] => [operation, { document: { xml: root }, required }];

/** Block Public Access: AWS always sends all four settings; one left out would read as "off". */
const PAB = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].map((f) => `PublicAccessBlockConfiguration.${f}`);

/** A resource policy: IAM's grammar makes `Statement` required, so a policy without it is not one. */
const POLICY = { path: 'Policy', required: ['Statement'] };

const IAM_MORE = { flag: 'IsTruncated', token: 'Marker' };
const KMS_MORE = { flag: 'Truncated', token: 'NextMarker' };

/** A policy that may not exist: an answer without it means "none", one with it must be a policy. */
const OPTIONAL_POLICY = (path: string) => ({ path, required: ['Statement'], optional: true });

/** Data stores, backups and secrets (issue 17). */
const DATA_SERVICES: Record<string, [string, AnswerShape][]> = {
  rds: [
    query('DescribeDBInstances', ['DBInstances']),
    query('DescribeDBClusters', ['DBClusters']),
    query('DescribeDBSnapshots', ['DBSnapshots']),
    query('DescribeDBClusterSnapshots', ['DBClusterSnapshots']),
    query('DescribeDBSnapshotAttributes', ['DBSnapshotAttributesResult.DBSnapshotAttributes']),
    query('DescribeDBClusterSnapshotAttributes', ['DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes']),
  ],
  dynamodb: [
    json('ListTables', ['TableNames']),
    json('DescribeTable', ['Table.TableName']),
    json('DescribeContinuousBackups', ['ContinuousBackupsDescription.ContinuousBackupsStatus']),
    json('ListTagsOfResource', ['Tags']),
  ],
  backup: [
    json('ListBackupPlans', ['BackupPlansList']),
    json('GetBackupPlan', ['BackupPlan.Rules']),
    json('ListBackupSelections', ['BackupSelectionsList']),
    json('GetBackupSelection', ['BackupSelection.SelectionName']),
    json('ListBackupVaults', ['BackupVaultList']),
    ['GetBackupVaultAccessPolicy', { document: { json: true }, nonEmpty: ['Policy'], documents: [POLICY] }],
    json('DescribeRegionSettings', ['ResourceTypeOptInPreference']),
    json('ListProtectedResources', ['Results']),
    json('ListRestoreJobs', ['RestoreJobs']),
  ],
  secretsmanager: [
    json('ListSecrets', ['SecretList']),
    ['GetResourcePolicy', { document: { json: true }, required: ['ARN'], documents: [OPTIONAL_POLICY('ResourcePolicy')] }],
  ],
  efs: [
    json('DescribeFileSystems', ['FileSystems']),
    json('DescribeBackupPolicy', ['BackupPolicy.Status']),
    ['DescribeFileSystemPolicy', { document: { json: true }, nonEmpty: ['Policy'], documents: [POLICY] }],
  ],
};

/** CloudFront (REST-XML, global), OpenSearch Service (REST-JSON, endpoint prefix `es`) and Redshift (Query) (issue 17). */
const WEB_ANALYTICS_SERVICES: Record<string, [string, AnswerShape][]> = {
  cloudfront: [
    // No Items when the account has no distribution; IsTruncated and Quantity are always sent.
    ['ListDistributions', { document: { xml: 'DistributionList' }, required: ['DistributionList.IsTruncated', 'DistributionList.Quantity'], more: { flag: 'DistributionList.IsTruncated', token: 'DistributionList.NextMarker' } }],
    // Logging may be left out of a configuration that never set it (then it is off); the caller reference never is.
    restXml('GetDistributionConfig', 'DistributionConfig', ['DistributionConfig.CallerReference', 'DistributionConfig.Origins']),
  ],
  es: [json('ListDomainNames', ['DomainNames']), json('DescribeDomains', ['DomainStatusList'])],
  redshift: [query('DescribeClusters', ['Clusters']), query('DescribeLoggingStatus', ['LoggingEnabled']), query('DescribeClusterParameters', ['Parameters'])],
};

const services: Record<string, [string, AnswerShape][]> = {
  sts: [query('GetCallerIdentity', ['Account', 'Arn']), query('AssumeRole', ['Credentials.AccessKeyId', 'Credentials.SecretAccessKey'])],
  organizations: [json('ListAccounts', ['Accounts']), json('DescribeOrganization', ['Organization.Id'])],
  iam: [
    query('GetAccountAuthorizationDetails', ['IsTruncated', 'UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'], IAM_MORE),
    query('GenerateCredentialReport', ['State']),
    query('GetCredentialReport', ['Content']),
    query('GetAccountPasswordPolicy', ['PasswordPolicy']),
    query('GetAccountSummary', ['SummaryMap']),
    query('ListVirtualMFADevices', ['IsTruncated', 'VirtualMFADevices'], IAM_MORE),
    query('ListRoles', ['IsTruncated', 'Roles'], IAM_MORE),
    query('ListAccountAliases', ['IsTruncated', 'AccountAliases'], IAM_MORE),
    query('ListServerCertificates', ['IsTruncated', 'ServerCertificateMetadataList'], IAM_MORE),
  ],
  s3: [
    restXml('ListBuckets', 'ListAllMyBucketsResult', ['Buckets']),
    // An empty <LocationConstraint/> is us-east-1; an empty versioning or logging document is
    // "never configured": those roots are the whole promise.
    restXml('GetBucketLocation', 'LocationConstraint'),
    restXml('GetPublicAccessBlock', 'PublicAccessBlockConfiguration', PAB),
    ['GetBucketPolicy', { document: { json: true }, nonEmpty: ['Policy'], documents: [POLICY] }],
    restXml('GetBucketPolicyStatus', 'PolicyStatus', ['PolicyStatus.IsPublic']),
    restXml('GetBucketAcl', 'AccessControlPolicy', ['Owner', 'Grants']),
    restXml('GetBucketOwnershipControls', 'OwnershipControls', ['OwnershipControls.Rules']),
    restXml('GetBucketEncryption', 'ServerSideEncryptionConfiguration', ['ServerSideEncryptionConfiguration.Rules']),
    restXml('GetBucketVersioning', 'VersioningConfiguration'),
    restXml('GetBucketLogging', 'BucketLoggingStatus'),
    restXml('GetBucketTagging', 'Tagging', ['TagSet']),
    restXml('GetBucketLifecycleConfiguration', 'LifecycleConfiguration', ['Rules']),
  ],
  s3control: [restXml('GetPublicAccessBlock', 'PublicAccessBlockConfiguration', PAB)],
  cloudtrail: [
    json('DescribeTrails', ['trailList']),
    json('GetTrailStatus', ['IsLogging']),
    // A trail has basic or advanced selectors, and the answer carries whichever it has.
    json('GetEventSelectors', ['TrailARN', ['EventSelectors', 'AdvancedEventSelectors']]),
  ],
  kms: [
    json('ListKeys', ['Keys', 'Truncated'], KMS_MORE),
    json('ListAliases', ['Aliases', 'Truncated'], KMS_MORE),
    json('DescribeKey', ['KeyMetadata.KeyId']),
    json('GetKeyRotationStatus', ['KeyRotationEnabled']),
    ['GetKeyPolicy', { document: { json: true }, nonEmpty: ['Policy'], documents: [POLICY] }],
  ],
  ec2: [
    query('DescribeRegions', ['Regions']),
    query('GetEbsEncryptionByDefault', ['EbsEncryptionByDefault']),
    query('GetEbsDefaultKmsKeyId', ['KmsKeyId']),
    query('DescribeSecurityGroups', ['SecurityGroups']),
    query('DescribeInstances', ['Reservations']),
    query('DescribeVpcs', ['Vpcs']),
    query('DescribeFlowLogs', ['FlowLogs']),
    query('DescribeNetworkAcls', ['NetworkAcls']),
    query('DescribeManagedPrefixLists', ['PrefixLists']),
    query('GetManagedPrefixListEntries', ['Entries']),
  ],
  'access-analyzer': [json('ListAnalyzers', ['analyzers'])],
  ...DATA_SERVICES,
  config: [
    json('DescribeConfigurationRecorders', ['ConfigurationRecorders']),
    json('DescribeConfigurationRecorderStatus', ['ConfigurationRecordersStatus']),
    json('DescribeDeliveryChannels', ['DeliveryChannels']),
  ],
  guardduty: [json('ListDetectors', ['DetectorIds']), json('GetDetector', ['Status'])],
  securityhub: [json('DescribeHub', ['HubArn']), json('GetEnabledStandards', ['StandardsSubscriptions'])],
  macie2: [json('GetMacieSession', ['status'])],
  // Delivery sources and deliveries (CloudFront's standard logging v2) may be left out when there are none.
  logs: [json('DescribeMetricFilters', ['metricFilters']), json('DescribeDeliverySources'), json('DescribeDeliveries')],
  cloudwatch: [json('DescribeAlarms', ['MetricAlarms'])],
  sns: [query('ListTopics', ['Topics']), query('GetTopicAttributes', ['Attributes'])],
  // SQS leaves QueueUrls out when there is no queue; a queue's attributes are always a map.
  sqs: [json('ListQueues'), json('GetQueueAttributes', ['Attributes'])],
  elasticloadbalancing: [
    query('DescribeLoadBalancers', ['LoadBalancers']),
    query('DescribeListeners', ['Listeners']),
    query('DescribeLoadBalancerAttributes', ['Attributes']),
  ],
  lambda: [
    json('ListFunctions', ['Functions']),
    ['GetPolicy', { document: { json: true }, nonEmpty: ['Policy'], documents: [POLICY] }],
    json('ListFunctionUrlConfigs', ['FunctionUrlConfigs']),
  ],
  ecr: [
    json('DescribeRepositories', ['repositories']),
    json('GetRegistryScanningConfiguration', ['registryId']),
    ['GetRepositoryPolicy', { document: { json: true }, nonEmpty: ['policyText'], documents: [{ path: 'policyText', required: ['Statement'] }] }],
  ],
  ...WEB_ANALYTICS_SERVICES,
};

export const AWS_ANSWERS: AnswerTable = Object.fromEntries(Object.entries(services).flatMap(([service, ops]) => ops.map(([op, shape]) => [`${service}:${op}`, shape])));

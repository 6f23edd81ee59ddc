/**
 * What trustscan makes of each CloudFormation resource type: read (mapped to a runtime type),
 * known to change nothing the rules check, or not read — a coverage gap on the runtime types it
 * could change, so the rules on them are UNKNOWN for the account and region instead of silently
 * complete.
 */

const IAM = ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy'];

/** Types the mappings read, and the runtime types they make or change. */
const MAPPED: Record<string, string[]> = {
  'AWS::S3::Bucket': ['aws.s3.bucket'],
  'AWS::S3::BucketPolicy': ['aws.s3.bucket'],
  'AWS::IAM::User': ['aws.iam.user'],
  'AWS::IAM::Group': ['aws.iam.group'],
  'AWS::IAM::Role': ['aws.iam.role'],
  'AWS::IAM::ManagedPolicy': IAM,
  'AWS::IAM::Policy': IAM,
  'AWS::IAM::RolePolicy': ['aws.iam.role'],
  'AWS::IAM::UserPolicy': ['aws.iam.user'],
  'AWS::IAM::GroupPolicy': ['aws.iam.group'],
  'AWS::IAM::AccessKey': ['aws.iam.user'],
  'AWS::IAM::UserToGroupAddition': ['aws.iam.user', 'aws.iam.group'],
  'AWS::CloudTrail::Trail': ['aws.cloudtrail.trail'],
  'AWS::KMS::Key': ['aws.kms.key'],
  'AWS::KMS::Alias': ['aws.kms.key'],
  'AWS::EC2::SecurityGroup': ['aws.ec2.security-group'],
  'AWS::EC2::SecurityGroupIngress': ['aws.ec2.security-group'],
  'AWS::EC2::SecurityGroupEgress': ['aws.ec2.security-group'],
  'AWS::EC2::PrefixList': ['aws.ec2.prefix-list'],
  'AWS::RDS::DBInstance': ['aws.rds.db-instance'],
  'AWS::RDS::DBCluster': ['aws.rds.db-cluster'],
  'AWS::DynamoDB::Table': ['aws.dynamodb.table'],
  'AWS::DynamoDB::GlobalTable': ['aws.dynamodb.table'],
  'AWS::Backup::BackupPlan': ['aws.backup.plan'],
  'AWS::Backup::BackupSelection': ['aws.backup.plan'],
  'AWS::Backup::BackupVault': ['aws.backup.vault'],
  'AWS::SecretsManager::Secret': ['aws.secretsmanager.secret'],
  'AWS::SecretsManager::RotationSchedule': ['aws.secretsmanager.secret'],
  'AWS::SecretsManager::ResourcePolicy': ['aws.secretsmanager.secret'],
  'AWS::EFS::FileSystem': ['aws.efs.file-system'],
  'AWS::SNS::Topic': ['aws.sns.topic'],
  'AWS::SNS::TopicPolicy': ['aws.sns.topic'],
  'AWS::SQS::Queue': ['aws.sqs.queue'],
  'AWS::SQS::QueuePolicy': ['aws.sqs.queue'],
  'AWS::ECR::Repository': ['aws.ecr.repository'],
  'AWS::Config::ConfigurationRecorder': ['aws.config.recorder'],
  'AWS::Config::DeliveryChannel': ['aws.config.recorder'],
  'AWS::GuardDuty::Detector': ['aws.guardduty.detector'],
  'AWS::SecurityHub::Hub': ['aws.securityhub.hub'],
  'AWS::Logs::MetricFilter': ['aws.logs.metric-filter'],
  'AWS::CloudWatch::Alarm': ['aws.cloudwatch.alarm'],
  'AWS::Lambda::Function': ['aws.lambda.function'],
  'AWS::Lambda::Url': ['aws.lambda.function'],
  'AWS::Lambda::Permission': ['aws.lambda.function'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['aws.elbv2.load-balancer'],
  'AWS::ElasticLoadBalancingV2::Listener': ['aws.elbv2.load-balancer'],
  'AWS::CloudFront::Distribution': ['aws.cloudfront.distribution'],
  'AWS::Logs::DeliverySource': ['aws.cloudfront.distribution'],
  'AWS::Logs::Delivery': ['aws.cloudfront.distribution'],
  'AWS::OpenSearchService::Domain': ['aws.opensearch.domain'],
  'AWS::Elasticsearch::Domain': ['aws.opensearch.domain'],
  'AWS::Redshift::Cluster': ['aws.redshift.cluster'],
  'AWS::Redshift::ClusterParameterGroup': ['aws.redshift.cluster'],
};

/** The runtime types a resource of `type` may make or change (for a construct that hides it); null when none. */
export function affectedBy(type: string): string[] | null {
  const mapped = MAPPED[type];
  if (mapped) return mapped;
  const c = classify(type);
  return c.read ? null : c.affects;
}

/** Types whose settings the rules check at runtime but the mappings do not read yet. */
const NOT_READ: Record<string, string[]> = {
  'AWS::EC2::Instance': ['aws.ec2.instance'],
  'AWS::EC2::VPC': ['aws.ec2.vpc'],
  'AWS::EC2::FlowLog': ['aws.ec2.vpc'],
  'AWS::EC2::NetworkAcl': ['aws.ec2.network-acl'],
  'AWS::EC2::NetworkAclEntry': ['aws.ec2.network-acl'],
  'AWS::EC2::SubnetNetworkAclAssociation': ['aws.ec2.network-acl'],
  'AWS::AccessAnalyzer::Analyzer': ['aws.accessanalyzer.analyzer'],
  'AWS::IAM::ServerCertificate': ['aws.iam.server-certificate'],
  'AWS::IAM::ServiceLinkedRole': ['aws.iam.role'],
  'AWS::KMS::ReplicaKey': ['aws.kms.key'],
};

/**
 * The services whose resources the rules check, and the runtime types each can change. A type of
 * these services that is neither read nor known to be harmless is a gap on them.
 */
const SERVICES: Record<string, string[]> = {
  'AWS::IAM::': ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy'],
  'AWS::S3::': ['aws.s3.bucket'],
  'AWS::EC2::': ['aws.ec2.security-group', 'aws.ec2.network-acl', 'aws.ec2.vpc', 'aws.ec2.instance', 'aws.ec2.region'],
  'AWS::KMS::': ['aws.kms.key'],
  'AWS::CloudTrail::': ['aws.cloudtrail.trail'],
  'AWS::AccessAnalyzer::': ['aws.accessanalyzer.analyzer'],
  'AWS::RDS::': ['aws.rds.db-instance', 'aws.rds.db-cluster', 'aws.rds.snapshot'],
  'AWS::DynamoDB::': ['aws.dynamodb.table'],
  'AWS::Backup::': ['aws.backup.plan', 'aws.backup.vault'],
  'AWS::SecretsManager::': ['aws.secretsmanager.secret'],
  'AWS::EFS::': ['aws.efs.file-system'],
  'AWS::CloudFront::': ['aws.cloudfront.distribution'],
  'AWS::OpenSearchService::': ['aws.opensearch.domain'],
  'AWS::Elasticsearch::': ['aws.opensearch.domain'],
  'AWS::Redshift::': ['aws.redshift.cluster'],
};

/**
 * Types of those services that create nothing whose settings the rules check (networking
 * plumbing, access points, event data stores, instance profiles, …).
 */
const HARMLESS = new Set([
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::OIDCProvider',
  'AWS::IAM::SAMLProvider',
  'AWS::IAM::VirtualMFADevice',
  'AWS::S3::AccessPoint',
  'AWS::S3::AccessPointPolicy',
  'AWS::S3::MultiRegionAccessPoint',
  'AWS::S3::MultiRegionAccessPointPolicy',
  'AWS::S3::StorageLens',
  'AWS::S3::StorageLensGroup',
  'AWS::S3::AccessGrant',
  'AWS::S3::AccessGrantsInstance',
  'AWS::S3::AccessGrantsLocation',
  'AWS::KMS::Alias',
  'AWS::CloudTrail::Channel',
  'AWS::CloudTrail::Dashboard',
  'AWS::CloudTrail::EventDataStore',
  'AWS::CloudTrail::ResourcePolicy',
  'AWS::EC2::CapacityReservation',
  'AWS::EC2::CarrierGateway',
  'AWS::EC2::ClientVpnEndpoint',
  'AWS::EC2::CustomerGateway',
  'AWS::EC2::DHCPOptions',
  'AWS::EC2::EC2Fleet',
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::EIPAssociation',
  'AWS::EC2::Host',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::KeyPair',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::LocalGatewayRoute',
  'AWS::EC2::NatGateway',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::NetworkInterfaceAttachment',
  'AWS::EC2::PlacementGroup',
  'AWS::EC2::Route',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SpotFleet',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetCidrBlock',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::TransitGatewayAttachment',
  'AWS::EC2::TransitGatewayRouteTable',
  'AWS::EC2::TransitGatewayVpcAttachment',
  'AWS::EC2::Volume',
  'AWS::EC2::VolumeAttachment',
  'AWS::EC2::VPCCidrBlock',
  'AWS::EC2::VPCDHCPOptionsAssociation',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::VPCEndpointService',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::VPNConnection',
  'AWS::EC2::VPNConnectionRoute',
  'AWS::EC2::VPNGateway',
  'AWS::EC2::VPNGatewayRoutePropagation',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::DBParameterGroup',
  'AWS::RDS::DBClusterParameterGroup',
  'AWS::RDS::OptionGroup',
  'AWS::RDS::DBProxy',
  'AWS::RDS::DBProxyEndpoint',
  'AWS::RDS::DBProxyTargetGroup',
  'AWS::RDS::EventSubscription',
  'AWS::RDS::CustomDBEngineVersion',
  'AWS::RDS::DBShardGroup',
  'AWS::RDS::Integration',
  'AWS::EFS::MountTarget',
  'AWS::EFS::AccessPoint',
  'AWS::Backup::Framework',
  'AWS::Backup::ReportPlan',
  'AWS::Backup::RestoreTestingPlan',
  'AWS::Backup::RestoreTestingSelection',
  'AWS::SecretsManager::SecretTargetAttachment',
  // CloudFront: access identities and controls, policies, functions and keys configure nothing the rules read on their own.
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::CloudFrontOriginAccessIdentity',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::OriginRequestPolicy',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'AWS::CloudFront::Function',
  'AWS::CloudFront::KeyGroup',
  'AWS::CloudFront::PublicKey',
  'AWS::CloudFront::KeyValueStore',
  'AWS::CloudFront::RealtimeLogConfig',
  'AWS::CloudFront::ContinuousDeploymentPolicy',
  'AWS::CloudFront::MonitoringSubscription',
  'AWS::CloudFront::AnycastIpList',
  'AWS::CloudFront::VpcOrigin',
  'AWS::OpenSearchService::Application',
  'AWS::Redshift::ClusterSubnetGroup',
  'AWS::Redshift::ClusterSecurityGroup',
  'AWS::Redshift::ClusterSecurityGroupIngress',
  'AWS::Redshift::EndpointAccess',
  'AWS::Redshift::EndpointAuthorization',
  'AWS::Redshift::EventSubscription',
  'AWS::Redshift::ScheduledAction',
  'AWS::Redshift::Integration',
]);

/** CloudFormation's own types that deploy nothing of their own. */
const CLOUDFORMATION_HARMLESS = new Set([
  'AWS::CloudFormation::WaitCondition',
  'AWS::CloudFormation::WaitConditionHandle',
  'AWS::CloudFormation::Macro',
  'AWS::CloudFormation::Interface',
  'AWS::CloudFormation::HookDefaultVersion',
  'AWS::CloudFormation::HookTypeConfig',
  'AWS::CloudFormation::HookVersion',
  'AWS::CloudFormation::ModuleDefaultVersion',
  'AWS::CloudFormation::ModuleVersion',
  'AWS::CloudFormation::PublicTypeVersion',
  'AWS::CloudFormation::Publisher',
  'AWS::CloudFormation::ResourceDefaultVersion',
  'AWS::CloudFormation::ResourceVersion',
  'AWS::CloudFormation::TypeActivation',
  'AWS::CloudFormation::LambdaHook',
  'AWS::CloudFormation::GuardHook',
]);

/** Every runtime type: what a construct that may create or change anything affects. */
export const EVERYTHING = ['*'];

export type TypeVerdict = { read: true } | { read: false; affects: string[]; why: string } | { read: false; affects: null };

/** What a resource type is to this reader. */
export function classify(type: string): TypeVerdict {
  if (MAPPED[type]) return { read: true };
  const notRead = NOT_READ[type];
  if (notRead) return { read: false, affects: notRead, why: 'is not read by trustscan' };
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    return { read: false, affects: EVERYTHING, why: 'is a custom resource: the code behind it runs at deploy and may create or change anything' };
  }
  if (type === 'AWS::CloudFormation::Stack' || type === 'AWS::CloudFormation::StackSet' || type === 'AWS::Serverless::Application') {
    return { read: false, affects: EVERYTHING, why: 'deploys another template, which is not read here (scan that template too)' };
  }
  if (type.endsWith('::MODULE')) return { read: false, affects: EVERYTHING, why: 'is a CloudFormation module: the resources it expands to are not visible here' };
  if (type.startsWith('AWS::CloudFormation::')) return CLOUDFORMATION_HARMLESS.has(type) ? { read: false, affects: null } : { read: false, affects: EVERYTHING, why: 'is a CloudFormation type trustscan does not know' };
  if (type.startsWith('AWS::Serverless::')) return { read: false, affects: EVERYTHING, why: 'is an AWS SAM type trustscan does not expand' };
  for (const [prefix, affects] of Object.entries(SERVICES)) {
    if (!type.startsWith(prefix)) continue;
    return HARMLESS.has(type) ? { read: false, affects: null } : { read: false, affects, why: 'is a type trustscan does not know' };
  }
  // Other AWS services cannot create the users, roles, buckets, keys, trails or security groups the rules check.
  if (/^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(type)) return { read: false, affects: null };
  return { read: false, affects: EVERYTHING, why: 'is a third-party or private registry type: what its handler creates is not visible here' };
}

import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { awsAccount } from './account';
import { awsIamUser } from './iam-user';
import { awsIamGroup } from './iam-group';
import { awsIamRole } from './iam-role';
import { awsIamPolicy } from './iam-policy';
import { awsS3Bucket } from './s3-bucket';
import { awsCloudTrailTrail } from './cloudtrail-trail';
import { awsKmsKey } from './kms-key';
import { awsEc2SecurityGroup } from './ec2-security-group';
import { awsEc2Region } from './ec2-region';
import { awsIamServerCertificate } from './iam-server-certificate';
import { awsAccessAnalyzer } from './access-analyzer';
import { awsEc2Instance } from './ec2-instance';
import { awsEc2Vpc } from './ec2-vpc';
import { awsEc2NetworkAcl } from './ec2-network-acl';
import { awsEc2PrefixList } from './ec2-prefix-list';
import { AWS_DATA_TYPES } from './data-types';
import { awsConfigRecorder } from './config-recorder';
import { awsGuardDutyDetector } from './guardduty-detector';
import { awsSecurityHubHub } from './securityhub-hub';
import { awsMacieSession } from './macie-session';
import { awsLogsMetricFilter } from './logs-metric-filter';
import { awsCloudWatchAlarm } from './cloudwatch-alarm';
import { awsSnsTopic } from './sns-topic';
import { awsSqsQueue } from './sqs-queue';
import { awsEcrRepository } from './ecr-repository';
import { awsElbv2LoadBalancer } from './elbv2-load-balancer';
import { awsLambdaFunction } from './lambda-function';
import { awsCloudFrontDistribution } from './cloudfront-distribution';
import { awsOpenSearchDomain } from './opensearch-domain';
import { awsRedshiftCluster } from './redshift-cluster';

/** Every AWS resource type. A collector may only emit registered types; a rule may only target them. */
export const AWS_TYPES: ResourceTypeDef[] = [
  awsAccount,
  awsIamUser,
  awsIamGroup,
  awsIamRole,
  awsIamPolicy,
  awsS3Bucket,
  awsCloudTrailTrail,
  awsKmsKey,
  awsEc2SecurityGroup,
  awsEc2Region,
  awsIamServerCertificate,
  awsAccessAnalyzer,
  awsEc2Instance,
  awsEc2Vpc,
  awsEc2NetworkAcl,
  awsEc2PrefixList,
  ...AWS_DATA_TYPES,
  awsConfigRecorder,
  awsGuardDutyDetector,
  awsSecurityHubHub,
  awsMacieSession,
  awsLogsMetricFilter,
  awsCloudWatchAlarm,
  awsSnsTopic,
  awsSqsQueue,
  awsEcrRepository,
  awsElbv2LoadBalancer,
  awsLambdaFunction,
  awsCloudFrontDistribution,
  awsOpenSearchDomain,
  awsRedshiftCluster,
];

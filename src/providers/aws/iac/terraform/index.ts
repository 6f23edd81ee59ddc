import type { TerraformAdapter } from '../../../../iac/adapter';
import type { Draft } from '../../../../iac/draft';
import { mapAccount } from './account';
import { alwaysSet } from './always-set';
import { mapBackupPlans, mapBackupVaults } from './backup';
import { mapCloudTrail } from './cloudtrail';
import { awsConfigSupport } from './config-data';
import { TfContext } from './context';
import { terraformAffects } from './coverage';
import { mapDetection } from './detection';
import { mapDynamoDbTables } from './dynamodb';
import { mapSecurityGroups } from './ec2';
import { mapEcr } from './ecr';
import { mapEfs } from './efs';
import { mapElbv2 } from './elbv2';
import { mapIam } from './iam';
import { mapKms } from './kms';
import { mapLambda } from './lambda';
import { mapSns, mapSqs } from './messaging';
import { mapMonitoring } from './monitoring';
import { mapRdsClusters, mapRdsInstances, mapRdsSnapshots } from './rds';
import { mapS3Buckets } from './s3';
import { mapSecrets } from './secretsmanager';
import { mapCloudFront, mapOpenSearch, mapRedshift } from './web-analytics';

/** Every mapping of the AWS provider's resources, in the order their resources are listed. */
export function terraformDrafts(ctx: TfContext): Draft[] {
  return [
    ...mapS3Buckets(ctx),
    ...mapIam(ctx),
    ...mapAccount(ctx),
    ...mapCloudTrail(ctx),
    ...mapKms(ctx),
    ...mapSecurityGroups(ctx),
    ...mapRdsInstances(ctx),
    ...mapRdsClusters(ctx),
    ...mapDynamoDbTables(ctx),
    ...mapBackupPlans(ctx),
    ...mapBackupVaults(ctx),
    ...mapSecrets(ctx),
    ...mapEfs(ctx),
    ...mapSns(ctx),
    ...mapSqs(ctx),
    ...mapEcr(ctx),
    ...mapDetection(ctx),
    ...mapMonitoring(ctx),
    ...mapLambda(ctx),
    ...mapElbv2(ctx),
    ...mapRdsSnapshots(ctx),
    ...mapCloudFront(ctx),
    ...mapOpenSearch(ctx),
    ...mapRedshift(ctx),
  ];
}

/**
 * AWS resource types that carry settings the rules check at runtime, but that are not mapped yet:
 * their resources are reported as not read (a coverage gap on the runtime type), so the rules on
 * that type say UNKNOWN instead of nothing. (CloudFormation's are in its coverage module.)
 */
export const AWS_TERRAFORM_UNMAPPED: Readonly<Record<string, string>> = {
  aws_instance: 'aws.ec2.instance',
  aws_vpc: 'aws.ec2.vpc',
  aws_default_vpc: 'aws.ec2.vpc',
  aws_flow_log: 'aws.ec2.vpc',
  aws_network_acl: 'aws.ec2.network-acl',
  aws_default_network_acl: 'aws.ec2.network-acl',
  aws_network_acl_rule: 'aws.ec2.network-acl',
  aws_default_security_group: 'aws.ec2.security-group',
  aws_accessanalyzer_analyzer: 'aws.accessanalyzer.analyzer',
  aws_iam_server_certificate: 'aws.iam.server-certificate',
  aws_kms_replica_key: 'aws.kms.key',
  aws_kms_external_key: 'aws.kms.key',
  aws_kms_replica_external_key: 'aws.kms.key',
  aws_dynamodb_table_replica: 'aws.dynamodb.table',
  aws_backup_region_settings: 'aws.backup.region',
  aws_ecr_registry_scanning_configuration: 'aws.ecr.repository',
  aws_macie2_account: 'aws.macie.session',
};

/** Terraform's `aws` provider: plans and configuration → the AWS resource types. */
export const awsTerraform: TerraformAdapter = {
  terraformProviders: ['aws'],
  unmapped: AWS_TERRAFORM_UNMAPPED,
  affects: terraformAffects,
  alwaysSet,
  configSupport: (placement) => awsConfigSupport({ account: placement.account, region: placement.region }),
  map({ plan, file, placement }) {
    const ctx = new TfContext(plan, file, placement);
    const resources = terraformDrafts(ctx).map((d) => d.toResource());
    return {
      resources,
      problems: ctx.problems,
      origin: (inst) => {
        const o = ctx.origin(inst);
        return { account: o.account, region: o.region };
      },
      account: ctx.account,
    };
  },
};

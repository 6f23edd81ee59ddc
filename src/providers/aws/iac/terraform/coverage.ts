/**
 * The runtime types a Terraform resource type of the AWS provider can make or change, by the
 * naming of the provider's resources; null for types that touch nothing the rules check. Used for
 * instances the plan gives no values for: they are coverage gaps on these types.
 */
const BY_PREFIX: [RegExp, string[]][] = [
  [/^aws_s3_account_public_access_block$/, ['aws.account']],
  [/^aws_iam_account_password_policy$/, ['aws.account']],
  [/^aws_s3_bucket/, ['aws.s3.bucket']],
  [/^aws_iam_(user|group|role|policy|access_key)/, ['aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy']],
  [/^aws_(default_)?security_group|^aws_vpc_security_group_/, ['aws.ec2.security-group']],
  [/^aws_ec2_managed_prefix_list(_entry)?$/, ['aws.ec2.prefix-list']],
  [/^aws_kms_(key|replica_key|external_key|replica_external_key|alias)$/, ['aws.kms.key']],
  [/^aws_cloudtrail$/, ['aws.cloudtrail.trail']],
  [/^aws_ebs_(encryption_by_default|default_kms_key)$/, ['aws.ec2.region']],
  [/^aws_(default_)?(vpc|flow_log)$/, ['aws.ec2.vpc']],
  [/^aws_(default_)?network_acl/, ['aws.ec2.network-acl']],
  [/^aws_instance$/, ['aws.ec2.instance']],
  [/^aws_accessanalyzer_analyzer$/, ['aws.accessanalyzer.analyzer']],
  [/^aws_(db_instance|rds_cluster_instance)$/, ['aws.rds.db-instance']],
  [/^aws_rds_cluster$/, ['aws.rds.db-cluster']],
  [/^aws_db_(cluster_)?snapshot/, ['aws.rds.snapshot']],
  [/^aws_dynamodb_table/, ['aws.dynamodb.table']],
  [/^aws_backup_(plan|selection)$/, ['aws.backup.plan']],
  [/^aws_backup_vault/, ['aws.backup.vault']],
  [/^aws_backup_region_settings$/, ['aws.backup.region']],
  [/^aws_secretsmanager_secret(_rotation|_policy)?$/, ['aws.secretsmanager.secret']],
  [/^aws_efs_(file_system|file_system_policy|backup_policy)$/, ['aws.efs.file-system']],
  [/^aws_cloudfront_distribution$/, ['aws.cloudfront.distribution']],
  [/^aws_cloudwatch_log_delivery(_source)?$/, ['aws.cloudfront.distribution']],
  [/^aws_(opensearch|elasticsearch)_domain(_policy)?$/, ['aws.opensearch.domain']],
  [/^aws_redshift_(cluster|parameter_group|logging)$/, ['aws.redshift.cluster']],
];

export function terraformAffects(type: string): string[] | null {
  for (const [re, types] of BY_PREFIX) if (re.test(type)) return types;
  return null;
}

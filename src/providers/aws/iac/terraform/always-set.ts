/**
 * Attributes the AWS provider sets on every instance of a managed resource once it is created:
 * the provider reads them back from the API after every create and refresh (an ARN, the id the
 * instance is stored under, a generated name), so a reference to one is never null after apply.
 * Only types whose attributes are referenced by the settings trustscan reads (KMS keys, log
 * groups, topics, roles, buckets) are listed; an attribute that is set only when the code sets
 * it (a log group's `kms_key_id`) is not.
 */
const ALWAYS_SET: Record<string, readonly string[]> = {
  aws_kms_key: ['arn', 'id', 'key_id'],
  aws_kms_alias: ['arn', 'id', 'name', 'target_key_arn'],
  aws_cloudwatch_log_group: ['arn', 'id', 'name'],
  aws_sns_topic: ['arn', 'id', 'name'],
  aws_iam_role: ['arn', 'id', 'name', 'unique_id'],
  aws_s3_bucket: ['arn', 'id', 'bucket'],
  aws_cloudtrail: ['arn', 'id'],
};

export function alwaysSet(type: string, attr: string): boolean {
  return ALWAYS_SET[type]?.includes(attr) ?? false;
}

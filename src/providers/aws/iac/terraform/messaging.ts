import { awsSnsTopic } from '../../types/sns-topic';
import { awsSqsQueue } from '../../types/sqs-queue';
import type { Draft } from '../../../../iac/draft';
import { bool, isUnresolved, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';

/** A resource policy set inline, or by a separate `*_policy` resource (the last one wins); an unpinned one makes it unknown. */
function policyOf(ctx: TfContext, inst: TfInstance, inline: unknown, separate: Children): unknown {
  const child = separate.of(inst, 'policy');
  if (child instanceof Unresolved) return child;
  if (child) return ctx.policy(child, child.values.policy);
  if (inline === undefined || inline === null || inline === '') return null;
  return ctx.policy(inst, inline);
}

const arnOrUnknown = (inst: TfInstance): string | Unresolved => (typeof inst.values.arn === 'string' ? inst.values.arn : new Unresolved(`${inst.address} arn is known only after apply`, [], true));

/** `aws_sns_topic` with `aws_sns_topic_policy`; subscriptions are a fact of the live account. */
export function mapSns(ctx: TfContext): Draft[] {
  const policies = new Children(ctx, 'aws_sns_topic_policy', 'arn', ['aws_sns_topic'], (t) => t.values.arn);
  return ctx.plan.byType('aws_sns_topic').map((t) => {
    const d = ctx.draft(awsSnsTopic, t);
    const v = t.values;
    const arn = arnOrUnknown(t);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.name = typeof v.name === 'string' ? v.name : t.address;
    d.set('name', str(v.name, t.address));
    d.setTerraformTags(v.tags_all, v.tags);
    d.setCopied('kmsMasterKeyId', optStr(v.kms_master_key_id));
    d.set('policy', policyOf(ctx, t, v.policy, policies));
    return d;
  });
}

/** `aws_sqs_queue` with `aws_sqs_queue_policy`: SSE-SQS is on unless turned off or a KMS key is set (the provider's default since 2022). */
export function mapSqs(ctx: TfContext): Draft[] {
  const policies = new Children(ctx, 'aws_sqs_queue_policy', 'queue_url', ['aws_sqs_queue'], (t) => t.values.url ?? t.values.id);
  return ctx.plan.byType('aws_sqs_queue').map((q) => {
    const d = ctx.draft(awsSqsQueue, q);
    const v = q.values;
    const arn = arnOrUnknown(q);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.name = typeof v.name === 'string' ? v.name : q.address;
    d.setCopied('url', typeof v.url === 'string' ? v.url : new Unresolved(`${q.address} url is known only after apply`, [], true));
    d.setTerraformTags(v.tags_all, v.tags);
    const kms = optStr(v.kms_master_key_id);
    d.setCopied('kmsMasterKeyId', kms);
    const managed = bool(v.sqs_managed_sse_enabled, null);
    // Left unset, AWS turns SSE-SQS on for a queue without a KMS key.
    d.set('sqsManagedSse', isUnresolved(managed) ? managed : managed ?? (kms === null));
    d.set('policy', policyOf(ctx, q, v.policy, policies));
    return d;
  });
}

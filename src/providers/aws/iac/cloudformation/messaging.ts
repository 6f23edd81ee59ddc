import { awsSnsTopic } from '../../types/sns-topic';
import { awsSqsQueue } from '../../types/sqs-queue';
import { awsEcrRepository } from '../../types/ecr-repository';
import type { Draft } from '../../../../iac/draft';
import { at, bool, isUnresolved, optStr, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

/** The policy a `*Policy` resource sets on `r` (several: the last wins; one that may apply: unknown), else `inline`. */
function policyFrom(ctx: CfnContext, r: CfnResource, policyType: string, listProp: string, docProp: string, inline: unknown): unknown {
  const hits = ctx.ofType(policyType).filter((p) => {
    const refs = p.props[listProp];
    const list = Array.isArray(refs) ? refs : [refs];
    return list.some((x) => ctx.targets(x, r.type, null).includes(r));
  });
  const last = hits[hits.length - 1];
  if (last) return ctx.policy(last, last.props[docProp]);
  if (inline === undefined || inline === null) return null;
  return ctx.policy(r, inline);
}

const later = (r: CfnResource, what: string): Unresolved => new Unresolved(`${r.logicalId} ${what} is known only after deploy`, [], true);

/** `AWS::SNS::Topic` with `AWS::SNS::TopicPolicy`. */
export function mapSns(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::SNS::Topic').map((t) => {
    const d = ctx.draft(awsSnsTopic, t);
    d.setCopied('arn', later(t, 'ARN'));
    d.set('name', str(t.props.TopicName, t.logicalId));
    d.setCopied('kmsMasterKeyId', optStr(t.props.KmsMasterKeyId));
    d.set('policy', policyFrom(ctx, t, 'AWS::SNS::TopicPolicy', 'Topics', 'PolicyDocument', undefined));
    return d;
  });
}

/** `AWS::SQS::Queue` with `AWS::SQS::QueuePolicy`; SSE-SQS is on unless turned off or a KMS key is set. */
export function mapSqs(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::SQS::Queue').map((q) => {
    const d = ctx.draft(awsSqsQueue, q);
    d.setCopied('arn', later(q, 'ARN'));
    d.setCopied('url', later(q, 'URL'));
    const kms = optStr(q.props.KmsMasterKeyId);
    d.setCopied('kmsMasterKeyId', kms);
    const managed = bool(q.props.SqsManagedSseEnabled, null);
    d.set('sqsManagedSse', isUnresolved(managed) ? managed : managed ?? kms === null);
    d.set('policy', policyFrom(ctx, q, 'AWS::SQS::QueuePolicy', 'Queues', 'PolicyDocument', undefined));
    return d;
  });
}

/** `AWS::ECR::Repository` (its policy is a property); registry scanning rules are account-wide, so unknown here. */
export function mapEcr(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::ECR::Repository').map((r) => {
    const d = ctx.draft(awsEcrRepository, r);
    const p = r.props;
    d.set('name', str(p.RepositoryName, r.logicalId));
    d.setCopied('arn', later(r, 'ARN'));
    d.set('scanOnPush', bool(at(p.ImageScanningConfiguration, 'ScanOnPush'), false));
    d.set('registryScanOnPush', new Unresolved('registry scanning rules are account-wide settings outside this repository'));
    d.set('imageTagMutability', str(p.ImageTagMutability, 'MUTABLE'));
    d.set('encryptionType', str(at(p.EncryptionConfiguration, 'EncryptionType'), 'AES256'));
    d.setCopied('kmsKey', optStr(at(p.EncryptionConfiguration, 'KmsKey')));
    d.set('policy', p.RepositoryPolicyText === undefined ? null : ctx.policy(r, p.RepositoryPolicyText));
    return d;
  });
}

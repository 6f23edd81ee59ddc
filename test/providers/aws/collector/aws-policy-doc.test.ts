import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_ANSWERS } from '../../../../src/providers/aws/collector/answer-shapes';
import { ROOT } from '../../../helpers';

/**
 * The least-privilege policy in docs/aws.md grants exactly the IAM actions behind the operations
 * the collector may call: a new operation without its action would be denied in every account
 * that uses the documented policy, and show up as a gap nobody expected.
 */

/** Operations whose IAM action has another name, and the services whose action prefix differs. */
const ACTION: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
};
const PREFIX: Record<string, string> = { efs: 'elasticfilesystem' };
/** Called with the starting identity only, documented in the notes below the policy. */
const ELSEWHERE = new Set(['sts:GetCallerIdentity', 'sts:AssumeRole', 'organizations:ListAccounts']);

test('docs/aws.md grants the action of every operation the collector calls, and nothing else', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'aws.md'), 'utf8');
  const block = /## Least-privilege IAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1];
  const granted = (JSON.parse(block) as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action).sort();
  const needed = Object.keys(AWS_ANSWERS)
    .filter((op) => !ELSEWHERE.has(op))
    .map((op) => ACTION[op] ?? `${PREFIX[op.split(':')[0]] ?? op.split(':')[0]}:${op.split(':')[1]}`);
  expect(granted).toEqual([...new Set(needed)].sort());
});

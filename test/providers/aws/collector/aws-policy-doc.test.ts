import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_ANSWERS } from '../../../../src/providers/aws/collector/answer-shapes';
import { ROOT } from '../../../helpers';

/** IAM actions whose name is not `<service>:<Operation>` of the call. */
const ACTION_OF: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
};
/** Calls the policy does not list, with the note in docs/aws.md that explains each. */
const NOT_IN_POLICY = new Set(['sts:GetCallerIdentity', 'sts:AssumeRole', 'organizations:ListAccounts']);

test('the least-privilege policy in docs/aws.md grants exactly the operations the collector calls', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'aws.md'), 'utf8');
  const policy = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc.slice(doc.indexOf('## Least-privilege IAM policy')))![1]) as { Statement: { Action: string[] }[] };
  const listed = new Set(policy.Statement.flatMap((s) => s.Action));
  const needed = new Set(
    Object.keys(AWS_ANSWERS)
      .filter((op) => !NOT_IN_POLICY.has(op))
      .map((op) => ACTION_OF[op] ?? op.replace(/^access-analyzer:/, 'access-analyzer:')),
  );
  expect([...needed].filter((a) => !listed.has(a)).sort()).toEqual([]);
  expect([...listed].filter((a) => !needed.has(a)).sort()).toEqual([]);
});

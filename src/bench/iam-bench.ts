/**
 * `npm run bench:iam` — IAM policy analysis on a synthetic account of a few thousand principals.
 *
 * Builds users (in groups, with their own inline and attached policies), roles and managed
 * policies — including a ReadOnlyAccess-sized document of 1,200 action patterns and the usual
 * AWS-managed administrator and power-user policies — then times (1) computing the
 * `permissions` fact of every principal from cold and (2) evaluating every built-in IAM rule,
 * and prints throughput and peak RSS. Options: --principals N (default 3000), --seed N.
 */
import type { Resource, Snapshot } from '../core/types';
import { evaluate } from '../engine/evaluate';
import { BUILTIN_RULES_DIR, loadRulesOrThrow } from '../engine/rule-loader';
import { SnapshotIndex } from '../engine/snapshot-index';
import { prng } from './synthetic-snapshot';
import { builtinFacts, builtinRegistry } from '../catalog';

const ACCOUNT = '123456789012';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const doc = (...Statement: Record<string, unknown>[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement });

function build(principals: number, seed: number): { snapshot: Snapshot; users: number; roles: number; policies: number; statements: number } {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const resources: Resource[] = [];
  let statements = 0;
  const base = (type: string, id: string, name: string, properties: Record<string, unknown>): Resource => ({
    id,
    type,
    provider: 'aws',
    account: ACCOUNT,
    region: 'global',
    name,
    source: { kind: 'runtime' },
    properties,
  });
  const services = Array.from({ length: 400 }, (_, i) => `svc${i}`);
  const readOnly = doc({ Effect: 'Allow', Action: services.flatMap((s) => [`${s}:Get*`, `${s}:List*`, `${s}:Describe*`]), Resource: '*' });
  const managed: { name: string; arn: string; document: Record<string, unknown> }[] = [
    { name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
    {
      name: 'PowerUserAccess',
      arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
      document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }, { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:ListRoles'], Resource: '*' }),
    },
    { name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', document: readOnly },
  ];
  const actionPool = ['s3:GetObject', 's3:PutObject', 'dynamodb:Query', 'sqs:SendMessage', 'lambda:InvokeFunction', 'lambda:CreateFunction', 'iam:PassRole', 'ec2:RunInstances', 'kms:Decrypt', 'logs:PutLogEvents', 'iam:CreateAccessKey', 'cloudformation:CreateStack'];
  for (let i = 0; i < 40; i++) {
    const stmts = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => ({
      Effect: rand() < 0.9 ? 'Allow' : 'Deny',
      Action: Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(actionPool)),
      Resource: rand() < 0.5 ? '*' : `arn:aws:s3:::bucket-${i}/*`,
      ...(rand() < 0.2 ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {}),
    }));
    managed.push({ name: `team-${i}`, arn: `arn:aws:iam::${ACCOUNT}:policy/team-${i}`, document: doc(...stmts) });
  }
  for (const m of managed) {
    statements += (m.document.Statement as unknown[]).length;
    const aws = m.arn.includes(':aws:policy/');
    resources.push(base('aws.iam.policy', aws ? `${m.arn}#${ACCOUNT}` : m.arn, m.name, { policyName: m.name, arn: m.arn, awsManaged: aws, document: m.document, attachmentCount: 1 }));
  }
  const ref = (m: (typeof managed)[number]): { policyName: string; policyArn: string } => ({ policyName: m.name, policyArn: m.arn });
  const groups = Array.from({ length: 30 }, (_, i) => `group-${i}`);
  groups.forEach((g, i) => {
    const attached = [managed[2 + (i % 2)], ...Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(managed.slice(3)))];
    if (i === 0) attached.push(managed[0]);
    resources.push(base('aws.iam.group', `arn:aws:iam::${ACCOUNT}:group/${g}`, g, { groupName: g, arn: `arn:aws:iam::${ACCOUNT}:group/${g}`, members: [], attachedPolicies: attached.map(ref), inlinePolicies: [] }));
  });
  const inline = (n: number): { policyName: string; document: Record<string, unknown> }[] =>
    Array.from({ length: n }, (_, k) => {
      statements++;
      return { policyName: `inline-${k}`, document: doc({ Effect: 'Allow', Action: [pick(actionPool), pick(actionPool)], Resource: `arn:aws:s3:::private-${Math.floor(rand() * 1e6)}/*` }) };
    });
  const users = Math.round((principals * 2) / 3);
  for (let i = 0; i < users; i++) {
    const name = `user-${i}`;
    resources.push(
      base('aws.iam.user', `arn:aws:iam::${ACCOUNT}:user/${name}`, name, {
        userName: name,
        arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
        groups: [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(groups)))],
        attachedPolicies: rand() < 0.3 ? [ref(pick(managed.slice(3)))] : [],
        inlinePolicies: inline(rand() < 0.4 ? 1 : 0),
        permissionsBoundary: null,
        passwordEnabled: false,
        mfaActive: false,
        accessKeys: [],
      }),
    );
  }
  const roles = principals - users;
  for (let i = 0; i < roles; i++) {
    const name = `role-${i}`;
    resources.push(
      base('aws.iam.role', `arn:aws:iam::${ACCOUNT}:role/${name}`, name, {
        roleName: name,
        arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        serviceLinked: false,
        assumeRolePolicy: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        attachedPolicies: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ref(pick(managed.slice(1)))),
        inlinePolicies: inline(1 + Math.floor(rand() * 2)),
        permissionsBoundary: null,
        createDate: '2025-01-01T00:00:00Z',
        lastUsed: null,
      }),
    );
  }
  const snapshot: Snapshot = {
    schemaVersion: '1.0',
    metadata: { tool: { name: 'trustscan', version: 'bench' }, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z', providers: ['aws'], accounts: [{ provider: 'aws', id: ACCOUNT }] },
    resources,
    coverage: [],
  };
  return { snapshot, users, roles, policies: managed.length, statements };
}

function main(): void {
  const principals = arg('principals', 3000);
  const seed = arg('seed', 42);
  const { snapshot, users, roles, policies, statements } = build(principals, seed);
  const registry = builtinRegistry();
  const facts = builtinFacts();
  console.log(`synthetic account: ${users} users, ${roles} roles, 30 groups, ${policies} managed policies, ${statements} statements in all`);

  // (1) the permissions fact of every principal, from cold (a fresh index: no cached analyses)
  const index = new SnapshotIndex(snapshot, registry);
  const subjects = snapshot.resources.filter((r) => r.type === 'aws.iam.user' || r.type === 'aws.iam.role');
  const t0 = process.hrtime.bigint();
  let escalating = 0;
  for (const r of subjects) {
    const v = facts.get(r.type, 'permissions')!.compute(r, index) as { privilegeEscalation: unknown[] };
    if (Array.isArray(v.privilegeEscalation) && v.privilegeEscalation.length) escalating++;
  }
  const analysisMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(
    `policy analysis: ${subjects.length} principals in ${analysisMs.toFixed(0)} ms — ${Math.round(subjects.length / (analysisMs / 1000))} principals/s, ${((analysisMs * 1000) / subjects.length).toFixed(0)} µs each (${escalating} can escalate)`,
  );

  // (2) every built-in IAM rule over the snapshot, through the engine (facts computed once per resource)
  const rules = loadRulesOrThrow([BUILTIN_RULES_DIR], registry, facts).filter((r) => r.def.resourceType.startsWith('aws.iam.'));
  const t1 = process.hrtime.bigint();
  const { stats, results } = evaluate(snapshot, rules, registry, { collect: false });
  const evalMs = Number(process.hrtime.bigint() - t1) / 1e6;
  console.log(
    `IAM rules: ${rules.length} rules, ${stats.evaluations} rule × resource evaluations in ${evalMs.toFixed(0)} ms — ${Math.round(stats.evaluations / (evalMs / 1000))} evaluations/s; FAIL ${results.summary.byStatus.FAIL}, PASS ${results.summary.byStatus.PASS}, UNKNOWN ${results.summary.byStatus.UNKNOWN}`,
  );
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main();

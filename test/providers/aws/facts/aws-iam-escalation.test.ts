import type { Resource } from '../../../../src/core/types';
import { ACCOUNT, allow, attach, doc, fact, group, inline, managed, methods, potential, reasons, role, serviceAdmin, trust, U, user, type Doc } from './fact-helpers';
import { resource } from '../../../helpers';

type Entry = { method: string; granted: unknown; path: string[]; target: string | null; conditions: string[] };
const entries = (p: Record<string, unknown>): Entry[] => p.privilegeEscalation as Entry[];
const entry = (p: Record<string, unknown>, method: string): Entry | undefined => entries(p).find((e) => e.method === method);
const arn = (kind: string, name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:${kind}/${name}`;
const admin = doc(allow('*'));
const perms = (subject: Resource, others: Resource[] = []): Record<string, unknown> => fact(subject, 'permissions', others);

function instance(id: string, profile: string | null, state = 'running'): Resource {
  return resource({
    type: 'aws.ec2.instance',
    id: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`,
    region: 'us-east-1',
    name: id,
    properties: { instanceId: id, state, iamInstanceProfileArn: profile, metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' }, vpcId: null },
  });
}

describe('assume-role chains', () => {
  const start = role('start', { assumeRolePolicy: trust({ AWS: arn('user', 'outsider', '999999999999') }) });
  const middle = role('middle', { assumeRolePolicy: trust({ AWS: arn('role', 'start') }) });
  const end = role('end', { assumeRolePolicy: trust({ AWS: arn('role', 'middle') }), inlinePolicies: inline(admin) });

  it('follows roles whose trust policies name the caller, and shows the path', () => {
    const p = perms(start, [middle, end]);
    const e = entry(p, 'assume-role');
    expect(e?.granted).toBe(true);
    expect(e?.target).toBe(arn('role', 'middle'));
    expect(e?.path).toEqual([
      `${ACCOUNT}:role/start`,
      'assume-role (sts:AssumeRole)',
      `${ACCOUNT}:role/middle`,
      'assume-role (sts:AssumeRole)',
      `${ACCOUNT}:role/end`,
      'full administrator',
    ]);
  });

  it('stops where the chain is broken', () => {
    const detached = role('end', { assumeRolePolicy: trust({ AWS: arn('role', 'someone-else') }), inlinePolicies: inline(admin) });
    expect(methods(perms(start, [middle, detached]))).toEqual([]);
  });

  it('needs the identity policy when the trust names the account, not the caller', () => {
    const target = role('target', { assumeRolePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), inlinePolicies: inline(admin) });
    expect(methods(perms(user('u'), [target]))).toEqual([]);
    expect(methods(perms(user('u', { inlinePolicies: inline(doc(allow('sts:AssumeRole', arn('role', 'target')))) }), [target]))).toEqual(['assume-role']);
    // An identity grant on another role does not open this one.
    expect(methods(perms(user('u', { inlinePolicies: inline(doc(allow('sts:AssumeRole', arn('role', 'other')))) }), [target]))).toEqual([]);
  });

  it('crosses accounts only when both sides allow it', () => {
    const other = '222222222222';
    const remote = role('remote', { assumeRolePolicy: trust({ AWS: arn('user', 'u') }), inlinePolicies: inline(admin) }, { account: other, id: arn('role', 'remote', other) });
    (remote.properties as Doc).arn = arn('role', 'remote', other);
    const acct = (id: string): Resource => resource({ type: 'aws.account', id: `arn:aws:iam::${id}:root`, region: 'global', account: id, properties: { accountId: id, partition: 'aws' } });
    const snapshot = [remote, acct(ACCOUNT), acct(other)];
    expect(methods(perms(user('u'), snapshot))).toEqual([]);
    expect(methods(perms(user('u', { inlinePolicies: inline(doc(allow('sts:AssumeRole'))) }), snapshot))).toEqual(['assume-role']);
  });

  it('acts on another account\'s principals only by assuming one of its roles: IAM calls and passed roles stay in the caller\'s account', () => {
    const other = '222222222222';
    const acct = (id: string): Resource => resource({ type: 'aws.account', id: `arn:aws:iam::${id}:root`, region: 'global', account: id, properties: { accountId: id, partition: 'aws' } });
    const elsewhere = <T extends Resource>(r: T, kind: string, name: string): T => {
      r.id = arn(kind, name, other);
      r.account = other;
      (r.properties as Doc).arn = r.id;
      return r;
    };
    // An administrator user, and a role EC2 may assume, in the other account; neither trusts this one.
    const boss = elsewhere(user('boss', { inlinePolicies: inline(admin) }), 'user', 'boss');
    const ec2Admin = elsewhere(role('ec2-admin', { assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }), inlinePolicies: inline(admin) }), 'role', 'ec2-admin');
    const snapshot = [boss, ec2Admin, acct(ACCOUNT), acct(other)];
    const keysmith = user('keysmith', { inlinePolicies: inline(doc(allow(['iam:CreateAccessKey', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'sts:AssumeRole']))) });
    expect(methods(perms(keysmith, snapshot))).toEqual([]);
    const launcher = user('launcher', { inlinePolicies: inline(doc(allow(['iam:PassRole', 'ec2:RunInstances']))) });
    expect(methods(perms(launcher, snapshot))).toEqual([]);
    // The same principals in the caller's own account are reachable.
    const near = [user('boss', { inlinePolicies: inline(admin) }), acct(ACCOUNT)];
    expect(methods(perms(keysmith, near))).toContain('create-access-key');
  });

  it('is not escalation when the role reached is no more privileged', () => {
    const plain = role('plain', { assumeRolePolicy: trust({ AWS: arn('user', 'u') }), inlinePolicies: inline(doc(allow('s3:GetObject'))) });
    const p = perms(user('u'), [plain]);
    expect(methods(p)).toEqual([]);
    expect(potential(p)).toEqual([]);
  });

  it('honours conditions on the caller in the trust policy, and drops conditions no request can meet', () => {
    const pinned = (principalArn: string): Resource =>
      role('target', { assumeRolePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, { Condition: { ArnLike: { 'aws:PrincipalArn': principalArn } } }), inlinePolicies: inline(admin) });
    const caller = user('u', { inlinePolicies: inline(doc(allow('sts:AssumeRole'))) });
    expect(methods(perms(caller, [pinned(arn('user', 'u'))]))).toEqual(['assume-role']);
    expect(methods(perms(caller, [pinned(arn('role', 'ops-*'))]))).toEqual([]);
    const expired = role('target', {
      assumeRolePolicy: trust({ AWS: arn('user', 'u') }, { Condition: { DateLessThan: { 'aws:CurrentTime': '2019-01-01T00:00:00Z' } } }),
      inlinePolicies: inline(admin),
    });
    expect(methods(perms(user('u'), [expired]))).toEqual([]);
  });
});

describe('pass-role needs a more privileged role the service can assume', () => {
  const dev = (d: Doc): Resource => user('dev', { inlinePolicies: inline(d) });
  const lambdaDev = doc(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']));

  it('fails when such a role exists, and is only potential when none does', () => {
    expect(methods(perms(dev(lambdaDev), [serviceAdmin('fn-admin', 'lambda.amazonaws.com')]))).toEqual(['pass-role-lambda-invoke']);
    const weak = role('fn-logs', { assumeRolePolicy: trust({ Service: 'lambda.amazonaws.com' }), inlinePolicies: inline(doc(allow('logs:*'))) });
    const p = perms(dev(lambdaDev), [weak]);
    expect(methods(p)).toEqual([]);
    expect(potential(p)).toEqual(['pass-role-lambda-invoke']);
  });

  it('ignores privileged roles the service cannot assume, or that the policy does not let it pass', () => {
    expect(methods(perms(dev(lambdaDev), [serviceAdmin('ec2-admin', 'ec2.amazonaws.com')]))).toEqual([]);
    const scoped = doc(allow('iam:PassRole', arn('role', 'fn-*')), allow(['lambda:CreateFunction', 'lambda:InvokeFunction']));
    expect(methods(perms(dev(scoped), [serviceAdmin('admin', 'lambda.amazonaws.com')]))).toEqual([]);
    expect(methods(perms(dev(scoped), [serviceAdmin('fn-admin', 'lambda.amazonaws.com')]))).toEqual(['pass-role-lambda-invoke']);
  });

  it('counts a role that can itself escalate as more privileged, and shows how', () => {
    const sneaky = role('fn-iam', { assumeRolePolicy: trust({ Service: 'lambda.amazonaws.com' }), inlinePolicies: inline(doc(allow('iam:PutRolePolicy', arn('role', 'fn-iam')))) });
    const e = entry(perms(dev(lambdaDev), [sneaky]), 'pass-role-lambda-invoke');
    expect(e?.granted).toBe(true);
    expect(e?.path.slice(-2)).toEqual([`${ACCOUNT}:role/fn-iam`, 'can put-role-policy (iam:PutRolePolicy)']);
  });

  it.each([
    ['SageMaker training job', ['sagemaker:CreateTrainingJob'], 'sagemaker.amazonaws.com', 'pass-role-sagemaker-training-job'],
    ['SageMaker processing job', ['sagemaker:CreateProcessingJob'], 'sagemaker.amazonaws.com', 'pass-role-sagemaker-processing-job'],
    ['CloudFormation change set', ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], 'cloudformation.amazonaws.com', 'pass-role-cloudformation-change-set'],
    ['Spot instance', ['ec2:RequestSpotInstances'], 'ec2.amazonaws.com', 'pass-role-ec2-spot'],
    ['launch template', ['ec2:CreateLaunchTemplate', 'ec2:RunInstances'], 'ec2.amazonaws.com', 'pass-role-ec2-launch-template'],
    ['Glue job', ['glue:CreateJob', 'glue:StartJobRun'], 'glue.amazonaws.com', 'pass-role-glue-job'],
  ])('finds a %s run with a passed role', (_name, actions, service, method) => {
    expect(methods(perms(dev(doc(allow(['iam:PassRole', ...actions]))), [serviceAdmin('svc-admin', service)]))).toContain(method);
  });

  it('is unknown, not a pass, when the roles of the account could not all be listed', () => {
    const p = fact(dev(lambdaDev), 'permissions', [], {}, [
      { provider: 'aws', account: ACCOUNT, region: 'global', service: 'iam', operation: 'GetAccountAuthorizationDetails', outcome: 'denied', message: 'AccessDenied' },
    ]);
    expect(p.privilegeEscalation).toBe(U);
  });

  it('is unknown in infrastructure code, which declares only some of the account’s roles', () => {
    const coded = user('dev', { inlinePolicies: inline(lambdaDev) }, { source: { kind: 'terraform', file: 'iam.tf', line: 3 } });
    const p = perms(coded);
    expect(entry(p, 'pass-role-lambda-invoke')?.granted).toBe(U);
    expect(methods(perms(coded, [serviceAdmin('fn-admin', 'lambda.amazonaws.com')]))).toEqual(['pass-role-lambda-invoke']);
  });
});

describe('commands on instances that run with a role', () => {
  const highRole = role('box-admin', { assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }), inlinePolicies: inline(admin), instanceProfiles: [`arn:aws:iam::${ACCOUNT}:instance-profile/box-admin`] });
  const box = instance('i-0abc', `arn:aws:iam::${ACCOUNT}:instance-profile/box-admin`);

  it.each([
    ['ssm:SendCommand', 'ssm-send-command'],
    ['ssm:StartSession', 'ssm-start-session'],
    ['ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect'],
  ])('%s on an instance whose role is an administrator escalates', (action, method) => {
    const e = entry(perms(user('ops', { inlinePolicies: inline(doc(allow(action))) }), [highRole, box]), method);
    expect(e?.granted).toBe(true);
    expect(e?.path).toEqual([`${ACCOUNT}:user/ops`, `${method} (${action})`, `${ACCOUNT}:role/box-admin`, 'full administrator']);
  });

  it('needs the instance: no running instance with the profile, or a grant on other instances only, is no escalation', () => {
    const ops = user('ops', { inlinePolicies: inline(doc(allow('ssm:SendCommand'))) });
    expect(methods(perms(ops, [highRole, instance('i-0abc', `arn:aws:iam::${ACCOUNT}:instance-profile/box-admin`, 'terminated')]))).toEqual([]);
    expect(potential(perms(ops, [highRole]))).toEqual(['ssm-send-command']);
    const narrow = user('ops', { inlinePolicies: inline(doc(allow('ssm:SendCommand', `arn:aws:ec2:*:*:instance/i-other`))) });
    expect(methods(perms(narrow, [highRole, box]))).toEqual([]);
  });
});

describe('methods on resources trustscan does not collect are potential', () => {
  it.each([
    [['lambda:UpdateFunctionCode'], 'lambda-update-function-code'],
    [['cloudformation:UpdateStack'], 'cloudformation-update-stack'],
    [['sagemaker:CreatePresignedNotebookInstanceUrl'], 'sagemaker-presigned-notebook-url'],
    [['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], 'ec2-launch-template-version'],
  ])('%s', (actions, method) => {
    const p = perms(user('u', { inlinePolicies: inline(doc(allow(actions))) }));
    expect(methods(p)).toEqual([]);
    expect(potential(p)).toContain(method);
  });
});

describe('false positives the escalation lab sets', () => {
  it('does not count new versions of AWS-managed policies or of another account’s', () => {
    const mine = managed('mine', doc(allow('s3:GetObject')));
    const on = (resourceArn: string): Record<string, unknown> =>
      perms(user('u', { attachedPolicies: attach(mine), inlinePolicies: inline(doc(allow(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], resourceArn))) }), [mine]);
    expect(methods(on('arn:aws:iam::aws:policy/*'))).toEqual([]);
    expect(methods(on('arn:aws:iam::999999999999:policy/*'))).toEqual([]);
    expect(methods(on('arn:aws:iam::*:policy/mi*'))).toEqual(['create-policy-version', 'set-default-policy-version']);
    expect(methods(on('*'))).toEqual(['create-policy-version', 'set-default-policy-version']);
  });

  it('counts a policy version only on a policy attached to the principal; elsewhere it is potential', () => {
    const theirs = managed('theirs', doc(allow('s3:GetObject')));
    const p = perms(user('u', { inlinePolicies: inline(doc(allow('iam:CreatePolicyVersion', arn('policy', 'theirs')))) }), [theirs]);
    expect(methods(p)).toEqual([]);
    expect(potential(p)).toEqual(['create-policy-version']);
  });

  it('does not count grants on another named role as acting on itself', () => {
    const self = role('app', { inlinePolicies: inline(doc(allow(['iam:AttachRolePolicy', 'iam:PutRolePolicy'], arn('role', 'other-app')))) });
    expect(methods(perms(self))).toEqual([]);
    const onSelf = role('app', { inlinePolicies: inline(doc(allow('iam:PutRolePolicy', arn('role', 'app')))) });
    expect(methods(perms(onSelf))).toEqual(['put-role-policy']);
    const onUser = user('u', { inlinePolicies: inline(doc(allow('iam:PutUserPolicy', arn('user', 'someone')))) });
    expect(methods(perms(onUser))).toEqual([]);
  });

  it('does not count a group the user is not in as its own', () => {
    const mine = group('mine');
    const u = user('u', { groups: ['mine'], inlinePolicies: inline(doc(allow('iam:PutGroupPolicy', arn('group', 'theirs')))) });
    expect(methods(perms(u, [mine]))).toEqual([]);
    const own = user('u', { groups: ['mine'], inlinePolicies: inline(doc(allow('iam:PutGroupPolicy', arn('group', 'mine')))) });
    expect(methods(perms(own, [mine]))).toEqual(['put-group-policy']);
  });

  it('drops grants whose conditions can never be met (a token issued before a past date)', () => {
    const cond = (op: string): Doc => doc(allow('iam:PutUserPolicy', '*', { Condition: { [op]: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } } }));
    expect(methods(perms(user('u', { inlinePolicies: inline(cond('DateLessThan')) })))).toEqual([]);
    expect(methods(perms(user('u', { inlinePolicies: inline(cond('DateGreaterThan')) })))).toEqual(['put-user-policy']);
    const current = doc(allow('*', '*', { Condition: { DateLessThanEquals: { 'aws:CurrentTime': '2021-12-31T23:59:59Z' } } }));
    const p = perms(user('u', { inlinePolicies: inline(current) }));
    expect(p.fullAdmin).toBe(false);
    expect(methods(p)).toEqual([]);
  });

  it('evaluates iam:PolicyARN against the policies that could be attached', () => {
    const readOnly = managed('TeamReadOnly', doc(allow(['s3:Get*', 's3:List*'])));
    const custom = managed('TeamAdmin', admin);
    const attachOnly = (policyArn: string): Resource =>
      user('u', { inlinePolicies: inline(doc(allow('iam:AttachUserPolicy', '*', { Condition: { ArnEquals: { 'iam:PolicyARN': policyArn } } }))) });
    expect(methods(perms(attachOnly(String(readOnly.properties.arn)), [readOnly, custom]))).toEqual([]);
    expect(methods(perms(attachOnly(String(custom.properties.arn)), [readOnly, custom]))).toEqual(['attach-user-policy']);
    expect(methods(perms(attachOnly('arn:aws:iam::aws:policy/AdministratorAccess')))).toEqual(['attach-user-policy']);
    const notAdmin = user('u', { inlinePolicies: inline(doc(allow('iam:AttachUserPolicy', '*', { Condition: { ArnNotEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } } }))) });
    // Any other policy may still be attached, IAMFullAccess among them.
    expect(methods(perms(notAdmin))).toEqual(['attach-user-policy']);
    const unknownPolicy = perms(attachOnly(`arn:aws:iam::${ACCOUNT}:policy/NotInSnapshot`));
    expect(entry(unknownPolicy, 'attach-user-policy')?.granted).toBe(U);
  });

  it('does not count creating keys for users no more privileged than the caller', () => {
    const peer = user('peer', { inlinePolicies: inline(doc(allow('s3:GetObject'))) });
    const p = perms(user('u', { inlinePolicies: inline(doc(allow('iam:CreateAccessKey'))) }), [peer]);
    expect(methods(p)).toEqual([]);
    expect(potential(p)).toEqual(['create-access-key']);
  });

  it('keeps the unknown reasons of a target whose policies are partly missing', () => {
    const half = role('fn', { assumeRolePolicy: trust({ Service: 'lambda.amazonaws.com' }), attachedPolicies: [{ policyName: 'Gone', policyArn: arn('policy', 'Gone') }] });
    const u = user('u', { inlinePolicies: inline(doc(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']))) });
    expect(entry(perms(u, [half]), 'pass-role-lambda-invoke')?.granted).toBe(U);
    expect(reasons(u, 'permissions', [half]).join('\n')).toMatch(/role\/fn/);
  });
});

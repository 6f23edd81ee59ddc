import { parsePolicy } from '../../../../src/providers/aws/facts/iam-policy';
import { isPrivileged } from '../../../../src/providers/aws/facts/iam-facts';
import {
  ACCOUNT,
  allow,
  attach,
  deny,
  doc,
  fact,
  group,
  inline,
  managed,
  methods,
  permsOf,
  permsWith,
  potential,
  reasons,
  serviceAdmin,
  trust,
  role,
  U,
  user,
  wildcards,
} from './fact-helpers';

describe('full administrative access', () => {
  it.each([
    ['Action "*"', [allow('*')]],
    ['Action "*:*"', [allow('*:*')]],
    ['a single statement object instead of a list', null],
    ['Action list with "*" among others', [allow(['s3:GetObject', '*'])]],
    ['Resource list containing "*"', [allow('*', ['arn:aws:s3:::x', '*'])]],
    ['NotAction plus an Allow of exactly what it left out', [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }, allow(['iam:*', 'organizations:*'])]],
    ['a Deny of a NotAction that covers everything', [allow('*'), { Effect: 'Deny', NotAction: '*', Resource: '*' }]],
  ])('is found when spelled with %s', (_name, statements) => {
    const p = statements === null ? permsOf({ Version: '2012-10-17', Statement: allow('*') }) : permsOf(doc(...statements));
    expect(p.fullAdmin).toBe(true);
    expect(p.fullAdminConditions).toEqual([]);
  });

  it('is found across two policies that each grant half', () => {
    const p = permsOf(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), doc(allow('iam:*')));
    expect(p.fullAdmin).toBe(true);
  });

  it('is not granted by Allow NotAction of a few services alone, but iam:* then is', () => {
    const p = permsOf(doc({ Effect: 'Allow', NotAction: ['s3:*', 'aws-portal:*'], Resource: '*' }));
    expect(p.fullAdmin).toBe(false);
    expect(wildcards(p)).toContain('iam');
    expect(wildcards(p)).not.toContain('s3');
    expect(methods(p)).toContain('attach-user-policy');
  });

  it('is removed by an explicit Deny of one service', () => {
    const p = permsOf(doc(allow('*'), deny('iam:*')));
    expect(p.fullAdmin).toBe(false);
    expect(wildcards(p)).not.toContain('iam');
    expect(wildcards(p)).toContain('s3');
    expect(methods(p)).not.toContain('attach-user-policy');
    expect(potential(p)).toContain('lambda-update-function-code');
  });

  it('is removed by a Deny in another attached policy', () => {
    const admin = managed('Admin', doc(allow('*')));
    const quarantine = managed('Quarantine', doc(deny('*')), {}, true);
    const p = fact(user('u', { attachedPolicies: attach(admin, quarantine) }), 'permissions', [admin, quarantine]);
    expect(p.fullAdmin).toBe(false);
    expect(p.privilegeEscalation).toEqual([]);
  });

  it('is removed by a Deny on a NotResource, and no IAM action survives it', () => {
    const p = permsOf(doc(allow('*'), { Effect: 'Deny', Action: '*', NotResource: ['arn:aws:s3:::public-site', 'arn:aws:s3:::public-site/*'] }));
    expect(p.fullAdmin).toBe(false);
    expect(wildcards(p)).toEqual([]);
    expect(methods(p)).toEqual([]);
  });

  it('is removed by a Deny of every action on specific resources', () => {
    const p = permsOf(doc(allow('*'), deny('*', 'arn:aws:s3:::audit-logs/*')));
    expect(p.fullAdmin).toBe(false);
    expect(wildcards(p)).toContain('iam');
  });

  it('guarded by MFA is granted, but never as an unconditional grant', () => {
    const p = permsOf(doc(allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })));
    expect(p.fullAdmin).toBe(true);
    expect(p.fullAdminConditions).toEqual(['aws:MultiFactorAuthPresent']);
  });

  it('guarded by a condition that restricts what it covers is unknown, with the reason', () => {
    const u = user('u', { inlinePolicies: inline(doc(allow('*', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'red' } } }))) });
    const p = fact(u, 'permissions');
    expect(p.fullAdmin).toBe(U);
    expect(reasons(u, 'permissions').join('\n')).toMatch(/full access is granted only under conditions .*aws:ResourceTag\/team/);
  });

  it('stays when a Deny is gated by session keys only (the caller can meet them)', () => {
    const p = permsOf(doc(allow('*'), deny('*', '*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })));
    expect(p.fullAdmin).toBe(true);
  });

  it('becomes unknown when a Deny is gated by a key trustscan does not evaluate', () => {
    const p = permsOf(doc(allow('*'), deny('*', '*', { Condition: { StringEquals: { 'aws:ResourceTag/protected': 'true' } } })));
    expect(p.fullAdmin).toBe(U);
  });

  it('matches action names case-insensitively and resources case-sensitively', () => {
    expect(methods(permsOf(doc(allow('IAM:putuserPOLICY'))))).toContain('put-user-policy');
    const p = permsOf(doc(allow('*'), deny('*', 'ARN:AWS:IAM::*')));
    expect(p.fullAdmin).toBe(true); // the upper-case Deny pattern matches no real (lower-case) ARN
    expect(permsOf(doc(allow('*'), deny('*', 'arn:aws:iam::*'))).fullAdmin).toBe(false);
  });

  it('understands ? wildcards', () => {
    expect(methods(permsOf(doc(allow('iam:PutUserPolic?'))))).toEqual(['put-user-policy']);
    expect(methods(permsOf(doc(allow('iam:PutUserPolicy?'))))).toEqual([]);
  });

  it('is limited by a permissions boundary', () => {
    const boundary = managed('Boundary', doc(allow(['s3:*', 'cloudwatch:*'])));
    const u = user('u', { inlinePolicies: inline(doc(allow('*'))), permissionsBoundary: { type: 'Policy', arn: String(boundary.properties.arn) } });
    const p = fact(u, 'permissions', [boundary]);
    expect(p.fullAdmin).toBe(false);
    expect(wildcards(p)).toEqual(['s3']);
    expect(methods(p)).toEqual([]);
  });

  it('is unknown when the boundary policy is not in the snapshot', () => {
    const u = user('u', { inlinePolicies: inline(doc(allow('*'))), permissionsBoundary: { type: 'Policy', arn: `arn:aws:iam::${ACCOUNT}:policy/missing` } });
    expect(fact(u, 'permissions').fullAdmin).toBe(U);
    expect(reasons(u, 'permissions')).toEqual([`permissions boundary: managed policy arn:aws:iam::${ACCOUNT}:policy/missing is not in the snapshot`]);
  });
});

describe('wildcard grants per service', () => {
  it('reports iam:* alone as a service wildcard and every IAM escalation, not as full admin', () => {
    const p = permsOf(doc(allow('iam:*')));
    expect(p.fullAdmin).toBe(false);
    expect(wildcards(p)).toEqual(['iam']);
    expect(methods(p)).toEqual(expect.arrayContaining(['attach-user-policy', 'put-user-policy']));
    // It is an administrator already: acting through others gives it nothing more.
    expect(potential(p)).toEqual([]);
    expect(methods(p)).not.toContain('pass-role-ec2');
  });

  it('requires every resource: s3:* on one bucket is not a wildcard grant', () => {
    expect(wildcards(permsOf(doc(allow('s3:*', ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']))))).toEqual([]);
    expect(wildcards(permsOf(doc(allow('s3:*'))))).toEqual(['s3']);
  });

  it('is found for services named only through a wildcard service pattern', () => {
    expect(wildcards(permsOf(doc(allow('*:*'), deny('ec2:*'))))).not.toContain('ec2');
    expect(wildcards(permsOf(doc(allow('kms*:*'))))).toContain('kms');
  });

  it('is cut by a Deny that names a pattern inside the service', () => {
    expect(wildcards(permsOf(doc(allow('s3:*'), deny('s3:Delete*'))))).toEqual([]);
  });
});

describe('privilege escalation', () => {
  it('finds a combination split over two attached managed policies', () => {
    const passRole = managed('PassAnyRole', doc(allow('iam:PassRole')));
    const lambda = managed('LambdaDeveloper', doc(allow(['lambda:CreateFunction', 'lambda:InvokeFunction'])));
    const fn = serviceAdmin('fn-admin', 'lambda.amazonaws.com');
    const both = fact(user('u', { attachedPolicies: attach(passRole, lambda) }), 'permissions', [passRole, lambda, fn]);
    const path = (both.privilegeEscalation as { method: string; sources: string[]; granted: unknown; path: string[] }[]).find((e) => e.method === 'pass-role-lambda-invoke');
    expect(path?.granted).toBe(true);
    expect(path?.sources).toEqual([String(lambda.properties.arn), String(passRole.properties.arn)]);
    expect(path?.path).toEqual([`${ACCOUNT}:user/u`, 'pass-role-lambda-invoke (iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction)', `${ACCOUNT}:role/fn-admin`, 'full administrator']);
    expect(methods(fact(user('u', { attachedPolicies: attach(passRole) }), 'permissions', [passRole, fn]))).toEqual([]);
    expect(methods(fact(user('u', { attachedPolicies: attach(lambda) }), 'permissions', [lambda, fn]))).toEqual([]);
  });

  it("finds a combination split between a user's own policy and its group's policy", () => {
    const dev = group('developers', { inlinePolicies: inline(doc(allow(['cloudformation:CreateStack', 'cloudformation:Describe*']))) });
    const u = user('u', { groups: ['developers'], inlinePolicies: inline(doc(allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/*`))) });
    expect(methods(fact(u, 'permissions', [dev, serviceAdmin('cfn', 'cloudformation.amazonaws.com')]))).toEqual(['pass-role-cloudformation']);
  });

  it('is unknown when a group of the user is not in the snapshot', () => {
    const u = user('u', { groups: ['ghosts'] });
    expect(fact(u, 'permissions').privilegeEscalation).toBe(U);
    expect(reasons(u, 'permissions')).toEqual(["group 'ghosts' is not in the snapshot"]);
  });

  it('is unknown when an attached managed policy is not in the snapshot, and says which', () => {
    const u = user('u', { attachedPolicies: [{ policyName: 'Gone', policyArn: 'arn:aws:iam::aws:policy/Gone' }] });
    expect(fact(u, 'permissions').fullAdmin).toBe(U);
    expect(reasons(u, 'permissions')).toEqual(['managed policy arn:aws:iam::aws:policy/Gone is not in the snapshot']);
  });

  it('is unknown when the authorization details could not be read', () => {
    const u = user('u', {}, { unknown: ['attachedPolicies', 'inlinePolicies', 'groups'] });
    const p = fact(u, 'permissions', [], {}, [
      { provider: 'aws', account: ACCOUNT, region: 'global', service: 'iam', operation: 'GetAccountAuthorizationDetails', outcome: 'denied', message: 'AccessDenied' },
    ]);
    expect(p.privilegeEscalation).toBe(U);
  });

  it('evaluates iam:PassedToService against the service each method passes the role to', () => {
    const onlyEc2 = doc(
      allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }),
      allow(['ec2:RunInstances', 'lambda:CreateFunction', 'lambda:InvokeFunction']),
    );
    const target = serviceAdmin('svc', 'ec2.amazonaws.com', 'lambda.amazonaws.com');
    expect(methods(permsWith([target], onlyEc2))).toEqual(['pass-role-ec2']);
    const notLambda = doc(
      allow('iam:PassRole', '*', { Condition: { StringNotLike: { 'iam:PassedToService': 'lambda.*' } } }),
      allow(['ec2:RunInstances', 'lambda:CreateFunction', 'lambda:InvokeFunction']),
    );
    expect(methods(permsWith([target], notLambda))).toEqual(['pass-role-ec2']);
  });

  it('treats a restricting condition as unknown, not as granted and not as denied', () => {
    const p = permsOf(doc(allow('iam:AttachUserPolicy', '*', { Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } })));
    const path = (p.privilegeEscalation as { method: string; granted: unknown; conditions: string[] }[]).find((e) => e.method === 'attach-user-policy');
    expect(path?.granted).toBe(U);
    expect(path?.conditions).toEqual(['iam:PolicyARN']);
  });

  it('does not count managing one\'s own keys (${aws:username}) as acting on others', () => {
    const boss = user('boss', { inlinePolicies: inline(doc(allow('*'))) });
    const self = permsWith([boss], doc(allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], 'arn:aws:iam::*:user/${aws:username}')));
    expect(methods(self)).toEqual([]);
    expect(potential(self)).toEqual([]);
    const literalSelf = fact(user('alice', { inlinePolicies: inline(doc(allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/alice`))) }), 'permissions', [boss]);
    expect(methods(literalSelf)).toEqual([]);
    expect(potential(literalSelf)).toEqual([]);
    const others = permsWith([boss], doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/*')));
    expect(methods(others)).toEqual(['create-access-key']);
    const onPath = permsWith([boss], doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/*/${aws:username}')));
    expect(methods(onPath)).toEqual([]);
  });

  it.each([
    ['names starting with the own name', 'arn:aws:iam::*:user/${aws:username}*'],
    ['names ending with the own name', 'arn:aws:iam::*:user/*${aws:username}'],
    ['the own name plus a character', 'arn:aws:iam::*:user/${aws:username}?'],
    ['a folder named like the user', 'arn:aws:iam::*:user/${aws:username}/*'],
  ])('counts a ${aws:username} pattern that also matches other users (%s) as acting on others', (_name, arn) => {
    const boss = user('boss', { path: '/u/', arn: `arn:aws:iam::${ACCOUNT}:user/u/boss`, inlinePolicies: inline(doc(allow('*'))) });
    expect(methods(permsWith([boss], doc(allow('iam:CreateAccessKey', arn))))).toEqual(['create-access-key']);
  });

  it('knows a role can change its own policies but a user needs sts:AssumeRole too', () => {
    const d = doc(allow('iam:AttachRolePolicy'));
    expect(methods(fact(role('r', { inlinePolicies: inline(d) }), 'permissions'))).toEqual(['attach-role-policy']);
    expect(methods(permsOf(d))).toEqual([]);
    const target = role('target', { assumeRolePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) });
    expect(methods(permsWith([target], d, doc(allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/*`))))).toEqual(['attach-role-policy-and-assume']);
    // A role whose trust policy does not let it in is of no use.
    const closed = role('closed', { assumeRolePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT}:role/other` }) });
    expect(methods(permsWith([closed], d, doc(allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/*`))))).toEqual([]);
  });

  it('counts removing a permissions boundary only for a principal that has one', () => {
    const boundary = managed('B', doc(allow(['iam:DeleteRolePermissionsBoundary', 's3:*'])));
    const d = doc(allow(['iam:DeleteRolePermissionsBoundary', 's3:*']));
    const bounded = role('r', { inlinePolicies: inline(d), permissionsBoundary: { type: 'Policy', arn: String(boundary.properties.arn) } });
    expect(methods(fact(bounded, 'permissions', [boundary]))).toEqual(['delete-role-permissions-boundary']);
    expect(methods(fact(role('r2', { inlinePolicies: inline(d) }), 'permissions'))).toEqual([]);
  });

  it('lists every method for an administrator', () => {
    const p = permsOf(doc(allow('*')));
    expect(methods(p)).toEqual(expect.arrayContaining(['attach-user-policy', 'put-user-policy']));
    expect(potential(p)).toEqual([]);
  });

  it('finds nothing in a read-only policy', () => {
    const p = permsOf(doc(allow(['iam:Get*', 'iam:List*', 's3:Get*', 'ec2:Describe*'])));
    expect(p.privilegeEscalation).toEqual([]);
    expect(p.serviceWildcards).toEqual([]);
    expect(p.fullAdmin).toBe(false);
  });
});

describe('managed policies, groups and roles on their own', () => {
  it('analyses a managed policy document whoever it is attached to', () => {
    const ci = managed('CiDeploy', doc(allow(['iam:PassRole', 'cloudformation:*'])));
    const p = fact(ci, 'permissions', [serviceAdmin('cfn', 'cloudformation.amazonaws.com')]);
    expect(methods(p)).toEqual(['pass-role-cloudformation', 'pass-role-cloudformation-change-set']);
    expect(methods(fact(ci, 'permissions'))).toEqual([]);
    expect(potential(fact(ci, 'permissions'))).toEqual(expect.arrayContaining(['pass-role-cloudformation', 'cloudformation-update-stack']));
    expect(fact(managed('Admin', doc(allow('*'))), 'permissions').fullAdmin).toBe(true);
  });

  it('counts role-policy changes alone for a managed policy (it may be attached to a role)', () => {
    expect(methods(fact(managed('P', doc(allow('iam:PutRolePolicy'))), 'permissions'))).toEqual(['put-role-policy']);
  });

  it('reports a group whose policies let its members escalate', () => {
    const g = group('g', { inlinePolicies: inline(doc(allow('iam:AddUserToGroup'))) });
    expect(potential(fact(g, 'permissions'))).toEqual(['add-user-to-group']);
    const admins = group('admins', { inlinePolicies: inline(doc(allow('*'))) });
    expect(methods(fact(g, 'permissions', [admins]))).toEqual(['add-user-to-group']);
  });
});

describe('the privileged allow-list', () => {
  it('marks principals whose ARN matches a pattern, whatever their policies', () => {
    const u = user('break-glass', { groups: ['missing'] });
    expect(fact(u, 'permissions', [], { privilegedPrincipals: ['arn:aws:iam::*:user/break-*'] }).privileged).toBe(true);
    expect(fact(u, 'permissions', [], { privilegedPrincipals: ['arn:aws:iam::*:user/admin'] }).privileged).toBe(false);
    expect(fact(u, 'permissions').privileged).toBe(false);
  });
});

describe('malformed documents', () => {
  it('make the verdicts unknown and name the statement', () => {
    const u = user('u', { inlinePolicies: [{ policyName: 'bad', document: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] } }] });
    expect(fact(u, 'permissions').fullAdmin).toBe(U);
    expect(reasons(u, 'permissions')).toEqual([`inline policy 'bad' of user u: statement 1: Effect must be "Allow" or "Deny"`]);
  });

  it('are parsed once per document object', () => {
    const d = doc(allow('s3:GetObject'));
    expect(parsePolicy(d, 'a')).toBe(parsePolicy(d, 'b'));
  });
});

describe('the privileged allow-list', () => {
  const settings = {
    privilegedPrincipals: [
      'arn:aws:iam::*:role/OrganizationAccountAccessRole',
      'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*',
      'arn:aws:iam::111111111111:user/break-glass',
    ],
  };
  it('matches ARNs with wildcards that do not cross a colon', () => {
    expect(isPrivileged('arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', settings)).toBe(true);
    expect(isPrivileged('arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0a1b', settings)).toBe(true);
    expect(isPrivileged('arn:aws:iam::111111111111:user/break-glass', settings)).toBe(true);
  });
  it('cannot be satisfied by a role whose path imitates the pattern', () => {
    // IAM paths may contain ':' — with IAM-style wildcards this role would exempt itself.
    expect(isPrivileged('arn:aws:iam::222222222222:role/x:role/OrganizationAccountAccessRole', settings)).toBe(false);
    expect(isPrivileged('arn:aws:iam::111111111111:user/break-glass-2', settings)).toBe(false);
    expect(isPrivileged('arn:aws:iam::111111111111:user/break.glass', settings)).toBe(false);
  });
});

import type { Resource } from '../../../../src/core/types';
import { ACCOUNT, allow, deny, type Doc, doc, fact, reasons, role, U } from './fact-helpers';
import { resource } from '../../../helpers';

const ORG = 'o-ours12345';
const OTHER = '210987654321';

function account(id: string, org: string | null, unknown?: string[]): Resource {
  return resource({ type: 'aws.account', id: `arn:aws:iam::${id}:root`, account: id, properties: { accountId: id, organizationId: org, s3PublicAccessBlock: null }, unknown });
}

function bucket(policy: Doc | null, props: Doc = {}, extra: Partial<Resource> = {}): Resource {
  return resource({
    type: 'aws.s3.bucket',
    id: 'arn:aws:s3:::shop-assets',
    name: 'shop-assets',
    properties: { name: 'shop-assets', policy, policyStatus: null, publicAccessBlock: null, ...props },
    ...extra,
  });
}

const anyone = (extra: Doc = {}): Doc => allow('s3:GetObject', 'arn:aws:s3:::shop-assets/*', { Principal: '*', ...extra });
const ours = account(ACCOUNT, ORG);

function access(r: Resource, others: Resource[] = [ours]): Record<string, unknown> {
  const name = r.type === 'aws.iam.role' ? 'trustAccess' : 'policyAccess';
  return fact(r, name, others);
}

describe('aws:userid wildcards', () => {
  it.each([['*'], ['AROA*'], ['*:session'], [':*']])('%s pins nobody', (value) => {
    expect(access(bucket(doc(anyone({ Condition: { StringLike: { 'aws:userid': value } } })))).public).toBe(true);
  });

  it('a trust policy open to everyone but pinned to one role id is not public', () => {
    const r = role('r', { assumeRolePolicy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID123:*' } } }) });
    expect(access(r).public).toBe(false);
  });
});

describe('bucket policies open to the world', () => {
  it('a grant to * is public; so are {"AWS": "*"} and NotPrincipal', () => {
    expect(access(bucket(doc(anyone()))).public).toBe(true);
    expect(access(bucket(doc(allow('s3:GetObject', '*', { Principal: { AWS: '*' } })))).public).toBe(true);
    expect(access(bucket(doc(allow('s3:GetObject', '*', { NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })))).public).toBe(true);
    expect(access(bucket(doc(anyone()))).publicGrants).toEqual([{ statement: 'statement 1', actions: ['s3:getobject'], principal: '*' }]);
  });

  it('no policy, or a policy for the own account only, is not public', () => {
    expect(access(bucket(null)).public).toBe(false);
    expect(access(bucket(doc(allow('s3:*', '*', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` } })))).public).toBe(false);
    expect(access(bucket(doc(allow('s3:PutObject', '*', { Principal: { Service: 'logging.s3.amazonaws.com' } })))).public).toBe(false);
  });

  it.each([
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': ORG } }],
    ['aws:PrincipalOrgPaths', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG}/r-ab12/ou-ab12-11111111/*`] } }],
    ['aws:PrincipalAccount', { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } }],
    ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }],
    ['aws:SourceOwner', { StringEquals: { 'aws:SourceOwner': ACCOUNT } }],
    ['aws:SourceArn', { ArnLike: { 'aws:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/E123` } }],
    ['aws:SourceVpc', { StringEquals: { 'aws:SourceVpc': 'vpc-0abc' } }],
    ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } }],
    ['aws:SourceIp', { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/48'] } }],
    ['aws:userid (a role id, any session)', { StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID123:*' } }],
    ['aws:userid (a user id)', { StringEquals: { 'aws:userid': 'AIDAEXAMPLEUSERID456' } }],
  ])('a grant to * pinned by %s is not public', (_key, Condition) => {
    const a = access(bucket(doc(anyone({ Condition }))));
    expect(a.public).toBe(false);
    expect(a.external).toEqual([]);
  });

  it.each([
    ['an IfExists operator (anonymous callers carry no org id)', { StringEqualsIfExists: { 'aws:PrincipalOrgID': ORG } }],
    ['ForAllValues (true when the key is missing)', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': ORG } }],
    ['a negated operator', { StringNotEquals: { 'aws:PrincipalAccount': OTHER } }],
    ['a wildcard value', { StringLike: { 'aws:PrincipalOrgID': '*' } }],
    ['the whole internet as source IP', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }],
    ['a /4 source range', { IpAddress: { 'aws:SourceIp': '0.0.0.0/4' } }],
    ['an account made of ? wildcards', { StringLike: { 'aws:PrincipalAccount': '1???????????' } }],
    ['a principal ARN whose account is ? wildcards', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::????????????:role/*' } }],
    ['a key that does not pin the caller', { StringEquals: { 's3:ExistingObjectTag/public': 'yes' } }],
  ])('a grant to * is still public with %s', (_name, Condition) => {
    expect(access(bucket(doc(anyone({ Condition })))).public).toBe(true);
  });

  it('a Deny to everyone "unless from my VPC endpoint" pins the Allows it covers', () => {
    const d = doc(anyone(), deny('s3:*', ['arn:aws:s3:::shop-assets', 'arn:aws:s3:::shop-assets/*'], { Principal: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }));
    expect(access(bucket(d)).public).toBe(false);
    const partial = doc(anyone(), deny('s3:PutObject', '*', { Principal: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }));
    expect(access(bucket(partial)).public).toBe(true);
  });

  it('an unconditional Deny to everyone removes the grant', () => {
    expect(access(bucket(doc(anyone(), deny('s3:*', '*', { Principal: '*' })))).public).toBe(false);
  });

  it('a Deny with NotAction or NotResource leaves public what it does not name', () => {
    // "Deny everything except the public/ prefix": objects under public/ stay readable by anyone.
    const exceptPrefix = doc(anyone(), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::shop-assets/public/*', Principal: '*' });
    expect(access(bucket(exceptPrefix)).public).toBe(true);
    // "Deny every action except GetObject": GetObject stays open to anyone.
    const exceptAction = doc(allow('s3:Get*', 'arn:aws:s3:::shop-assets/*', { Principal: '*' }), { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*', Principal: '*' });
    expect(access(bucket(exceptAction)).public).toBe(true);
    // The same shapes pinned by a "Deny unless" leave the excepted requests unpinned.
    const unlessExcept = doc(anyone(), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::shop-assets/public/*', Principal: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } });
    expect(access(bucket(unlessExcept)).public).toBe(true);
    // A NotAction / NotResource Deny that excludes only what the Allow never grants still covers it.
    const elsewhere = doc(anyone(), { Effect: 'Deny', NotAction: 's3:PutObject', NotResource: 'arn:aws:s3:::other-bucket/*', Principal: '*' });
    expect(access(bucket(elsewhere)).public).toBe(false);
  });

  it('a Deny with NotPrincipal lets the principals it names through', () => {
    const exceptOther = (extra: Doc = {}): Doc => ({ Effect: 'Deny', Action: 's3:*', Resource: '*', NotPrincipal: { AWS: `arn:aws:iam::${OTHER}:root` }, ...extra });
    // Everyone but the other account is denied: not public, but the other account gets in.
    const a = access(bucket(doc(anyone(), exceptOther())));
    expect(a.public).toBe(false);
    expect(a.external).toEqual([{ statement: 'statement 1', principal: OTHER, actions: ['s3:getobject'], restrictedBy: [], externalId: false, inOrganization: false }]);
    // A "Deny unless from my VPC endpoint" that exempts the other account pins everyone else only.
    const b = access(bucket(doc(anyone(), exceptOther({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }))));
    expect(b.public).toBe(false);
    expect((b.external as { principal: string }[]).map((x) => x.principal)).toEqual([OTHER]);
    // An exemption of the own account only adds nobody from outside.
    const own = doc(anyone(), { Effect: 'Deny', Action: 's3:*', Resource: '*', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` } });
    expect(access(bucket(own))).toEqual({ public: false, publicGrants: [], external: [] });
    // NotPrincipal "*" exempts everyone: that Deny denies no one.
    const nobody = doc(anyone(), { Effect: 'Deny', Action: 's3:*', Resource: '*', NotPrincipal: { AWS: '*' } });
    expect(access(bucket(nobody)).public).toBe(true);
  });

  it('RestrictPublicBuckets in force (bucket or account level) neutralises a public policy', () => {
    const block = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true };
    expect(access(bucket(doc(anyone()), { publicAccessBlock: block })).public).toBe(false);
    const acct = resource({ type: 'aws.account', id: `arn:aws:iam::${ACCOUNT}:root`, properties: { accountId: ACCOUNT, organizationId: ORG, s3PublicAccessBlock: block } });
    expect(access(bucket(doc(anyone())), [acct]).public).toBe(false);
  });

  it('is unknown when the policy is public and RestrictPublicBuckets could not be read', () => {
    const b = bucket(doc(anyone()), {}, { unknown: ['publicAccessBlock'] });
    expect(access(b).public).toBe(U);
    expect(reasons(b, 'policyAccess', [ours])).toEqual([
      'the policy is public, and whether RestrictPublicBuckets neutralises it is unknown',
      'publicAccessBlock: not readable (listed unknown by the collector)',
    ]);
    expect(reasons(bucket(doc(anyone())), 'policyAccess', [])).toContain(`account ${ACCOUNT} is not in the snapshot, so its S3 Block Public Access is unknown`);
  });

  it("takes S3's own verdict (GetBucketPolicyStatus) into account", () => {
    expect(access(bucket(doc(), { policyStatus: { isPublic: true } })).public).toBe(true);
    const unreadable = bucket(null, { policyStatus: { isPublic: false } }, { unknown: ['policy'] });
    expect(access(unreadable).public).toBe(false);
  });

  it('is unknown when the policy could not be read, with the coverage reason', () => {
    const b = bucket(null, {}, { unknown: ['policy', 'policyStatus'] });
    expect(access(b).public).toBe(U);
    expect(reasons(b, 'policyAccess', [ours])).toEqual(['policy: not readable (listed unknown by the collector)']);
  });
});

describe('grants to other accounts', () => {
  const cross = doc(allow('s3:GetObject', '*', { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }));

  it('name the account and whether it is in the organization, as far as the snapshot shows', () => {
    expect(access(bucket(cross)).external).toEqual([
      { statement: 'statement 1', principal: OTHER, actions: ['s3:getobject'], restrictedBy: [], externalId: false, inOrganization: false },
    ]);
    const external = access(bucket(cross), [ours, account(OTHER, ORG)]).external as { inOrganization: unknown }[];
    expect(external[0].inOrganization).toBe(true);
    const unknownOrg = access(bucket(cross), [account(ACCOUNT, null, ['organizationId']), account(OTHER, ORG)]).external as { inOrganization: unknown }[];
    expect(unknownOrg[0].inOrganization).toBe(U);
  });

  it('a grant to {"AWS": "*"} pinned to another organization is external, not public', () => {
    const a = access(bucket(doc(allow('s3:GetObject', '*', { Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-theirs' } } }))));
    expect(a.public).toBe(false);
    expect(a.external).toEqual([
      { statement: 'statement 1', principal: 'org:o-theirs', actions: ['s3:getobject'], restrictedBy: ['aws:PrincipalOrgID'], externalId: false, inOrganization: false },
    ]);
  });

  it('a grant to {"AWS": "*"} pinned to the own organization is neither public nor external', () => {
    const a = access(bucket(doc(allow('s3:GetObject', '*', { Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }))));
    expect(a).toEqual({ public: false, publicGrants: [], external: [] });
  });
});

describe('role trust policies', () => {
  const trust = (...statements: Doc[]): Resource => role('deploy', { assumeRolePolicy: doc(...statements) });
  const assume = (Principal: unknown, extra: Doc = {}): Doc => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal, ...extra });

  it('anyone may assume a role trusting *', () => {
    expect(access(trust(assume('*'))).public).toBe(true);
    expect(access(trust(assume({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })))).toEqual({ public: false, publicGrants: [], external: [] });
  });

  it('a service principal or the own account is not outside', () => {
    expect(access(trust(assume({ Service: 'lambda.amazonaws.com' })))).toEqual({ public: false, publicGrants: [], external: [] });
    expect(access(trust(assume({ AWS: `arn:aws:iam::${ACCOUNT}:root` })))).toEqual({ public: false, publicGrants: [], external: [] });
  });

  it('reports whether a third-party account must present sts:ExternalId', () => {
    const withId = access(trust(assume({ AWS: OTHER }, { Condition: { StringEquals: { 'sts:ExternalId': 'c0ffee' } } })));
    expect((withId.external as { externalId: boolean }[])[0].externalId).toBe(true);
    expect((access(trust(assume({ AWS: OTHER }))).external as { externalId: boolean }[])[0].externalId).toBe(false);
  });

  it('GitHub Actions OIDC trust without a pinned subject lets any repository in', () => {
    const gh = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const audOnly = assume({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } });
    expect(access(trust(audOnly)).public).toBe(true);
    const pinnedSub = assume(
      { Federated: gh },
      { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' } } },
    );
    expect(access(trust(pinnedSub)).public).toBe(false);
    const anySub = assume({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': '*' } } });
    expect(access(trust(anySub)).public).toBe(true);
  });

  it.each([
    ['any repository (repo:*)', 'repo:*'],
    ['any owner whose name starts alike (repo:acme*)', 'repo:acme*:*'],
    ['any owner of a repository named infra (repo:*/infra:*)', 'repo:*/infra:*'],
    ['a wildcard subject prefix', '*:acme/infra:*'],
  ])('GitHub Actions OIDC trust with a subject open to %s is public', (_name, sub) => {
    const gh = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const t = assume({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': sub } } });
    expect(access(trust(t)).public).toBe(true);
  });

  it('GitHub Actions OIDC trust pinned to one owner (or a custom subject naming it) is not public', () => {
    const gh = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    for (const sub of ['repo:acme/*', 'repo:acme/infra:environment:prod', 'repository_owner_id:4242:*']) {
      const t = assume({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': sub } } });
      expect(access(trust(t)).public).toBe(false);
    }
  });

  it.each([
    ['GitLab.com', 'gitlab.com', 'project_path:*', 'project_path:acme/infra:ref_type:branch:ref:main'],
    ['HCP Terraform', 'app.terraform.io', 'organization:*', 'organization:acme:project:*:workspace:*:run_phase:*'],
    ['Buildkite', 'agent.buildkite.com', 'organization:*', 'organization:acme:pipeline:deploy:*'],
  ])('%s OIDC trust is public unless the subject names the owner', (_name, provider, open, owned) => {
    const t = (Condition: Doc): Resource =>
      trust(assume({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${provider}` }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition }));
    // The audience is chosen by whoever requests the token, so it pins nothing.
    expect(access(t({ StringEquals: { [`${provider}:aud`]: `https://${provider}` } })).public).toBe(true);
    expect(access(t({ StringLike: { [`${provider}:sub`]: open } })).public).toBe(true);
    expect(access(t({ StringLike: { [`${provider}:sub`]: owned } })).public).toBe(false);
  });

  it('Cognito identity pool trust is public unless the identity pool (aud) is pinned', () => {
    const cognito = (Condition: Doc): Resource => trust(assume({ Federated: 'cognito-identity.amazonaws.com' }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition }));
    // amr only says the user signed in — to any identity pool of any account.
    expect(access(cognito({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } })).public).toBe(true);
    expect(access(cognito({ StringLike: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:*' } })).public).toBe(true);
    const pool = { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-dead-beef-0000-123456789012' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } };
    expect(access(cognito(pool)).public).toBe(false);
  });

  it('a SAML provider of the own account is not outside', () => {
    const saml = assume({ Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/okta` }, { Action: 'sts:AssumeRoleWithSAML' });
    expect(access(trust(saml))).toEqual({ public: false, publicGrants: [], external: [] });
  });
});

describe('key policies', () => {
  const key = (policy: Doc): Resource => resource({ type: 'aws.kms.key', id: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1`, properties: { policy } });

  it('the AWS-managed pattern (everyone, pinned by kms:CallerAccount) is not public', () => {
    const p = doc(allow(['kms:Encrypt', 'kms:Decrypt'], '*', { Principal: { AWS: '*' }, Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }));
    expect(access(key(p))).toEqual({ public: false, publicGrants: [], external: [] });
  });

  it('kms:* to everyone is public', () => {
    expect(access(key(doc(allow('kms:*', '*', { Principal: '*' })))).public).toBe(true);
  });
});

describe('TLS-only bucket policies', () => {
  const tls = (Resource: unknown, Action: unknown = 's3:*', Condition: Doc = { Bool: { 'aws:SecureTransport': 'false' } }): Doc =>
    deny(Action, Resource, { Principal: '*', Condition });
  const insecure = (policy: Doc | null, extra: Partial<Resource> = {}): unknown => fact(bucket(policy, {}, extra), 'denyInsecureTransport');

  it('a Deny of s3:* on the bucket and its objects without TLS passes', () => {
    expect(insecure(doc(tls(['arn:aws:s3:::shop-assets', 'arn:aws:s3:::shop-assets/*'])))).toBe(true);
    expect(insecure(doc(tls('arn:aws:s3:::shop-assets*', '*')))).toBe(true);
    expect(insecure(doc(tls('arn:aws:s3:::shop-assets'), tls('arn:aws:s3:::shop-assets/*')))).toBe(true);
  });

  it.each([
    ['no policy', null],
    ['only the objects', doc(tls('arn:aws:s3:::shop-assets/*'))],
    ['only some actions', doc(tls(['arn:aws:s3:::shop-assets', 'arn:aws:s3:::shop-assets/*'], 's3:GetObject'))],
    ['an Allow that requires TLS (other grants still work without it)', doc(allow('s3:*', '*', { Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))],
    ['the condition the wrong way round', doc(tls(['arn:aws:s3:::shop-assets', 'arn:aws:s3:::shop-assets/*'], 's3:*', { Bool: { 'aws:SecureTransport': 'true' } }))],
    ['an extra condition that narrows the Deny', doc(tls(['arn:aws:s3:::shop-assets', 'arn:aws:s3:::shop-assets/*'], 's3:*', { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:SourceVpce': 'vpce-1' } }))],
    [
      'a Deny with NotPrincipal (the principals it names may use plain HTTP)',
      doc({ Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::shop-assets', 'arn:aws:s3:::shop-assets/*'], NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/legacy` }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ],
  ])('%s does not enforce TLS', (_name, policy) => {
    expect(insecure(policy as Doc | null)).toBe(false);
  });

  it('is unknown when the policy could not be read', () => {
    expect(insecure(null, { unknown: ['policy'] })).toBe(U);
  });

  it('is unknown, not false, when the Deny names the bucket by a reference resolved only at deploy', () => {
    // CloudFormation `Resource: [!GetAtt B.Arn, !Sub "${B.Arn}/*"]` on a bucket without a fixed name.
    const iac = (policy: Doc, props: Doc = {}): unknown =>
      fact(bucket(policy, props, { id: 'cloudformation:t.yaml#B', name: 'B', source: { kind: 'cloudformation' }, unknown: ['name'] }), 'denyInsecureTransport');
    expect(iac(doc(tls(['${B}', '${B}'])))).toBe(U);
    expect(iac(doc(tls('*')))).toBe(true);
    // Still false when no Deny could be the one, whatever the references stand for.
    expect(iac(doc(tls(['${B}', '${B}'], 's3:GetObject')))).toBe(false);
    expect(iac(doc(tls(['${B}', '${B}'], 's3:*', { Bool: { 'aws:SecureTransport': 'true' } })))).toBe(false);
    // A bucket of unknown name and a Deny on a literal ARN: which bucket that is, is unknown too.
    expect(iac(doc(tls(['arn:aws:s3:::acme-site', 'arn:aws:s3:::acme-site/*'])))).toBe(U);
  });
});

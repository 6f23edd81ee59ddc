import { stringify } from 'yaml';
import { formatProblem } from '../../src/core/errors';
import type { CoverageEntry, Finding, Resource } from '../../src/core/types';
import { evaluate, resultsFingerprint } from '../../src/engine/evaluate';
import { loadRuleText } from '../../src/engine/rule-loader';
import type { CompiledRule } from '../../src/engine/rule-types';
import { resource, snapshot } from '../helpers';
import { builtinFacts, builtinRegistry } from '../../src/catalog';
import { FactRegistry, UNKNOWN_VALUE } from '../../src/facts/index';

const registry = builtinRegistry();
const facts = builtinFacts();

/** Compiles a rule whose check (and optional when) is given; the test cases are placeholders. */
function rule(resourceType: string, check: unknown, extra: Record<string, unknown> = {}): CompiledRule {
  const def = {
    id: 'aws-test-rule',
    title: 'Test rule',
    description: 'Semantics under test.',
    severity: 'high',
    resourceType,
    soc2: [{ id: 'CC6.1', rationale: 'Test mapping for the roll-up.' }],
    remediation: { summary: 'Fix it.' },
    check,
    tests: [
      { name: 'passes', expect: 'pass', resource: {} },
      { name: 'fails', expect: 'fail', resource: {} },
    ],
    ...extra,
  };
  const loaded = loadRuleText(stringify(def), 'aws-test-rule.yaml', registry, facts);
  if (!loaded.rule) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return loaded.rule;
}

function verdicts(r: CompiledRule, resources: Resource[], coverage: CoverageEntry[] = [], now?: string): Record<string, string> {
  const { results } = evaluate(snapshot(resources, coverage), [r], registry, now ? { now: new Date(now) } : {});
  return Object.fromEntries(results.findings.map((f) => [f.resource.name ?? f.resource.id, f.status]));
}

function findings(r: CompiledRule, resources: Resource[], coverage: CoverageEntry[] = []): Finding[] {
  return evaluate(snapshot(resources, coverage), [r], registry).results.findings;
}

const user = (name: string, props: Record<string, unknown>, more: Partial<Resource> = {}): Resource =>
  resource({ type: 'aws.iam.user', id: `arn:aws:iam::123456789012:user/${name}`, name, properties: props, ...more });

describe('three-valued logic', () => {
  const r = rule('aws.iam.user', { any: [{ path: 'mfaActive', equals: true }, { path: 'passwordEnabled', equals: false }] });

  it('an unknown that cannot change the answer does not make the verdict unknown', () => {
    expect(verdicts(r, [user('a', { mfaActive: true, passwordEnabled: true }, { unknown: ['passwordEnabled'] })])).toEqual({ a: 'PASS' });
  });

  it('an unknown that could change the answer does', () => {
    expect(verdicts(r, [user('a', { mfaActive: false, passwordEnabled: true }, { unknown: ['passwordEnabled'] })])).toEqual({ a: 'UNKNOWN' });
  });

  it('all, none and not follow Kleene logic', () => {
    const all = rule('aws.iam.user', { all: [{ path: 'mfaActive', equals: true }, { path: 'passwordEnabled', equals: true }] });
    expect(verdicts(all, [user('a', { mfaActive: false, passwordEnabled: true }, { unknown: ['passwordEnabled'] })])).toEqual({ a: 'FAIL' });
    expect(verdicts(all, [user('a', { mfaActive: true, passwordEnabled: true }, { unknown: ['passwordEnabled'] })])).toEqual({ a: 'UNKNOWN' });
    const none = rule('aws.iam.user', { none: [{ path: 'mfaActive', equals: true }] });
    expect(verdicts(none, [user('a', { mfaActive: false }), user('b', { mfaActive: true }), user('c', { mfaActive: true }, { unknown: ['mfaActive'] })])).toEqual({
      a: 'PASS',
      b: 'FAIL',
      c: 'UNKNOWN',
    });
    const not = rule('aws.iam.user', { not: { path: 'mfaActive', equals: true } });
    expect(verdicts(not, [user('a', { mfaActive: false }), user('c', { mfaActive: true }, { unknown: ['mfaActive'] })])).toEqual({ a: 'PASS', c: 'UNKNOWN' });
  });

  it('reading a value with an unknown part is unknown, but its presence and emptiness are known', () => {
    const eq = rule('aws.iam.user', { path: 'accessKeys', equals: [] });
    expect(verdicts(eq, [user('a', { accessKeys: [] }, { unknown: ['accessKeys.*.lastUsedDate'] })])).toEqual({ a: 'UNKNOWN' });
    const empty = rule('aws.iam.user', { path: 'attachedPolicies', empty: true });
    expect(
      verdicts(empty, [
        user('one-unreadable', { attachedPolicies: [{ policyName: 'x', policyArn: 'y' }, null] }, { unknown: ['attachedPolicies.1'] }),
        user('none', { attachedPolicies: [] }),
        user('whole-list-unknown', { attachedPolicies: [] }, { unknown: ['attachedPolicies'] }),
      ]),
    ).toEqual({ 'one-unreadable': 'FAIL', none: 'PASS', 'whole-list-unknown': 'UNKNOWN' });
    const exists = rule('aws.s3.bucket', { path: 'logging', exists: true });
    const b = resource({ type: 'aws.s3.bucket', name: 'b', properties: { logging: { targetBucket: 'x', targetPrefix: null } }, unknown: ['logging.targetPrefix'] });
    expect(verdicts(exists, [b])).toEqual({ b: 'PASS' });
  });

  it('explains an UNKNOWN verdict with the path and the reason', () => {
    const [f] = findings(r, [user('a', { mfaActive: false, passwordEnabled: true }, { unknown: ['passwordEnabled'] })]);
    expect(f.unknownReasons).toEqual(['passwordEnabled: not readable (listed unknown by the collector)']);
    expect(f.evidence).toEqual({ mfaActive: false, passwordEnabled: null });
    expect(f.unknownEvidence).toEqual(['/passwordEnabled']);
  });
});

describe('values unknown but certainly set (present)', () => {
  const trail = (name: string, more: Partial<Resource> = {}): Resource =>
    resource({
      type: 'aws.cloudtrail.trail',
      name,
      source: { kind: 'terraform', file: 'plan.json' },
      properties: { kmsKeyId: null, eventSelectors: [] },
      unknown: ['kmsKeyId'],
      unknownReasons: { kmsKeyId: 'aws_cloudtrail.t kms_key_id is aws_kms_key.logs arn, known only after apply' },
      present: ['kmsKeyId'],
      ...more,
    });
  const plain = (name: string): Resource => trail(name, { present: undefined });
  const check = (c: unknown): Record<string, string> => verdicts(rule('aws.cloudtrail.trail', c), [trail('set'), plain('unset')]);

  it('decides exists, and nothing else', () => {
    expect(check({ path: 'kmsKeyId', exists: true })).toEqual({ set: 'PASS', unset: 'UNKNOWN' });
    expect(check({ path: 'kmsKeyId', exists: false })).toEqual({ set: 'FAIL', unset: 'UNKNOWN' });
    // the value itself is still unknown: it may be empty, equal anything, match anything
    for (const c of [
      { path: 'kmsKeyId', empty: false },
      { path: 'kmsKeyId', empty: true },
      { path: 'kmsKeyId', equals: null },
      { path: 'kmsKeyId', notEquals: null },
      { path: 'kmsKeyId', matches: '^arn:' },
      { path: 'kmsKeyId', notMatches: '^arn:' },
      { path: 'kmsKeyId', in: ['a'] },
      { path: 'kmsKeyId', contains: 'key/' },
    ]) {
      expect([c, check(c)]).toEqual([c, { set: 'UNKNOWN', unset: 'UNKNOWN' }]);
    }
  });

  it('negations and combinators cannot turn it into PASS by accident', () => {
    expect(check({ not: { path: 'kmsKeyId', exists: true } })).toEqual({ set: 'FAIL', unset: 'UNKNOWN' });
    expect(check({ not: { path: 'kmsKeyId', exists: false } })).toEqual({ set: 'PASS', unset: 'UNKNOWN' });
    expect(check({ none: [{ path: 'kmsKeyId', exists: true }] })).toEqual({ set: 'FAIL', unset: 'UNKNOWN' });
    expect(check({ not: { path: 'kmsKeyId', empty: false } })).toEqual({ set: 'UNKNOWN', unset: 'UNKNOWN' });
    expect(check({ not: { path: 'kmsKeyId', matches: '^arn:' } })).toEqual({ set: 'UNKNOWN', unset: 'UNKNOWN' });
    // presence is only half of "encrypted with this key"
    expect(check({ all: [{ path: 'kmsKeyId', exists: true }, { path: 'kmsKeyId', matches: ':key/' }] })).toEqual({ set: 'UNKNOWN', unset: 'UNKNOWN' });
    expect(check({ any: [{ path: 'kmsKeyId', exists: false }, { path: 'kmsKeyId', matches: ':key/' }] })).toEqual({ set: 'UNKNOWN', unset: 'UNKNOWN' });
    expect(check({ any: [{ path: 'kmsKeyId', exists: true }, { path: 'kmsKeyId', matches: ':key/' }] })).toEqual({ set: 'PASS', unset: 'UNKNOWN' });
  });

  it('applies in when, so a rule that depends on presence applies', () => {
    const r = rule('aws.cloudtrail.trail', { path: 'isMultiRegionTrail', equals: true }, { when: { path: 'kmsKeyId', exists: false } });
    const t = (name: string, more: Partial<Resource> = {}) => trail(name, { properties: { kmsKeyId: null, isMultiRegionTrail: false }, ...more });
    expect(verdicts(r, [t('set'), t('unset', { present: undefined })])).toEqual({ unset: 'UNKNOWN' });
  });

  it('shows the value as set in the evidence, with why it is unknown, and lists only what is really missing', () => {
    const [pass] = findings(rule('aws.cloudtrail.trail', { path: 'kmsKeyId', exists: true }), [trail('t')]);
    expect(pass.status).toBe('PASS');
    expect(pass.unknownReasons).toBeUndefined();
    expect(pass.evidence).toEqual({ kmsKeyId: null, unknownButSet: ['kmsKeyId: aws_cloudtrail.t kms_key_id is aws_kms_key.logs arn, known only after apply'] });
    expect(pass.unknownEvidence).toEqual(['/kmsKeyId']);
    const [unk] = findings(rule('aws.cloudtrail.trail', { all: [{ path: 'kmsKeyId', exists: true }, { path: 'kmsKeyId', matches: ':key/' }] }), [trail('t')]);
    expect(unk.status).toBe('UNKNOWN');
    expect(unk.unknownReasons).toEqual(['kmsKeyId: aws_cloudtrail.t kms_key_id is aws_kms_key.logs arn, known only after apply']);
    const [fail] = findings(rule('aws.cloudtrail.trail', { path: 'kmsKeyId', exists: false }), [trail('t')]);
    expect(fail.status).toBe('FAIL');
    expect(fail.evidence.kmsKeyId).toBeNull();
    expect(fail.evidence.unknownButSet).toEqual([expect.stringMatching(/^kmsKeyId: .*known only after apply$/)]);
  });

  it('in arrays: per element, and a present array is not known to have elements', () => {
    const any = rule('aws.iam.user', { path: 'attachedPolicies', anyMatch: { path: 'policyArn', exists: true } });
    const all = rule('aws.iam.user', { path: 'attachedPolicies', allMatch: { path: 'policyArn', exists: false } });
    const count = rule('aws.iam.user', { path: 'attachedPolicies', count: { where: { path: 'policyArn', exists: true }, gte: 2 } });
    const p = (...arns: (string | null)[]) => ({ attachedPolicies: arns.map((a, i) => ({ policyName: `p${i}`, policyArn: a })) });
    const users = [
      user('every', p(null, null), { unknown: ['attachedPolicies.*.policyArn'], present: ['attachedPolicies.*.policyArn'] }),
      user('second', p(null, null), { unknown: ['attachedPolicies.*.policyArn'], present: ['attachedPolicies.1.policyArn'] }),
      user('none-listed', p(null, null), { unknown: ['attachedPolicies.*.policyArn'] }),
      user('no-elements', p(), { unknown: ['attachedPolicies.*.policyArn'], present: ['attachedPolicies.*.policyArn'] }),
    ];
    expect(verdicts(any, users)).toEqual({ every: 'PASS', second: 'PASS', 'none-listed': 'UNKNOWN', 'no-elements': 'FAIL' });
    expect(verdicts(all, users)).toEqual({ every: 'FAIL', second: 'FAIL', 'none-listed': 'UNKNOWN', 'no-elements': 'PASS' });
    expect(verdicts(count, users)).toEqual({ every: 'PASS', second: 'UNKNOWN', 'none-listed': 'UNKNOWN', 'no-elements': 'FAIL' });
    // the whole list unknown but set: it exists, but its size and elements are unknown
    const whole = user('whole', { attachedPolicies: null }, { unknown: ['attachedPolicies'], present: ['attachedPolicies'] });
    for (const [c, want] of [
      [{ path: 'attachedPolicies', exists: true }, 'PASS'],
      [{ path: 'attachedPolicies', empty: true }, 'UNKNOWN'],
      [{ path: 'attachedPolicies', count: { gte: 1 } }, 'UNKNOWN'],
      [{ path: 'attachedPolicies', anyMatch: { path: 'policyArn', exists: true } }, 'UNKNOWN'],
      [{ path: 'attachedPolicies', allMatch: { path: 'policyArn', exists: false } }, 'UNKNOWN'],
    ] as const) {
      expect([c, verdicts(rule('aws.iam.user', c), [whole])]).toEqual([c, { whole: want }]);
    }
  });

  it('holds for the listed path only: not for what is above or below it', () => {
    const b = resource({
      type: 'aws.s3.bucket',
      name: 'b',
      properties: { logging: null },
      unknown: ['logging', 'logging.targetBucket'],
      present: ['logging.targetBucket'],
    });
    const v = (c: unknown) => verdicts(rule('aws.s3.bucket', c), [b]).b;
    expect(v({ path: 'logging.targetBucket', exists: true })).toBe('PASS');
    expect(v({ path: 'logging.targetPrefix', exists: true })).toBe('UNKNOWN');
    expect(v({ path: 'logging', exists: true })).toBe('UNKNOWN');
  });

  it('a failed operation overrides it: nothing about the value was read', () => {
    const r = rule('aws.cloudtrail.trail', { path: 'eventSelectors', exists: true });
    const t = trail('t', { unknown: ['eventSelectors'], present: ['eventSelectors'], source: { kind: 'runtime' } });
    expect(verdicts(r, [t])).toEqual({ t: 'PASS' });
    const denied: CoverageEntry = { provider: 'aws', account: '123456789012', region: 'us-east-1', service: 'cloudtrail', operation: 'GetEventSelectors', outcome: 'denied' };
    expect(verdicts(r, [t], [denied])).toEqual({ t: 'UNKNOWN' });
  });
});

describe('value operators', () => {
  it('compares dates relative to the scan time', () => {
    const r = rule('aws.iam.user', { path: 'passwordLastUsed', olderThanDays: 30 });
    const users = [user('old', { passwordLastUsed: '2025-11-01T00:00:00Z' }), user('new', { passwordLastUsed: '2025-12-15T00:00:00Z' }), user('never', { passwordLastUsed: null })];
    expect(verdicts(r, users)).toEqual({ old: 'PASS', new: 'FAIL', never: 'FAIL' });
    expect(verdicts(r, users, [], '2026-03-01T00:00:00Z')).toEqual({ old: 'PASS', new: 'PASS', never: 'FAIL' });
  });

  it('compares against absolute dates', () => {
    const r = rule('aws.iam.user', { all: [{ path: 'createDate', after: '2024-01-01T00:00:00Z' }, { path: 'createDate', before: '2025-01-01T00:00:00Z' }] });
    expect(verdicts(r, [user('a', { createDate: '2024-06-01T00:00:00Z' }), user('b', { createDate: '2023-06-01T00:00:00Z' })])).toEqual({ a: 'PASS', b: 'FAIL' });
  });

  it('supports in, notIn, matches, notMatches, notEquals, contains, exists', () => {
    const r = rule('aws.iam.user', {
      all: [
        { path: 'userName', in: ['alice', 'bob'] },
        { path: 'userName', notIn: ['mallory'] },
        { path: 'userName', matches: '^[a-z]+$' },
        { path: 'path', notMatches: '^/system/' },
        { path: 'path', notEquals: '/danger/' },
        { path: 'groups', contains: 'devs' },
        { path: 'permissionsBoundary', exists: false },
      ],
    });
    const base = { path: '/', groups: ['devs'], permissionsBoundary: null };
    expect(
      verdicts(r, [
        user('alice', { ...base, userName: 'alice' }),
        user('bob', { ...base, userName: 'bob', groups: [] }),
        user('mallory', { ...base, userName: 'mallory' }),
      ]),
    ).toEqual({ alice: 'PASS', bob: 'FAIL', mallory: 'FAIL' });
  });

  it('treats unknown tags as unknown, not as absent', () => {
    const r = rule('aws.s3.bucket', { path: 'versioning.status', equals: 'Enabled' }, { when: { path: '$tags.env', equals: 'prod' } });
    const b = (name: string, tags: Record<string, string> | undefined, unknown: string[]): Resource =>
      resource({ type: 'aws.s3.bucket', name, tags, unknown, source: { kind: 'terraform', file: 'plan.json' }, properties: { versioning: { status: null, mfaDelete: null } } });
    expect(
      verdicts(r, [b('key-unknown', undefined, ['$tags.env']), b('any-key-unknown', { team: 'a' }, ['$tags.*']), b('known-despite-star', { env: 'dev' }, ['$tags.*']), b('all-unknown', undefined, ['$tags'])]),
    ).toEqual({ 'key-unknown': 'UNKNOWN', 'any-key-unknown': 'UNKNOWN', 'all-unknown': 'UNKNOWN' });
    const [f] = findings(r, [b('x', undefined, ['$tags.env'])]);
    expect(f.unknownReasons).toEqual(['$tags.env: known only after apply']);
  });

  it('reads resource fields and tags', () => {
    const r = rule('aws.s3.bucket', { all: [{ path: '$tags.env', equals: 'prod' }, { path: '$region', equals: 'eu-west-1' }, { path: '$name', matches: '^app-' }] });
    const b = (name: string, region: string, env?: string): Resource =>
      resource({ type: 'aws.s3.bucket', name, region, tags: env ? { env } : undefined, properties: {} });
    expect(verdicts(r, [b('app-1', 'eu-west-1', 'prod'), b('app-2', 'us-east-1', 'prod'), b('app-3', 'eu-west-1')])).toEqual({
      'app-1': 'PASS',
      'app-2': 'FAIL',
      'app-3': 'FAIL',
    });
  });
});

describe('array quantifiers', () => {
  const keys = (...k: Record<string, unknown>[]) => ({ accessKeys: k });

  it('anyMatch, allMatch and noneMatch with nested conditions', () => {
    const any = rule('aws.iam.user', { path: 'accessKeys', anyMatch: { path: 'active', equals: true } });
    const all = rule('aws.iam.user', { path: 'accessKeys', allMatch: { path: 'active', equals: true } });
    const none = rule('aws.iam.user', { path: 'accessKeys', noneMatch: { path: 'active', equals: true } });
    const users = [user('mixed', keys({ active: true }, { active: false })), user('empty', keys()), user('on', keys({ active: true }))];
    expect(verdicts(any, users)).toEqual({ mixed: 'PASS', empty: 'FAIL', on: 'PASS' });
    expect(verdicts(all, users)).toEqual({ mixed: 'FAIL', empty: 'PASS', on: 'PASS' });
    expect(verdicts(none, users)).toEqual({ mixed: 'FAIL', empty: 'PASS', on: 'FAIL' });
  });

  it('an unknown element field is unknown only when it could matter', () => {
    const any = rule('aws.iam.user', { path: 'accessKeys', anyMatch: { path: 'active', equals: true } });
    expect(verdicts(any, [user('a', keys({ active: false }, { active: true }), { unknown: ['accessKeys.0.active'] })])).toEqual({ a: 'PASS' });
    expect(verdicts(any, [user('a', keys({ active: false }, { active: false }), { unknown: ['accessKeys.0.active'] })])).toEqual({ a: 'UNKNOWN' });
    expect(verdicts(any, [user('a', keys({ active: false }), { unknown: ['accessKeys.*.active'] })])).toEqual({ a: 'UNKNOWN' });
    expect(verdicts(any, [user('a', keys(), { unknown: ['accessKeys'] })])).toEqual({ a: 'UNKNOWN' });
  });

  it('count compares a range when elements are unknown', () => {
    const r = rule('aws.iam.user', { path: 'accessKeys', count: { where: { path: 'active', equals: true }, lte: 1 } });
    expect(verdicts(r, [user('two', keys({ active: true }, { active: true })), user('one', keys({ active: true }, { active: false }))])).toEqual({ two: 'FAIL', one: 'PASS' });
    // one known active + one unknown: 1 or 2 active
    expect(verdicts(r, [user('u', keys({ active: true }, { active: false }), { unknown: ['accessKeys.1.active'] })])).toEqual({ u: 'UNKNOWN' });
    // two known active + one unknown: at least 2, certainly more than 1
    expect(verdicts(r, [user('u', keys({ active: true }, { active: true }, { active: false }), { unknown: ['accessKeys.2.active'] })])).toEqual({ u: 'FAIL' });
    const plain = rule('aws.iam.user', { path: 'groups', count: { gte: 2 } });
    expect(verdicts(plain, [user('a', { groups: ['x', 'y'] }), user('b', { groups: ['x'] })])).toEqual({ a: 'PASS', b: 'FAIL' });
  });

  it('quantifiers nest', () => {
    const r = rule('aws.cloudtrail.trail', {
      path: 'advancedEventSelectors',
      anyMatch: { path: 'fieldSelectors', anyMatch: { all: [{ path: 'field', equals: 'eventCategory' }, { path: 'equals', contains: 'Management' }] } },
    });
    const t = (name: string, sel: unknown[]): Resource => resource({ type: 'aws.cloudtrail.trail', name, properties: { advancedEventSelectors: sel } });
    expect(
      verdicts(r, [
        t('mgmt', [{ name: null, fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }]),
        t('data', [{ name: null, fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }] }]),
      ]),
    ).toEqual({ mgmt: 'PASS', data: 'FAIL' });
  });
});

describe('related look-ups', () => {
  const r = rule('aws.cloudtrail.trail', { path: 's3BucketName', related: { type: 'aws.s3.bucket', by: 'name', where: { path: 'logging', exists: true } } });
  const trail = (name: string, bucketName: string): Resource => resource({ type: 'aws.cloudtrail.trail', name, properties: { s3BucketName: bucketName } });
  const bucket = (name: string, logging: unknown, more: Partial<Resource> = {}): Resource =>
    resource({ type: 'aws.s3.bucket', name, id: `arn:aws:s3:::${name}`, account: '999999999999', properties: { name, logging }, ...more });

  it('finds the related resource by a property, in any account', () => {
    expect(verdicts(r, [trail('t1', 'logs'), trail('t2', 'nolog'), bucket('logs', { targetBucket: 'x', targetPrefix: '' }), bucket('nolog', null)])).toEqual({
      t1: 'PASS',
      t2: 'FAIL',
    });
  });

  it('is UNKNOWN when the related resource is not in the snapshot, unless told otherwise', () => {
    expect(verdicts(r, [trail('t', 'elsewhere')])).toEqual({ t: 'UNKNOWN' });
    const lenient = rule('aws.cloudtrail.trail', { path: 's3BucketName', related: { type: 'aws.s3.bucket', by: 'name', ifMissing: 'fail', where: { path: 'logging', exists: true } } });
    expect(verdicts(lenient, [trail('t', 'elsewhere')])).toEqual({ t: 'FAIL' });
  });

  it('a missing related resource stays UNKNOWN when its listing failed, even with ifMissing', () => {
    const lenient = rule('aws.cloudtrail.trail', { path: 's3BucketName', related: { type: 'aws.s3.bucket', by: 'name', ifMissing: 'fail', where: { path: 'logging', exists: true } } });
    const cov: CoverageEntry[] = [{ provider: 'aws', account: '999999999999', region: 'global', service: 's3', operation: 'ListBuckets', outcome: 'denied' }];
    expect(verdicts(lenient, [trail('t', 'elsewhere')], cov)['t']).toBe('UNKNOWN');
  });

  it('propagates an unknown field of the related resource, with its reason', () => {
    const [f] = findings(r, [trail('t', 'logs'), bucket('logs', null, { unknown: ['logging'] })]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.unknownReasons).toEqual(['arn:aws:s3:::logs: logging: not readable (listed unknown by the collector)']);
  });
});

describe('account-level queries', () => {
  const logging = { all: [{ path: 'isMultiRegionTrail', equals: true }, { path: 'status.isLogging', equals: true }] };
  const r = rule('aws.account', { anyResource: { type: 'aws.cloudtrail.trail', where: logging } });
  const account = (id: string): Resource => resource({ type: 'aws.account', id: `arn:aws:iam::${id}:root`, name: id, account: id, properties: {} });
  const trail = (acct: string, region: string, multi: boolean, isLogging: boolean, members: string[] = []): Resource =>
    resource({ type: 'aws.cloudtrail.trail', account: acct, region, properties: { isMultiRegionTrail: multi, status: { isLogging }, memberAccounts: members } });
  const denied = (acct: string, region: string): CoverageEntry => ({ provider: 'aws', account: acct, region, service: 'cloudtrail', operation: 'DescribeTrails', outcome: 'denied', message: 'AccessDenied' });

  it('passes when some resource in the account qualifies', () => {
    expect(verdicts(r, [account('111111111111'), account('222222222222'), trail('111111111111', 'us-east-1', true, true), trail('222222222222', 'us-east-1', false, true)])).toEqual({
      '111111111111': 'PASS',
      '222222222222': 'FAIL',
    });
  });

  it('counts an organization trail for its member accounts', () => {
    expect(verdicts(r, [account('222222222222'), trail('111111111111', 'us-east-1', true, true, ['222222222222'])])).toEqual({ '222222222222': 'PASS' });
  });

  it('a failed listing turns "none found" into UNKNOWN, but not "one found"', () => {
    expect(verdicts(r, [account('111111111111')], [denied('111111111111', 'eu-west-1')])).toEqual({ '111111111111': 'UNKNOWN' });
    expect(verdicts(r, [account('111111111111'), trail('111111111111', 'us-east-1', true, true)], [denied('111111111111', 'eu-west-1')])).toEqual({
      '111111111111': 'PASS',
    });
    const no = rule('aws.account', { noResource: { type: 'aws.cloudtrail.trail', where: { path: 'isMultiRegionTrail', equals: false } } });
    expect(verdicts(no, [account('111111111111')], [denied('111111111111', 'eu-west-1')])).toEqual({ '111111111111': 'UNKNOWN' });
    expect(verdicts(no, [account('111111111111'), trail('111111111111', 'us-east-1', false, true)], [denied('111111111111', 'eu-west-1')])).toEqual({
      '111111111111': 'FAIL',
    });
  });

  it('a failed listing in another account of the organization leaves members undecided', () => {
    const acct = (id: string, organizationId: string | null, unknown?: string[], organizationManagementAccount?: string): Resource =>
      resource({
        type: 'aws.account',
        id: `arn:aws:iam::${id}:root`,
        name: id,
        account: id,
        properties: { organizationId, ...(organizationManagementAccount ? { organizationManagementAccount } : {}) },
        ...(unknown ? { unknown } : {}),
      });
    const mgmtDenied = [denied('111111111111', 'us-east-1')];
    // the management account could not list its trails: an organization trail there may serve the members
    expect(verdicts(r, [acct('111111111111', 'o-1'), acct('222222222222', 'o-1'), acct('333333333333', 'o-2'), acct('444444444444', null)], mgmtDenied)).toEqual({
      '111111111111': 'UNKNOWN',
      '222222222222': 'UNKNOWN',
      '333333333333': 'FAIL',
      '444444444444': 'FAIL',
    });
    // an account whose organization is unknown may be the one holding the trail
    expect(verdicts(r, [acct('111111111111', null, ['organizationId']), acct('222222222222', 'o-1')], mgmtDenied)['222222222222']).toBe('UNKNOWN');
    // a member with its own qualifying trail is decided
    expect(verdicts(r, [acct('111111111111', 'o-1'), acct('222222222222', 'o-1'), trail('222222222222', 'eu-west-1', true, true)], mgmtDenied)['222222222222']).toBe('PASS');
    // organization trails belong to the management account: a member's failed listing does not make its peers undecided
    const memberDenied = [denied('222222222222', 'ap-southeast-2')];
    const org = [acct('111111111111', 'o-1', undefined, '111111111111'), acct('222222222222', 'o-1', undefined, '111111111111'), acct('333333333333', 'o-1', undefined, '111111111111')];
    expect(verdicts(r, org, memberDenied)).toEqual({ '111111111111': 'FAIL', '222222222222': 'UNKNOWN', '333333333333': 'FAIL' });
    expect(verdicts(r, org, mgmtDenied)).toEqual({ '111111111111': 'UNKNOWN', '222222222222': 'UNKNOWN', '333333333333': 'UNKNOWN' });
    const [f] = findings(r, [acct('222222222222', 'o-1'), acct('111111111111', 'o-1')], mgmtDenied).filter((x) => x.resource.account === '222222222222');
    expect(f.unknownReasons).toEqual(['aws.cloudtrail.trail listing incomplete in 111111111111/us-east-1: cloudtrail:DescribeTrails denied (AccessDenied)']);
  });

  it('countResources compares counts and widens them under gaps', () => {
    const two = rule('aws.account', { countResources: { type: 'aws.cloudtrail.trail', gte: 2 } });
    const acct = '111111111111';
    expect(verdicts(two, [account(acct), trail(acct, 'us-east-1', true, true), trail(acct, 'eu-west-1', true, true)])).toEqual({ [acct]: 'PASS' });
    expect(verdicts(two, [account(acct), trail(acct, 'us-east-1', true, true)])).toEqual({ [acct]: 'FAIL' });
    expect(verdicts(two, [account(acct), trail(acct, 'us-east-1', true, true)], [denied(acct, 'eu-west-1')])).toEqual({ [acct]: 'UNKNOWN' });
    const atMostOne = rule('aws.account', { countResources: { type: 'aws.cloudtrail.trail', lte: 1 } });
    expect(verdicts(atMostOne, [account(acct), trail(acct, 'us-east-1', true, true), trail(acct, 'eu-west-1', true, true)], [denied(acct, 'ap-south-1')])).toEqual({
      [acct]: 'FAIL',
    });
  });

  it('region scope looks only at the same region', () => {
    const inRegion = rule('aws.ec2.region', { anyResource: { type: 'aws.cloudtrail.trail', scope: 'region' } });
    const region = (name: string): Resource => resource({ type: 'aws.ec2.region', name, region: name, properties: {} });
    expect(verdicts(inRegion, [region('us-east-1'), region('eu-west-1'), trail('123456789012', 'us-east-1', true, true)])).toEqual({
      'us-east-1': 'PASS',
      'eu-west-1': 'FAIL',
    });
  });
});

describe('coverage gaps', () => {
  const r = rule('aws.s3.bucket', { path: 'versioning.status', equals: 'Enabled' });
  const bucket = (name: string, region = 'eu-west-1'): Resource =>
    resource({ type: 'aws.s3.bucket', id: `arn:aws:s3:::${name}`, name, region, properties: { versioning: { status: 'Enabled', mfaDelete: null } } });

  it('a failed operation for one resource makes only that resource UNKNOWN', () => {
    const cov: CoverageEntry[] = [
      { provider: 'aws', account: '123456789012', region: 'eu-west-1', service: 's3', operation: 'GetBucketVersioning', outcome: 'denied', message: 'AccessDenied', resourceId: 'arn:aws:s3:::b' },
    ];
    expect(verdicts(r, [bucket('a'), bucket('b')], cov)).toEqual({ a: 'PASS', b: 'UNKNOWN' });
    const [, fb] = findings(r, [bucket('a'), bucket('b')], cov);
    expect(fb.unknownReasons).toEqual(['versioning: s3:GetBucketVersioning denied (AccessDenied)']);
  });

  it('a failed operation without a resource applies to its account and region', () => {
    const cov: CoverageEntry[] = [{ provider: 'aws', account: '123456789012', region: 'eu-west-1', service: 's3', operation: 'GetBucketVersioning', outcome: 'throttled' }];
    expect(verdicts(r, [bucket('a'), bucket('b', 'us-east-1')], cov)).toEqual({ a: 'UNKNOWN', b: 'PASS' });
  });

  it('an operation the rule does not depend on changes nothing', () => {
    const cov: CoverageEntry[] = [{ provider: 'aws', account: '123456789012', region: 'eu-west-1', service: 's3', operation: 'GetBucketAcl', outcome: 'denied' }];
    const { results } = evaluate(snapshot([bucket('a')], cov), [r], registry);
    expect(results.findings.map((f) => f.status)).toEqual(['PASS']);
    expect(results.scan.complete).toBe(true);
    expect(results.scan.gaps).toEqual([expect.objectContaining({ operation: 'GetBucketAcl', rules: [] })]);
  });

  it('a failed listing adds one UNKNOWN placeholder per account and region', () => {
    const cov: CoverageEntry[] = [
      { provider: 'aws', account: '123456789012', region: 'global', service: 's3', operation: 'ListBuckets', outcome: 'denied', message: 'AccessDenied' },
    ];
    const { results } = evaluate(snapshot([], cov), [r], registry);
    expect(results.findings).toHaveLength(1);
    const [f] = results.findings;
    expect(f).toMatchObject({ status: 'UNKNOWN', resource: { id: 'unlisted:aws.s3.bucket:123456789012:global', account: '123456789012' } });
    expect(f.unknownReasons).toEqual(['listing failed: s3:ListBuckets denied (AccessDenied)']);
    expect(results.scan.complete).toBe(false);
    expect(results.scan.gaps[0].rules).toEqual(['aws-test-rule']);
    expect(results.frameworks.soc2.controls.find((c) => c.id === 'CC6.1')?.status).toBe('UNKNOWN');
  });

  it('a role that could not be assumed leaves every type of the account unlisted', () => {
    const cov: CoverageEntry[] = [
      { provider: 'aws', account: '444444444444', region: 'global', service: 'sts', operation: 'AssumeRole', outcome: 'denied', affects: ['*'] },
    ];
    const { results } = evaluate(snapshot([], cov), [r], registry);
    expect(results.findings.map((f) => [f.status, f.resource.account])).toEqual([['UNKNOWN', '444444444444']]);
  });
});

describe('infrastructure code', () => {
  it('skips runtime-only rules and treats after-apply values as unknown', () => {
    const runtimeOnly = rule('aws.s3.bucket', { path: 'policyStatus.isPublic', equals: false });
    expect(runtimeOnly.runtimeOnly).toBe(true);
    const both = rule('aws.s3.bucket', { path: 'versioning.status', equals: 'Enabled' });
    expect(both.runtimeOnly).toBe(false);
    const planned = resource({
      type: 'aws.s3.bucket',
      name: 'planned',
      source: { kind: 'terraform', file: 'plan.json', address: 'aws_s3_bucket.b' },
      properties: { versioning: { status: null, mfaDelete: null } },
      unknown: ['versioning.status'],
    });
    expect(verdicts(runtimeOnly, [planned])).toEqual({});
    const [f] = findings(both, [planned]);
    expect(f.status).toBe('UNKNOWN');
    expect(f.unknownReasons).toEqual(['versioning.status: known only after apply']);
    expect(f.resource.source).toEqual({ kind: 'terraform', file: 'plan.json', address: 'aws_s3_bucket.b' });
  });
});

describe('determinism and identity', () => {
  const r = rule('aws.iam.user', { path: 'mfaActive', equals: true });
  const users = Array.from({ length: 50 }, (_, i) => user(`u${String(i).padStart(2, '0')}`, { mfaActive: i % 3 === 0 }, { account: String(100000000000 + (i % 4)) }));

  it('gives identical findings in identical order, whatever the resource order', () => {
    const a = evaluate(snapshot(users), [r], registry).results;
    const b = evaluate(snapshot([...users].reverse()), [r], registry).results;
    expect(b.findings).toEqual(a.findings);
    expect(resultsFingerprint(a)).toBe(resultsFingerprint(evaluate(snapshot(users), [r], registry).results));
  });

  it('keeps fingerprints when the rule changes, and changes them with the resource identity', () => {
    const edited = rule('aws.iam.user', { path: 'mfaActive', equals: true }, { title: 'A reworded title' });
    const [f1] = findings(r, [users[0]]);
    const [f2] = findings(edited, [users[0]]);
    expect(f2.ruleVersion).not.toBe(f1.ruleVersion);
    expect(f2.fingerprint).toBe(f1.fingerprint);
    const [f3] = findings(r, [{ ...users[0], account: '999999999999' }]);
    expect(f3.fingerprint).not.toBe(f1.fingerprint);
  });
});

describe('a decided verdict that read unknown inputs says so', () => {
  const r = rule('aws.iam.user', { any: [{ path: 'mfaActive', equals: true }, { path: 'passwordEnabled', equals: false }] });

  it('a PASS lists the unknown input that did not matter, and why', () => {
    const [f] = findings(r, [user('a', { mfaActive: true, passwordEnabled: true }, { unknown: ['passwordEnabled'], unknownReasons: { passwordEnabled: 'GetLoginProfile denied' } })]);
    expect(f.status).toBe('PASS');
    const note = f.evidence.unknownNotDeciding as { inputs: string[]; why: string };
    expect(note.inputs).toEqual([expect.stringMatching(/^passwordEnabled: GetLoginProfile denied/)]);
    expect(note.why).toMatch(/decide the verdict: it is PASS whatever they are/);
    expect(f.unknownReasons).toBeUndefined();
  });

  it('a PASS on fully known data has no such note', () => {
    const [f] = findings(r, [user('a', { mfaActive: true, passwordEnabled: true })]);
    expect(f.evidence.unknownNotDeciding).toBeUndefined();
  });

  it('an unknown the rule never read is not listed', () => {
    const [f] = findings(r, [user('a', { mfaActive: true, passwordEnabled: true }, { unknown: ['accessKeys'] })]);
    expect(f.evidence.unknownNotDeciding).toBeUndefined();
  });
});

describe('array elements a fact leaves UNKNOWN', () => {
  // A fact may return a list with an UNKNOWN element (a policy level it could not read): that
  // element's fields are unknown, and it may or may not count.
  const items = (value: unknown[]): FactRegistry =>
    new FactRegistry([
      {
        type: 'aws.iam.user',
        name: 'testItems',
        description: 'Items under test.',
        schema: { type: 'array', items: { type: 'object', properties: { bad: { type: 'boolean' } } } },
        dependsOn: [],
        compute: () => value,
      },
    ]);
  const compiled = (f: FactRegistry, check: unknown): CompiledRule => {
    const def = { id: 'aws-test-rule', title: 'Test rule', description: 'Semantics under test.', severity: 'high', resourceType: 'aws.iam.user', soc2: [{ id: 'CC6.1', rationale: 'Test mapping.' }], remediation: { summary: 'Fix it.' }, check, tests: [{ name: 'passes', expect: 'pass', resource: {} }, { name: 'fails', expect: 'fail', resource: {} }] };
    const loaded = loadRuleText(stringify(def), 'aws-test-rule.yaml', registry, f);
    if (!loaded.rule) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    return loaded.rule;
  };

  it('a field of an unknown element is unknown, not missing', () => {
    const check = { path: 'facts.testItems', noneMatch: { path: 'bad', equals: true } };
    expect(verdicts(compiled(items([UNKNOWN_VALUE, { bad: false }]), check), [user('a', {})])).toEqual({ a: 'UNKNOWN' });
    expect(verdicts(compiled(items([UNKNOWN_VALUE, { bad: true }]), check), [user('a', {})])).toEqual({ a: 'FAIL' });
    expect(verdicts(compiled(items([{ bad: false }]), check), [user('a', {})])).toEqual({ a: 'PASS' });
  });

  it('count without where counts an unknown element as possible, not certain', () => {
    const none = { path: 'facts.testItems', count: { eq: 0 } };
    expect(verdicts(compiled(items([UNKNOWN_VALUE]), none), [user('a', {})])).toEqual({ a: 'UNKNOWN' });
    expect(verdicts(compiled(items([]), none), [user('a', {})])).toEqual({ a: 'PASS' });
    expect(verdicts(compiled(items([UNKNOWN_VALUE, {}]), none), [user('a', {})])).toEqual({ a: 'FAIL' });
  });
});

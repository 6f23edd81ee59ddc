import { Draft, RUNTIME_ONLY_REASON } from '../../src/iac/draft';
import { Unresolved } from '../../src/iac/values';
import { awsIamUser } from '../../src/providers/aws/types/iam-user';

/** Mappings no longer restate a type's runtime-only paths: the draft takes them from the type registry. */
describe("a draft applies its type's runtime-only paths itself", () => {
  const origin = { source: { kind: 'terraform' as const, file: 'plan.json', line: 1, address: 'aws_iam_user.a' }, account: '123456789012', region: 'us-east-1' };
  const key = (slot: number) => ({ slot, active: true, lastRotated: '2024-01-01T00:00:00Z', lastUsedDate: null, lastUsedService: null });

  it('blanks what code cannot say, in every declared array element, and leaves an unknown element alone', () => {
    const d = new Draft(awsIamUser, origin);
    d.set('userId', 'AIDAEXAMPLE'); // whatever a mapping wrote, code never knows it
    d.set('accessKeys', [key(1), key(2), new Unresolved('more keys may be created')]);
    const r = d.toResource();
    const keys = r.properties.accessKeys as unknown[];
    expect(keys[0]).toEqual({ slot: 1, active: true, lastRotated: null, lastUsedDate: null, lastUsedService: null });
    expect(keys[2]).toBeNull(); // not turned into an object of nulls
    expect(r.properties.userId).toBeNull();
    expect(r.properties).toHaveProperty('mfaActive', null); // never set by the mapping, still present
    expect(r.unknownReasons).toMatchObject({
      userId: RUNTIME_ONLY_REASON,
      mfaActive: RUNTIME_ONLY_REASON,
      'accessKeys.0.lastRotated': RUNTIME_ONLY_REASON,
      'accessKeys.1.lastUsedService': RUNTIME_ONLY_REASON,
      'accessKeys.2': 'more keys may be created',
    });
    expect(r.unknown).not.toContain('accessKeys.2.lastRotated');
    expect(r.unknown).not.toContain('accessKeys.*.lastRotated');
  });

  it('gives the same resource however often it is finished', () => {
    const d = new Draft(awsIamUser, origin);
    d.set('accessKeys', [key(1)]);
    expect(d.toResource()).toEqual(d.toResource());
  });
});

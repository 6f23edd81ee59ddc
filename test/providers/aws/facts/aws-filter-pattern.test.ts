import { CIS_EVENT_CLASSES } from '../../../../src/providers/aws/facts/cis-event-classes';
import { catchesClass } from '../../../../src/providers/aws/facts/cis-monitoring';
import { parseFilterPattern, patternMatches } from '../../../../src/providers/aws/facts/filter-pattern';
import { UNKNOWN_VALUE } from '../../../../src/core/tri';

const cls = (cis: string) => CIS_EVENT_CLASSES.find((c) => c.cis === cis)!;
const match = (pattern: string, event: unknown) => patternMatches(parseFilterPattern(pattern), event);

describe('CloudWatch Logs filter patterns (JSON)', () => {
  const event = { eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', readOnly: false, n: 7, userIdentity: { type: 'Root' }, list: [{ a: 'x' }], nothing: null };

  test.each([
    ['{ $.eventName = "StopLogging" }', true],
    ['{ $.eventName = StopLogging }', true],
    ['{ $.eventName = "Stop*" }', true],
    ['{ $.eventName = "*Logging" }', true],
    ['{ $.eventName = "stoplogging" }', false], // case-sensitive
    ['{ $.eventName != "StopLogging" }', false],
    ['{ ($.eventName = A) || ($.eventName = StopLogging) }', true],
    ['{ $.eventName = A || $.eventName = B && $.eventSource = cloudtrail.amazonaws.com }', false],
    ['{ $.eventName = StopLogging && $.userIdentity.type = Root }', true],
    ['{ $.userIdentity.invokedBy NOT EXISTS }', true],
    ['{ $.userIdentity.type NOT EXISTS }', false],
    ['{ $.readOnly IS FALSE }', true],
    ['{ $.readOnly IS TRUE }', false],
    ['{ $.nothing IS NULL }', true],
    ['{ $.n > 5 && $.n <= 7 }', true],
    ['{ $.n = 8 }', false],
    ['{ $.list[0].a = x }', true],
    ['{ $.eventName = %^Stop(Logging|Trail)$% }', true],
    ['', true], // the empty pattern matches every event
  ])('%s → %s', (pattern, expected) => {
    expect(match(pattern, event)).toBe(expected);
  });

  test('what CloudWatch does not document is unknown, not guessed', () => {
    expect(match('{ $.missing != "x" }', event)).toBe(UNKNOWN_VALUE); // != on an absent field
    expect(match('{ $.eventName = %Logging% }', event)).toBe(UNKNOWN_VALUE); // matches a part, not the whole: anchoring decides
    expect(match('ERROR', event)).toBe(UNKNOWN_VALUE); // term pattern
    expect(match('[ip, user, ...]', event)).toBe(UNKNOWN_VALUE); // space-delimited
    expect(match('{ $.eventName = ', event)).toBe(UNKNOWN_VALUE); // not a valid pattern
    expect(parseFilterPattern('{ $.a = ').kind).toBe('unsupported');
  });
});

describe('a filter catches a CIS event class when it matches every sample of it', () => {
  test("the benchmark's own patterns, and equivalent rewrites, catch their classes", () => {
    expect(catchesClass('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', cls('4.3')).value).toBe(true);
    expect(catchesClass('{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }', cls('4.7')).value).toBe(true);
    expect(catchesClass('{ $.eventSource = kms* && $.eventName = %^(Disable|Schedule).*$% }', cls('4.7')).value).toBe(true);
  });

  test('a pattern that narrows on who called, or from where, misses part of the class', () => {
    expect(catchesClass('{ $.eventName = DeleteTrail || $.eventName = StopLogging }', cls('4.5')).value).toBe(false);
    expect(catchesClass('{ $.eventName = StopLogging || $.eventName = DeleteTrail || $.eventName = UpdateTrail || $.eventName = CreateTrail || $.eventName = StartLogging) && $.awsRegion = us-east-1 }', cls('4.5')).value).toBe(UNKNOWN_VALUE); // unbalanced: not a pattern
    expect(catchesClass('{ ($.eventName = StopLogging || $.eventName = DeleteTrail || $.eventName = UpdateTrail || $.eventName = CreateTrail || $.eventName = StartLogging) && $.awsRegion = us-east-1 }', cls('4.5')).value).toBe(false);
    expect(catchesClass('{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) && ($.userIdentity.type = IAMUser) }', cls('4.7')).value).toBe(false);
  });

  test('a superset of the class is fine', () => {
    expect(catchesClass('{ $.eventSource = cloudtrail.amazonaws.com }', cls('4.5')).value).toBe(true);
    expect(catchesClass('', cls('4.1')).value).toBe(true);
  });
});

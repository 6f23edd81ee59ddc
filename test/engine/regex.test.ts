import { compileLinearRegex } from '../../src/engine/operators';

describe('regular expressions in rules', () => {
  it('match in linear time: ^(a+)+$ on a 10,000-character value returns at once', () => {
    const re = compileLinearRegex('^(a+)+$');
    if (typeof re === 'string') throw new Error(re);
    const started = Date.now();
    expect(re.test(`${'a'.repeat(10_000)}!`)).toBe(false);
    expect(re.test('a'.repeat(41))).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([
    ['(?=a)a', /lookarounds and backreferences are not supported/],
    ['(a)\\1', /invalid escape sequence/],
    ['a(', /missing closing \)/],
  ])('refuses %s, which cannot run in linear time or is not a regular expression', (pattern, message) => {
    expect(compileLinearRegex(pattern)).toMatch(message);
  });
});

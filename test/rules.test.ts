import { formatProblem } from '../src/core/errors';
import { BUILTIN_RULES_DIR, loadRuleDirs } from '../src/engine/rule-loader';
import { RuleTester } from '../src/engine/rule-tests';
import { builtinFacts, builtinRegistry } from '../src/catalog';

/** Every built-in rule's own cases, one jest test each (what `trustscan rules test` runs). */
const registry = builtinRegistry();
const { rules, problems } = loadRuleDirs([BUILTIN_RULES_DIR], registry, builtinFacts());
const tester = new RuleTester(registry);

describe('built-in rules', () => {
  it('load without problems', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(12);
  });

  it.each(rules.map((r) => [r.def.id, r] as const))('%s has pass, fail and unknown cases', (_id, rule) => {
    const expects = new Set(rule.def.tests.map((t) => t.expect));
    expect([...expects].filter((e) => e !== 'not-applicable').sort()).toEqual(['fail', 'pass', 'unknown']);
  });

  for (const rule of rules) {
    describe(rule.def.id, () => {
      it.each(rule.def.tests.map((t, i) => [t.name, i] as const))('%s', (_name, i) => {
        const result = tester.runCase(rule, rule.def.tests[i], i);
        if (!result.ok) throw new Error(`expected ${result.expected}, got ${result.actual}: ${result.detail}`);
      });
    });
  }
});

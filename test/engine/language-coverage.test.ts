import { readFileSync } from 'node:fs';
import { ALL_CONDITION_KEYS } from '../../src/engine/compile-condition';
import { BUILTIN_RULES_DIR, loadRuleDirs, RULE_SCHEMA_FILE } from '../../src/engine/rule-loader';
import { builtinFacts, builtinRegistry } from '../../src/catalog';

function keysIn(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) v.forEach((x) => keysIn(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysIn(x, out);
    }
  }
}

describe('the condition language', () => {
  it('the published schema and the compiler know the same operators', () => {
    const schema = JSON.parse(readFileSync(RULE_SCHEMA_FILE, 'utf8'));
    expect(Object.keys(schema.definitions.condition.properties).sort()).toEqual([...ALL_CONDITION_KEYS].sort());
  });

  it('the built-in rules use every feature the design asks for', () => {
    const { rules } = loadRuleDirs([BUILTIN_RULES_DIR], builtinRegistry(), builtinFacts());
    const used = new Set<string>();
    for (const r of rules) {
      keysIn(r.def.check, used);
      if (r.def.when) keysIn(r.def.when, used);
    }
    const required = ['all', 'any', 'none', 'not', 'equals', 'in', 'matches', 'gte', 'exists', 'empty', 'contains', 'olderThanDays', 'newerThanDays',
      'anyMatch', 'noneMatch', 'count', 'related', 'anyResource'];
    expect(required.filter((k) => !used.has(k))).toEqual([]);
    expect(rules.some((r) => r.def.when !== undefined)).toBe(true);
    expect(rules.some((r) => JSON.stringify(r.def.check).includes('facts.'))).toBe(true);
    expect(rules.some((r) => JSON.stringify(r.def).includes('$tags'))).toBe(true);
  });
});

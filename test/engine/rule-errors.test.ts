import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { formatProblem } from '../../src/core/errors';
import { loadRuleDirs, loadRuleText } from '../../src/engine/rule-loader';
import { tempDir } from '../helpers';
import { builtinFacts, builtinRegistry } from '../../src/catalog';

const registry = builtinRegistry();
const facts = builtinFacts();

/** A valid rule; tests break one part of it. */
function ruleText(overrides: { check?: string; head?: string; id?: string; tail?: string } = {}): string {
  const id = overrides.id ?? 'aws-test-rule';
  return `id: ${id}
title: Test rule title
description: A rule used by the tests.
severity: high
${overrides.head ?? 'resourceType: aws.iam.user'}
soc2:
  - id: CC6.1
    rationale: Because the tests say so.
remediation:
  summary: Fix it.
check:
${overrides.check ?? '  path: mfaActive\n  equals: true'}
tests:
  - name: passes
    expect: pass
    resource: { properties: { mfaActive: true } }
  - name: fails
    expect: fail
    resource: { properties: { mfaActive: false } }
${overrides.tail ?? ''}`;
}

function problems(text: string, file = 'aws-test-rule.yaml'): string[] {
  return loadRuleText(text, file, registry, facts).problems.map(formatProblem);
}

describe('rule file problems are located and precise', () => {
  it('accepts the valid rule', () => {
    const r = loadRuleText(ruleText(), 'aws-test-rule.yaml', registry, facts);
    expect(r.problems).toEqual([]);
    expect(r.rule?.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('reports malformed YAML with its line and column', () => {
    expect(problems('id: x\ntitle: [unclosed\nseverity: high\n')).toEqual([expect.stringMatching(/^aws-test-rule\.yaml:\d+:\d+: YAML: /)]);
  });

  it('reports a duplicate key', () => {
    expect(problems(ruleText({ tail: 'severity: low\n' }))[0]).toMatch(/^aws-test-rule\.yaml:21:1: YAML: key 'severity' appears twice in the same mapping/);
  });

  it('reports an unknown operator at its key, with a suggestion', () => {
    expect(problems(ruleText({ check: '  path: mfaActive\n  equal: true' }))).toEqual([
      "aws-test-rule.yaml:13:3: unknown operator 'equal' (did you mean 'equals'?)",
    ]);
  });

  it('reports an unknown resource type', () => {
    expect(problems(ruleText({ head: 'resourceType: aws.iam.usr' }))).toEqual([
      expect.stringMatching(/^aws-test-rule\.yaml:5:15: unknown resource type 'aws\.iam\.usr' \(known: .*aws\.iam\.user/),
    ]);
  });

  it("reports a path the type's schema does not have, listing the fields there", () => {
    expect(problems(ruleText({ check: '  path: mfaEnabled\n  equals: true' }))).toEqual([
      expect.stringMatching(/^aws-test-rule\.yaml:12:9: no property 'mfaEnabled' in aws\.iam\.user \(has: .*mfaActive/),
    ]);
  });

  it('reports a nested path that does not exist', () => {
    expect(problems(ruleText({ check: '  path: accessKeys\n  anyMatch:\n    path: created\n    exists: true' }))).toEqual([
      expect.stringMatching(/^aws-test-rule\.yaml:14:11: no property 'created' in accessKeys elements \(has: active, lastRotated.*\)/),
    ]);
  });

  it('reports a path that crosses an array without a quantifier', () => {
    expect(problems(ruleText({ check: '  path: accessKeys.active\n  equals: true' }))).toEqual([
      "aws-test-rule.yaml:12:9: 'accessKeys' is an array: use anyMatch, allMatch, noneMatch or count to look inside it in aws.iam.user",
    ]);
  });

  it('reports an invalid regular expression', () => {
    expect(problems(ruleText({ check: '  path: userName\n  matches: "([a-z"' }))).toEqual([
      expect.stringMatching(/^aws-test-rule\.yaml:13:12: invalid regular expression "\(\[a-z": /),
    ]);
  });

  it('reports a value that can never match the enum', () => {
    const text = ruleText({ head: 'resourceType: aws.s3.bucket', check: '  path: versioning.status\n  equals: Enable' }).replace(/mfaActive: (true|false)/g, '');
    expect(problems(text)).toContain(
      'aws-test-rule.yaml:13:11: \'versioning.status\' is one of "Enabled", "Suspended", null; "Enable" can never match',
    );
  });

  it('reports an operator that does not fit the type', () => {
    expect(problems(ruleText({ check: '  path: mfaActive\n  gte: 1' }))).toEqual([
      "aws-test-rule.yaml:13:8: 'mfaActive' is boolean, not a number: 'gte' needs a number",
    ]);
    expect(problems(ruleText({ check: '  path: userName\n  olderThanDays: 3' }))).toEqual([
      "aws-test-rule.yaml:13:18: 'userName' is not a date: 'olderThanDays' needs a date-time property",
    ]);
  });

  it('reports a SOC 2 id that does not exist', () => {
    expect(problems(ruleText().replace('id: CC6.1', 'id: CC6.9'))).toEqual([
      "aws-test-rule.yaml:7:9: 'CC6.9' is not a SOC 2 (2017 TSC) criterion",
    ]);
  });

  it('reports a missing required field and an unknown field', () => {
    const text = ruleText().replace('severity: high\n', 'severty: high\n');
    expect(problems(text)).toEqual(["aws-test-rule.yaml:1:1: missing required field 'severity'", "aws-test-rule.yaml:4:1: unknown field 'severty'"]);
  });

  it('reports two operators in one condition', () => {
    expect(problems(ruleText({ check: '  path: mfaActive\n  equals: true\n  exists: true' }))).toEqual([
      'aws-test-rule.yaml:12:3: a condition has one operator; found equals, exists (wrap several in \'all\' or \'any\')',
    ]);
  });

  it('reports an unknown type in a related look-up', () => {
    const check = '  path: userName\n  related:\n    type: aws.s3.buckets\n    where: { path: name, exists: true }';
    expect(problems(ruleText({ check }))).toEqual(["aws-test-rule.yaml:14:11: unknown resource type 'aws.s3.buckets'"]);
  });

  it('reports rules without a failing test case', () => {
    const text = ruleText().replace('expect: fail', 'expect: pass');
    expect(problems(text)).toEqual(['aws-test-rule.yaml:14:1: tests need at least one case that must pass and one that must fail']);
  });

  it('reports an id that does not match the file name', () => {
    expect(problems(ruleText(), 'other-name.yaml')).toEqual(["other-name.yaml:1:5: rule id 'aws-test-rule' must match the file name (other-name.yaml)"]);
  });

  it('reports a duplicate rule id across files, pointing at the first', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'aws-test-rule.yaml'), ruleText());
    writeFileSync(join(dir, 'b', 'aws-test-rule.yaml'), ruleText());
    const { rules, problems: found } = loadRuleDirs([dir], registry, facts);
    expect(rules).toHaveLength(1);
    expect(found.map(formatProblem)).toEqual([
      expect.stringMatching(/b\/aws-test-rule\.yaml:1:5: duplicate rule id 'aws-test-rule' \(first defined at .*a\/aws-test-rule\.yaml:1:5\)/),
    ]);
  });

  it('reports every problem of a rule at once, in line order', () => {
    const text = ruleText({ check: '  all:\n    - { path: nope, equals: 1 }\n    - { path: mfaActive, equalz: true }' }).replace('id: CC6.1', 'id: P9.9');
    const found = problems(text);
    expect(found).toEqual([
      "aws-test-rule.yaml:7:9: 'P9.9' is not a SOC 2 (2017 TSC) criterion",
      expect.stringMatching(/^aws-test-rule\.yaml:13:15: no property 'nope' in aws\.iam\.user \(has: /),
      "aws-test-rule.yaml:14:26: unknown operator 'equalz' (did you mean 'equals'?)",
    ]);
  });
});

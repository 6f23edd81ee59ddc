import { stringify } from 'yaml';
import { formatProblem } from '../../src/core/errors';
import type { Resource } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { loadRuleText } from '../../src/engine/rule-loader';
import type { CompiledRule } from '../../src/engine/rule-types';
import { Suppressor } from '../../src/suppress/suppressions';
import { resource, snapshot } from '../helpers';
import { builtinFacts, builtinRegistry } from '../../src/catalog';

/** JavaScript's object model must never answer a rule or a waiver: only own properties are data. */

const registry = builtinRegistry();
const facts = builtinFacts();

function load(check: unknown): { rule?: CompiledRule; problems: string[] } {
  const def = {
    id: 'aws-test-rule',
    title: 'Test rule',
    description: 'Own properties under test.',
    severity: 'high',
    resourceType: 'aws.s3.bucket',
    soc2: [{ id: 'CC6.1', rationale: 'Test mapping for the roll-up.' }],
    remediation: { summary: 'Fix it.' },
    check,
    tests: [
      { name: 'passes', expect: 'pass', resource: {} },
      { name: 'fails', expect: 'fail', resource: {} },
    ],
  };
  const loaded = loadRuleText(stringify(def), 'aws-test-rule.yaml', registry, facts);
  return { rule: loaded.rule, problems: loaded.problems.map(formatProblem) };
}

const bucket = (name: string, tags: Record<string, string> | undefined): Resource =>
  resource({ type: 'aws.s3.bucket', id: `arn:aws:s3:::${name}`, name, tags, properties: {} });

function verdicts(check: unknown, resources: Resource[]): Record<string, string> {
  const { rule, problems } = load(check);
  if (!rule) throw new Error(problems.join('\n'));
  const { results } = evaluate(snapshot(resources), [rule], registry);
  return Object.fromEntries(results.findings.map((f) => [f.resource.name!, f.status]));
}

describe('own properties only', () => {
  const buckets = [bucket('plain', { env: 'prod' }), bucket('untagged', undefined), bucket('tagged', { toString: 'yes', constructor: 'x' })];

  it.each(['toString', 'constructor', 'hasOwnProperty', 'valueOf'])('$tags.%s exists only where that tag was set', (key) => {
    const v = verdicts({ path: `$tags.${key}`, exists: true }, buckets);
    const expected = key === 'toString' || key === 'constructor' ? 'PASS' : 'FAIL';
    expect(v).toEqual({ plain: 'FAIL', untagged: 'FAIL', tagged: expected });
    expect(verdicts({ path: `$tags.${key}`, exists: false }, buckets)).toEqual({ plain: 'PASS', untagged: 'PASS', tagged: expected === 'PASS' ? 'FAIL' : 'PASS' });
  });

  it('a rule path through __proto__ is rejected by validation', () => {
    expect(load({ path: 'policy.__proto__.x', exists: true }).problems.join('\n')).toMatch(/'__proto__' cannot be read in rule paths/);
    expect(load({ path: '__proto__.x', exists: true }).problems.join('\n')).toMatch(/__proto__/);
  });

  it('a property path does not find inherited members', () => {
    // `toString` is not a property of aws.s3.bucket: the schema is consulted by own keys.
    expect(load({ path: 'toString', exists: true }).problems.join('\n')).toMatch(/no property 'toString'/);
  });

  it('a waiver on tags {constructor: "*"} mutes only resources carrying that tag', () => {
    const { rule } = load({ path: '$tags.owner', exists: true });
    const sup = new Suppressor([{ tags: { constructor: '*' }, reason: 'test', expires: '2099-01-01', source: 't:1' }], new Date('2026-01-01T00:00:00Z'));
    const { results } = evaluate(snapshot(buckets), [rule!], registry, { decorate: sup.apply });
    const status = Object.fromEntries(results.findings.map((f) => [f.resource.name!, f.status]));
    expect(status).toEqual({ plain: 'FAIL', untagged: 'FAIL', tagged: 'MUTED' });
  });
});

import type { Finding, Results } from '../../../../src/core/types';
import { decodeFindings, type EmbeddedColumn } from '../../../../src/report/html-data';
import { cli, tempDir, writeTemp } from '../../../helpers';
import { collectSnapshot, loadScenario, withFake } from './aws-helpers';

/**
 * A policy without a name is shown by its ARN (issue 10, item 18): an emulator's answer may give
 * no PolicyName, or an empty one, and a plan may know a policy's ARN but not its name. Tables,
 * messages and the HTML report used to show an empty name there.
 */

const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const RULE = 'aws-iam-policy-no-full-admin';

/** The text of the Resource column of each row of the wide terminal table (cells wrap over lines). */
function resourceCells(table: string): string[] {
  const rows: string[] = [];
  let cur: string | null = null;
  for (const line of table.split('\n')) {
    if (/^[├└]/.test(line)) {
      if (cur !== null) rows.push(cur);
      cur = line.startsWith('├') ? '' : null;
      continue;
    }
    const cells = line.split('│');
    if (cur !== null && cells.length >= 6) cur += cells[4].trim();
  }
  return rows;
}

/** The findings the HTML report embeds, decoded. */
function htmlFindings(html: string): Finding[] {
  const data = JSON.parse(/<script id="results-data" type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1]) as { count: number; columns: Record<string, EmbeddedColumn> };
  return decodeFindings(data);
}

/** The finding of RULE on `arn` in each output: table cell, JSON message and name, HTML name. */
async function shown(input: string[], arn: string): Promise<{ table: string[]; message: string; name: string | undefined; html: string | undefined }> {
  const table = await cli([...input, '--format', 'table', '--no-color']);
  const json = await cli([...input, '--format', 'json']);
  const html = await cli([...input, '--format', 'html']);
  const f = (JSON.parse(json.stdout) as Results).findings.find((x) => x.ruleId === RULE && (x.resource.id === arn || x.resource.id.startsWith(`${arn}#`)))!;
  const h = htmlFindings(html.stdout).find((x) => x.ruleId === RULE && x.resource.id === f.resource.id)!;
  return { table: resourceCells(table.stdout), message: f.message, name: f.resource.name, html: h.resource.name };
}

describe('a policy without a name is shown by its ARN', () => {
  it('runtime: a customer-managed policy whose answer has no PolicyName, or an empty one', async () => {
    const scenario = loadScenario('single-account-buckets');
    const acct = scenario.accounts[0];
    const nameless = `arn:aws:iam::${acct.id}:policy/ops/nameless`;
    const empty = `arn:aws:iam::${acct.id}:policy/ops/empty`;
    const when = { createDate: '2026-01-01T00:00:00Z', updateDate: '2026-01-01T00:00:00Z' };
    acct.iam = {
      ...acct.iam,
      policies: [
        { arn: nameless, document: ADMIN, ...when },
        { arn: empty, name: '', document: ADMIN, ...when },
      ],
      users: [{ name: 'ops', createDate: when.createDate, attachedPolicies: [nameless, empty] }],
    };
    const { snapshot } = await withFake({ scenario }, (fake) => collectSnapshot(fake));
    const file = writeTemp(tempDir(), 'snapshot.json', JSON.stringify(snapshot));
    for (const arn of [nameless, empty]) {
      const policy = snapshot.resources.find((r) => r.id === arn)!;
      expect(policy.name).toBe(arn);
      // The name the answer did not give is unknown, not an empty name.
      expect(policy.unknown).toContain('policyName');
      const s = await shown(['evaluate', file], arn);
      expect(s.name).toBe(arn);
      expect(s.message).toBe(`Policy ${arn} allows every action on every resource and is attached.`);
      expect(s.table).toContain(arn);
      expect(s.html).toBe(arn);
      for (const text of [s.message, ...s.table]) expect(text).not.toMatch(/undefined|Policy {2}/);
    }
  });

  it('Terraform: an existing policy whose ARN the plan knows but whose name it does not', async () => {
    const arn = 'arn:aws:iam::123456789012:policy/generated-20260101';
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_iam_policy.p',
          mode: 'managed',
          type: 'aws_iam_policy',
          name: 'p',
          change: { actions: ['update'], before: { arn, name: 'generated-20260101', policy: '{}' }, after: { arn, path: '/', policy: JSON.stringify(ADMIN) }, after_unknown: { name: true } },
        },
        {
          address: 'aws_iam_user_policy_attachment.a',
          mode: 'managed',
          type: 'aws_iam_user_policy_attachment',
          name: 'a',
          change: { actions: ['create'], before: null, after: { user: 'ops', policy_arn: arn }, after_unknown: { id: true } },
        },
      ],
    };
    const file = writeTemp(tempDir(), 'plan.json', JSON.stringify(plan));
    // An existing policy's attachments are unknown in a plan: that used to crash the escalation analysis (exit 3).
    expect((await cli(['iac', file, '--account', '123456789012', '--region', 'us-east-1', '--format', 'json'])).code).toBe(0);
    const s = await shown(['iac', file, '--account', '123456789012', '--region', 'us-east-1'], arn);
    expect(s.name).toBe(arn);
    expect(s.message).not.toMatch(/undefined|Policy {2}/);
    expect(s.table).toContain(arn);
    expect(s.html).toBe(arn);
  });
});

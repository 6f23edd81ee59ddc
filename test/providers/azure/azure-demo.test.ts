import type { Results } from '../../../src/core/types';
import { cli } from '../../helpers';
import { PROD, SHARED } from './azure-helpers';

/** `npm run demo` evaluates every snapshot of fixtures/demo/: the Azure tenant is in the same SOC 2 table as AWS. */
describe('the demo', () => {
  test('shows the Azure subscriptions beside the AWS accounts, with drift and an UNKNOWN from the denied call, in one SOC 2 roll-up', async () => {
    const r = await cli(['evaluate', 'fixtures/demo/', '--format', 'json', '--no-config']);
    expect(r.stderr).not.toMatch(/internal error/);
    const results = JSON.parse(r.stdout) as Results;
    const providers = new Set(results.scan.accounts.map((a) => a.provider));
    expect([...providers].sort()).toEqual(expect.arrayContaining(['aws', 'azure']));
    const accounts = results.scan.accounts.filter((a) => a.provider === 'azure').map((a) => a.account);
    expect(accounts).toEqual(expect.arrayContaining([PROD, SHARED]));
    const azure = results.findings.filter((f) => f.ruleId.startsWith('azure-'));
    expect(azure.some((f) => f.status === 'FAIL')).toBe(true);
    expect(azure.some((f) => f.status === 'UNKNOWN')).toBe(true);
    const soc2 = results.frameworks.soc2 as unknown as { controls: { id: string; rules?: string[] }[] };
    expect(JSON.stringify(soc2)).toMatch(/azure-/);
    expect(JSON.stringify(soc2)).toMatch(/aws-/);
  });
});

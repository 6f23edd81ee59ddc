import type * as Sarif from 'sarif';
import { join } from 'node:path';
import { codeScanningViolations } from '../../src/report/sarif';
import { cli, ROOT } from '../helpers';

/** SARIF from the command line, as the upload to code scanning would receive it. */
describe('sarif from the command line', () => {
  it('scan: refuses --format sarif before collecting anything (a live scan has no files to point at)', async () => {
    // No credentials, no endpoint: had it reached the collector, the error would be another one.
    const r = await cli(['scan', 'aws', '--format', 'sarif', '--no-config'], { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format sarif: code scanning needs a file location for every result.*trustscan iac.*json, ndjson or ocsf/);
  });

  it('iac: every result has a physical location within the code-scanning limits', async () => {
    const r = await cli(['iac', join(ROOT, 'fixtures', 'iac', 'terraform'), '--format', 'sarif', '--no-config']);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as Sarif.Log;
    expect(log.runs[0].results!.length).toBeGreaterThan(0);
    expect(codeScanningViolations(log)).toEqual([]);
  });
});

import { withMetadataWarnings } from '../../../src/providers/gcp/collector/transport';
import { spawnCli, tempDir } from '../../helpers';

describe('Google Cloud credential discovery off Google Cloud', () => {
  it('turns the metadata-server probe warning into a log entry and lets every other warning through', async () => {
    const seen: string[] = [];
    const printed: string[] = [];
    // Node's own emitWarning (what prints on stderr) stands in as a recorder.
    const node = process.emitWarning;
    process.emitWarning = ((w: string, type: string) => void printed.push(`${type}: ${w}`)) as typeof process.emitWarning;
    try {
      const v = await withMetadataWarnings(async () => {
        process.emitWarning('received unexpected error', 'MetadataLookupWarning');
        process.emitWarning('something else', 'DeprecationWarning');
        return 7;
      }, (m) => seen.push(m));
      expect(v).toBe(7);
      // Restored afterwards: a later metadata warning is Node's again.
      process.emitWarning('later', 'MetadataLookupWarning');
    } finally {
      process.emitWarning = node;
    }
    expect(seen).toEqual(['received unexpected error']);
    expect(printed).toEqual(['DeprecationWarning: something else', 'MetadataLookupWarning: later']);
  });

  it('says only that there are no credentials: one log line on stderr, exit 2', () => {
    const home = tempDir();
    const r = spawnCli(['collect', 'gcp', '--projects', 'demo-proj', '-o', `${home}/s.ndjson`], { env: { HOME: home, NO_GCE_CHECK: 'false' } });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/MetadataLookupWarning|--trace-warnings/);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/ERROR: no usable Google Cloud credentials/)]);
  }, 30_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors';
import { loadSnapshot, parseSnapshotText } from '../../src/core/snapshot-loader';
import { writeSnapshotFile } from '../../src/core/snapshot-writer';
import { DEMO, resource, snapshot, tempDir, writeTemp } from '../helpers';
import { builtinRegistry } from '../../src/catalog';

const registry = builtinRegistry();

async function problem(file: string): Promise<string> {
  try {
    await loadSnapshot(file, registry);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected the snapshot to be rejected');
}

const bucket = (name: string, props: Record<string, unknown> = {}) =>
  resource({
    type: 'aws.s3.bucket',
    id: `arn:aws:s3:::${name}`,
    name,
    properties: {
      name,
      creationDate: '2024-01-01T00:00:00Z',
      publicAccessBlock: null,
      policy: null,
      policyStatus: null,
      acl: { ownerId: 'o', grants: [] },
      objectOwnership: 'BucketOwnerEnforced',
      encryption: null,
      versioning: { status: null, mfaDelete: null },
      logging: null,
      lifecycle: null,
      ...props,
    },
  });

describe('snapshot loading', () => {
  it('loads and validates the demo snapshot', async () => {
    const s = await loadSnapshot(DEMO, registry);
    expect(s.resources.length).toBeGreaterThan(30);
    expect(s.coverage.some((c) => c.outcome === 'denied')).toBe(true);
  });

  it('round-trips the NDJSON form written by the snapshot writer', async () => {
    const dir = tempDir();
    const original = JSON.parse(readFileSync(DEMO, 'utf8'));
    const file = join(dir, 'demo.ndjson');
    await writeSnapshotFile(file, original);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]).format).toBe('trustscan-snapshot-ndjson');
    expect(JSON.parse(lines[lines.length - 1]).end.resources).toBe(original.resources.length);
    const loaded = await loadSnapshot(file, registry);
    expect(loaded).toEqual(original);
  });

  it('rejects a file that is not JSON with its line and column', async () => {
    const dir = tempDir();
    const msg = await problem(writeTemp(dir, 's.json', '{\n  "schemaVersion": "1.0",\n  oops\n}\n'));
    expect(msg).toMatch(/s\.json:3:\d+: not valid JSON/);
  });

  it('rejects an empty file', async () => {
    expect(await problem(writeTemp(tempDir(), 'e.json', ''))).toMatch(/e\.json: empty file/);
  });

  it('rejects a missing file', async () => {
    expect(await problem('/nonexistent/snap.json')).toBe('/nonexistent/snap.json: no such file or directory');
  });

  it('rejects a directory', async () => {
    expect(await problem(tempDir())).toMatch(/is a directory/);
  });

  it('rejects an unsupported schema version', async () => {
    const s = { ...snapshot([]), schemaVersion: '2.0' };
    const msg = await problem(writeTemp(tempDir(), 'v.json', JSON.stringify(s)));
    expect(msg).toMatch(/v\.json at \/schemaVersion: unsupported snapshot schema version "2\.0" \(this trustscan reads 1\.x\)/);
  });

  it('rejects an unsupported version in an NDJSON header', async () => {
    const header = { format: 'trustscan-snapshot-ndjson', schemaVersion: '9.1', metadata: snapshot([]).metadata };
    const msg = await problem(writeTemp(tempDir(), 'v.ndjson', `${JSON.stringify(header)}\n{"end":{"finishedAt":"2026-01-01T00:00:00Z","resources":0,"coverage":0}}\n`));
    expect(msg).toMatch(/v\.ndjson:1 at \/schemaVersion: unsupported snapshot schema version "9\.1"/);
  });

  it('names the JSON pointer of a property that breaks its type schema', async () => {
    const s = snapshot([bucket('a'), bucket('b', { versioning: { status: 'On', mfaDelete: null } })]);
    const msg = await problem(writeTemp(tempDir(), 'p.json', JSON.stringify(s)));
    expect(msg).toMatch(/p\.json at \/resources\/1\/properties\/versioning\/status: must be one of "Enabled", "Suspended", null$/);
  });

  it('rejects an unregistered resource type', async () => {
    const s = snapshot([resource({ type: 'aws.s3.bukket', properties: {} })]);
    expect(await problem(writeTemp(tempDir(), 't.json', JSON.stringify(s)))).toMatch(/at \/resources\/0\/type: unknown resource type 'aws\.s3\.bukket'/);
  });

  it('rejects a missing required property and an extra one', async () => {
    const b = bucket('a');
    delete (b.properties as Record<string, unknown>).logging;
    (b.properties as Record<string, unknown>).loging = null;
    const msg = await problem(writeTemp(tempDir(), 'r.json', JSON.stringify(snapshot([b]))));
    expect(msg).toMatch(/\/resources\/0\/properties\/logging: missing required property 'logging'/);
    expect(msg).toMatch(/\/resources\/0\/properties\/loging: unexpected property 'loging'/);
  });

  it('accepts any value at a path listed as unknown', async () => {
    const b = bucket('a', { acl: null });
    b.unknown = ['acl'];
    const s = await loadSnapshot(writeTemp(tempDir(), 'u.json', JSON.stringify(snapshot([b]))), registry);
    expect(s.resources[0].unknown).toEqual(['acl']);
  });

  it('rejects a malformed unknown path', async () => {
    const b = bucket('a');
    b.unknown = ['acl..grants'];
    expect(await problem(writeTemp(tempDir(), 'u.json', JSON.stringify(snapshot([b]))))).toMatch(/\/resources\/0\/unknown\/0: bad segment/);
  });

  it('accepts present paths that are unknown, and rejects the others', async () => {
    const b = bucket('a', { logging: { targetBucket: null, targetPrefix: '' } });
    b.unknown = ['logging.targetBucket', 'acl.grants.*.granteeId'];
    b.present = ['logging.targetBucket', 'acl.grants.*.granteeId'];
    const s = await loadSnapshot(writeTemp(tempDir(), 'p.json', JSON.stringify(snapshot([b]))), registry);
    expect(s.resources[0].present).toEqual(['logging.targetBucket', 'acl.grants.*.granteeId']);
    const load = (present: string[], unknown = ['logging.targetBucket']): Promise<string> =>
      problem(writeTemp(tempDir(), 'p.json', JSON.stringify(snapshot([{ ...b, unknown, present }]))));
    // a known value needs no "present"; a present value is not a known one
    expect(await load(['logging'])).toMatch(/\/resources\/0\/present\/0: 'logging' is listed as present but not as unknown/);
    expect(await load(['logging.targetBucket'], [])).toMatch(/\/resources\/0\/present\/0: .* not as unknown/);
    expect(await load(['logging..x'])).toMatch(/\/resources\/0\/present\/0: bad segment/);
    expect(await load(['$tags.env'], ['$tags.env'])).toMatch(/\/resources\/0\/present\/0: '\$tags\.env' is not a property path/);
    expect(await load([''])).toMatch(/\/resources\/0\/present\/0/);
  });

  it('rejects duplicate resources', async () => {
    const s = snapshot([bucket('a'), bucket('a')]);
    expect(await problem(writeTemp(tempDir(), 'd.json', JSON.stringify(s)))).toMatch(/\/resources\/1\/id: duplicate resource: aws\.s3\.bucket 'arn:aws:s3:::a'/);
  });

  it('rejects a global type in a region', async () => {
    const s = snapshot([resource({ type: 'aws.iam.group', region: 'us-east-1', properties: {} })]);
    expect(await problem(writeTemp(tempDir(), 'g.json', JSON.stringify(s)))).toMatch(/\/resources\/0\/region: aws\.iam\.group is global/);
  });

  describe('NDJSON', () => {
    const header = (): string => JSON.stringify({ format: 'trustscan-snapshot-ndjson', schemaVersion: '1.0', metadata: snapshot([]).metadata });
    const line = (o: unknown): string => JSON.stringify(o);

    it('rejects a stream cut at a line boundary (no end record)', async () => {
      const text = `${header()}\n${line({ resource: bucket('a') })}\n`;
      expect(await problem(writeTemp(tempDir(), 'cut.ndjson', text))).toMatch(/cut\.ndjson: snapshot stream has no end record: the file is truncated/);
    });

    it('rejects a stream cut in the middle of a line, naming the line', async () => {
      const full = `${header()}\n${line({ resource: bucket('a') })}\n${line({ resource: bucket('b') })}\n`;
      const text = full.slice(0, full.length - 40);
      expect(await problem(writeTemp(tempDir(), 'cut.ndjson', text))).toMatch(/cut\.ndjson:3: not valid JSON: Unexpected end of JSON input \(the text stops mid-value: is the file truncated\?\)/);
    });

    it('rejects an end record whose counts disagree', async () => {
      const text = `${header()}\n${line({ resource: bucket('a') })}\n${line({ end: { finishedAt: '2026-01-01T00:00:00Z', resources: 2, coverage: 0 } })}\n`;
      expect(await problem(writeTemp(tempDir(), 'n.ndjson', text))).toMatch(/n\.ndjson:3: end record promises 2 resources and 0 coverage entries, the stream has 1 and 0/);
    });

    it('rejects data after the end record', async () => {
      const text = `${header()}\n${line({ end: { finishedAt: '2026-01-01T00:00:00Z', resources: 0, coverage: 0 } })}\n${line({ resource: bucket('a') })}\n`;
      expect(await problem(writeTemp(tempDir(), 'n.ndjson', text))).toMatch(/n\.ndjson:3: data after the end record of line 2/);
    });

    it('names the line and pointer of an invalid resource', async () => {
      const bad = bucket('b', { logging: 'yes' });
      const text = `${header()}\n${line({ resource: bucket('a') })}\n${line({ resource: bad })}\n${line({ end: { finishedAt: '2026-01-01T00:00:00Z', resources: 2, coverage: 0 } })}\n`;
      expect(await problem(writeTemp(tempDir(), 'n.ndjson', text))).toMatch(/n\.ndjson:3 at \/resource\/properties\/logging: must be object/);
    });

    it('rejects an unknown record kind', async () => {
      const text = `${header()}\n${line({ resources: [] })}\n`;
      expect(await problem(writeTemp(tempDir(), 'n.ndjson', text))).toMatch(/n\.ndjson:2: unknown record 'resources'/);
    });

    it('parses the same text from memory (stdin)', () => {
      const text = `${header()}\n${line({ coverage: { provider: 'aws', account: '1', region: 'global', service: 'iam', operation: 'ListUsers', outcome: 'ok' } })}\n${line({ end: { finishedAt: '2026-01-01T00:00:00Z', resources: 0, coverage: 1 } })}\n`;
      const s = parseSnapshotText(text, '<stdin>', registry);
      expect(s.coverage).toHaveLength(1);
      expect(s.metadata.finishedAt).toBe('2026-01-01T00:00:00Z');
    });
  });
});

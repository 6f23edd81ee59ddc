import { InputError, type Problem } from './errors';
import { collectText, INPUT_LIMITS, openInput, peekHead, textChunks, textLines } from './input-text';
import { lineColumn, parseJson } from './json-text';
import type { ResourceTypeRegistry } from './resource-types/registry';
import { NDJSON_FORMAT } from './snapshot-schema';
import { SnapshotValidator } from './snapshot-validator';
import { type CoverageEntry, type Resource, type Snapshot, type SnapshotMetadata, SNAPSHOT_SCHEMA_VERSION } from './types';

/** Stop collecting problems after this many: the first few say what is wrong. */
const MAX_PROBLEMS = 10;
/** Bytes read to decide between the JSON and NDJSON forms. */
const SNIFF_BYTES = 1 << 20;

function supportedVersion(v: unknown): boolean {
  return typeof v === 'string' && v.split('.')[0] === SNAPSHOT_SCHEMA_VERSION.split('.')[0];
}

function versionProblem(file: string, v: unknown, line?: number): Problem {
  return {
    file,
    line,
    pointer: '/schemaVersion',
    message: `unsupported snapshot schema version ${JSON.stringify(v)} (this trustscan reads ${SNAPSHOT_SCHEMA_VERSION.split('.')[0]}.x)`,
  };
}

function fail(problems: Problem[]): never {
  throw new InputError(problems.slice(0, MAX_PROBLEMS));
}

/** Validates a whole-document snapshot that is already parsed. */
export function validateSnapshotDocument(doc: unknown, file: string, registry: ResourceTypeRegistry): Snapshot {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw InputError.at({ file, pointer: '' }, 'a snapshot must be a JSON object');
  }
  const d = doc as Record<string, unknown>;
  if ('format' in d && d.format === NDJSON_FORMAT) {
    throw InputError.at({ file, pointer: '/format' }, 'this is the header of an NDJSON snapshot, but the file is not line-delimited');
  }
  if (!('schemaVersion' in d)) throw InputError.at({ file, pointer: '' }, "missing 'schemaVersion': not a trustscan snapshot?");
  if (!supportedVersion(d.schemaVersion)) fail([versionProblem(file, d.schemaVersion)]);
  const problems: Problem[] = [];
  for (const key of Object.keys(d)) {
    if (!['schemaVersion', 'metadata', 'resources', 'coverage'].includes(key)) {
      problems.push({ file, pointer: `/${key}`, message: `unexpected property '${key}'` });
    }
  }
  for (const key of ['metadata', 'resources', 'coverage']) {
    if (!(key in d)) problems.push({ file, pointer: '', message: `missing required property '${key}'` });
  }
  if (!Array.isArray(d.resources) && 'resources' in d) problems.push({ file, pointer: '/resources', message: 'must be array' });
  if (!Array.isArray(d.coverage) && 'coverage' in d) problems.push({ file, pointer: '/coverage', message: 'must be array' });
  if (problems.length) fail(problems);
  const v = new SnapshotValidator(registry);
  problems.push(...v.validateMetadata(d.metadata, { file, pointer: '/metadata' }));
  const resources = d.resources as unknown[];
  for (let i = 0; i < resources.length && problems.length < MAX_PROBLEMS; i++) {
    problems.push(...v.validateResource(resources[i], { file, pointer: `/resources/${i}` }));
  }
  const coverage = d.coverage as unknown[];
  for (let i = 0; i < coverage.length && problems.length < MAX_PROBLEMS; i++) {
    problems.push(...v.validateCoverage(coverage[i], { file, pointer: `/coverage/${i}` }));
  }
  if (problems.length) fail(problems);
  return d as unknown as Snapshot;
}

/** Parses snapshot text in either form (used for stdin and small inputs). */
export function parseSnapshotText(text: string, file: string, registry: ResourceTypeRegistry): Snapshot {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (looksLikeNdjsonHeader(firstLine)) {
    const lines = text.split('\n');
    const reader = new NdjsonSnapshotReader(file, registry);
    for (let i = 0; i < lines.length; i++) reader.line(lines[i], i + 1);
    return reader.finish();
  }
  if (text.trim() === '') throw InputError.at({ file }, 'empty file, expected a snapshot');
  return validateSnapshotDocument(parseJson(text, file), file, registry);
}

function looksLikeNdjsonHeader(line: string): boolean {
  if (!line.includes(NDJSON_FORMAT)) return false;
  try {
    const v = JSON.parse(line) as { format?: unknown };
    return v !== null && typeof v === 'object' && v.format === NDJSON_FORMAT;
  } catch {
    return false;
  }
}

/** Consumes an NDJSON snapshot line by line; memory holds the parsed records, never the text. */
class NdjsonSnapshotReader {
  private readonly validator: SnapshotValidator;
  private metadata: Partial<SnapshotMetadata> | undefined;
  private readonly resources: Resource[] = [];
  private readonly coverage: CoverageEntry[] = [];
  private end: { finishedAt: string; resources: number; coverage: number } | undefined;
  private endLine = 0;
  private readonly problems: Problem[] = [];

  constructor(
    private readonly file: string,
    registry: ResourceTypeRegistry,
  ) {
    this.validator = new SnapshotValidator(registry);
  }

  private check(problems: Problem[]): void {
    this.problems.push(...problems);
    if (this.problems.length >= MAX_PROBLEMS) fail(this.problems);
  }

  line(text: string, n: number): void {
    if (text.trim() === '') return;
    const file = this.file;
    if (this.metadata === undefined) {
      const header = parseJson(text, file, n) as Record<string, unknown>;
      if (header === null || typeof header !== 'object' || header.format !== NDJSON_FORMAT) {
        fail([{ file, line: n, message: `first line must be the snapshot header {"format":"${NDJSON_FORMAT}",…}` }]);
      }
      if (!supportedVersion(header.schemaVersion)) fail([versionProblem(file, header.schemaVersion, n)]);
      this.check(this.validator.validateHeader(header, { file, line: n, pointer: '' }));
      this.metadata = header.metadata as Partial<SnapshotMetadata>;
      return;
    }
    if (this.end !== undefined) fail([{ file, line: n, message: `data after the end record of line ${this.endLine}` }]);
    const rec = parseJson(text, file, n) as Record<string, unknown>;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec) || Object.keys(rec).length !== 1) {
      fail([{ file, line: n, message: 'each line must be {"resource":…}, {"coverage":…} or {"end":…}' }]);
    }
    if ('resource' in rec) {
      const problems = this.validator.validateResource(rec.resource, { file, line: n, pointer: '/resource' });
      if (problems.length === 0) this.resources.push(rec.resource as Resource);
      else this.check(problems);
    } else if ('coverage' in rec) {
      const problems = this.validator.validateCoverage(rec.coverage, { file, line: n, pointer: '/coverage' });
      if (problems.length === 0) this.coverage.push(rec.coverage as CoverageEntry);
      else this.check(problems);
    } else if ('end' in rec) {
      this.check(this.validator.validateTrailer(rec.end, { file, line: n, pointer: '/end' }));
      this.end = rec.end as { finishedAt: string; resources: number; coverage: number };
      this.endLine = n;
    } else {
      fail([{ file, line: n, message: `unknown record '${Object.keys(rec)[0]}' (expected resource, coverage or end)` }]);
    }
  }

  finish(): Snapshot {
    if (this.problems.length) fail(this.problems);
    const file = this.file;
    if (this.metadata === undefined) fail([{ file, message: 'empty file, expected a snapshot' }]);
    if (this.end === undefined) {
      fail([{ file, message: 'snapshot stream has no end record: the file is truncated (was the collector interrupted?)' }]);
    }
    if (this.end.resources !== this.resources.length || this.end.coverage !== this.coverage.length) {
      fail([
        {
          file,
          line: this.endLine,
          message: `end record promises ${this.end.resources} resources and ${this.end.coverage} coverage entries, the stream has ${this.resources.length} and ${this.coverage.length}`,
        },
      ]);
    }
    const metadata = { ...this.metadata, finishedAt: this.end.finishedAt } as SnapshotMetadata;
    return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, metadata, resources: this.resources, coverage: this.coverage };
  }
}

/** A JSON document read whole: one string, under V8's longest string. */
const DOCUMENT_LIMIT = { bytes: INPUT_LIMITS.document, what: 'a snapshot read as one JSON document', hint: 'Write large snapshots as NDJSON (what trustscan collect writes), which is read line by line.' };

/**
 * Reads a snapshot in either form from decoded text chunks: the first line decides. The NDJSON
 * form is consumed line by line, so a snapshot of hundreds of thousands of resources never sits
 * in memory as text; the one-document form is read whole, within DOCUMENT_LIMIT.
 */
async function readSnapshot(chunks: AsyncGenerator<string, void, void>, name: string, registry: ResourceTypeRegistry): Promise<Snapshot> {
  const { head, all } = await peekHead(chunks, SNIFF_BYTES);
  const nl = head.indexOf('\n');
  if (nl !== -1 && looksLikeNdjsonHeader(head.slice(0, nl).replace(/\r$/, ''))) {
    const reader = new NdjsonSnapshotReader(name, registry);
    let n = 0;
    for await (const line of textLines(all(), name)) reader.line(line, ++n);
    return reader.finish();
  }
  // Fail early on what cannot be a snapshot (an endless stream of something else).
  const first = /\S/.exec(head);
  if (first && first[0] !== '{') {
    const at = lineColumn(head, first.index);
    throw InputError.at({ file: name, ...at }, `not a snapshot: expected a JSON object ('{') or an NDJSON snapshot header, found ${JSON.stringify(head.slice(first.index, first.index + 20))}`);
  }
  const text = await collectText(all(), name, DOCUMENT_LIMIT);
  return parseSnapshotText(text, name, registry);
}

/** Loads and validates a snapshot file in either form (see readSnapshot). */
export async function loadSnapshot(file: string, registry: ResourceTypeRegistry): Promise<Snapshot> {
  return readSnapshot(textChunks(openInput(file), file), file, registry);
}

/** Loads a snapshot from a stream (standard input), named `name` in messages. */
export async function loadSnapshotStream(stream: NodeJS.ReadableStream, name: string, registry: ResourceTypeRegistry): Promise<Snapshot> {
  return readSnapshot(textChunks(stream, name), name, registry);
}

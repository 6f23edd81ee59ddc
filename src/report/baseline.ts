import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileError, InputError } from '../core/errors';
import { type Finding, STATUSES, type Status } from '../core/types';

/** What a baseline or diff needs of a finding. */
export interface FindingRef {
  fingerprint: string;
  status: Status;
  ruleId: string;
  severity: Finding['severity'];
  title?: string;
  resource: { id: string; name?: string; account: string; region: string; type?: string };
  suppression?: Finding['suppression'];
}

/** The status a finding stands for: a muted finding counts as what it was before muting. */
export function effectiveStatus(f: Pick<FindingRef, 'status' | 'suppression'>): Exclude<Status, 'MUTED'> {
  return f.status === 'MUTED' ? (f.suppression?.originalStatus ?? 'FAIL') : f.status;
}

function checkRef(v: unknown, file: string, where: { line?: number; pointer?: string }): FindingRef {
  const f = v as Partial<FindingRef> | null;
  if (!f || typeof f !== 'object' || typeof f.fingerprint !== 'string' || !(STATUSES as readonly string[]).includes(f.status as string) || typeof f.ruleId !== 'string' || !f.resource || typeof f.resource.id !== 'string') {
    throw InputError.at({ file, ...where }, 'not a trustscan finding (needs fingerprint, status, ruleId and resource.id)');
  }
  return f as FindingRef;
}

/**
 * Reads the findings of an earlier run: a results file (`--format json`) or a findings stream
 * (`--format ndjson`, one finding per line, read line by line).
 */
export async function readFindings(file: string): Promise<FindingRef[]> {
  let head: string;
  try {
    const h = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await h.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await h.close();
    }
  } catch (e) {
    throw fileError(file, e);
  }
  const firstLine = head.split('\n', 1)[0].trim();
  let ndjson: boolean;
  try {
    const v = JSON.parse(firstLine) as Record<string, unknown>;
    ndjson = typeof v === 'object' && v !== null && 'fingerprint' in v;
  } catch {
    ndjson = false;
  }
  if (!ndjson) {
    if (head.trim() === '') throw InputError.at({ file }, 'empty file, expected trustscan results (json) or findings (ndjson)');
    let doc: unknown;
    try {
      doc = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (e) {
      throw InputError.at({ file }, `not valid JSON: ${(e as Error).message} (expected the output of --format json or --format ndjson)`);
    }
    const findings = (doc as { findings?: unknown })?.findings;
    if (!Array.isArray(findings)) throw InputError.at({ file }, 'not trustscan results: no findings array (expected the output of --format json or --format ndjson)');
    return findings.map((f, i) => checkRef(f, file, { pointer: `/findings/${i}` }));
  }
  const out: FindingRef[] = [];
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw InputError.at({ file, line: n }, `not valid JSON: ${(e as Error).message}`);
    }
    out.push(checkRef(v, file, { line: n }));
  }
  return out;
}

/**
 * The findings a gate already knows about. A finding is in the baseline when the baseline has
 * the same fingerprint with the same (effective) status: a FAIL that was FAIL before is known; a
 * FAIL that used to PASS, or is new, is not.
 */
export class Baseline {
  private readonly status = new Map<string, Exclude<Status, 'MUTED'>>();

  constructor(
    findings: Iterable<FindingRef>,
    readonly file?: string,
  ) {
    for (const f of findings) this.status.set(f.fingerprint, effectiveStatus(f));
  }

  static async load(file: string): Promise<Baseline> {
    return new Baseline(await readFindings(file), file);
  }

  has(f: Pick<FindingRef, 'fingerprint' | 'status' | 'suppression'>): boolean {
    return this.status.get(f.fingerprint) === effectiveStatus(f);
  }

  get size(): number {
    return this.status.size;
  }
}

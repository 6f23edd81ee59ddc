import { InputError } from '../core/errors';
import { collectText, INPUT_LIMITS, openInput, peekHead, textChunks, textLines } from '../core/input-text';
import { type Finding, STATUSES, type Status } from '../core/types';

const RESULTS_LIMIT = { bytes: INPUT_LIMITS.document, what: 'a results file read as one JSON document', hint: 'Use the findings of --format ndjson as a baseline: they are read line by line.' };

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
 * (`--format ndjson`, one finding per line, read line by line). `name` is what messages call it
 * (the object a temporary copy came from).
 */
export async function readFindings(path: string, name: string = path): Promise<FindingRef[]> {
  const file = name;
  const { head, all } = await peekHead(textChunks(openInput(path), file), 4096);
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
      doc = JSON.parse(await collectText(all(), file, RESULTS_LIMIT));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw InputError.at({ file }, `not valid JSON: ${(e as Error).message} (expected the output of --format json or --format ndjson)`);
    }
    const findings = (doc as { findings?: unknown })?.findings;
    if (!Array.isArray(findings)) throw InputError.at({ file }, 'not trustscan results: no findings array (expected the output of --format json or --format ndjson)');
    return findings.map((f, i) => checkRef(f, file, { pointer: `/findings/${i}` }));
  }
  const out: FindingRef[] = [];
  let n = 0;
  for await (const line of textLines(all(), file)) {
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

  /** `name`: what messages and reports call the file (the object a temporary copy came from). */
  static async load(file: string, name: string = file): Promise<Baseline> {
    return new Baseline(await readFindings(file, name), name);
  }

  has(f: Pick<FindingRef, 'fingerprint' | 'status' | 'suppression'>): boolean {
    return this.status.get(f.fingerprint) === effectiveStatus(f);
  }

  get size(): number {
    return this.status.size;
  }
}

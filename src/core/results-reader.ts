import { InputError } from './errors';
import { INPUT_LIMITS, openInput, readInputText } from './input-text';
import { CONTROL_STATUSES, type ControlResult, type ControlStatus, type FrameworkRollup, type Results } from './types';

/**
 * Reads a results file written by `trustscan evaluate --format json`, checking the parts the
 * readers use. A 1.x file (one SOC 2 `controls` list) is upgraded to the 2.x shape (roll-ups
 * per framework) so older results keep working with `controls` and `diff`. `name` is what
 * messages call it (the object a temporary copy came from).
 */
export async function readResultsFile(path: string, name: string = path): Promise<Results> {
  const file = name;
  const text = await readInputText({ stream: openInput(path), name }, { bytes: INPUT_LIMITS.document, what: 'a results file' });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw InputError.at({ file }, `not valid JSON: ${(e as Error).message}`);
  }
  return checkResults(doc, file);
}

const NOT_RESULTS = 'not a trustscan results file (expected the output of evaluate --format json)';

export function checkResults(doc: unknown, file: string): Results {
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || typeof d.schemaVersion !== 'string') throw InputError.at({ file }, NOT_RESULTS);
  const major = d.schemaVersion.split('.')[0];
  if (major === '1') upgradeV1(d, file);
  else if (major !== '2') throw InputError.at({ file, pointer: '/schemaVersion' }, `unsupported results schema version '${d.schemaVersion}' (this trustscan reads 1.x and 2.x)`);
  const frameworks = d.frameworks as Record<string, Partial<FrameworkRollup>> | undefined;
  if (!frameworks || typeof frameworks !== 'object' || Array.isArray(frameworks)) throw InputError.at({ file, pointer: '/frameworks' }, NOT_RESULTS);
  for (const [id, r] of Object.entries(frameworks)) {
    if (!r || typeof r !== 'object' || !Array.isArray(r.controls)) throw InputError.at({ file, pointer: `/frameworks/${id}` }, 'malformed roll-up (needs framework, summary, controls)');
    r.controls.forEach((c: Partial<ControlResult>, i) => {
      if (typeof c?.id !== 'string' || !(CONTROL_STATUSES as readonly string[]).includes(c.status as string) || typeof c.counts !== 'object') {
        throw InputError.at({ file, pointer: `/frameworks/${id}/controls/${i}` }, 'malformed control entry (needs id, status, counts)');
      }
    });
  }
  return d as unknown as Results;
}

/** 1.x kept the SOC 2 roll-up in `controls` and its tally in `summary.controls`. */
function upgradeV1(d: Record<string, unknown>, file: string): void {
  const controls = d.controls as ControlResult[] | undefined;
  if (!Array.isArray(controls)) throw InputError.at({ file }, NOT_RESULTS);
  const summary = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c?.status === s).length])) as Record<ControlStatus, number>;
  d.frameworks = { soc2: { framework: { id: 'soc2', title: 'AICPA SOC 2 Trust Services Criteria', version: '2017 (revised points of focus 2022)' }, summary, controls } };
  delete d.controls;
}

import { EXIT, InputError } from '../core/errors';
import { INPUT_LIMITS, readInputText } from '../core/input-text';
import { CONTROL_STATUSES, type ControlResult, type Results } from '../core/types';
import { renderControlsTable } from '../report/controls-table';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';

/** Reads a results file written by `trustscan evaluate --format json`, checking the parts this command uses. */
export async function readResults(file: string): Promise<Results> {
  const text = await readInputText(file, { bytes: INPUT_LIMITS.document, what: 'a results file' });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw InputError.at({ file }, `not valid JSON: ${(e as Error).message}`);
  }
  const d = doc as Partial<Results>;
  if (!d || typeof d !== 'object' || !Array.isArray(d.controls) || typeof d.schemaVersion !== 'string') {
    throw InputError.at({ file }, 'not a trustscan results file (expected the output of evaluate --format json)');
  }
  if (d.schemaVersion.split('.')[0] !== '1') throw InputError.at({ file, pointer: '/schemaVersion' }, `unsupported results schema version '${d.schemaVersion}'`);
  d.controls.forEach((c: Partial<ControlResult>, i) => {
    if (typeof c?.id !== 'string' || !(CONTROL_STATUSES as readonly string[]).includes(c.status as string) || typeof c.counts !== 'object') {
      throw InputError.at({ file, pointer: `/controls/${i}` }, 'malformed control entry (needs id, status, counts)');
    }
  });
  return d as Results;
}

/** `trustscan controls <results.json>`: the SOC 2 table in a terminal. */
export async function controlsCommand(file: string, opts: { format: 'table' | 'json'; all?: boolean }, io: CliIO, global: GlobalOptions): Promise<number> {
  const results = await readResults(file);
  if (opts.format === 'json') {
    await emit(io, `${JSON.stringify(results.controls, null, 2)}\n`);
    return EXIT.OK;
  }
  const colors = stdoutColors(io, global);
  const head = results.scan?.complete === false ? colors.yellow('Evaluation was INCOMPLETE: UNKNOWN criteria lack evidence.\n') : '';
  await emit(io, head + renderControlsTable(results.controls, { colors, width: terminalWidth(io), all: opts.all }));
  return EXIT.OK;
}

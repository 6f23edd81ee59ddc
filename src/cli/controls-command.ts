import { EXIT, UsageError } from '../core/errors';
import { readResultsFile } from '../core/results-reader';
import { withLocalCopy } from '../parts/remote-file';
import { renderControlsTable, rollupHeading, selectRollups } from '../report/controls-table';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';

/** `trustscan controls <results.json>`: a framework's roll-up (SOC 2 unless --framework says otherwise) in a terminal. */
export async function controlsCommand(file: string, opts: { format: 'table' | 'json'; all?: boolean; framework?: string[] }, io: CliIO, global: GlobalOptions): Promise<number> {
  const results = await withLocalCopy(file, io.env, (f) => readResultsFile(f, file));
  const missing = (opts.framework ?? []).filter((id) => id !== 'all' && !results.frameworks[id]);
  if (missing.length) {
    throw new UsageError(`${file} has no roll-up for ${missing.join(', ')} (it has: ${Object.keys(results.frameworks).join(', ')})`);
  }
  const rollups = selectRollups(results.frameworks, opts.framework);
  if (opts.format === 'json') {
    const out = opts.framework?.length ? Object.fromEntries(rollups.map((r) => [r.framework.id, r])) : rollups[0]?.controls;
    await emit(io, `${JSON.stringify(out, null, 2)}\n`);
    return EXIT.OK;
  }
  const colors = stdoutColors(io, global);
  const head = results.scan?.complete === false ? colors.yellow('Evaluation was INCOMPLETE: UNKNOWN criteria lack evidence.\n') : '';
  const tables = rollups.map((r) => `${rollups.length > 1 ? `${colors.bold(rollupHeading(r))}\n` : ''}${renderControlsTable(r, { colors, width: terminalWidth(io), all: opts.all })}`);
  await emit(io, head + tables.join('\n'));
  return EXIT.OK;
}

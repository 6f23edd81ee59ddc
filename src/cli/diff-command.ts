import { readFindings } from '../report/baseline';
import { diffFindings, renderDiffTable } from '../report/diff';
import { EXIT } from '../core/errors';
import { withLocalCopy } from '../parts/remote-file';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';

/** `trustscan diff OLD NEW`: what changed between two runs, by fingerprint. */
export async function diffCommand(oldFile: string, newFile: string, opts: { format: 'table' | 'json'; output?: string; all?: boolean }, io: CliIO, global: GlobalOptions): Promise<number> {
  // One after the other: a problem is reported for the first file that has one, every time.
  // A file in a bucket (s3://bucket/key) is read from a temporary copy; messages name the object.
  const before = await withLocalCopy(oldFile, io.env, (f) => readFindings(f, oldFile));
  const after = await withLocalCopy(newFile, io.env, (f) => readFindings(f, newFile));
  const d = diffFindings(oldFile, before, newFile, after);
  const toFile = opts.output !== undefined && opts.output !== '-';
  const text =
    opts.format === 'json'
      ? `${JSON.stringify(d, null, 2)}\n`
      : renderDiffTable(d, toFile ? stdoutColors(io, { ...global, color: false }) : stdoutColors(io, global), toFile ? 140 : terminalWidth(io), opts.all);
  await emit(io, text, opts.output);
  return EXIT.OK;
}

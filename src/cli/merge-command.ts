import type { Logger } from 'pino';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors';
import { mergeAndWrite } from '../pipeline/merge';
import { snapshotFiles, prepareEvaluation } from './evaluate-command';
import type { CliIO, GlobalOptions } from './io';
import { type OutputOptions, outputIO } from './output-options';

/** `trustscan merge <parts…>`: the parts of a sharded scan evaluated as one (see pipeline/merge.ts). */
export async function mergeCommand(args: string[], opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const setup = await prepareEvaluation(opts, io, log);
  if (args.includes('-')) throw new UsageError("merge reads part files (it reads each twice, by position): standard input ('-') cannot be a part");
  const files = (await snapshotFiles(args, io.cwd)).map((f) => resolve(io.cwd, f));
  const { catalog, rules } = setup;
  const context = catalog.providers.flatMap((p) => (p.evaluationContext ? [p.evaluationContext] : []));
  return mergeAndWrite(files, { rules, registry: catalog.registry, frameworks: catalog.frameworks, context, unitNames: Object.fromEntries(catalog.providers.map((p) => [p.id, p.unit])) }, opts, outputIO(io, global), log);
}

import type { Logger } from 'pino';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors';
import { mergeAndWrite } from '../pipeline/merge';
import { fetchBucketParts, isBucketUri } from '../parts/store';
import { snapshotFiles, prepareEvaluation } from './evaluate-command';
import type { CliIO, GlobalOptions } from './io';
import { type OutputOptions, outputIO } from './output-options';

/** `trustscan merge <parts…>`: the parts of a sharded scan evaluated as one (see pipeline/merge.ts). */
export async function mergeCommand(args: string[], opts: OutputOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const setup = await prepareEvaluation(opts, io, log);
  if (args.includes('-')) throw new UsageError("merge reads part files (it reads each twice, by position): standard input ('-') cannot be a part");
  const local = args.filter((a) => !isBucketUri(a));
  const files = local.length ? (await snapshotFiles(local, io.cwd)).map((f) => resolve(io.cwd, f)) : [];
  // Parts in a bucket are copied to a temporary folder first: a merge reads each part twice, by position.
  const fetched = await fetchBucketParts(args.filter(isBucketUri), io.env);
  try {
    const { catalog, rules } = setup;
    const context = catalog.providers.flatMap((p) => (p.evaluationContext ? [p.evaluationContext] : []));
    const inputs = { rules, registry: catalog.registry, frameworks: catalog.frameworks, context, unitNames: Object.fromEntries(catalog.providers.map((p) => [p.id, p.unit])), names: fetched.names };
    if (files.length + fetched.files.length === 0) throw new UsageError(`no part found in ${args.join(', ')}`);
    return await mergeAndWrite([...files, ...fetched.files], inputs, opts, outputIO(io, global), log);
  } finally {
    await fetched.cleanup();
  }
}

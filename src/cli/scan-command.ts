import type { Command } from 'commander';
import { writeSnapshotFile } from '../core/snapshot-writer';
import { loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import { addAwsOptions, type AwsCliOptions, awsCollectOptions, collectAwsToSnapshot, type CommandContext, reportCollection } from './collect-command';
import { evaluateAndReport } from './evaluate-command';
import { addOutputOptions, type OutputOptions, prepareOutput } from './output-options';
import { builtinFacts, builtinRegistry } from '../providers/builtin';

/** `trustscan scan aws`: collect and evaluate in one run, with every output option of `evaluate`. */
export async function scanAwsCommand(o: AwsCliOptions & OutputOptions & { saveSnapshot?: string }, ctx: CommandContext): Promise<number> {
  // trustscan.yaml, outputs and rules first: a mistake there is reported before a long collection, not after.
  const plan = await prepareOutput(o, ctx.io, ctx.log());
  const rules = loadRulesOrThrow(resolveRuleDirs(plan.rules), builtinRegistry(), builtinFacts());
  const { snapshot, collection } = await collectAwsToSnapshot(awsCollectOptions(o, ctx, plan.config));
  reportCollection(collection, ctx.log());
  if (o.saveSnapshot) await writeSnapshotFile(o.saveSnapshot, snapshot);
  return evaluateAndReport(snapshot, o.saveSnapshot, o, ctx.io, ctx.global(), ctx.log(), rules);
}

export function registerScanCommand(program: Command, ctx: CommandContext): void {
  const scan = program.command('scan').description('collect and evaluate in one run');
  addAwsOptions(
    addOutputOptions(scan.command('aws').description('scan AWS accounts: collect (read-only) and evaluate the rules')).option(
      '--save-snapshot <file>',
      'also keep the collected snapshot (NDJSON for .ndjson/.jsonl), to re-evaluate or diff later',
    ),
  ).action(async (opts) => {
    ctx.exit(await scanAwsCommand(opts, ctx));
  });
}

import type { Command } from 'commander';
import { UsageError } from '../core/errors';
import type { ProviderPlugin } from '../core/provider-plugin';
import { resolveShard } from '../core/shard';
import { writeSnapshotFile, writeSnapshotTo } from '../core/snapshot-writer';
import { partName, partsLocation, shardTag } from '../parts/location';
import { writePart } from '../parts/store';
import { addCollectorOptions, type CollectCliOptions, collectToSnapshot, type CommandContext, prepareCollection, reportCollection } from './collect-command';
import { evaluateAndReport, prepareEvaluation } from './evaluate-command';
import { addOutputOptions, type OutputOptions } from './output-options';

/** `trustscan scan <provider>`: collect and evaluate in one run, with every output option of `evaluate`. */
export async function scanCommand(plugin: ProviderPlugin, cli: Record<string, unknown> & CollectCliOptions & OutputOptions & { saveSnapshot?: string }, ctx: CommandContext): Promise<number> {
  // The workers of a sharded scan share one --output-dir (a volume, a bucket prefix): each names
  // its files after its shard (results-shard-3-of-8.json), as its part is, so none overwrites another's.
  const shard = cli.shard ? resolveShard(cli.shard, ctx.io.env) : undefined;
  const o = shard ? { ...cli, nameTag: shardTag(shard.index, shard.count) } : cli;
  // trustscan.yaml, outputs and rules first: a mistake there is reported before a long collection, not after.
  const setup = await prepareEvaluation(o, ctx.io, ctx.log());
  // A live scan's findings are on cloud resources, never in a file: SARIF would be refused at the end.
  if (setup.plan.targets.some((t) => t.format === 'sarif' && !t.implicit)) throw new UsageError(sarifRefusalForScan(plugin.name));
  const prepared = await prepareCollection(plugin, o, setup.plan.config, ctx);
  const { snapshot, collection } = await collectToSnapshot(prepared);
  reportCollection(collection, ctx.log(), plugin);
  const parts = o.saveSnapshot ? partsLocation(o.saveSnapshot, ctx.io.cwd) : undefined;
  if (parts && !prepared.shard) throw new UsageError(`--save-snapshot ${o.saveSnapshot} is a folder or a bucket: it holds the parts of a sharded scan (add --shard i/N), or name a file`);
  if (parts) await writePart(parts, partName(plugin.id, prepared.shard!.shard.index, prepared.shard!.shard.count), (out) => writeSnapshotTo(out, snapshot), ctx.io.env);
  else if (o.saveSnapshot) await writeSnapshotFile(o.saveSnapshot, snapshot);
  return evaluateAndReport(snapshot, o.saveSnapshot, setup, o, ctx.io, ctx.global(), ctx.log());
}

/** `scan <provider>` for every provider that has a collector. */
export function registerScanCommand(program: Command, ctx: CommandContext, plugins: readonly ProviderPlugin[]): void {
  const scan = program.command('scan').description('collect and evaluate in one run');
  for (const plugin of plugins) {
    if (!plugin.collector) continue;
    addCollectorOptions(
      addOutputOptions(scan.command(plugin.id).description(`scan ${plugin.name}: collect (read-only) and evaluate the rules`)).option(
        '--save-snapshot <file>',
        'also keep the collected snapshot (NDJSON for .ndjson/.jsonl), to re-evaluate or diff later',
      ),
      plugin,
    ).action(async (opts) => {
      ctx.exit(await scanCommand(plugin, opts, ctx));
    });
  }
}

function sarifRefusalForScan(provider: string): string {
  return (
    `--format sarif: code scanning needs a file location for every result, and a live scan of ${provider} finds resources, not files: ` +
    `use SARIF with 'trustscan iac', and for scans --format json, ndjson or ocsf (SIEM), html or markdown (people), junit (CI test reports)`
  );
}

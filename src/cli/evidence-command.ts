import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EXIT, UsageError } from '../core/errors';
import { writeFileAtomic } from '../core/atomic-write';
import { buildEvidencePack } from '../evidence/build';
import { evidenceSchema } from '../evidence/schema';
import { verifyEvidencePack } from '../evidence/verify-pack';
import { writeEvidencePack } from '../evidence/write';
import { generateKeyPair, keyIdOf, loadPublicKey, loadSigner } from '../store/signing';
import { addStoreOptions, type HistoryContext, parseDay, withStore } from './history-command';
import { emit } from './io';
import { collect } from './options';

/** `trustscan evidence`: the SOC 2 Type II evidence pack for a period, and its verification. */

interface EvidenceCliOptions {
  history?: string;
  config?: string | false;
  from: string;
  to: string;
  scope?: string[];
  outputDir: string;
  sample?: number;
  seed?: string;
  signKey?: string;
  now?: Date;
}

function parseSampleSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a sample size of 1 or more');
  return n;
}

async function packCommand(opts: EvidenceCliOptions, ctx: HistoryContext): Promise<number> {
  // Not commander's requiredOption: it would also demand them of `evidence verify`.
  for (const [k, flag] of [['from', '--from'], ['to', '--to'], ['outputDir', '--output-dir']] as const) {
    if (!opts[k]) throw new UsageError(`evidence: ${flag} is required (trustscan evidence --from DATE --to DATE --output-dir DIR, or trustscan evidence verify DIR)`);
  }
  if (opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
  const dir = resolve(ctx.io.cwd, opts.outputDir);
  if (existsSync(dir) && (await fs.readdir(dir).catch(() => ['x'])).length > 0) throw new UsageError(`--output-dir ${dir} is not empty: write each evidence pack to a new folder`);
  const signer = opts.signKey ? loadSigner(resolve(ctx.io.cwd, opts.signKey)) : undefined;
  // A seed the user did not choose is still recorded in the pack: the sample stays reproducible.
  const seed = opts.seed ?? randomBytes(8).toString('hex');
  const started = Date.now();
  const { pack, chain } = await withStore(opts, ctx.io, (store) => buildEvidencePack(store, { from: opts.from, to: opts.to, scope: opts.scope ?? [], seed, sample: opts.sample, now: opts.now }));
  const built = Date.now();
  try {
    await writeEvidencePack(dir, pack, chain, signer);
  } catch (e) {
    throw new UsageError(`cannot write the evidence pack to ${dir}: ${(e as Error).message}`);
  }
  ctx.log().info({ dir, runs: pack.summary.runs, criteria: pack.criteria.length, buildMs: built - started, writeMs: Date.now() - built, cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, 'evidence pack written');
  const s = pack.summary;
  await emit(
    ctx.io,
    `Evidence pack for ${pack.period.from} to ${pack.period.to} written to ${dir}${signer ? ` (signed, key ${signer.keyId})` : ''}:\n` +
      `  ${s.runs} run(s), ${s.daysWithRuns}/${pack.period.days} day(s) with evidence, ${s.gapDays} gap day(s), ${s.partialDays} partial day(s), ${s.incompleteRuns} incomplete run(s)\n` +
      `  ${s.failures} failure(s), ${s.acceptedRisks} accepted risk(s), ${s.ruleChanges} rule change(s); sample seed ${seed}\n` +
      `  open ${resolve(dir, 'index.html')}; verify with: trustscan evidence verify ${opts.outputDir}\n`,
  );
  if (s.runs === 0) ctx.log().warn('no run of the scope was recorded in this period: every day is an evidence gap');
  return EXIT.OK;
}

async function verifyCommand(dir: string, opts: { publicKey?: string; anchor?: string; format: 'text' | 'json' }, ctx: HistoryContext): Promise<number> {
  const key = opts.publicKey ? loadPublicKey(resolve(ctx.io.cwd, opts.publicKey)) : undefined;
  const full = resolve(ctx.io.cwd, dir);
  const st = await fs.stat(full).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`${dir}: no such evidence pack folder`);
  const report = await verifyEvidencePack(full, { publicKey: key, anchor: opts.anchor });
  if (opts.format === 'json') {
    await emit(ctx.io, `${JSON.stringify(report, null, 2)}\n`);
  } else if (report.ok) {
    const c = report.chain!;
    await emit(
      ctx.io,
      `OK: ${report.files} file(s) match the manifest${report.signed ? `, signed by key ${report.keyId}` : ' (not signed)'}; ` +
        `${c.runs} chained run(s) (${c.runsWithData} with their data, ${c.findingsChecked} finding states) verify, ` +
        `from ${c.anchoredBy === 'genesis' ? 'the first run of the store' : c.anchoredBy === 'checkpoint' ? 'a signed checkpoint' : `hash ${c.startsAfter}`} to ${c.head}; timeline and samples recomputed.\n`,
    );
  } else {
    await emit(ctx.io, `FAILED: ${dir} does not verify:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  }
  return report.ok ? EXIT.OK : EXIT.FINDINGS;
}

async function keygenCommand(opts: { out: string; force?: boolean }, ctx: HistoryContext): Promise<number> {
  const file = resolve(ctx.io.cwd, opts.out);
  const pub = file.replace(/(\.pem)?$/, '.pub.pem');
  if (!opts.force && (existsSync(file) || existsSync(pub))) throw new UsageError(`${existsSync(file) ? file : pub} exists: choose another name or pass --force`);
  const { privateKey, publicKey } = generateKeyPair();
  await writeFileAtomic(file, privateKey);
  await fs.chmod(file, 0o600);
  await writeFileAtomic(pub, publicKey);
  await emit(ctx.io, `Ed25519 key ${keyIdOf(publicKey)}: private key ${file} (keep it secret), public key ${pub} (give it to your auditor).\n`);
  return EXIT.OK;
}

export function registerEvidenceCommand(program: Command, ctx: HistoryContext): void {
  const evidence = addStoreOptions(
    program
      .command('evidence')
      .description('write the evidence pack for an audit period (HTML, CSV, JSON, manifest), or verify one')
      .option('--from <date>', 'first day (required) of the period (YYYY-MM-DD, UTC)', parseDay)
      .option('--to <date>', 'last day (required) of the period (YYYY-MM-DD, UTC)', parseDay)
      .option('--output-dir <dir>', 'folder to write the pack to, new or empty (required)')
      .option('--scope <account>', 'account (provider:account or account) the period must cover; repeatable (default: every account the period\'s runs scanned)', collect)
      .option('--sample <n>', 'sample size per criterion (default: the usual guidance — all below 5, 5 up to 50, 10% up to 250, 25 above)', parseSampleSize)
      .option('--seed <seed>', 'seed of the random sample, to reproduce one (default: a new random seed, recorded in the pack)')
      .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign the manifest with')
      .addOption(new Option('--now <datetime>', 'generation time to record (default: now)').hideHelp()),
  ).action(async (opts: EvidenceCliOptions) => ctx.exit(await packCommand(opts, ctx)));
  evidence
    .command('verify')
    .description('verify a pack: files against the manifest, the signature, the hash chain, every finding, the timeline and the samples; exit 1 when it does not verify')
    .argument('<dir>', 'evidence pack folder')
    .option('--public-key <file>', 'the Ed25519 public key (PEM) the pack must be signed with')
    .option('--anchor <hash>', 'a chain hash the pack must contain or start from (e.g. the head of the previous period\'s pack)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dir: string, opts) => ctx.exit(await verifyCommand(dir, opts, ctx)));
  evidence
    .command('keygen')
    .description('create an Ed25519 key pair (PEM) for signing packs and pruning checkpoints')
    .requiredOption('--out <file>', 'private key file; the public key goes to FILE.pub.pem')
    .option('--force', 'overwrite existing files')
    .action(async (opts) => ctx.exit(await keygenCommand(opts, ctx)));
  evidence
    .command('schema')
    .description('print the JSON Schema of evidence.json')
    .action(async () => {
      await emit(ctx.io, `${JSON.stringify(evidenceSchema, null, 2)}\n`);
      ctx.exit(EXIT.OK);
    });
}

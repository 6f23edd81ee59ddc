import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { loadConfig } from '../config/config';
import { EXIT, UsageError } from '../core/errors';
import { renderGrid } from '../report/terminal-table';
import { paintSeverity, paintStatus } from '../report/style';
import { type FindingLifecycle, lifecycles, timeToFix } from '../store/lifecycle';
import { loadPublicKey, loadSigner } from '../store/signing';
import { HistoryStore } from '../store/store';
import { describeTarget, type HistoryTarget, resolveStoreToRead } from '../store/target';
import { verifyStore } from '../store/verify';
import { type CliIO, emit, type GlobalOptions, stdoutColors } from './io';
import { parseDate } from './options';

/** `trustscan history list|show|findings|verify|prune`: answers from the run history store. */

export interface HistoryContext {
  io: CliIO;
  global: () => GlobalOptions;
  log: () => Logger;
  exit: (code: number) => void;
}

interface StoreOptions {
  history?: string;
  config?: string | false;
}

export function parseDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('expected a date, YYYY-MM-DD');
  return value;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of days (0 or more)');
  return n;
}

/** The store named by --history, trustscan.yaml's `history`, $TRUSTSCAN_HISTORY, or the per-user default. */
export async function storeTarget(opts: StoreOptions, io: CliIO): Promise<HistoryTarget> {
  const config = await loadConfig(opts.config === false ? false : opts.config === undefined ? undefined : resolve(io.cwd, opts.config), io.cwd, {}, io.env);
  return resolveStoreToRead(opts.history, config?.history, io.env, io.cwd);
}

export async function withStore<T>(opts: StoreOptions, io: CliIO, fn: (store: HistoryStore) => Promise<T>): Promise<T> {
  const store = await HistoryStore.open(await storeTarget(opts, io), { mustExist: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--history <store>', 'history store: a SQLite file or a postgres:// URL (default: trustscan.yaml\'s history, $TRUSTSCAN_HISTORY, else the per-user store)')
    .addOption(new Option('--config <file>', 'config file (default: trustscan.yaml in the working directory, if any)'))
    .option('--no-config', 'ignore trustscan.yaml');
}

const short = (id: string): string => id.slice(0, 8);

type Cell = string | number | { text: string; paint: (s: string) => string };

/** A bordered table whose columns fit their contents (up to `max` characters; longer text wraps). */
function grid(head: string[], rows: Cell[][], c: ReturnType<typeof stdoutColors>, max = 40): string {
  const text = (x: Cell): string => (typeof x === 'object' ? x.text : String(x));
  const widths = head.map((h, k) => Math.min(max, Math.max(h.length, ...rows.map((r) => text(r[k]).length))) + 2);
  return `${renderGrid(head, widths, rows, c)}\n`;
}

function scopeText(h: { scope: { kind: string; accounts: { provider: string; id: string }[]; files?: string[] } }): string {
  if (h.scope.kind === 'iac') return `code: ${(h.scope.files ?? []).length} file(s)`;
  const a = h.scope.accounts;
  return a.length <= 2 ? a.map((x) => `${x.provider}:${x.id}`).join(', ') : `${a.length} accounts`;
}

async function listCommand(opts: StoreOptions & { since?: string; until?: string; format: 'table' | 'json' }, ctx: HistoryContext): Promise<number> {
  const runs = await withStore(opts, ctx.io, (s) => s.runs({ fromDay: opts.since, toDay: opts.until }));
  if (opts.format === 'json') {
    await emit(ctx.io, `${JSON.stringify(runs.map((r) => ({ seq: r.seq, runId: r.runId, day: r.day, collectedAt: r.collectedAt, recordedAt: r.recordedAt, kind: r.kind, scope: r.header.scope, complete: r.complete, findings: r.findings, byStatus: r.header.summary.byStatus, changes: { opened: r.header.findings.opened, closed: r.header.findings.closed }, rulePack: r.header.rules.packVersion, snapshotSha256: r.header.snapshot.sha256, chainHash: r.chainHash })), null, 2)}\n`);
    return EXIT.OK;
  }
  const c = stdoutColors(ctx.io, ctx.global());
  if (runs.length === 0) {
    await emit(ctx.io, 'No runs recorded in this period.\n');
    return EXIT.OK;
  }
  const rows = runs.map((r) => [
    r.seq,
    short(r.runId),
    r.collectedAt.replace('T', ' ').slice(0, 16),
    scopeText(r.header),
    r.complete ? 'complete' : { text: 'INCOMPLETE', paint: c.yellow },
    r.findings,
    r.header.summary.byStatus.FAIL,
    r.header.summary.byStatus.UNKNOWN,
    `+${r.header.findings.opened} −${r.header.findings.closed}`,
    r.header.rules.packVersion,
  ]);
  await emit(ctx.io, grid(['#', 'run', 'gathered (UTC)', 'scope', 'evidence', 'findings', 'FAIL', 'UNKNOWN', 'changes', 'rule pack'], rows, c));
  return EXIT.OK;
}

async function showCommand(ref: string, opts: StoreOptions & { format: 'text' | 'json'; all?: boolean }, ctx: HistoryContext): Promise<number> {
  return withStore(opts, ctx.io, async (store) => {
    const run = await store.run(ref);
    if (!run) throw new UsageError(`no run '${ref}' in the history store ${store.where} (see trustscan history list)`);
    const controls = (await store.controls(run.seq, run.seq)).filter((c) => c.account === '*');
    const rules = await store.runRules(run.seq, run.seq);
    if (opts.format === 'json') {
      await emit(ctx.io, `${JSON.stringify({ ...run, controls: controls.map(({ seq: _s, ...c }) => c), rules: rules.map((r) => r.rule) }, null, 2)}\n`);
      return EXIT.OK;
    }
    const c = stdoutColors(ctx.io, ctx.global());
    const h = run.header;
    const lines = [
      `Run ${run.runId} (#${run.seq})`,
      `  evidence gathered  ${h.collectedAt} → ${h.finishedAt} (counts for ${run.day})`,
      `  evaluated          ${h.evaluatedAt}, recorded ${h.recordedAt}${h.command ? `, by ${h.command}` : ''}`,
      `  scope              ${h.scope.kind === 'iac' ? (h.scope.files ?? []).join(', ') : h.scope.accounts.map((a) => `${a.provider}:${a.id}${a.name ? ` (${a.name})` : ''}`).join(', ')}`,
      `  snapshot sha256    ${h.snapshot.sha256}${h.snapshot.file ? ` (${h.snapshot.file})` : ''}`,
      `  rules              ${h.rules.count}, pack ${h.rules.packVersion}; tool ${h.tool.name} ${h.tool.version}`,
      `  evidence           ${h.complete ? 'complete' : c.yellow('INCOMPLETE')}: ${h.resources} resources, ${h.findings.count} findings (${Object.entries(h.summary.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')}), ${h.gaps.length} failed API operation(s)`,
      `  changes            ${h.findings.opened} new or changed, ${h.findings.closed} changed or gone since the previous run of this scope`,
      `  chain              ${run.chainHash} (previous ${run.prevHash.slice(0, 16)}…)`,
      '',
    ];
    for (const g of h.gaps.slice(0, 20)) lines.push(`  gap: ${g.provider}:${g.account} ${g.region} ${g.service}:${g.operation} ${g.outcome}${g.message ? ` — ${g.message}` : ''}`);
    if (h.gaps.length > 20) lines.push(`  … ${h.gaps.length - 20} more gaps (--format json lists them all)`);
    const shown = controls.filter((x) => x.framework === 'soc2' && (opts.all || x.status !== 'MANUAL'));
    const table = grid(
      ['criterion', 'status', 'PASS', 'FAIL', 'UNKNOWN', 'MUTED'],
      shown.map((x) => [x.control, { text: x.status, paint: (s) => paintStatus(c, x.status).replace(x.status, s) }, x.pass, x.fail, x.unknown, x.muted]),
      c,
    );
    await emit(ctx.io, `${lines.join('\n')}\nSOC 2 roll-up${opts.all ? '' : ' (without MANUAL criteria; --all shows them)'}:\n${table}`);
    return EXIT.OK;
  });
}

function matches(lc: FindingLifecycle, opts: { open?: boolean; fixed?: boolean; since?: string }): boolean {
  const since = opts.since ?? '';
  if (opts.open) return lc.current && lc.failures.some((f) => f.resolution === 'open') && (!since || lc.failures.some((f) => f.resolution === 'open' && f.found >= since) || lc.lastSeen >= since);
  if (opts.fixed) return lc.failures.some((f) => f.resolution === 'fixed' && (f.ended ?? '') >= since);
  const notPass = lc.failures.length > 0 || lc.daysUnknown > 0 || lc.suppressions.length > 0 || lc.status === 'UNKNOWN';
  return notPass && lc.lastSeen >= since;
}

async function findingsCommand(opts: StoreOptions & { open?: boolean; fixed?: boolean; since?: string; format: 'table' | 'json' }, ctx: HistoryContext): Promise<number> {
  if (opts.open && opts.fixed) throw new UsageError('--open and --fixed exclude each other');
  const { all } = await withStore(opts, ctx.io, async (store) => {
    const runs = await store.runs();
    const lastRunAt = new Map<string, string>();
    for (const r of runs) lastRunAt.set(r.stream, r.collectedAt);
    return { all: lifecycles(await store.allSpans(), lastRunAt) };
  });
  const chosen = all.filter((lc) => matches(lc, opts));
  const ttf = timeToFix(all, opts.since);
  if (opts.format === 'json') {
    await emit(ctx.io, `${JSON.stringify({ findings: chosen, timeToFix: ttf }, null, 2)}\n`);
    return EXIT.OK;
  }
  const c = stdoutColors(ctx.io, ctx.global());
  const day = (s?: string): string => (s ? s.slice(0, 10) : '');
  const rows = chosen.map((lc) => {
    const lastFail = lc.failures[lc.failures.length - 1];
    return [
      { text: lc.severity, paint: (s: string) => paintSeverity(c, lc.severity).replace(lc.severity, s) },
      { text: lc.status, paint: (s: string) => paintStatus(c, lc.status).replace(lc.status, s) },
      lc.ruleId,
      lc.resourceName ?? lc.resourceId,
      day(lc.firstSeen),
      lastFail ? `${day(lastFail.found)} → ${lastFail.resolution === 'open' ? 'open' : `${day(lastFail.ended)} (${lastFail.resolution})`}` : '',
      lc.ageDays ? String(lc.ageDays) : '',
      lc.reopened ? String(lc.reopened) : '',
      lc.daysUnknown ? String(lc.daysUnknown) : '',
      lc.suppressions.map((u) => `${u.owner ?? 'no owner'} until ${u.expires}${u.ticket ? ` (${u.ticket})` : ''}${u.expiredWhileFailing ? ' — expired while failing' : ''}`).join('; '),
    ];
  });
  const table = rows.length
    ? grid(['severity', 'now', 'rule', 'resource', 'first seen', 'last failure', 'age (d)', 'reopened', 'days UNKNOWN', 'waiver'], rows, c)
    : 'No findings match.\n';
  const mttr = grid(
    ['severity', 'fixed', 'open', 'mean days', 'p50', 'p90'],
    ttf.map((t) => [t.severity, t.fixed, t.open, t.meanDays ?? '–', t.p50Days ?? '–', t.p90Days ?? '–']),
    c,
  );
  await emit(ctx.io, `${table}\nTime to fix${opts.since ? ` (failures fixed since ${opts.since})` : ''}:\n${mttr}`);
  return EXIT.OK;
}

async function verifyCommand(opts: StoreOptions & { publicKey?: string; format: 'text' | 'json' }, ctx: HistoryContext): Promise<number> {
  const key = opts.publicKey ? loadPublicKey(resolve(ctx.io.cwd, opts.publicKey)) : undefined;
  const report = await withStore(opts, ctx.io, (s) => verifyStore(s, key));
  if (opts.format === 'json') await emit(ctx.io, `${JSON.stringify(report, null, 2)}\n`);
  else {
    const lines = report.ok
      ? [`OK: ${report.runs} run(s) verified, chain head ${report.head}${report.anchoredBy === 'checkpoint' ? ' (anchored by a signed checkpoint)' : ''}; ${report.findingsChecked} finding states checked.`]
      : ['FAILED: the history store does not verify:', ...report.problems.map((p) => `  - ${p}`)];
    await emit(ctx.io, `${lines.join('\n')}\n`);
  }
  return report.ok ? EXIT.OK : EXIT.FINDINGS;
}

async function pruneCommand(opts: StoreOptions & { keepDays: number; key?: string; now?: Date }, ctx: HistoryContext): Promise<number> {
  if (!opts.key) throw new UsageError('prune needs --key FILE (an Ed25519 private key in PEM): the checkpoint it leaves in place of the pruned runs is signed, so the rest of the chain stays verifiable. Create one with: trustscan evidence keygen --out history-key.pem');
  const signer = loadSigner(resolve(ctx.io.cwd, opts.key));
  const now = opts.now ?? new Date();
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - opts.keepDays * 86_400_000).toISOString().slice(0, 10);
  const target = await storeTarget(opts, ctx.io);
  const store = await HistoryStore.open(target, { mustExist: true });
  try {
    const out = await store.prune(cutoff, opts.keepDays, (body) => signer.sign(body), () => now);
    const msg = out.pruned
      ? `Pruned ${out.pruned} run(s) gathered before ${cutoff} from ${describeTarget(target)}; signed checkpoint at run ${out.checkpoint!.seq} (key ${signer.keyId}).\n`
      : `Nothing to prune: no run of ${describeTarget(target)} was gathered before ${cutoff} (or a newer run precedes them in the chain).\n`;
    await emit(ctx.io, msg);
    return EXIT.OK;
  } finally {
    await store.close();
  }
}

export function registerHistoryCommand(program: Command, ctx: HistoryContext): void {
  const history = program.command('history').description('what the recorded runs say: runs, finding lifecycles, verification, retention');
  addStoreOptions(history.command('list').description('list recorded runs, oldest first'))
    .option('--since <date>', 'only runs whose evidence was gathered on or after this day (YYYY-MM-DD, UTC)', parseDay)
    .option('--until <date>', 'only runs gathered on or before this day', parseDay)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts) => ctx.exit(await listCommand(opts, ctx)));
  addStoreOptions(history.command('show').description('show one run: scope, evidence completeness, gaps, SOC 2 roll-up').argument('<run>', 'run id (or its first characters) or # number'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--all', 'include MANUAL criteria')
    .action(async (ref: string, opts) => ctx.exit(await showCommand(ref, opts, ctx)));
  addStoreOptions(history.command('findings').description('finding lifecycles: first and last seen, failures found and fixed, age, days UNKNOWN, waivers; time to fix per severity'))
    .option('--open', 'only findings failing in the latest run of their scope')
    .option('--fixed', 'only findings whose failure was seen fixed')
    .option('--since <date>', 'only what happened on or after this day (YYYY-MM-DD)', parseDay)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts) => ctx.exit(await findingsCommand(opts, ctx)));
  addStoreOptions(history.command('verify').description('verify the hash chain, every run and every recorded finding; exit 1 when something was altered'))
    .option('--public-key <file>', 'Ed25519 public key (PEM) the pruning checkpoints must be signed with')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => ctx.exit(await verifyCommand(opts, ctx)));
  addStoreOptions(history.command('prune').description('delete runs older than N days, leaving a signed checkpoint so the rest of the chain stays verifiable'))
    .requiredOption('--keep-days <n>', 'keep runs gathered in the last N days', parsePositive)
    .option('--key <file>', 'Ed25519 private key (PEM) that signs the checkpoint')
    .option('--now <datetime>', 'measure the days from this instant (default: now)', parseDate)
    .action(async (opts) => ctx.exit(await pruneCommand(opts, ctx)));
}

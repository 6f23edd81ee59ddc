import type { Logger } from 'pino';
import { isAbsolute, join } from 'node:path';
import { loadIac } from '../iac/index';
import { UNKNOWN_ACCOUNT } from '../iac/draft';
import { loadSnapshot } from '../core/snapshot-loader';
import { initTerraformConfig } from '../iac/terraform-config/index';
import { EXIT, InputError } from '../core/errors';
import { evaluateAndReport, prepareEvaluation } from './evaluate-command';
import type { CliIO, GlobalOptions } from './io';
import type { OutputOptions } from './output-options';
import type { Snapshot } from '../core/types';

export interface IacOptions extends OutputOptions {
  account?: string;
  region?: string;
  keepGoing?: boolean;
  varFile?: string[];
  var?: string[];
  /** A runtime snapshot of the target account: its settings, principals and policies complete the code. */
  context?: string;
}

/** The accounts a context snapshot holds (those it read, or failing that those of its resources). */
function contextAccounts(s: Snapshot): string[] {
  const listed = s.metadata.accounts.map((a) => a.id);
  return [...new Set(listed.length > 0 ? listed : s.resources.map((r) => r.account))].sort();
}

/**
 * `trustscan iac <path…>`: Terraform plans and CloudFormation templates → resources of the
 * runtime types → the same rules → findings located at file and line. With --keep-going, broken
 * files are reported and the rest is still checked; the exit code is then at least 2.
 */
export async function iacCommand(paths: string[], opts: IacOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const setup = await prepareEvaluation(opts, io, log);
  const started = Date.now();
  const context = opts.context ? { file: opts.context, snapshot: await loadSnapshot(isAbsolute(opts.context) ? opts.context : join(io.cwd, opts.context), setup.catalog.registry) } : undefined;
  const liveAccounts = context ? contextAccounts(context.snapshot) : [];
  if (context && opts.account !== undefined && !liveAccounts.includes(opts.account)) {
    throw InputError.at({ file: context.file }, `holds account ${liveAccounts.join(', ') || '(none)'}, not ${opts.account} given with --account: give the snapshot of the account the code deploys to`);
  }
  const defaultAccount = liveAccounts.length === 1 ? liveAccounts[0] : undefined;
  await initTerraformConfig();
  const { snapshot, files, problems } = loadIac(paths, setup.catalog.registry, {
    account: opts.account,
    region: opts.region,
    keepGoing: opts.keepGoing,
    cwd: io.cwd,
    varFiles: opts.varFile,
    vars: opts.var,
    env: io.env,
    context,
    defaultAccount,
    providers: setup.catalog.providers,
  });
  if (context) {
    // A context of another account completes nothing: the code would be judged without it, silently.
    const codeAccounts = [...new Set(snapshot.resources.filter((r) => r.source.context !== true).map((r) => r.account))];
    const missed = codeAccounts.filter((a) => !liveAccounts.includes(a));
    if (codeAccounts.length > 0 && missed.length === codeAccounts.length) {
      const where = missed.includes(UNKNOWN_ACCOUNT) ? 'the code does not say which account it deploys to: pass --account' : `the code deploys to ${missed.join(', ')}: give the snapshot of that account`;
      throw InputError.at({ file: context.file }, `holds account ${liveAccounts.join(', ') || '(none)'}, but ${where}`);
    }
    for (const a of missed) log.warn({ account: a, context: context.file }, `account ${a} of the code is not in the --context snapshot: its settings stay unknown`);
  }
  for (const f of files) log.info({ file: f.file, format: f.format, resources: f.resources, deletedNotChecked: f.deleted }, 'infrastructure code read');
  for (const c of snapshot.coverage) log.warn({ account: c.account, region: c.region, type: c.operation }, c.message ?? `${c.operation} is not read`);
  log.debug({ resources: snapshot.resources.length, ms: Date.now() - started }, 'infrastructure code loaded');
  if (files.length === 0 && problems.length > 0) throw new InputError(problems);
  if (files.length === 0) throw new InputError([{ file: paths.join(', '), message: 'no Terraform configuration, Terraform plan or CloudFormation template found' }]);
  const code = await evaluateAndReport(snapshot, undefined, setup, opts, io, global, log);
  if (problems.length > 0) {
    for (const p of new InputError(problems).message.split('\n')) log.error(p);
    return EXIT.INPUT;
  }
  return code;
}

import type { Logger } from 'pino';
import { loadIac } from '../iac/index';
import { initTerraformConfig } from '../iac/terraform-config/index';
import { EXIT, InputError } from '../core/errors';
import { evaluateAndReport, prepareEvaluation } from './evaluate-command';
import type { CliIO, GlobalOptions } from './io';
import type { OutputOptions } from './output-options';

export interface IacOptions extends OutputOptions {
  account?: string;
  region?: string;
  keepGoing?: boolean;
  varFile?: string[];
  var?: string[];
}

/**
 * `trustscan iac <path…>`: Terraform plans and CloudFormation templates → resources of the
 * runtime types → the same rules → findings located at file and line. With --keep-going, broken
 * files are reported and the rest is still checked; the exit code is then at least 2.
 */
export async function iacCommand(paths: string[], opts: IacOptions, io: CliIO, global: GlobalOptions, log: Logger): Promise<number> {
  const setup = await prepareEvaluation(opts, io, log);
  const started = Date.now();
  await initTerraformConfig();
  const { snapshot, files, problems } = loadIac(paths, setup.catalog.registry, {
    account: opts.account,
    region: opts.region,
    keepGoing: opts.keepGoing,
    cwd: io.cwd,
    varFiles: opts.varFile,
    vars: opts.var,
    env: io.env,
  });
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

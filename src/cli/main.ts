import { Command, CommanderError, Option } from 'commander';
import type { Logger } from 'pino';
import { EXIT, InputError, outputFileError, UsageError } from '../core/errors';
import type { ProviderPlugin } from '../core/provider-plugin';
import { TOOL_VERSION } from '../core/version';
import { type CliIO, createLogger, emit, type GlobalOptions, LOG_FORMATS, LOG_LEVELS, type LogFormat } from './io';
import { collect, parseChoice } from './options';
import { addOutputOptions, EXIT_CODES_HELP } from './output-options';
import { routeProcessWarnings } from './process-warnings';

/*
 * Command modules are imported when their command runs: `--version` or `rules list` must not pay
 * for the rule engine, the reports or a cloud SDK. Provider plug-ins are loaded only when the
 * command line may need their options (collect, scan, help).
 */

/** Whether the command line names one of `commands` or asks for help (which lists every command). */
function mentions(argv: readonly string[], commands: readonly string[]): boolean {
  return argv.some((a) => commands.includes(a) || a === 'help' || a === '--help' || a === '-h');
}

/** Provider plug-ins, when the command line names a collecting command or asks for help. */
function pluginsFor(argv: readonly string[]): ProviderPlugin[] {
  if (!mentions(argv, ['collect', 'scan'])) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../providers/index') as typeof import('../providers/index')).loadProviders();
}

function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/**
 * Runs the CLI and returns the exit code (the caller exits). Argument parsing lives here and in
 * the command files; the work is done by the pipeline modules they call.
 */
export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = EXIT.OK;
  let log: Logger | undefined;
  let global: GlobalOptions = { logLevel: 'warn' };

  const program = new Command('trustscan')
    .description('Policy-as-code cloud configuration scanner: snapshots → rules → findings → SOC 2 evidence.')
    .version(TOOL_VERSION, '-V, --version')
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(LOG_LEVELS).default('warn'))
    .addOption(new Option('--log-format <format>', 'log format on stderr: text (one plain line per entry; the default when stderr is not a terminal), pretty (the default on a terminal), json (for machines)').choices(LOG_FORMATS))
    .option('-q, --quiet', 'print only errors on stderr (no warnings, no progress line); the output and exit code are unchanged')
    .option('--color', 'force colours on stdout')
    .option('--no-color', 'never use colours')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  program.hook('preAction', () => {
    const o = program.opts<{ logLevel: GlobalOptions['logLevel']; logFormat?: LogFormat; color?: boolean; quiet?: boolean }>();
    // --quiet lowers the default level; an explicit --log-level still wins.
    const level = o.quiet && program.getOptionValueSource('logLevel') === 'default' ? 'error' : o.logLevel;
    // $TRUSTSCAN_LOG_FORMAT: machines that read stderr set it once (an unknown value is ignored, so a typo never blocks a run).
    const fromEnv = io.env.TRUSTSCAN_LOG_FORMAT as LogFormat | undefined;
    global = { logLevel: level, logFormat: o.logFormat ?? (fromEnv && LOG_FORMATS.includes(fromEnv) ? fromEnv : undefined), color: o.color, quiet: o.quiet };
    log = createLogger(io, global);
    if (io.stderr === process.stderr) routeProcessWarnings(log);
  });
  const logger = (): Logger => log!;

  addOutputOptions(
    program
      .command('evaluate')
      .description('evaluate snapshots (JSON or NDJSON) against the rules')
      .argument('<snapshot...>', 'snapshot files written by "trustscan collect" or by hand, or folders of them (- reads standard input); several are evaluated as one'),
  ).action(async (snapshot: string[], opts) => {
      const { evaluateCommand } = await import('./evaluate-command');
      exitCode = await evaluateCommand(snapshot, opts, io, global, logger());
    });

  addOutputOptions(
    program
      .command('merge')
      .description('evaluate the parts of a sharded scan (collect --shard i/N) as one organization, in bounded memory: one result, one roll-up')
      .argument('<parts...>', 'part files written by "trustscan collect --shard", or folders of them; a missing or unreadable part makes its units UNKNOWN'),
  ).action(async (parts: string[], opts) => {
    const { mergeCommand } = await import('./merge-command');
    exitCode = await mergeCommand(parts, opts, io, global, logger());
  });

  const commandCtx = { io, global: () => global, log: logger, exit: (code: number) => void (exitCode = code) };
  const plugins = pluginsFor(argv);
  if (plugins.length) {
    const { registerCollectCommand } = await import('./collect-command');
    const { registerScanCommand } = await import('./scan-command');
    registerCollectCommand(program, commandCtx, plugins);
    registerScanCommand(program, commandCtx, plugins);
  }
  // The history store's commands load its database drivers: only when named (or for help).
  if (mentions(argv, ['history', 'evidence'])) {
    const { registerHistoryCommand } = await import('./history-command');
    const { registerEvidenceCommand } = await import('./evidence-command');
    registerHistoryCommand(program, commandCtx);
    registerEvidenceCommand(program, commandCtx);
  }

  addOutputOptions(
    program
      .command('iac')
      .description('check Terraform configuration (.tf, .tf.json), Terraform plans (terraform show -json) and CloudFormation templates (YAML or JSON) against the rules')
      .argument('<path...>', 'Terraform folders or .tf files, plan or template files, or folders of them (recognised by content)')
      .option('--account <id>', 'account (AWS) or subscription (Azure) id the code deploys to, when the code does not say')
      .option('--region <region>', 'region the code deploys to, when the code does not say')
      .option('--var-file <file>', 'Terraform configuration: a variables file (.tfvars or .tfvars.json), after terraform.tfvars and *.auto.tfvars (repeatable)', collect)
      .option('--var <name=value>', 'Terraform configuration: a root variable value; wins over variables files and TF_VAR_name (repeatable)', collect)
      .option('--keep-going', 'report unreadable files (exit 2) but still check the others')
      .option('--context <snapshot>', "a runtime snapshot of the account the code deploys to: its account settings, existing principals and policies complete what the code does not say"),
  ).action(async (paths: string[], opts) => {
    const { iacCommand } = await import('./iac-command');
    exitCode = await iacCommand(paths, opts, io, global, logger());
  });

  const rules = program.command('rules').description('list, show, validate and test rules');
  rules
    .command('list')
    .description('list the rules')
    .option('--rules <dir>', 'rule directory (repeatable)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts) => {
      const { rulesListCommand } = await import('./rules-command');
      exitCode = await rulesListCommand(opts, io, global);
    });
  rules
    .command('show')
    .description('show one rule: rationale, SOC 2 mapping, remediation and its check')
    .argument('<id>', 'rule id')
    .option('--rules <dir>', 'rule directory (repeatable)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string, opts) => {
      const { rulesShowCommand } = await import('./rules-command');
      exitCode = await rulesShowCommand(id, opts, io);
    });
  rules
    .command('coverage')
    .description('show which criteria of SOC 2 and each provider\'s CIS benchmark the rules cover (per provider), and which not')
    .option('--rules <dir>', 'rule directory (repeatable)', collect)
    .option('--framework <id>', 'only this framework (repeatable)', collect)
    .option('--framework-file <file>', 'framework definition file or folder added to the built-in ones (repeatable)', collect)
    .option('--provider <id>', 'only the rules of this provider (repeatable)', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts) => {
      const { rulesCoverageCommand } = await import('./rules-command');
      exitCode = await rulesCoverageCommand(opts, io, global);
    });
  rules
    .command('validate')
    .description('check rule files against the schema, the resource types and the framework definitions')
    .argument('[dir...]', 'rule directories or files (default: the built-in rules)')
    .option('--framework-file <file>', 'framework definition file or folder the rules may map to (repeatable)', collect)
    .action(async (dirs: string[], opts: { frameworkFile?: string[] }) => {
      const { rulesValidateCommand } = await import('./rules-command');
      exitCode = await rulesValidateCommand(dirs, io, logger(), opts.frameworkFile);
    });
  rules
    .command('test')
    .description("run every rule's own pass/fail/unknown cases")
    .argument('[dir...]', 'rule directories or files (default: the built-in rules)')
    .action(async (dirs: string[]) => {
      const { rulesTestCommand } = await import('./rules-command');
      exitCode = await rulesTestCommand(dirs, io, global);
    });

  program
    .command('controls')
    .description('show a framework roll-up of a results file (SOC 2 unless --framework says otherwise)')
    .argument('<results>', 'results file written by "trustscan evaluate --format json" (a path or s3://bucket/key)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--framework <id>', 'framework to show (repeatable; "all")', collect)
    .option('--all', 'include MANUAL criteria')
    .action(async (file: string, opts) => {
      const { controlsCommand } = await import('./controls-command');
      exitCode = await controlsCommand(file, opts, io, global);
    });

  program
    .command('diff')
    .description('compare two runs by fingerprint: new, resolved, status-changed and unchanged findings')
    .argument('<old>', 'earlier results (--format json) or findings (--format ndjson): a path or s3://bucket/key')
    .argument('<new>', 'later results or findings')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--all', 'table: also list passing findings that appeared or disappeared')
    .action(async (oldFile: string, newFile: string, opts) => {
      const { diffCommand } = await import('./diff-command');
      exitCode = await diffCommand(oldFile, newFile, opts, io, global);
    });

  program
    .command('types')
    .description('list resource types, or show one type\'s property schema')
    .argument('[type]', 'resource type, e.g. aws.s3.bucket')
    .action(async (type: string | undefined) => {
      const { typesCommand } = await import('./types-command');
      exitCode = await typesCommand(type, io);
    });

  program
    .command('schema')
    .description('print a JSON Schema: snapshot, rule file, results, config (trustscan.yaml) or framework file')
    .argument('<which>', 'snapshot, rule, results, config or framework', parseChoice(['snapshot', 'rule', 'results', 'config', 'framework'] as const))
    .action(async (which: 'snapshot' | 'rule' | 'results' | 'config' | 'framework') => {
      const { schemaText } = await import('./schema-command');
      await emit(io, `${schemaText(which).trimEnd()}\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return handleError(err, io, log, global);
  }
}

function handleError(err: unknown, io: CliIO, log: Logger | undefined, global: GlobalOptions): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (or the help/version text).
    return err.exitCode === 0 ? EXIT.OK : EXIT.INPUT;
  }
  const logger = log ?? createLogger(io, global);
  const debug = global.logLevel === 'debug' || global.logLevel === 'trace';
  if (err instanceof InputError) {
    for (const line of err.message.split('\n')) logger.error(debug ? { err } : {}, line);
    return EXIT.INPUT;
  }
  if (err instanceof UsageError) {
    logger.error(debug ? { err } : {}, err.message);
    return EXIT.INPUT;
  }
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EPIPE') return EXIT.OK;
  // Standard output on a full or failing device: the environment's problem, not a bug.
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'EIO') {
    logger.error(debug ? { err } : {}, outputFileError('<stdout>', err).message);
    return EXIT.INPUT;
  }
  const message = err instanceof Error ? err.message : String(err);
  logger.fatal(debug ? { err } : {}, `internal error: ${message}${debug ? '' : ' (run with --log-level debug for the stack trace)'}`);
  return EXIT.INTERNAL;
}

import { stringify } from 'yaml';
import type { Logger } from 'pino';
import { EXIT, formatProblem, InputError, UsageError } from '../core/errors';
import { loadRuleDirs, loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import { RuleTester } from '../engine/rule-tests';
import type { CompiledRule } from '../engine/rule-types';
import { paintSeverity } from '../report/style';
import { type CellSpec, renderGrid } from '../report/terminal-table';
import { coverageOf } from '../compliance/coverage';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';
import { builtinFacts, builtinRegistry } from '../providers/builtin';

function load(dirs: string[] | undefined): CompiledRule[] {
  return loadRulesOrThrow(resolveRuleDirs(dirs), builtinRegistry(), builtinFacts());
}

/** `trustscan rules list`. */
export async function rulesListCommand(opts: { rules?: string[]; format: 'table' | 'json' }, io: CliIO, global: GlobalOptions): Promise<number> {
  const rules = load(opts.rules);
  if (opts.format === 'json') {
    const list = rules.map((r) => ({
      id: r.def.id,
      version: r.version,
      title: r.def.title,
      severity: r.def.severity,
      resourceType: r.def.resourceType,
      soc2: r.def.soc2.map((c) => c.id),
      frameworks: r.def.frameworks ?? {},
      runtimeOnly: r.runtimeOnly,
      file: r.file,
    }));
    await emit(io, `${JSON.stringify(list, null, 2)}\n`);
    return EXIT.OK;
  }
  const c = stdoutColors(io, global);
  const width = terminalWidth(io);
  const rows = rules.map((r): CellSpec[] => [
    r.def.id,
    { text: r.def.severity, paint: (t) => paintSeverity(c, r.def.severity).replace(r.def.severity, t) },
    r.def.resourceType,
    r.def.soc2.map((s) => s.id).join(' '),
    r.def.title,
  ]);
  const table = renderGrid(['Rule', 'Severity', 'Resource type', 'SOC 2', 'Title'], [40, 10, 28, 16, Math.max(30, width - 100)], rows, c);
  await emit(io, `${table}\n${rules.length} rules\n`);
  return EXIT.OK;
}

/** `trustscan rules show <id>`. */
export async function rulesShowCommand(id: string, opts: { rules?: string[]; format: 'text' | 'json' }, io: CliIO): Promise<number> {
  const rule = load(opts.rules).find((r) => r.def.id === id);
  if (!rule) throw new UsageError(`no rule '${id}' ('trustscan rules list' shows the ids)`);
  if (opts.format === 'json') {
    await emit(io, `${JSON.stringify({ ...rule.def, version: rule.version, file: rule.file, runtimeOnly: rule.runtimeOnly }, null, 2)}\n`);
    return EXIT.OK;
  }
  const d = rule.def;
  const lines = [
    `${d.id}  (version ${rule.version}, ${rule.file})`,
    d.title,
    '',
    d.description.trim(),
    '',
    `Severity:      ${d.severity}`,
    `Resource type: ${d.resourceType}${rule.runtimeOnly ? ' (runtime only: not checked on infrastructure code)' : ''}`,
    `SOC 2:`,
    ...d.soc2.map((s) => `  ${s.id}: ${s.rationale}`),
    ...(d.frameworks ? ['Frameworks:', ...Object.entries(d.frameworks).map(([k, v]) => `  ${k}: ${v.join(', ')}`)] : []),
    '',
    'Remediation:',
    `  ${d.remediation.summary.trim()}`,
    ...(['console', 'cli', 'terraform', 'cloudformation'] as const)
      .filter((k) => d.remediation[k])
      .flatMap((k) => [`  ${k}:`, ...d.remediation[k]!.trim().split('\n').map((l) => `    ${l}`)]),
    '',
    'Check:',
    ...stringify(d.when === undefined ? { check: d.check } : { when: d.when, check: d.check }).trimEnd().split('\n').map((l) => `  ${l}`),
    '',
    `Test cases: ${d.tests.length}`,
  ];
  await emit(io, `${lines.join('\n')}\n`);
  return EXIT.OK;
}

/** `trustscan rules validate [DIR…]`: every problem on stderr, one per line; exit 2 when any. */
export async function rulesValidateCommand(dirs: string[], io: CliIO, log: Logger): Promise<number> {
  const { rules, problems, files } = loadRuleDirs(resolveRuleDirs(dirs.length ? dirs : undefined), builtinRegistry(), builtinFacts());
  if (problems.length) throw new InputError(problems);
  log.info({ files: files.length, rules: rules.length }, 'rules valid');
  await emit(io, `${rules.length} rules in ${files.length} files are valid\n`);
  return EXIT.OK;
}

/** `trustscan rules test [DIR…]`: runs every rule's own cases; exit 1 when any fails. */
export async function rulesTestCommand(dirs: string[], io: CliIO, global: GlobalOptions): Promise<number> {
  const rules = load(dirs.length ? dirs : undefined);
  const tester = new RuleTester(builtinRegistry());
  const c = stdoutColors(io, global);
  let passed = 0;
  let failed = 0;
  const out: string[] = [];
  for (const rule of rules) {
    const results = tester.runRule(rule);
    const bad = results.filter((r) => !r.ok);
    passed += results.length - bad.length;
    failed += bad.length;
    out.push(`${bad.length ? c.red('✗') : c.green('✓')} ${rule.def.id} (${results.length} cases)`);
    for (const b of bad) {
      out.push(`    ${c.red('FAILED')} ${formatProblem({ file: rule.file, message: `tests[${b.index}] "${b.name}": expected ${b.expected}, got ${b.actual}` })}`);
      out.push(`      ${c.dim(b.detail)}`);
    }
  }
  out.push(`${passed} passed, ${failed} failed`);
  await emit(io, `${out.join('\n')}\n`);
  return failed ? EXIT.FINDINGS : EXIT.OK;
}

/** `trustscan rules coverage`: which SOC 2 criteria and CIS AWS v3.0.0 recommendations the rules cover, and which not. */
export async function rulesCoverageCommand(opts: { rules?: string[]; format: 'table' | 'json' }, io: CliIO, global: GlobalOptions): Promise<number> {
  const rules = load(opts.rules);
  const report = coverageOf(rules.map((r) => ({ id: r.def.id, soc2: r.def.soc2.map((c) => c.id), frameworks: r.def.frameworks })));
  if (opts.format === 'json') {
    await emit(io, `${JSON.stringify(report, null, 2)}\n`);
    return EXIT.OK;
  }
  const c = stdoutColors(io, global);
  const width = terminalWidth(io);
  const widths = [17, 10, Math.max(40, width - 31)];
  const soc2 = renderGrid(
    ['SOC 2 criterion', 'Coverage', 'Rules (or the evidence needed instead)'],
    widths,
    report.soc2.map((row): CellSpec[] => [
      row.id,
      row.covered ? { text: 'rules', paint: c.green } : { text: 'MANUAL', paint: c.yellow },
      row.covered ? row.rules.join(', ') : { text: `${row.title}. ${row.note ?? ''}`, paint: c.dim },
    ]),
    c,
  );
  const cis = renderGrid(
    ['CIS v3.0.0', 'Coverage', 'Rules (or why not covered)'],
    widths,
    report.cis.recommendations.map((row): CellSpec[] => [
      `${row.id}${row.level === 2 ? ' (L2)' : ''}`,
      row.covered ? { text: 'rules', paint: c.green } : { text: 'not', paint: c.yellow },
      [row.title, { text: row.covered ? row.rules.join(', ') : `${row.assessment === 'Manual' ? 'CIS: manual. ' : ''}${row.gap ?? ''}`, paint: c.dim }],
    ]),
    c,
  );
  const s = report.summary;
  const lines = [
    'SOC 2 Trust Services Criteria (2017, revised points of focus 2022)',
    soc2,
    `SOC 2: ${s.soc2.covered} of ${s.soc2.total} criteria have automated evidence; the other ${s.soc2.total - s.soc2.covered} stay MANUAL (rules/README.md explains why).`,
    '',
    'CIS Amazon Web Services Foundations Benchmark v3.0.0',
    cis,
    `CIS v3.0.0: ${s.cis.covered} of ${s.cis.total} recommendations covered (${s.cis.automatedCovered} of the ${s.cis.automated} CIS marks automated).`,
    ...report.unknownCisIds.map((u) => c.red(`rule ${u.rule} cites CIS v3.0.0 ${u.id}, which the benchmark does not have`)),
  ];
  await emit(io, `${lines.join('\n')}\n`);
  return EXIT.OK;
}

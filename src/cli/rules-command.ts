import { stringify } from 'yaml';
import type { Logger } from 'pino';
import { EXIT, formatProblem, InputError, UsageError } from '../core/errors';
import { loadRuleDirs, resolveRuleDirs } from '../engine/rule-loader';
import { RuleTester } from '../engine/rule-tests';
import type { CompiledRule } from '../engine/rule-types';
import { paintSeverity } from '../report/style';
import { type CellSpec, renderGrid } from '../report/terminal-table';
import { coverageOf } from '../compliance/coverage';
import { type CliIO, emit, type GlobalOptions, stdoutColors, terminalWidth } from './io';
import { type Catalog, builtinCatalog, loadCatalog } from '../catalog';

/** The catalogue with the user's framework files, if any. */
function catalogWith(frameworkFiles: string[] | undefined): Catalog {
  return frameworkFiles?.length ? loadCatalog({ frameworkFiles }) : builtinCatalog();
}

function load(dirs: string[] | undefined, frameworkFiles?: string[]): CompiledRule[] {
  return catalogWith(frameworkFiles).loadRules(dirs);
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
      soc2: r.mapping.soc2 ?? [],
      frameworks: r.frameworks ?? {},
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
export async function rulesValidateCommand(dirs: string[], io: CliIO, log: Logger, frameworkFiles?: string[]): Promise<number> {
  const catalog = catalogWith(frameworkFiles);
  const { rules, problems, files } = loadRuleDirs(resolveRuleDirs(dirs.length ? dirs : undefined, catalog.builtinRuleDirs), catalog.registry, catalog.facts, catalog.frameworks);
  if (problems.length) throw new InputError(problems);
  log.info({ files: files.length, rules: rules.length }, 'rules valid');
  await emit(io, `${rules.length} rules in ${files.length} files are valid\n`);
  return EXIT.OK;
}

/** `trustscan rules test [DIR…]`: runs every rule's own cases; exit 1 when any fails. */
export async function rulesTestCommand(dirs: string[], io: CliIO, global: GlobalOptions): Promise<number> {
  const catalog = builtinCatalog();
  const rules = catalog.loadRules(dirs.length ? dirs : undefined);
  const tester = new RuleTester(catalog.registry);
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

/** `trustscan rules coverage`: which criteria of which frameworks each provider's rules cover, and which not. */
export async function rulesCoverageCommand(
  opts: { rules?: string[]; format: 'table' | 'json'; framework?: string[]; frameworkFile?: string[]; provider?: string[] },
  io: CliIO,
  global: GlobalOptions,
): Promise<number> {
  const catalog = catalogWith(opts.frameworkFile);
  const unknown = (opts.framework ?? []).filter((id) => !catalog.frameworks.has(id));
  if (unknown.length) throw new UsageError(`unknown framework ${unknown.join(', ')} (known: ${catalog.frameworks.list().map((f) => f.id).join(', ')})`);
  const rules = catalog.loadRules(opts.rules).filter((r) => !opts.provider?.length || opts.provider.includes(r.typeDef.provider));
  const report = coverageOf(
    rules.map((r) => ({ id: r.def.id, provider: r.typeDef.provider, mapping: r.mapping })),
    catalog.frameworks,
    opts.framework,
  );
  if (opts.format === 'json') {
    await emit(io, `${JSON.stringify(report, null, 2)}\n`);
    return EXIT.OK;
  }
  const c = stdoutColors(io, global);
  const width = terminalWidth(io);
  const widths = [17, 10, Math.max(40, width - 31)];
  const lines: string[] = [];
  for (const fc of report.coverage) {
    const s = fc.summary;
    const short = fc.framework.id === 'soc2' ? 'SOC 2' : fc.framework.id;
    lines.push(
      c.bold(`${fc.framework.title} ${fc.framework.version} — ${fc.provider} rules`),
      renderGrid(
        [short, 'Coverage', 'Rules (or why not covered, and the evidence needed instead)'],
        widths,
        fc.criteria.map((row): CellSpec[] => [
          `${row.id}${row.level === 2 ? ' (L2)' : ''}`,
          row.covered ? { text: 'rules', paint: c.green } : { text: fc.framework.id === 'soc2' ? 'MANUAL' : 'not', paint: c.yellow },
          row.covered
            ? row.rules.join(', ')
            : [row.title, { text: `${row.assessment === 'manual' ? 'Framework: manual. ' : ''}${row.note ?? ''}`, paint: c.dim }],
        ]),
        c,
      ),
      `${short} (${fc.provider}): ${s.covered} of ${s.total} criteria covered` +
        (s.automated ? ` (${s.automatedCovered} of the ${s.automated} the framework marks automated)` : '') +
        (fc.framework.id === 'soc2' ? `; the other ${s.total - s.covered} stay MANUAL (rules/README.md explains why).` : '.'),
      '',
    );
  }
  await emit(io, `${lines.join('\n')}`);
  return EXIT.OK;
}

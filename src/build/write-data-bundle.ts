import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { builtinCatalog } from '../catalog';
import { BUILTIN_FRAMEWORKS_DIR, frameworkFiles, loadFrameworkText } from '../compliance/framework-loader';
import { bundleKey, DATA_BUNDLE_FILE, DATA_BUNDLE_FORMAT, type DataBundle } from '../core/data-bundle';
import type { Problem } from '../core/errors';
import { type BundledRule, findRuleFiles, loadRuleText } from '../engine/rule-loader';

/**
 * Build step (run by `npm run build`): parses and checks every built-in rule and framework file
 * the usual way and writes dist/data-bundle.json, so commands start without parsing their YAML.
 * A file with a problem fails the build, as `rules validate` would.
 */
function main(): void {
  const out: DataBundle = { format: DATA_BUNDLE_FORMAT, entries: {} };
  const problems: Problem[] = [];
  for (const file of frameworkFiles([BUILTIN_FRAMEWORKS_DIR])) {
    const text = readFileSync(file, 'utf8');
    const loaded = loadFrameworkText(text, file, { bundle: false });
    problems.push(...loaded.problems);
    if (loaded.framework) {
      const framework: Partial<typeof loaded.framework> = { ...loaded.framework };
      delete framework.file;
      out.entries[bundleKey('framework', text)] = framework;
    }
  }
  const catalog = builtinCatalog();
  for (const file of catalog.builtinRuleDirs.flatMap(findRuleFiles)) {
    const text = readFileSync(file, 'utf8');
    const loaded = loadRuleText(text, file, catalog.registry, catalog.facts, catalog.frameworks, { bundle: false });
    problems.push(...loaded.problems);
    if (loaded.rule) out.entries[bundleKey('rule', text)] = { def: loaded.rule.def, version: loaded.rule.version } satisfies BundledRule;
  }
  if (problems.length) {
    process.stderr.write(`data bundle not written: ${problems.length} problem(s)\n${problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const tmp = `${DATA_BUNDLE_FILE}.tmp`;
  writeFileSync(tmp, JSON.stringify(out));
  renameSync(tmp, DATA_BUNDLE_FILE);
}

main();

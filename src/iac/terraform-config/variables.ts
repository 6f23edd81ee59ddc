import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Expr } from './ast';
import { parseConfigFile } from './module-config';
import type { Problem } from './evaluator';

/**
 * Values of the root module's input variables, from every source Terraform reads, lowest
 * precedence first: TF_VAR_ environment variables, terraform.tfvars, terraform.tfvars.json,
 * *.auto.tfvars(.json) in name order, then --var-file files, then --var options.
 */
export interface VariableInputs {
  varFiles?: string[];
  /** `name=value` as given on the command line. */
  vars?: string[];
  env?: Record<string, string | undefined>;
}

export function collectVariables(rootDir: string, inputs: VariableInputs, cwd: string): { vars: Map<string, { raw: string } | { expr: Expr }>; problems: Problem[] } {
  const vars = new Map<string, { raw: string } | { expr: Expr }>();
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(inputs.env ?? {})) if (k.startsWith('TF_VAR_') && v !== undefined && k.length > 7) vars.set(k.slice(7), { raw: v });
  const fromFile = (path: string): void => {
    const display = relative(cwd, path) || path;
    if (!existsSync(path)) {
      problems.push({ file: display, line: 1, message: 'variables file does not exist' });
      return;
    }
    const parsed = parseConfigFile(path, display, 'tfvars');
    for (const p of parsed.problems) problems.push({ file: p.pos.file, line: p.pos.line, column: p.pos.column, message: p.message });
    for (const b of parsed.body.blocks) problems.push({ file: display, line: b.pos.line, message: `a variables file holds only name = value, not a ${b.type} block` });
    for (const a of parsed.body.attrs.values()) vars.set(a.name, { expr: a.expr });
  };
  let names: string[] = [];
  try {
    names = readdirSync(rootDir);
  } catch {
    // reported when the module is read
  }
  for (const n of ['terraform.tfvars', 'terraform.tfvars.json']) if (names.includes(n)) fromFile(join(rootDir, n));
  for (const n of names.filter((x) => x.endsWith('.auto.tfvars') || x.endsWith('.auto.tfvars.json')).sort()) fromFile(join(rootDir, n));
  for (const f of inputs.varFiles ?? []) fromFile(resolve(cwd, f));
  for (const v of inputs.vars ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) {
      problems.push({ file: '--var', line: 1, message: `'${v.split('=')[0]}': expected --var NAME=VALUE` });
      continue;
    }
    vars.set(v.slice(0, eq).trim(), { raw: v.slice(eq + 1) });
  }
  return { vars, problems };
}

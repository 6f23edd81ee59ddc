import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Evaluator, type EvalResult, type ProviderSupport } from './evaluator';
import { isConfigFile } from './module-config';
import { hclParserReady, initHclParser } from './parser';
import { collectVariables, type VariableInputs } from './variables';

export type { EvalResult, Gap, Location, Problem, ProviderSupport } from './evaluator';
export type { VariableInputs } from './variables';
export { initHclParser as initTerraformConfig, hclParserReady as terraformConfigReady };

export interface ConfigOptions extends VariableInputs {
  cwd: string;
  account?: string;
  providers: ProviderSupport[];
}

/** True when a folder holds Terraform configuration files. */
export function hasConfig(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).some(isConfigFile);
  } catch {
    return false;
  }
}

/** The root module folder of a configuration file or folder. */
export function rootOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}

/**
 * Reads the root module in `rootDir` and the local modules it calls, and evaluates it into a
 * plan-shaped document (see evaluator.ts). `initTerraformConfig()` must have finished first.
 */
export function readTerraformConfig(rootDir: string, opts: ConfigOptions): EvalResult {
  const { vars, problems } = collectVariables(rootDir, opts, opts.cwd);
  const ev = new Evaluator(rootDir, { cwd: opts.cwd, vars, account: opts.account, providers: opts.providers });
  const result = ev.run();
  result.problems.unshift(...problems);
  return result;
}


import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadIac, type IacOptions } from '../../../src/iac/index';
import { type EvalResult, initTerraformConfig, readTerraformConfig } from '../../../src/iac/terraform-config/index';
import { awsConfigSupport } from '../../../src/providers/aws/iac/terraform/config-data';
import { builtinRegistry } from '../../../src/catalog';
import { tempDir } from '../../helpers';

export { initTerraformConfig };

/** Writes files (paths relative to a new temporary folder) and returns the folder. */
export function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

/** Evaluates a configuration; returns the plan's `after` values by address, and the result. */
export function evaluate(files: Record<string, string>, opts: { vars?: string[]; varFiles?: string[]; env?: Record<string, string>; account?: string; region?: string } = {}): {
  after: Record<string, Record<string, unknown>>;
  result: EvalResult;
  dir: string;
} {
  const dir = project(files);
  const result = readTerraformConfig(dir, { cwd: dir, ...opts, providers: [awsConfigSupport({ account: opts.account, region: opts.region })] });
  const after: Record<string, Record<string, unknown>> = {};
  for (const rc of (result.plan.resource_changes as { address: string; change: { after: Record<string, unknown> } }[])) after[rc.address] = rc.change.after;
  return { after, result, dir };
}

/** Scans a configuration with `trustscan iac`'s reader: the snapshot. */
export function scan(files: Record<string, string>, opts: Partial<IacOptions> = {}): ReturnType<typeof loadIac> & { dir: string } {
  const dir = project(files);
  return { ...loadIac([dir], builtinRegistry(), { cwd: dir, ...opts }), dir };
}

import { isAbsolute, join, resolve } from 'node:path';
import { hasConfig, terraformConfigReady } from './terraform-config/index';
import { readModule } from './terraform-config/module-config';

/**
 * Where a plan's resources are declared. `terraform show -json` writes a plan on one line, so a
 * finding located in the plan points at line 1 of it; when the configuration the plan was made
 * from is beside it (the usual `terraform plan -out` in the root module), each resource block's
 * file and line are found instead, so pull-request annotations land on the code to change.
 */

export interface Site {
  file: string;
  line: number;
}

/** An instance address without its instance keys: `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`. */
export function blockAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\]/g, '');
}

/** Local module sources (`./x`, `../x`): registry and remote modules are not on disk beside the plan. */
function isLocal(source: string | undefined): source is string {
  return source !== undefined && (source.startsWith('./') || source.startsWith('../'));
}

/**
 * The declaration sites of the resources and data sources of the configuration in `dir` and the
 * local modules it calls, by block address; null when `dir` holds no configuration or the HCL
 * parser is not loaded. Files that do not parse contribute what they declare before the error.
 */
export function declarationSites(dir: string, cwd: string): Map<string, Site> | null {
  if (!terraformConfigReady() || !hasConfig(dir)) return null;
  const out = new Map<string, Site>();
  const seen = new Set<string>();
  const visit = (folder: string, prefix: string, depth: number): void => {
    const key = `${prefix}\u0000${folder}`;
    // A module calling itself (or a deep chain) is not followed forever.
    if (seen.has(key) || depth > 16) return;
    seen.add(key);
    const m = readModule(folder, cwd);
    for (const rc of [...m.resources.values(), ...m.data.values()]) {
      out.set(`${prefix}${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}`, { file: rc.pos.file, line: rc.pos.line });
    }
    for (const call of m.calls.values()) {
      if (!isLocal(call.source)) continue;
      const child = isAbsolute(call.source) ? call.source : join(folder, call.source);
      if (hasConfig(child)) visit(resolve(child), `${prefix}module.${call.name}.`, depth + 1);
    }
  };
  visit(resolve(dir), '', 0);
  return out;
}

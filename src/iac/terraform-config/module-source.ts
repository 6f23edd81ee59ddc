import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModuleCall, ModuleConfig } from './module-config';
import { readModule } from './module-config';
import { TfUnknown } from './values';

/**
 * Where a module call's code is: a local path (`./modules/x`, `../shared`), or a module that
 * `terraform init` already fetched into `.terraform/modules` (listed in its modules.json).
 * Anything else (registry, git, S3 sources not fetched) is not on disk: its outputs and
 * resources are unknown, and the caller reports it.
 */

interface ManifestEntry {
  Key: string;
  Source?: string;
  Dir: string;
}

interface Caller {
  config: ModuleConfig;
  configPath: string;
  parent: Caller | undefined;
}

export class ModuleLoader {
  private readonly cache = new Map<string, ModuleConfig>();
  private manifest: Map<string, ManifestEntry> | undefined;
  private rootConfig: ModuleConfig | undefined;

  constructor(
    private readonly rootDir: string,
    private readonly cwd: string,
  ) {}

  root(): ModuleConfig {
    this.rootConfig ??= this.read(this.rootDir);
    return this.rootConfig;
  }

  private read(dir: string): ModuleConfig {
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      // reported by readModule
    }
    let m = this.cache.get(real);
    if (!m) {
      m = readModule(dir, this.cwd);
      this.cache.set(real, m);
    }
    return m;
  }

  /** Real paths of the folders read: files may be read inside them only. */
  folders(): string[] {
    return [...this.cache.keys()];
  }

  files(): string[] {
    return [...new Set([...this.cache.values()].flatMap((m) => m.files))];
  }

  private fromManifest(key: string): string | undefined {
    if (!this.manifest) {
      this.manifest = new Map();
      const file = join(this.rootDir, '.terraform', 'modules', 'modules.json');
      try {
        if (existsSync(file) && statSync(file).size < 10 * 1024 * 1024) {
          const doc = JSON.parse(readFileSync(file, 'utf8')) as { Modules?: ManifestEntry[] };
          for (const e of Array.isArray(doc.Modules) ? doc.Modules : []) if (e && typeof e.Key === 'string' && typeof e.Dir === 'string') this.manifest.set(e.Key, e);
        }
      } catch {
        // An unreadable manifest is as if modules were not fetched.
      }
    }
    const e = this.manifest.get(key);
    return e ? resolve(this.rootDir, e.Dir) : undefined;
  }

  /** The configuration of a module call, or why it is not on disk. */
  load(caller: Caller, call: ModuleCall): { config?: ModuleConfig; missing?: TfUnknown } {
    const addr = `${caller.configPath ? `${caller.configPath}.` : ''}module.${call.name}`;
    const source = call.source;
    if (source === undefined) return { missing: new TfUnknown(`${addr} has no literal source`, 'error') };
    let dir: string | undefined;
    if (source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..') dir = resolve(caller.config.dir, source);
    else dir = this.fromManifest(addr.replace(/module\./g, ''));
    if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
      const local = source.startsWith('.');
      return {
        missing: new TfUnknown(
          local
            ? `${addr}: module folder ${source} does not exist`
            : `${addr} (source "${source}") is not on disk: what it declares is not checked (run terraform init to fetch it, then scan again)`,
          local ? 'error' : 'module-not-on-disk',
        ),
      };
    }
    // A module that calls itself, directly or not, would expand forever.
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      // keep the resolved path
    }
    for (let c: Caller | undefined = caller; c; c = c.parent) {
      let cdir = c.config.dir;
      try {
        cdir = realpathSync(cdir);
      } catch {
        // keep
      }
      if (cdir === real) return { missing: new TfUnknown(`${addr} calls a module that contains the call (a module cycle)`, 'error') };
    }
    return { config: this.read(dir) };
  }
}

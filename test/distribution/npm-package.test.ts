import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, ROOT, tempDir } from '../helpers';

/**
 * The npm package as a user gets it: `npm pack` (the `files` allowlist), then `npm install -g`
 * and `npx` from the tarball, run outside the repository. Installs prefer the npm cache
 * that `npm ci` filled, and skip install scripts: the optional native history store
 * (better-sqlite3) is compiled by its own script and is not exercised here.
 */

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

function duBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += duBytes(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

describe('npm package', () => {
  const work = tempDir();
  let tarball = '';
  let files: string[] = [];

  beforeAll(() => {
    const out = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[]; size: number; unpackedSize: number }[];
    tarball = join(work, out[0].filename);
    files = out[0].files.map((f) => f.path);
    process.stderr.write(`npm pack: ${out[0].filename} ${(out[0].size / 1024).toFixed(0)} KiB packed, ${(out[0].unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files\n`);
  }, 120_000);

  it('holds compiled code, rules, frameworks, schemas and docs, and no tests, fixtures, sources or maps', () => {
    for (const must of ['bin/trustscan.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/data-bundle.json', 'rules/schema.json', 'frameworks/schema.json', 'README.md', 'package.json']) expect(files).toContain(must);
    expect(files.some((f) => f.startsWith('rules/aws/'))).toBe(true);
    expect(files.some((f) => f.startsWith('docs/'))).toBe(true);
    const stray = files.filter((f) => /^(test|fixtures|src|\.github|\.ci|node_modules)\//.test(f) || f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.startsWith('dist/bench/') || f.startsWith('dist/build/'));
    expect(stray).toEqual([]);
  });

  it('installs with npm install -g from the tarball and runs outside the repository', () => {
    const prefix = join(work, 'global');
    npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], work);
    const bin = join(prefix, 'bin', 'trustscan');
    const run = (args: string[]): { code: number; stdout: string; stderr: string } => {
      const r = spawnSync(bin, args, { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH } });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    const version = run(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const evaluated = run(['evaluate', DEMO, '--format', 'json', '--no-config']);
    expect(evaluated.code).toBe(0);
    expect((JSON.parse(evaluated.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(10);
    const iac = run(['iac', join(ROOT, 'fixtures', 'iac', 'terraform'), '--format', 'sarif', '--no-config']);
    expect(iac.code).toBe(0);
    expect(JSON.parse(iac.stdout).runs[0].results.length).toBeGreaterThan(0);
    const pkg = join(prefix, 'lib', 'node_modules', 'trustscan');
    // The library entry point (package.json main) loads from the installed package.
    const lib = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(pkg)}); process.stdout.write(String(Object.keys(m).length))`], { cwd: work, encoding: 'utf8' });
    expect(lib.status).toBe(0);
    expect(Number(lib.stdout)).toBeGreaterThan(0);
    process.stderr.write(`installed size: ${(duBytes(pkg) / 1024 / 1024).toFixed(1)} MiB (trustscan and its dependencies, without install scripts)\n`);
  }, 600_000);

  it('runs with npx from the tarball', () => {
    const out = execFileSync('npm', ['exec', '--yes', '--prefer-offline', '--ignore-scripts', `--package=${tarball}`, '--', 'trustscan', '--version'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    expect(out).toMatch(/^\d+\.\d+\.\d+/);
  }, 600_000);
});

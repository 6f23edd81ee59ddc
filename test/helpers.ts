import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../src/cli/main';
import type { CoverageEntry, Resource, Snapshot } from '../src/core/types';

export const ROOT = join(__dirname, '..');
export const BIN = join(ROOT, 'bin', 'trustscan.js');
export const DEMO = join(ROOT, 'fixtures', 'demo', 'snapshot.json');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'trustscan-test-'));
}

export function writeTemp(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Runs the CLI in-process with captured streams. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await run(args, { stdout, stderr, env: { ...env }, cwd: ROOT });
  return { code, stdout: out, stderr: err };
}

/**
 * Runs the built CLI as a real process without blocking the test's event loop (a loopback fake
 * cloud in the same process must keep answering). `env` is all the child sees besides PATH;
 * `prefix` runs it under another command (`env`, `nice`…).
 */
export function spawnCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; prefix?: string[] } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const cmd = [...(opts.prefix ?? []), process.execPath, BIN, ...args];
    const child = spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd ?? ROOT, env: { PATH: process.env.PATH, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the built CLI as a real process (as a user or CI would). */
export function spawnCli(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...opts.env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function resource(partial: Partial<Resource> & Pick<Resource, 'type' | 'properties'>): Resource {
  const global = ['aws.account', 'aws.iam.user', 'aws.iam.group', 'aws.iam.role', 'aws.iam.policy'].includes(partial.type);
  return {
    id: `arn:test:${partial.type}:${Math.random().toString(36).slice(2)}`,
    provider: 'aws',
    account: '123456789012',
    region: global ? 'global' : 'us-east-1',
    source: { kind: 'runtime' },
    ...partial,
  };
}

export function snapshot(resources: Resource[], coverage: CoverageEntry[] = [], startedAt = '2026-01-01T00:00:00Z'): Snapshot {
  return {
    schemaVersion: '1.0',
    metadata: {
      tool: { name: 'trustscan', version: 'test' },
      startedAt,
      finishedAt: startedAt,
      providers: ['aws'],
      accounts: [{ provider: 'aws', id: '123456789012' }],
    },
    resources,
    coverage,
  };
}

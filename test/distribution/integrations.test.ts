import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { parse } from 'yaml';
import { codeScanningViolations } from '../../src/report/sarif';
import { BIN, DEMO, ROOT, tempDir } from '../helpers';

/**
 * The integrations as far as this machine allows: the GitHub Action's script run as the runner
 * runs it (the upload-sarif step itself needs GitHub), the pre-commit hook's entry, the GitLab
 * job's script lines in a shell, and the Dockerfile read as Docker would (docker cannot run here).
 */

const TERRAFORM = join(ROOT, 'fixtures', 'iac', 'terraform');
const sh = (script: string, cwd: string, env: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } => {
  const r = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe('GitHub Action', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: { id?: string; run?: string; uses?: string; env?: Record<string, string> }[] }; inputs: Record<string, unknown> };
  const step = action.runs.steps.find((s) => s.id === 'run')!;
  const script = readFileSync(join(ROOT, 'action', 'run.sh'), 'utf8');

  it('passes every input to its script, which reads each one', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of Object.keys(action.inputs).filter((i) => i !== 'upload-sarif')) {
      const entry = Object.entries(step.env!).find(([, v]) => v === `\${{ inputs.${input} }}`);
      expect({ input, passed: Boolean(entry) }).toEqual({ input, passed: true });
      expect(script).toContain(entry![0]);
    }
    expect(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
  });

  const runner = (env: Record<string, string>): { code: number; stderr: string; outputs: Record<string, string>; summary: string; dir: string } => {
    const dir = tempDir();
    const out = join(dir, 'github-output');
    const summary = join(dir, 'step-summary.md');
    writeFileSync(out, '');
    const r = sh(step.run!, dir, { GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, TRUSTSCAN_BIN: BIN, ...env });
    const outputs = Object.fromEntries(readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
    return { code: r.code, stderr: r.stderr, outputs, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '', dir };
  };

  it('iac: writes SARIF that code scanning accepts, the job summary and the gate verdict', () => {
    const r = runner({ TRUSTSCAN_ACTION_COMMAND: 'iac', TRUSTSCAN_ACTION_TARGET: TERRAFORM, TRUSTSCAN_ACTION_FAIL_ON: 'high', TRUSTSCAN_ACTION_ARGS: '--no-config', TRUSTSCAN_ACTION_OUTPUT_DIR: 'out' });
    expect(r.code).toBe(0); // the step succeeds so the upload runs; the last step fails the job
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.outputs.sarif).toBe('out/results.sarif');
    const log = JSON.parse(readFileSync(join(r.dir, 'out', 'results.sarif'), 'utf8')) as Sarif.Log;
    expect(codeScanningViolations(log)).toEqual([]);
    expect(r.summary).toMatch(/trustscan/i);
    for (const f of ['junit.xml', 'report.html', 'results.json']) expect(existsSync(join(r.dir, 'out', f))).toBe(true);
  });

  it('evaluate (runtime findings): no SARIF to upload; a usage error is reported as exit 2', () => {
    const ok = runner({ TRUSTSCAN_ACTION_COMMAND: 'evaluate', TRUSTSCAN_ACTION_TARGET: DEMO, TRUSTSCAN_ACTION_FAIL_ON: '', TRUSTSCAN_ACTION_ARGS: '--no-config' });
    expect(ok.outputs).toEqual({ sarif: '', 'exit-code': '0' });
    const bad = runner({ TRUSTSCAN_ACTION_COMMAND: 'evaluate', TRUSTSCAN_ACTION_TARGET: '/no/such.json', TRUSTSCAN_ACTION_ARGS: '--no-config' });
    expect(bad.outputs['exit-code']).toBe('2');
    expect(bad.stderr).toMatch(/::error::trustscan exited with 2/);
  });
});

describe('pre-commit hook', () => {
  it('runs trustscan iac on the repository when infrastructure code changes', () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; args: string[]; files: string; pass_filenames: boolean }[];
    const hook = hooks.find((h) => h.id === 'trustscan-iac')!;
    expect(hook).toMatchObject({ entry: 'trustscan iac', language: 'node', pass_filenames: false });
    const files = new RegExp(hook.files);
    for (const f of ['main.tf', 'x.tf.json', 'template.yaml', 'plan.json']) expect(files.test(f)).toBe(true);
    expect(files.test('README.md')).toBe(false);
    const [cmd, ...sub] = hook.entry.split(' ');
    expect(cmd).toBe('trustscan');
    const r = spawnSync(process.execPath, [BIN, ...sub, ...hook.args, '--no-config'], { cwd: TERRAFORM, encoding: 'utf8' });
    expect(r.status).toBe(1); // the fixture has high failures: the commit is stopped
    expect(r.stdout).toMatch(/FAIL/);
  });
});

describe('GitLab CI template', () => {
  it('its job script runs as written and leaves the JUnit report GitLab reads', () => {
    const tpl = parse(readFileSync(join(ROOT, 'ci', 'trustscan.gitlab-ci.yml'), 'utf8')) as { variables: Record<string, string>; trustscan: { image: string; script: string[]; artifacts: { reports: { junit: string } } } };
    expect(tpl.trustscan.image).toMatch(/^node:\d+-bookworm-slim$/);
    const dir = tempDir();
    const shim = join(dir, 'bin');
    spawnSync('mkdir', ['-p', shim]);
    writeFileSync(join(shim, 'trustscan'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(shim, 'trustscan'), 0o755);
    const vars = { ...tpl.variables, TRUSTSCAN_TARGET: TERRAFORM, TRUSTSCAN_ARGS: '--no-config' };
    const r = sh(tpl.trustscan.script.join('\n'), dir, { ...vars, PATH: `${shim}:${process.env.PATH}` });
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, tpl.trustscan.artifacts.reports.junit), 'utf8')).toMatch(/<testsuites/);
  });
});

describe('Dockerfile', () => {
  // Instructions with their continuation lines joined, comments dropped.
  const instructions = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
  const stages: { op: string; args: string }[][] = [];
  for (const i of instructions) {
    if (i.op === 'FROM') stages.push([]);
    stages[stages.length - 1].push(i);
  }
  const final = stages[stages.length - 1];

  it('builds on Debian slim Node images only, and copies only what exists', () => {
    for (const s of stages) expect(s[0].args).toMatch(/^node:\d+-bookworm-slim\b/);
    const known = new Set(['FROM', 'RUN', 'COPY', 'WORKDIR', 'ENV', 'USER', 'ENTRYPOINT', 'CMD']);
    for (const i of instructions) expect(known.has(i.op) ? i.op : `unknown ${i.op}`).toBe(i.op);
    for (const c of instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      for (const src of c.args.split(/\s+/).slice(0, -1)) expect({ src, exists: existsSync(join(ROOT, src)) }).toEqual({ src, exists: true });
    }
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });

  it('runs as a non-root user with trustscan as the entrypoint, and writes nothing in the image at run time', () => {
    const user = final.filter((i) => i.op === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user!.args);
    expect(JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['trustscan']);
    // The final stage only copies the installed package: no build, no package manager at run time.
    expect(final.filter((i) => i.op === 'RUN')).toEqual([]);
    expect(final.find((i) => i.op === 'ENV' && /TMPDIR=\/tmp/.test(i.args))).toBeDefined();
  });
});

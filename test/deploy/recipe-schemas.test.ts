import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parse } from 'yaml';
import { ROOT, tempDir, writeTemp } from '../helpers';

/**
 * The recipes and CI files checked against their engines' published schemas, offline: the
 * Kubernetes objects against the Kubernetes OpenAPI schemas (kubernetes-models), the GitHub
 * Actions workflows and the action's metadata with GitHub's own parser (@actions/workflow-parser,
 * the one the Actions service and its language server use). Each check is shown to fail on a
 * broken copy, so a pass means something. (recipes.test.ts checks that they agree with the CLI.)
 */

const yaml = (f: string): any => parse(readFileSync(join(ROOT, f), 'utf8'));

function githubErrors(kind: 'workflow' | 'action', files: string[]): Record<string, string[]> {
  const r = spawnSync(process.execPath, [join(__dirname, 'github-schema.mjs'), kind, ...files], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`github-schema.mjs failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string[]>;
}

describe('deploy recipes against published schemas', () => {
  test('Kubernetes: both Jobs and the service account are valid objects of their API versions', () => {
    for (const f of ['deploy/kubernetes/scan-indexed-job.yaml', 'deploy/kubernetes/merge-job.yaml']) expect(() => new Job(yaml(f)).validate()).not.toThrow();
    expect(() => new ServiceAccount(yaml('deploy/kubernetes/serviceaccount.yaml')).validate()).not.toThrow();
    const broken = yaml('deploy/kubernetes/scan-indexed-job.yaml');
    broken.spec.completions = String(broken.spec.completions);
    delete broken.spec.template.spec.containers[0].name;
    expect(() => new Job(broken).validate()).toThrow(/completions must be integer|must have required property 'name'/);
  });

  test('GitHub Actions: the sharded-scan recipe, the CI workflows and action.yml parse without errors', () => {
    const workflows = ['deploy/github-actions/sharded-scan.yml', '.github/workflows/ci.yml', '.github/workflows/trustscan-gate.yml'];
    expect(githubErrors('workflow', workflows)).toEqual(Object.fromEntries(workflows.map((w) => [w, []])));
    expect(githubErrors('action', ['action.yml'])).toEqual({ 'action.yml': [] });
    const dir = tempDir();
    const bad = writeTemp(dir, 'bad.yml', readFileSync(join(ROOT, workflows[0]), 'utf8').replace(/runs-on:/, 'runs_on:'));
    expect(githubErrors('workflow', [bad])[bad].join('\n')).toMatch(/runs_on|runs-on/);
    const badAction = writeTemp(dir, 'action.yml', readFileSync(join(ROOT, 'action.yml'), 'utf8').replace(/^runs:/m, 'run:'));
    expect(githubErrors('action', [badAction])[badAction].length).toBeGreaterThan(0);
  });
});

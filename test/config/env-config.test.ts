import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { envName } from '../../src/config/env-config';
import { InputError } from '../../src/core/errors';
import { AWS_CONFIG_SCHEMA } from '../../src/providers/aws/collector-options';
import { cli, DEMO, tempDir } from '../helpers';

async function problems(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((x) => `${x.file}: ${x.message}`);
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('TRUSTSCAN_* environment variables', () => {
  it('names every key of trustscan.yaml in upper snake case, provider sections prefixed', () => {
    expect(envName('failOnUnknown')).toBe('TRUSTSCAN_FAIL_ON_UNKNOWN');
    expect(envName('outputDir')).toBe('TRUSTSCAN_OUTPUT_DIR');
    expect(envName('callTimeout', 'aws')).toBe('TRUSTSCAN_AWS_CALL_TIMEOUT');
  });

  it('stand for the options a configuration file holds, typed by its schema, paths from the working directory', async () => {
    const cwd = tempDir();
    const cfg = await loadConfig(undefined, cwd, { aws: AWS_CONFIG_SCHEMA }, {
      TRUSTSCAN_FAIL_ON: 'high',
      TRUSTSCAN_FAIL_ON_UNKNOWN: 'true',
      TRUSTSCAN_REGIONS: 'us-east-1, eu-west-1',
      TRUSTSCAN_OUTPUT_DIR: 'reports',
      TRUSTSCAN_FORMATS: 'json=out/r.json,table',
      TRUSTSCAN_RULES: 'builtin,my-rules',
      TRUSTSCAN_PRIVILEGED: 'arn:aws:iam::*:role/Admin',
      TRUSTSCAN_AWS_CALL_TIMEOUT: '45',
      TRUSTSCAN_BASELINE: '',
    });
    expect(cfg).toMatchObject({
      failOn: 'high',
      failOnUnknown: true,
      regions: ['us-east-1', 'eu-west-1'],
      outputDir: join(cwd, 'reports'),
      formats: [`json=${join(cwd, 'out/r.json')}`, 'table'],
      rules: ['builtin', join(cwd, 'my-rules')],
      privileged: ['arn:aws:iam::*:role/Admin'],
      providers: { aws: { callTimeout: 45 } },
    });
    // An empty variable is unset (CI templates often define every variable).
    expect(cfg!.baseline).toBeUndefined();
    expect(cfg!.fromEnv?.get('aws.callTimeout')).toBe('TRUSTSCAN_AWS_CALL_TIMEOUT');
  });

  it('win over trustscan.yaml, which keeps the keys no variable sets; none of either is no configuration', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'trustscan.yaml'), 'failOn: low\nregions: [us-west-2]\naws:\n  connectTimeout: 5\n');
    const cfg = await loadConfig(undefined, cwd, { aws: AWS_CONFIG_SCHEMA }, { TRUSTSCAN_FAIL_ON: 'critical', TRUSTSCAN_AWS_CALL_TIMEOUT: '9' });
    expect(cfg).toMatchObject({ failOn: 'critical', regions: ['us-west-2'], providers: { aws: { connectTimeout: 5, callTimeout: 9 } } });
    expect(await loadConfig(undefined, tempDir(), {}, {})).toBeUndefined();
    // TRUSTSCAN_CONFIG names the file; --no-config (false) ignores it but not the option variables.
    const other = tempDir();
    writeFileSync(join(other, 'ci.yaml'), 'failOn: medium\n');
    expect((await loadConfig(undefined, tempDir(), {}, { TRUSTSCAN_CONFIG: join(other, 'ci.yaml') }))?.failOn).toBe('medium');
    expect(await loadConfig(false, cwd, {}, { TRUSTSCAN_CONFIG: join(other, 'ci.yaml') })).toBeUndefined();
    expect((await loadConfig(false, cwd, {}, { TRUSTSCAN_FAIL_ON: 'low' }))?.failOn).toBe('low');
  });

  it('refuse bad values naming the variable', async () => {
    const cwd = tempDir();
    expect(await problems(loadConfig(undefined, cwd, {}, { TRUSTSCAN_FAIL_ON: 'urgent' }))).toEqual([expect.stringMatching(/^\$TRUSTSCAN_FAIL_ON: .*critical, high, medium, low/)]);
    expect(await problems(loadConfig(undefined, cwd, {}, { TRUSTSCAN_FAIL_ON_UNKNOWN: 'maybe' }))).toEqual(['$TRUSTSCAN_FAIL_ON_UNKNOWN: expected true or false, got \'maybe\'']);
    expect(await problems(loadConfig(undefined, cwd, { aws: AWS_CONFIG_SCHEMA }, { TRUSTSCAN_AWS_CALL_TIMEOUT: 'soon' }))).toEqual(['$TRUSTSCAN_AWS_CALL_TIMEOUT: expected a number, got \'soon\'']);
    expect(await problems(loadConfig(undefined, cwd, { aws: AWS_CONFIG_SCHEMA }, { TRUSTSCAN_AWS_CALL_TIMEOUT: '-3' }))).toEqual([expect.stringMatching(/^\$TRUSTSCAN_AWS_CALL_TIMEOUT: /)]);
  });

  it('set the gate of a real run, and the command line still wins', async () => {
    expect((await cli(['evaluate', DEMO, '--no-config', '--format', 'json'], { TRUSTSCAN_FAIL_ON: 'critical' })).code).toBe(1);
    expect((await cli(['evaluate', DEMO, '--no-config', '--format', 'json'], {})).code).toBe(0);
    // Formats from the variable, unless the command line names its own.
    expect((await cli(['evaluate', DEMO, '--no-config'], { TRUSTSCAN_FORMATS: 'csv' })).stdout).toMatch(/^[^{]/);
    expect(JSON.parse((await cli(['evaluate', DEMO, '--no-config', '--format', 'json'], { TRUSTSCAN_FORMATS: 'csv' })).stdout)).toHaveProperty('summary');
    const bad = await cli(['evaluate', DEMO, '--no-config', '--format', 'json'], { TRUSTSCAN_FAIL_ON: 'severe' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('$TRUSTSCAN_FAIL_ON');
  });
});

#!/usr/bin/env node
'use strict';
// `npm run demo`: rebuilds only when a source, rule or framework file is newer than the build,
// then evaluates the demo snapshot and says what its --privileged flags mean.
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const BUILT = join(root, 'dist', 'data-bundle.json');

function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of readdirSync(path)) n = Math.max(n, newest(join(path, e)));
  return n;
}

function stale() {
  const built = statSync(BUILT, { throwIfNoEntry: false });
  if (!built) return true;
  const inputs = ['src', 'rules', 'frameworks', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => newest(join(root, p)));
  return Math.max(...inputs) > built.mtimeMs;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 && r.status !== 1) process.exit(r.status ?? 3);
  return r.status;
}

if (stale()) {
  process.stderr.write('demo: sources changed since the last build, building first\n');
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent']);
}
const privileged = ['arn:aws:iam::*:role/OrganizationAccountAccessRole', 'arn:aws:iam::111111111111:user/break-glass-admin'];
process.stderr.write(
  [
    'demo: evaluating fixtures/demo/ (a three-account organization, no cloud access needed).',
    '  --privileged names the principals allowed to hold admin rights, so the admin and',
    '  privilege-escalation rules do not flag them: the role Organizations creates in every',
    '  member account, and the break-glass user of the management account.',
    '',
  ].join('\n'),
);
const code = run(process.execPath, [join(root, 'bin', 'trustscan.js'), 'evaluate', 'fixtures/demo/', '--format', 'table', ...privileged.flatMap((p) => ['--privileged', p]), ...process.argv.slice(2)]);
process.exit(code);

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers';

/** `npm run demo` (scripts/demo.js) on a fresh build: no recompiling, and its flags explained. */
describe('npm run demo', () => {
  it('does not rebuild when nothing changed since the build, and explains --privileged', () => {
    // The test run builds first (npm test), so dist/ is newer than every source.
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.js')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/building first/);
    expect(r.stderr).toMatch(/--privileged names the principals allowed to hold admin rights/);
    expect(r.stdout).toMatch(/FAIL/);
  });
});

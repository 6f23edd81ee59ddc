/** Tests run TypeScript through swc (no type checking here: `npm test` runs tsc first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 30000,
  // Most suites wait on child processes, loopback servers, PostgreSQL or Chromium rather than on
  // the CPU: one worker per core (Jest's default leaves one core idle) halves the suite's wall time.
  maxWorkers: '100%',
};

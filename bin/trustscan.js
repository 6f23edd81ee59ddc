#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).

// A reader that stops early (`trustscan … | head`) closes the pipe: stop quietly, as `cat` does.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(0);
  throw err;
});

const { run } = require('../dist/cli/main.js');
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`trustscan: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 3;
  },
);

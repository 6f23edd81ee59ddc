#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
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

#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main() handles every expected failure itself; reaching here is a bug.
    process.stderr.write(`reopen-audit: internal error: ${error?.message ?? error}\n`);
    if (process.argv.includes('--debug')) process.stderr.write(`${error?.stack ?? ''}\n`);
    process.exitCode = 2;
  },
);

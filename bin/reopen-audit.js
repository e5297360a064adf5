#!/usr/bin/env node
// `--version` answers without loading the CLI, so scripts that check it pay only Node's start-up.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  try {
    process.exitCode = await main(args);
  } catch (error) {
    // main() handles every expected failure itself; reaching here is a bug.
    process.stderr.write(`reopen-audit: internal error: ${error?.message ?? error}\n`);
    if (args.includes('--debug')) process.stderr.write(`${error?.stack ?? ''}\n`);
    process.exitCode = 2;
  }
}

#!/usr/bin/env node
// `--version` answers without loading the CLI, so scripts that check it pay only Node's start-up.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  let main;
  try {
    ({ main } = await import('../dist/cli/main.js'));
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error?.url ?? '').endsWith('/dist/cli/main.js')) throw error;
    // A source checkout that was never built (npm ci builds it through "prepare").
    // The same choice as the CLI's own: --lang, else REOPEN_AUDIT_LANG, else Chinese.
    const at = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
    const chosen = at < 0 ? process.env.REOPEN_AUDIT_LANG : args[at].includes('=') ? args[at].slice(7) : args[at + 1];
    const zh = chosen !== 'en';
    process.stderr.write(
      zh
        ? 'reopen-audit：尚未构建。请在项目文件夹中运行 `npm ci`（或 `npm run build`）后再试。\n'
        : 'reopen-audit: not built yet. Run `npm ci` (or `npm run build`) in the project folder, then try again.\n',
    );
    process.exit(2);
  }
  try {
    process.exitCode = await main(args);
  } catch (error) {
    // main() handles every expected failure itself; reaching here is a bug.
    process.stderr.write(`reopen-audit: internal error: ${error?.message ?? error}\n`);
    if (args.includes('--debug')) process.stderr.write(`${error?.stack ?? ''}\n`);
    process.exitCode = 2;
  }
}

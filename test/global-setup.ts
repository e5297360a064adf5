/**
 * Every test removes what it makes: the run gets a temporary folder of its own (TMPDIR,
 * which os.tmpdir() and the tools the tests start read), and fails if anything named
 * `reopen-audit-*` is still in it at the end. The folder itself is then removed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const runTmp = mkdtempSync(path.join(tmpdir(), 'vitest-run-'));
  process.env.TMPDIR = runTmp;
  return () => {
    const left = readdirSync(runTmp).filter((name) => name.startsWith('reopen-audit-'));
    rmSync(runTmp, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (left.length > 0) {
      // An error in a teardown is printed but does not fail the run by itself.
      process.exitCode = 1;
      throw new Error(`the tests left ${left.length} folder(s) in the temporary folder: ${left.sort().join(', ')}`);
    }
  };
}

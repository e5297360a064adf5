/** Test helpers: build libraries and schools from YAML text, run the CLI, temporary folders. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';
import type { Checklist, Profile, SchoolFile } from '../src/model/schema.js';
import type { Library } from '../src/load/library.js';
import { parseSource } from '../src/load/source.js';
import { resolve, type ResolvedSet, type ResolveRequest } from '../src/resolve/index.js';
import { bindSchool } from '../src/load/school.js';
import { auditSchool } from '../src/engine/audit.js';
import type { FileFailure, Problem, SchoolResult } from '../src/model/result.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'reopen-audit.js');

export function libraryFrom(checklists: Record<string, string>, profiles: Record<string, string> = {}): Library {
  const library: Library = { checklists: new Map(), profiles: new Map(), failures: [], digest: 'test' };
  for (const [file, text] of Object.entries(checklists)) {
    const loaded = parseSource<Checklist>(file, text, 'checklist');
    if (!loaded.ok) throw new Error(`fixture ${file}: ${JSON.stringify(loaded.problems)}`);
    library.checklists.set(loaded.source.data.id, loaded.source);
  }
  for (const [file, text] of Object.entries(profiles)) {
    const loaded = parseSource<Profile>(file, text, 'profile');
    if (!loaded.ok) throw new Error(`fixture ${file}: ${JSON.stringify(loaded.problems)}`);
    library.profiles.set(loaded.source.data.id, loaded.source);
  }
  return library;
}

export function resolveOk(library: Library, request: ResolveRequest): ResolvedSet {
  const outcome = resolve(library, request, 'test');
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.failures, null, 2));
  return outcome.set;
}

export function resolveFailures(library: Library, request: ResolveRequest): FileFailure[] {
  const outcome = resolve(library, request, 'test');
  if (outcome.ok) throw new Error('expected the checklists to be rejected');
  return outcome.failures;
}

export function audit(set: ResolvedSet, schoolYaml: string, file = 'school.yaml'): SchoolResult {
  const loaded = parseSource<SchoolFile>(file, schoolYaml, 'school');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
  const bound = bindSchool(loaded.source, set);
  if (!bound.ok) throw new Error(JSON.stringify(bound.problems, null, 2));
  return auditSchool(set, bound.input);
}

export function bindProblems(set: ResolvedSet, schoolYaml: string, file = 'school.yaml'): Problem[] {
  const loaded = parseSource<SchoolFile>(file, schoolYaml, 'school');
  if (!loaded.ok) return loaded.problems;
  const bound = bindSchool(loaded.source, set);
  return bound.ok ? [] : bound.problems;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Folders made outside a test (at collection or in beforeAll): removed when the file's tests end. */
const madeForFile = new Set<string>();
afterAll(() => {
  for (const dir of madeForFile) rmSync(dir, { recursive: true, force: true });
  madeForFile.clear();
});

/**
 * A fresh folder in the system's temporary folder, `reopen-audit-NAME-…`, removed again
 * whatever the outcome: after the test that made it, or after the file's last test when it
 * was made outside a test. test/global-setup.ts fails the run on any left behind.
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `reopen-audit-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test.
    madeForFile.add(dir);
  }
  return dir;
}

/**
 * Whether an outside tool a test hands our output to is here (`probe` exits 0). Missing on a
 * laptop, the test is skipped and says why; missing under CI=true, where .ci/run installs it,
 * the test file fails instead of passing silently.
 */
export function toolAvailable(probe: string[], what: string, install: string): boolean {
  const [command, ...args] = probe as [string, ...string[]];
  if (spawnSync(command, args, { stdio: 'ignore' }).status === 0) return true;
  if (process.env.CI === 'true') throw new Error(`${what} is needed under CI (.ci/run installs it: ${install})`);
  console.warn(`${what} not found: its tests are skipped (${install})`);
  return false;
}

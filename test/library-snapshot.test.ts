/**
 * The build's snapshot of the built-in library (dist/library.snapshot.json) only saves
 * parsing: a run with it loads exactly what a run without it loads, a checklist edited
 * after the build is seen as edited (and its mistakes located as before), and the
 * snapshot's data is used only for files whose bytes it was made from.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR, loadLibrary, makeSnapshot, withTrees, type Library, type LibrarySnapshot } from '../src/load/library.js';
import { compileExpr } from '../src/expr/index.js';
import { ROOT, tempDir } from './helpers.js';

/** A copy of the built-in library with its snapshot, to edit. */
async function libraryCopy(): Promise<{ dir: string; snapshotFile: string }> {
  const dir = path.join(tempDir('snapshot'), 'checklists');
  cpSync(BUILTIN_DIR, dir, { recursive: true });
  const snapshotFile = path.join(dir, '..', 'library.snapshot.json');
  writeFileSync(snapshotFile, JSON.stringify(await makeSnapshot(dir)));
  return { dir, snapshotFile };
}

const plain = (library: Library) => ({
  checklists: [...library.checklists].map(([id, s]) => [id, s.file, s.data]),
  profiles: [...library.profiles].map(([id, s]) => [id, s.file, s.data]),
  failures: library.failures,
  digest: library.digest,
});

describe('the library snapshot', () => {
  it('holds every built-in file, and loads what parsing the files loads', async () => {
    const { dir, snapshotFile } = await libraryCopy();
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as { files: { name: string }[] };
    expect(snapshot.files.map((f) => f.name)).toContain('health-staffing.yaml');
    expect(snapshot.files.map((f) => f.name)).toContain('profiles/national.yaml');
    const withSnapshot = await loadLibrary([], [], { dir, snapshotFile });
    const without = await loadLibrary([], [], { dir });
    expect(plain(withSnapshot)).toEqual(plain(without));
  });

  it('is used for a file whose bytes are unchanged', async () => {
    const { dir, snapshotFile } = await libraryCopy();
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as { files: { name: string; data: { title: { en: string } } }[] };
    const entry = snapshot.files.find((f) => f.name === 'health-staffing.yaml');
    if (!entry) throw new Error('no snapshot entry');
    entry.data.title.en = 'From the snapshot';
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const library = await loadLibrary([], [], { dir, snapshotFile });
    expect(library.checklists.get('health-staffing')?.data.title.en).toBe('From the snapshot');
  });

  it('gives way to a checklist edited after the build', async () => {
    const { dir, snapshotFile } = await libraryCopy();
    const file = path.join(dir, 'health-staffing.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('en: Health staffing', 'en: Health staffing (edited)'));
    const library = await loadLibrary([], [], { dir, snapshotFile });
    expect(library.checklists.get('health-staffing')?.data.title.en).toBe('Health staffing (edited)');
    expect(plain(library)).toEqual(plain(await loadLibrary([], [], { dir })));
  });

  it('reports a mistake made after the build where it is, as without a snapshot', async () => {
    const { dir, snapshotFile } = await libraryCopy();
    const file = path.join(dir, 'health-staffing.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('version: "1.1.0"', 'version: "1.1.0"\nversoin: 2'));
    const library = await loadLibrary([], [], { dir, snapshotFile });
    expect(library.failures).toHaveLength(1);
    expect(library.failures[0]?.problems[0]).toMatchObject({ line: 5, col: 1, message: { code: 'schema.unknownKeySuggest' } });
    expect(library.failures).toEqual((await loadLibrary([], [], { dir })).failures);
  });

  it('locates within a snapshot file as parsing it would', async () => {
    const { dir, snapshotFile } = await libraryCopy();
    const withSnapshot = await loadLibrary([], [], { dir, snapshotFile });
    const without = await loadLibrary([], [], { dir });
    const where = (library: Library) => {
      const source = library.checklists.get('health-staffing');
      if (!source) throw new Error('no health-staffing');
      return [source.parsed.locate(['title', 'en']), source.parsed.locate(['parameters', 0, 'name'], 'key'), source.parsed.locate([])];
    };
    expect(where(withSnapshot)).toEqual(where(without));
  });

  describe("jexl's trees", () => {
    /** jexl's tree of `true`: a probe text given this tree compiles to true, where jexl would read it as an unknown name. */
    const TRUE_TREE = { type: 'Literal', value: true };
    const probe = (text: string) => compileExpr(text, new Map(), 'boolean');

    async function withProbe(name: string, text: string, edit?: (snapshot: LibrarySnapshot) => void): Promise<{ dir: string; snapshotFile: string }> {
      const { dir, snapshotFile } = await libraryCopy();
      const snapshot = await withTrees(JSON.parse(readFileSync(snapshotFile, 'utf8')) as LibrarySnapshot, new Map());
      const entry = snapshot.files.find((f) => f.name === name);
      if (!entry) throw new Error(`no snapshot entry ${name}`);
      entry.trees = { [text]: TRUE_TREE };
      edit?.(snapshot);
      writeFileSync(snapshotFile, JSON.stringify(snapshot));
      return { dir, snapshotFile };
    }

    it('are taken with a file whose bytes are unchanged', async () => {
      const { dir, snapshotFile } = await withProbe('cleaning.yaml', 'probe_unchanged');
      expect(probe('probe_unchanged')).toMatchObject({ ok: false, error: { code: 'expr.unknownName' } });
      await loadLibrary([], [], { dir, snapshotFile });
      expect(probe('probe_unchanged')).toMatchObject({ ok: true, expr: { ast: TRUE_TREE } });
    });

    it('are not taken with a file edited after the build', async () => {
      const { dir, snapshotFile } = await withProbe('screening.yaml', 'probe_edited');
      const file = path.join(dir, 'screening.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
      await loadLibrary([], [], { dir, snapshotFile });
      expect(probe('probe_edited')).toMatchObject({ ok: false, error: { code: 'expr.unknownName' } });
    });

    it('are not taken when another jexl made them', async () => {
      const { dir, snapshotFile } = await withProbe('supplies.yaml', 'probe_other_jexl', (snapshot) => {
        snapshot.jexl = '0.0.1';
      });
      await loadLibrary([], [], { dir, snapshotFile });
      expect(probe('probe_other_jexl')).toMatchObject({ ok: false, error: { code: 'expr.unknownName' } });
    });

    it('hold every expression of the built library: resolving every profile from the build does not load jexl', () => {
      const script = [
        "import { createRequire } from 'node:module';",
        "const { loadLibrary } = await import('./dist/load/library.js');",
        "const { resolve } = await import('./dist/resolve/index.js');",
        'const library = await loadLibrary();',
        "const outcomes = [...library.profiles.keys()].map((profile) => resolve(library, { profile }, 'test').ok);",
        "const jexl = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/jexl/') && f.endsWith('.js'));",
        'console.log(JSON.stringify({ outcomes, jexl }));',
      ].join('\n');
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const { outcomes, jexl } = JSON.parse(run.stdout) as { outcomes: boolean[]; jexl: boolean };
      expect(outcomes.length).toBeGreaterThan(3);
      expect(outcomes.every(Boolean)).toBe(true);
      expect(jexl).toBe(false);
    });
  });
});

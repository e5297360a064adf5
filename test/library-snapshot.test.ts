/**
 * The build's snapshot of the built-in library (dist/library.snapshot.json) only saves
 * parsing: a run with it loads exactly what a run without it loads, a checklist edited
 * after the build is seen as edited (and its mistakes located as before), and the
 * snapshot's data is used only for files whose bytes it was made from.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DIR, loadLibrary, makeSnapshot, type Library } from '../src/load/library.js';
import { tempDir } from './helpers.js';

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
});

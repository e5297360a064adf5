/**
 * Which files a batch audits, and in what order: every YAML file under the folders given,
 * each once, sorted by path (code units) whatever the file system returns. The folder walk
 * emits paths already sorted (no list of every path is held), so names where a folder's
 * own order differs from the order of full paths are the cases that matter: `a-b/…` and
 * `a.b/…` sort before `a/…`, and `a.yaml` before `a/…`.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, PathList } from '../src/load/walk.js';
import { cli, ROOT, tempDir } from './helpers.js';

const SCHOOL = readFileSync(path.join(ROOT, 'examples', 'schools', 'gate-failed.yaml'));

const FILES = [
  'a.yaml',
  'a0.yaml',
  'a b.yaml',
  'a/1.yaml',
  'a/x/2.yml',
  'a/x.yaml',
  'a-b/3.yaml',
  'a.b/4.YAML',
  'a_/5.yaml',
  'ab/6.yaml',
  'A/7.yaml',
  'Z.yaml',
  '中文/8.yaml',
  '中/9.yaml',
  '中文.yaml',
];
const IGNORED = ['a/readme.txt', '.hidden/10.yaml', 'node_modules/11.yaml', 'a/.draft.yaml'];

/** The reference: every YAML file under a folder, found without the walk under test, sorted by code units. */
function listed(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) listed(full, out);
    else if (/\.ya?ml$/i.test(name)) out.push(full);
  }
  return out.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

describe('the files of a batch', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('files');
    for (const f of [...FILES, ...IGNORED]) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), SCHOOL);
    }
  });

  it('lists every YAML file of a folder once, sorted by path', async () => {
    const want = listed(root);
    expect(want).toHaveLength(FILES.length);
    const { files, problems } = await expandInputs([root]);
    expect(problems).toEqual([]);
    expect(files).toEqual(want);
    // The cases the walk must get right, spelled out.
    const rel = files.map((f) => path.relative(root, f).split(path.sep).join('/'));
    expect(rel.indexOf('a-b/3.yaml')).toBeLessThan(rel.indexOf('a/1.yaml'));
    expect(rel.indexOf('a.b/4.YAML')).toBeLessThan(rel.indexOf('a/1.yaml'));
    expect(rel.indexOf('a.yaml')).toBeLessThan(rel.indexOf('a/1.yaml'));
    expect(rel.indexOf('a/1.yaml')).toBeLessThan(rel.indexOf('a/x.yaml'));
    expect(rel.indexOf('a/x.yaml')).toBeLessThan(rel.indexOf('a/x/2.yml'));
    expect(rel.indexOf('a/x/2.yml')).toBeLessThan(rel.indexOf('a0.yaml'));
  });

  it('merges folders given together, inside each other or twice, and single files, each file once', async () => {
    const inputs = [path.join(root, 'a'), root, path.join(root, 'a-b', '3.yaml'), path.join(root, 'ab'), path.join(root, 'a'), path.join(root, 'Z.yaml')];
    const { files } = await expandInputs(inputs);
    expect(files).toEqual(listed(root));
    const apart = await expandInputs([path.join(root, '中文'), path.join(root, 'a-b'), path.join(root, '中文.yaml'), path.join(root, 'A')]);
    expect(apart.files).toEqual(
      [path.join(root, 'A', '7.yaml'), path.join(root, 'a-b', '3.yaml'), path.join(root, '中文', '8.yaml'), path.join(root, '中文.yaml')].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
  });

  it('validates and audits the files in that order from the command line (the walk in its worker thread)', () => {
    const r = cli(['validate', root, path.join(root, 'a'), '--lang', 'en']);
    const lines = r.stdout.trim().split('\n');
    const want = listed(root);
    expect(lines.pop()).toBe(`${want.length} file(s): ${want.length} valid, 0 with errors`);
    expect(lines).toHaveLength(want.length);
    want.forEach((file, i) => expect(lines[i]).toContain(file));
    expect(r.code).toBe(0);
  });
});

describe('the packed list of paths', () => {
  it('gives back every path, in order and at random, whatever they share with the one before', () => {
    const paths: string[] = [];
    for (let d = 0; d < 5; d++) {
      for (let i = 0; i < 60; i++) paths.push(`/学校/区${d}/${String(i).padStart(3, '0')}-${'名'.repeat(i % 7)}.yaml`);
    }
    paths.push(`/学校/${'长'.repeat(300)}/a.yaml`, `/学校/${'长'.repeat(300)}/b.yaml`, '/z', '/z/é', '/z/éa');
    paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const list = PathList.from(PathList.pack(paths));
    expect(list.length).toBe(paths.length);
    expect([...list]).toEqual(paths);
    expect(list.slice(17, 40)).toEqual(paths.slice(17, 40));
    for (let k = 0; k < 400; k++) {
      const i = (k * 7919) % paths.length;
      expect(list.at(i)).toBe(paths[i]);
    }
    expect([...list.endingWith(['b.yaml', '/z/éa'])]).toEqual(paths.filter((p) => p.endsWith('b.yaml') || p.endsWith('/z/éa')));
  });
});
